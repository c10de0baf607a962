"""LIF population throughput: lifkit beside a plain C loop, Brian2 and NEST.

The foundation issue's workload: N LIF neurons (tau_m 10 ms, v_rest = v_reset = -65 mV,
v_th -50 mV, t_ref 2 ms) under white noise, ``tau_m dv/dt = -(v - v_rest) + mu +
sigma sqrt(tau_m) xi`` with mu 12 mV and sigma 4 mV (about 21 Hz), dt = 0.1 ms, all spikes
recorded. Engines, each run in a fresh process and timed on the run alone:

* lifkit, 1 and 2 threads (after a warm-up call: ``prepare_s`` = numba import and
  compilation or cache load); exact Ornstein-Uhlenbeck update, spikes inside the step;
* the C loop ``c_reference/lif_population.c`` (system compiler), with lifkit's
  counter-based generator (same operations: the spikes must be identical, checked) and
  with xoshiro256+ and the polar method, one thread;
* Brian2 (runtime, and C++ standalone on 1 and 2 threads) and NEST (1 and 2 threads),
  when installed: Brian2 integrates ``dv/dt = (-(v - v_rest) + mu)/tau_m +
  sigma xi tau_m**-0.5`` by Euler-Maruyama (its method for additive noise); NEST's
  ``iaf_psc_delta`` (C_m 250 pF: R = 40 MΩ) gets ``I_e`` = mu/R and a ``noise_generator``
  redrawn every step with std sigma sqrt(tau_m/dt)/R, which gives the membrane the same
  variance per step. Both test the threshold on the grid only, so their rates are a
  little lower.

    python benchmarks/population_throughput.py [--sizes 1e4 1e5 1e6] [--repeats 1]

Writes ``benchmarks/results/population_throughput.{md,json}`` and prints the table.
"""

from __future__ import annotations

import argparse
import sys
import time

import _common
import _peers
from _common import fmt

DT = 0.1  # ms
SIGMA, MU = 4.0, 12.0  # mV: white-noise intensity and mean drive (as in lif_population.c)
TAU_M, V_REST, V_TH, T_REF = 10.0, -65.0, -50.0, 2.0
#: Steps per size: 1 s for 1e4 neurons; shorter above, to bound the session's time.
STEPS = {10_000: 10_000, 100_000: 1_000, 1_000_000: 200}
TARGET_ONE_THREAD = 0.67
TARGET_TWO_THREADS = 1.0


def spike_checksum(neurons, times):
    """Order-independent checksum of spikes, as lif_population.c computes it."""
    import numpy as np

    with np.errstate(over="ignore"):
        x = np.ascontiguousarray(times, dtype=np.float64).view(np.uint64)
        x = x ^ (np.asarray(neurons).astype(np.uint64) * np.uint64(0xD1B54A32D192ED03))
        x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        x = x ^ (x >> np.uint64(31))
        return f"{int(x.sum(dtype=np.uint64)):016x}"


