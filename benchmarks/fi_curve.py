"""f-I curve of 1000 currents x 500 ms: lifkit beside Brian2 and NEST.

The Neuronal Dynamics LIF (``lk.LIF.preset("neurodynex")``: tau_m 8 ms, R 10 MΩ,
v_rest -70 mV, v_reset -65 mV, v_th -50 mV, t_ref 2 ms), 1000 constant currents evenly
spaced over 0-5 nA, 500 ms at dt 0.1 ms. Every engine runs it as one population of 1000
neurons, neuron i driven by current i:

* lifkit: ``lk.analysis.fi_curve`` after a warm-up call. The neurons are noise-free
  under constant current and not recorded, so lifkit computes their exact spike times in
  closed form (t_n = t_1 + (n - 1) P, see ``lifkit.engine.closed_form``) instead of
  stepping them, and never loads numba;
* Brian2 (runtime; C++ standalone): ``dv/dt = (-(v - v_rest) + R I)/tau_m`` with
  ``method="exact"``, a per-neuron ``I``, a SpikeMonitor;
* NEST: ``iaf_psc_delta`` (exact integration; C_m = tau_m/R = 800 pF) with per-neuron
  ``I_e`` and a spike recorder.

Timed: the run (``run_s``, the issue's target: under 1 s for lifkit) and the whole process.
Each engine's mean rate over the 1000 neurons is reported as a check that all computed
the same curve.

    python benchmarks/fi_curve.py [--repeats 3] [--peer-python PATH]

Writes ``benchmarks/results/fi_curve.{md,json}`` and prints the table.
"""

from __future__ import annotations

import argparse
import time

import _common
import _peers
from _common import fmt

TAU_M, R, V_REST, V_RESET, V_TH, T_REF = 8.0, 10.0, -70.0, -65.0, -50.0, 2.0
N_CURRENTS, DURATION, DT, I_MAX = 1000, 500.0, 0.1, 5.0  # -, ms, ms, nA
TARGET_S = 1.0


def _currents(n):
    import numpy as np

    return np.linspace(0.0, I_MAX, n)


def _rates(n, duration, spikes):
    return {"spikes": spikes, "mean_rate_hz": spikes / n / (duration * 1e-3)}


def _lifkit(n, duration, threads):
    import lifkit as lk
    from lifkit.analysis import fi_curve

    model = lk.LIF.preset("neurodynex")
    start = time.perf_counter()
    fi_curve(model, _currents(n), duration=100 * DT, threads=threads)
    prepare = time.perf_counter() - start
    start = time.perf_counter()
    curve = fi_curve(model, _currents(n), duration=duration, threads=threads)
    run = time.perf_counter() - start
    spikes = round(float(curve.rates.sum()) * duration * 1e-3)
    return {"run_s": run, "prepare_s": prepare, **_rates(n, duration, spikes)}


def _brian2(mode):
    def child(n, duration, threads):
        def build(b2):
            eqs = "dv/dt = (-(v - v_rest) + R * I) / tau_m : volt (unless refractory)\nI : amp"
            namespace = dict(v_rest=V_REST * b2.mV, R=R * b2.Mohm, tau_m=TAU_M * b2.ms)
            group = b2.NeuronGroup(
                n,
                eqs,
                threshold=f"v > {V_TH}*mV",
                reset=f"v = {V_RESET}*mV",
                refractory=T_REF * b2.ms,
                method="exact",
                namespace=namespace,
            )
            group.v = V_REST * b2.mV
            group.I = _currents(n) * b2.nA
            monitor = b2.SpikeMonitor(group)
            return [group, monitor], lambda: _rates(n, duration, int(monitor.num_spikes))

        return _peers.brian2(build, duration, mode=mode, threads=threads, project=f"fi-{n}", dt=DT)

    return child


def _nest(n, duration, threads):
    nest = _peers.nest_kernel(threads, dt=DT)
    start = time.perf_counter()
    neurons = nest.Create(
        "iaf_psc_delta",
        n,
        params={
            "C_m": TAU_M / R * 1e3,
            "tau_m": TAU_M,
            "E_L": V_REST,
            "V_reset": V_RESET,
            "V_th": V_TH,
            "t_ref": T_REF,
            "V_m": V_REST,
        },
    )
    neurons.I_e = list(_currents(n) * 1e3)  # pA
    recorder = nest.Create("spike_recorder")
    nest.Connect(neurons, recorder)
    build = time.perf_counter() - start
    report = _peers.nest_run(nest, duration)
    return {**report, "build_s": build, **_rates(n, duration, int(recorder.n_events))}


CHILDREN = {
    "lifkit": _lifkit,
    "brian2_runtime": _brian2("runtime"),
    "brian2_standalone": _brian2("cpp_standalone"),
    "nest": _nest,
}


def measure(engines, repeats=1, n=N_CURRENTS, duration=DURATION):
    best = _common.interleaved(__file__, engines, repeats, n=n, duration=duration)
    return {
        "title": f"f-I curve, {n} currents x {duration:g} ms",
        "n": n,
        "duration_ms": duration,
        "engines": best,
        "versus": _common.versus(best),
        "versus_process": _common.versus(best, key="process_s"),
    }


def markdown(section) -> str:
    rows = []
    for label, r in section["engines"].items():
        if "error" in r:
            rows.append([label, "failed", "", "", "", ""])
            continue
        rows.append(
            [
                label,
                f"{r['run_s']:.3f}",
                fmt(r.get("prepare_s"), ".2f"),
                f"{r['process_s']:.2f}",
                r["spikes"],
                f"{r['mean_rate_hz']:.2f}",
            ]
        )
    lifkit = _common.best(section["engines"], "lifkit")
    ok = "ok" if lifkit is not None and lifkit < TARGET_S else "MISSED"
    return (
        "The neurodynex LIF (tau_m 8 ms, R 10 MΩ, v_th -50 mV, t_ref 2 ms), one population "
        f"of {section['n']} neurons with constant currents 0-5 nA, {section['duration_ms']:g} "
        "ms at dt 0.1 ms. run = the simulation in a warm process; process = the whole "
        "child process (import, build, compile or cache load, run).\n\n"
        + _common.table(
            ["engine", "run s", "prepare s", "process s", "spikes", "mean rate Hz"], rows
        )
        + f"\n\nTarget: lifkit's run under {TARGET_S:g} s — {fmt(lifkit, '.3f')} s: {ok}.\n"
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--peer-python", help="interpreter with brian2 and/or nest")
    args = parser.parse_args(argv)
    _common.report_workload(
        "fi_curve", args.peer_python, lambda engines: measure(engines, args.repeats), markdown
    )


if __name__ == "__main__" and not _common.child_main(CHILDREN):
    main()
