"""The CUBA benchmark network: lifkit beside Brian2 and NEST, when they are installed.

CUBA (Vogels & Abbott 2005; Brette et al. 2007; ``examples/cuba.py``): 4000 LIF neurons,
80 % excitatory, 2 % connectivity, exponential current synapses (5 and 10 ms), 1 s at
dt = 0.1 ms, spikes only. Every measurement runs in a fresh child process:

* lifkit with 1 and 2 threads: a warm-up call (compiling the kernel, or loading it from
  numba's cache: ``prepare_s``), then *build* = lowering the network (random
  connectivity, tables; ``simulate`` of one step) and *run* = the 1 s simulation minus
  build. Spikes are delivered 0.1 ms after they are emitted, at their exact times.
* Brian2, runtime mode (its default code generation; a first network runs one step so
  that code generation and compilation are excluded) and C++ standalone (1 and 2
  threads; *run* = the C++ run loop): ``method="exact"``, delay 0.1 ms as Brian2's default.
* NEST (``iaf_psc_exp``, C_m 250 pF, weights the currents R w / R): *build* = create and
  connect, *run* = ``Run(1000)`` after ``Prepare``.

The mean excitatory rate of each run is reported beside its times (they should agree
within the network's variability; the seeds differ between simulators).

    python benchmarks/cuba.py [--repeats 3] [--peer-python /path/to/python]

Writes ``benchmarks/results/cuba.{md,json}``.
"""

from __future__ import annotations

import argparse
import sys
import time

import _common
import _peers
from _common import fmt

DURATION_MS = 1000.0
DT_MS = 0.1


def _lifkit(threads: int, duration: float, jit: bool = True) -> dict:
    sys.path.insert(0, str(_common.HERE.parent / "examples"))
    from cuba import cuba

    started = time.perf_counter()
    cuba(duration=1.0, threads=threads, jit=jit)  # small runs would not compile
    prepare = time.perf_counter() - started
    started = time.perf_counter()
    cuba(duration=DT_MS, threads=threads, jit=jit)
    build = time.perf_counter() - started
    started, cpu = time.perf_counter(), time.process_time()
    result = cuba(duration=duration, threads=threads, jit=jit)
    total, cpu = time.perf_counter() - started, time.process_time() - cpu
    return {
        "prepare_s": prepare,
        "build_s": build,
        "run_s": total - build,
        "cpu_s": cpu,
        "rate_exc_hz": float(result.rates[:3200].mean()),
    }


def _brian2_network(b2, duration):
    eqs = """
    dv/dt  = (ge + gi - (v - El)) / taum : volt (unless refractory)
    dge/dt = -ge / taue : volt
    dgi/dt = -gi / taui : volt
    """
    namespace = dict(
        taum=20 * b2.ms,
        taue=5 * b2.ms,
        taui=10 * b2.ms,
        Vt=-50 * b2.mV,
        Vr=-60 * b2.mV,
        El=-49 * b2.mV,
        we=1.62 * b2.mV,
        wi=-9 * b2.mV,
    )
    group = b2.NeuronGroup(
        4000,
        eqs,
        threshold="v > Vt",
        reset="v = Vr",
        refractory=5 * b2.ms,
        method="exact",
        namespace=namespace,
    )
    group.v = "Vr + rand() * (Vt - Vr)"
    excitatory = b2.Synapses(group, group, on_pre="ge += we", namespace=namespace)
    inhibitory = b2.Synapses(group, group, on_pre="gi += wi", namespace=namespace)
    excitatory.connect("i < 3200", p=0.02)
    inhibitory.connect("i >= 3200", p=0.02)
    monitor = b2.SpikeMonitor(group)

    def read():
        return {"rate_exc_hz": float((monitor.i[:] < 3200).sum() / 3200 / (duration * 1e-3))}

    return [group, excitatory, inhibitory, monitor], read


def _brian2(mode):
    def child(threads: int, duration: float, **_) -> dict:
        return _peers.brian2(
            lambda b2: _brian2_network(b2, duration),
            duration,
            mode=mode,
            threads=threads,
            project="cuba",
            dt=DT_MS,
        )

    return child


def _nest(threads: int, duration: float, **_) -> dict:
    nest = _peers.nest_kernel(threads, dt=DT_MS)
    c_m, tau_m = 250.0, 20.0  # pF, ms: R = tau_m / C_m = 80 MΩ
    to_pa = c_m / tau_m  # pA per mV of drive R I
    started = time.perf_counter()
    params = {
        "C_m": c_m,
        "tau_m": tau_m,
        "E_L": -49.0,
        "V_th": -50.0,
        "V_reset": -60.0,
        "t_ref": 5.0,
        "tau_syn_ex": 5.0,
        "tau_syn_in": 10.0,
        "I_e": 0.0,
    }
    neurons = nest.Create("iaf_psc_exp", 4000, params=params)
    neurons.V_m = nest.random.uniform(-60.0, -50.0)
    rule = {"rule": "pairwise_bernoulli", "p": 0.02}
    nest.Connect(neurons[:3200], neurons, rule, {"weight": 1.62 * to_pa, "delay": DT_MS})
    nest.Connect(neurons[3200:], neurons, rule, {"weight": -9.0 * to_pa, "delay": DT_MS})
    recorder = nest.Create("spike_recorder")
    nest.Connect(neurons, recorder)
    build = time.perf_counter() - started
    report = _peers.nest_run(nest, duration)
    senders = recorder.get("events")["senders"]
    excitatory = sum(1 for s in senders if s - neurons[0].global_id < 3200)
    return {**report, "build_s": build, "rate_exc_hz": excitatory / 3200 / (duration * 1e-3)}


CHILDREN = {
    "lifkit": _lifkit,
    "brian2_runtime": _brian2("runtime"),
    "brian2_standalone": _brian2("cpp_standalone"),
    "nest": _nest,
}


def measure(engines, repeats=1, duration=DURATION_MS, jit=True):
    """The best run of each engine, interleaved; ``jit=False`` runs lifkit un-jitted."""
    best = _common.interleaved(__file__, engines, repeats, duration=duration, jit=jit)
    return {
        "title": f"CUBA network, 4000 neurons, {duration:g} ms",
        "engines": best,
        "versus": _common.versus(best),
        "versus_1_thread": _common.versus(best, threads=1),
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
                fmt(r.get("prepare_s"), ".2f"),
                f"{r['build_s']:.3f}",
                f"{r['run_s']:.3f}",
                f"{r['process_s']:.2f}",
                f"{r['rate_exc_hz']:.2f}",
            ]
        )
    return (
        "CUBA (Vogels & Abbott 2005), 4000 LIF neurons, 2 % connectivity, exponential "
        "current synapses, dt 0.1 ms. prepare = compile or cache load (lifkit, Brian2) "
        "or `Prepare` (NEST); build = network construction; run = the simulation.\n\n"
        + _common.table(
            ["engine", "prepare s", "build s", "run s", "process s", "exc. rate Hz"], rows
        )
        + "\n"
    )


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--peer-python", help="interpreter with brian2 and/or nest")
    args = parser.parse_args(argv)
    _common.report_workload(
        "cuba", args.peer_python, lambda engines: measure(engines, args.repeats), markdown
    )


if __name__ == "__main__" and not _common.child_main(CHILDREN):
    main()