def _peak_rss_mb():
    """VmHWM of this process in MB (Linux), else None."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def _spike_report(n, steps, spikes):
    return {
        "spikes": spikes,
        "rate_hz": spikes / (n * steps * DT * 1e-3),
        "peak_rss_mb": _peak_rss_mb(),
    }


# ---------------------------------------------------------------- children
def _lifkit(n, steps, seed, threads, jit=True, **_):
    import numpy as np

    import lifkit as lk

    model = lk.LIF(
        tau_m=TAU_M, R=1.0, v_rest=np.full(n, V_REST), v_reset=V_REST, v_th=V_TH, t_ref=T_REF
    )
    noise = lk.WhiteNoise(f"{SIGMA} mV", mean=f"{MU} mV")
    options = dict(dt=DT, seed=seed, threads=threads, record=lk.Record(neurons=()), progress=False)
    start = time.perf_counter()
    lk.simulate(model, noise, duration=DT, jit=jit, **options)  # compile or load the kernel
    prepare = time.perf_counter() - start
    wall, cpu = time.perf_counter(), time.process_time()
    result = lk.simulate(model, noise, duration=steps * DT, jit=jit, **options)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return {
        "run_s": wall,
        "cpu_s": cpu,
        "prepare_s": prepare,
        "checksum": spike_checksum(result.spike_neurons, result.spike_times),
        **_spike_report(n, steps, int(result.spike_times.size)),
    }


def _c(variant):
    def child(n, steps, seed, exe, **_):
        from c_reference.build import run

        r = run(exe, n, variant, seed, steps)
        return {
            "run_s": r["seconds"],
            "cpu_s": r["cpu_seconds"],
            "spikes": r["spikes"],
            "rate_hz": r["mean_rate_hz"],
            "checksum": r["checksum"],
            "peak_rss_mb": r["peak_rss_kb"] / 1024,
        }

    return child


def _brian2(mode):
    def child(n, steps, seed, threads, **_):
        def build(b2):
            eqs = (
                "dv/dt = (-(v - v_rest) + mu) / tau_m + sigma * xi * tau_m**-0.5"
                " : volt (unless refractory)"
            )
            namespace = dict(
                v_rest=V_REST * b2.mV, mu=MU * b2.mV, sigma=SIGMA * b2.mV, tau_m=TAU_M * b2.ms
            )
            group = b2.NeuronGroup(
                n,
                eqs,
                threshold=f"v > {V_TH}*mV",
                reset="v = v_rest",
                refractory=T_REF * b2.ms,
                method="euler",
                namespace=namespace,
            )
            group.v = V_REST * b2.mV
            monitor = b2.SpikeMonitor(group)
            return [group, monitor], lambda: _spike_report(n, steps, int(monitor.num_spikes))

        return _peers.brian2(
            build, steps * DT, mode=mode, threads=threads, project=f"lif-{n}", dt=DT, seed=seed
        )

    return child


def _nest(n, steps, seed, threads, **_):
    nest = _peers.nest_kernel(threads, dt=DT, seed=seed)
    c_m = 250.0  # pF; R = tau_m / C_m = 0.04 GΩ
    r_gohm = TAU_M / c_m
    start = time.perf_counter()
    neurons = nest.Create(
        "iaf_psc_delta",
        n,
        params={
            "C_m": c_m,
            "tau_m": TAU_M,
            "E_L": V_REST,
            "V_reset": V_REST,
            "V_th": V_TH,
            "t_ref": T_REF,
            "V_m": V_REST,
            "I_e": MU / r_gohm,
        },
    )
    std = SIGMA * (TAU_M / DT) ** 0.5 / r_gohm  # pA
    noise = nest.Create("noise_generator", params={"mean": 0.0, "std": std, "dt": DT})
    recorder = nest.Create("spike_recorder")
    nest.Connect(noise, neurons)
    nest.Connect(neurons, recorder)
    build = time.perf_counter() - start
    report = _peers.nest_run(nest, steps * DT)
    return {**report, "build_s": build, **_spike_report(n, steps, int(recorder.n_events))}


CHILDREN = {
    "lifkit": _lifkit,
    "c_counter": _c("counter"),
    "c_xoshiro": _c("xoshiro"),
    "brian2_runtime": _brian2("runtime"),
    "brian2_standalone": _brian2("cpp_standalone"),
    "nest": _nest,
}


# ---------------------------------------------------------------- parent
def measure(engines, sizes, repeats=1, seed=1, steps=None, jit=True):
    """Per size, the best run of each engine (plus the two C loops), interleaved.

    ``jit=False`` runs lifkit un-jitted (a quick check of the script, not a benchmark).
    """
    from c_reference.build import build

    exe = str(build())
    plan = [
        *engines,
        _common.Engine("c_counter", sys.executable),
        _common.Engine("c_xoshiro", sys.executable),
    ]
    rows = []
    for n in sizes:
        n_steps = steps or STEPS.get(n, 10_000)
        best = _common.interleaved(
            __file__, plan, repeats, n=n, steps=n_steps, seed=seed, exe=exe, jit=jit
        )
        for report in best.values():
            if "run_s" in report:
                report["updates_per_s"] = n * n_steps / report["run_s"]
        rows.append(
            {
                "n_neurons": n,
                "n_steps": n_steps,
                "engines": best,
                "versus": _common.versus(best),
                "versus_1_thread": _common.versus(best, threads=1),
            }
        )
    return {"title": "LIF population throughput", "rows": rows}


def markdown(section) -> str:
    lines = [
        "LIF under white noise (tau_m 10 ms, v_th -50 mV, t_ref 2 ms, mu 12 mV, sigma 4 mV), "
        "dt 0.1 ms, all spikes recorded. Run time only (best of the repeats); prepare = "
        "compile or cache load in that process (lifkit, Brian2) or `Prepare` (NEST).",
        "",
    ]
    rows = []
    for row in section["rows"]:
        c = row["engines"].get("C loop (1 thr)", {})
        for label, r in row["engines"].items():
            if "error" in r:
                rows.append([f"{row['n_neurons']:.0e}", row["n_steps"], label, "failed", *[""] * 6])
                continue
            same = "—"
            if r["name"] == "lifkit" and "checksum" in c:
                same = (
                    "yes" if (r["spikes"], r["checksum"]) == (c["spikes"], c["checksum"]) else "NO"
                )
            rows.append(
                [
                    f"{row['n_neurons']:.0e}",
                    row["n_steps"],
                    label,
                    f"{r['run_s']:.2f}",
                    f"{r['updates_per_s'] / 1e6:.1f}",
                    fmt(r.get("prepare_s"), ".2f"),
                    r["spikes"],
                    f"{r['rate_hz']:.1f}",
                    same,
                    fmt(r.get("peak_rss_mb"), ".0f"),
                ]
            )
    lines.append(
        _common.table(
            [
                "N",
                "steps",
                "engine",
                "run s",
                "M updates/s",
                "prepare s",
                "spikes",
                "rate Hz",
                "same spikes as C",
                "peak RSS MB",
            ],
            rows,
            "rrlrrrrrlr",
        )
    )
    return "\n".join(lines) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", nargs="+", type=float, default=[1e4, 1e5, 1e6])
    parser.add_argument("--steps", type=int, help="steps for every size (default: STEPS)")
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--peer-python", help="interpreter with brian2 and/or nest")
    args = parser.parse_args(argv)
    _common.report_workload(
        "population_throughput",
        args.peer_python,
        lambda engines: measure(
            engines, [int(n) for n in args.sizes], args.repeats, args.seed, args.steps
        ),
        markdown,
    )


if __name__ == "__main__" and not _common.child_main(CHILDREN):
    main()
