"""The CUBA benchmark network: lifkit beside Brian2 and NEST, when they are installed.

CUBA (Vogels & Abbott 2005; Brette et al. 2007; ``examples/cuba.py``): 4000 LIF neurons,
80 % excitatory, 2 % connectivity, exponential current synapses (5 and 10 ms), 1 s at
dt = 0.1 ms, spikes only. Every measurement runs in a fresh child process:

* lifkit with 1 and 2 threads: a warm-up call (compiling the kernel, or loading it from
  numba's cache: reported as ``first call``), then *build* = lowering the network (random
  connectivity, tables; ``simulate`` of one step) and *run* = the 1 s simulation minus
  build. Spikes are delivered 0.1 ms after they are emitted, at their exact times.
* Brian2 (runtime mode; its default code generation), when ``import brian2`` works in the
  interpreter given by ``--peer-python`` (default: this one): *build* = the network with
  its synapses connected, *run* = ``run(1 s)`` on a second network of the same session
  (so code generation and compilation are excluded; the first run's time is reported).
* NEST (``iaf_psc_exp``, C_m 250 pF, weights the currents R w / R), when ``import nest``
  works: *build* = create and connect, *run* = ``Simulate(1000)``.

Wall-clock seconds and the mean excitatory rate of each run are printed; this machine may
be shared, so repeat (``--repeats``) and look at the best.

    python benchmarks/cuba.py [--repeats 3] [--peer-python /path/to/python]

Writes ``benchmarks/results/cuba.{md,json}``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DURATION_MS = 1000.0
DT_MS = 0.1


def _lifkit(threads: int) -> dict:
    sys.path.insert(0, str(HERE.parent / "examples"))
    from cuba import cuba

    started = time.perf_counter()
    cuba(duration=1.0, threads=threads)
    first = time.perf_counter() - started
    started = time.perf_counter()
    cuba(duration=DT_MS, threads=threads)
    build = time.perf_counter() - started
    started, cpu = time.perf_counter(), time.process_time()
    result = cuba(duration=DURATION_MS, threads=threads)
    total, cpu = time.perf_counter() - started, time.process_time() - cpu
    rate = float(result.rates[:3200].mean())
    return {"first_call_s": first, "build_s": build, "run_s": total - build, "cpu_s": cpu,
            "rate_exc_hz": rate}  # fmt: skip


def _brian2_network(b2, seed: int):
    b2.start_scope()
    b2.seed(seed)
    b2.defaultclock.dt = DT_MS * b2.ms
    eqs = """
    dv/dt  = (ge + gi - (v - El)) / taum : volt (unless refractory)
    dge/dt = -ge / taue : volt
    dgi/dt = -gi / taui : volt
    """
    namespace = dict(taum=20 * b2.ms, taue=5 * b2.ms, taui=10 * b2.ms, Vt=-50 * b2.mV,
                     Vr=-60 * b2.mV, El=-49 * b2.mV, we=1.62 * b2.mV, wi=-9 * b2.mV)  # fmt: skip
    group = b2.NeuronGroup(4000, eqs, threshold="v > Vt", reset="v = Vr",
                           refractory=5 * b2.ms, method="exact", namespace=namespace)  # fmt: skip
    group.v = "Vr + rand() * (Vt - Vr)"
    excitatory = b2.Synapses(group, group, on_pre="ge += we", namespace=namespace)
    inhibitory = b2.Synapses(group, group, on_pre="gi += wi", namespace=namespace)
    excitatory.connect("i < 3200", p=0.02)
    inhibitory.connect("i >= 3200", p=0.02)
    monitor = b2.SpikeMonitor(group)
    return b2.Network(group, excitatory, inhibitory, monitor), monitor


def _brian2(_threads: int) -> dict:
    import brian2 as b2

    started = time.perf_counter()
    network, _ = _brian2_network(b2, 1)
    network.run(DURATION_MS * b2.ms)  # code generation and compilation happen here
    first = time.perf_counter() - started
    started = time.perf_counter()
    network, monitor = _brian2_network(b2, 2)
    build = time.perf_counter() - started
    started, cpu = time.perf_counter(), time.process_time()
    network.run(DURATION_MS * b2.ms)
    run, cpu = time.perf_counter() - started, time.process_time() - cpu
    rate = float((monitor.i[:] < 3200).sum() / 3200 / (DURATION_MS * 1e-3))
    return {"first_call_s": first, "build_s": build, "run_s": run, "cpu_s": cpu,
            "rate_exc_hz": rate, "version": b2.__version__}  # fmt: skip


def _nest(threads: int) -> dict:
    import nest
    import numpy as np

    nest.ResetKernel()
    nest.set_verbosity("M_ERROR")
    nest.SetKernelStatus({"resolution": DT_MS, "local_num_threads": threads, "rng_seed": 1})
    c_m, tau_m = 250.0, 20.0  # pF, ms: R = tau_m / C_m = 80 MΩ
    to_pa = c_m / tau_m  # pA per mV of drive R I
    started = time.perf_counter()
    params = {"C_m": c_m, "tau_m": tau_m, "E_L": -49.0, "V_th": -50.0, "V_reset": -60.0,
              "t_ref": 5.0, "tau_syn_ex": 5.0, "tau_syn_in": 10.0, "I_e": 0.0}  # fmt: skip
    neurons = nest.Create("iaf_psc_exp", 4000, params=params)
    neurons.V_m = nest.random.uniform(-60.0, -50.0)
    rule = {"rule": "pairwise_bernoulli", "p": 0.02}
    nest.Connect(neurons[:3200], neurons, rule, {"weight": 1.62 * to_pa, "delay": DT_MS})
    nest.Connect(neurons[3200:], neurons, rule, {"weight": -9.0 * to_pa, "delay": DT_MS})
    recorder = nest.Create("spike_recorder")
    nest.Connect(neurons, recorder)
    nest.Prepare()
    build = time.perf_counter() - started
    started, cpu = time.perf_counter(), time.process_time()
    nest.Run(DURATION_MS)
    run, cpu = time.perf_counter() - started, time.process_time() - cpu
    nest.Cleanup()
    senders = np.asarray(recorder.get("events")["senders"]) - neurons[0].global_id
    rate = float((senders < 3200).sum() / 3200 / (DURATION_MS * 1e-3))
    return {"first_call_s": None, "build_s": build, "run_s": run, "cpu_s": cpu,
            "rate_exc_hz": rate, "version": nest.__version__}  # fmt: skip


CHILDREN = {"lifkit": _lifkit, "brian2": _brian2, "nest": _nest}


def _child(name: str, threads: int) -> None:
    print(json.dumps(CHILDREN[name](threads)))


def _available(python: str, module: str) -> bool:
    check = subprocess.run([python, "-c", f"import {module}"], capture_output=True)
    return check.returncode == 0


def _measure(python: str, name: str, threads: int) -> dict | None:
    env = dict(os.environ, NUMBA_NUM_THREADS=str(max(threads, 1)), OMP_NUM_THREADS=str(threads))
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(HERE.parent / "src"),
                                                      env.get("PYTHONPATH")]))  # fmt: skip
    out = subprocess.run([python, __file__, "_child", name, str(threads)], capture_output=True,
                         text=True, env=env)  # fmt: skip
    if out.returncode != 0:
        print(f"{name} ({threads} thread(s)) failed:\n{out.stderr[-2000:]}", file=sys.stderr)
        return None
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--peer-python", default=sys.executable,
                        help="interpreter with brian2 and/or nest (default: this one)")  # fmt: skip
    args = parser.parse_args()
    plan = [(sys.executable, "lifkit", 1), (sys.executable, "lifkit", 2)]
    for module, name in (("brian2", "brian2"), ("nest", "nest")):
        if _available(args.peer_python, module):
            threads = (1, 2) if name == "nest" else (1,)
            plan += [(args.peer_python, name, t) for t in threads]
        else:
            print(f"{name} is not installed for {args.peer_python}: skipped", file=sys.stderr)
    rows = []
    for python, name, threads in plan:
        runs = [r for r in (_measure(python, name, threads) for _ in range(args.repeats)) if r]
        if runs:
            best = min(runs, key=lambda r: r["run_s"])
            rows.append({"simulator": name, "threads": threads, "repeats": len(runs), **best})
    lines = [
        "| simulator | threads | first call (s) | build (s) | run 1 s (s) | CPU (s) "
        "| exc. rate (Hz) |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        first = "-" if r["first_call_s"] is None else f"{r['first_call_s']:.2f}"
        lines.append(f"| {r['simulator']} {r.get('version', '')} | {r['threads']} | {first} | "
                     f"{r['build_s']:.3f} | {r['run_s']:.3f} | {r['cpu_s']:.3f} | "
                     f"{r['rate_exc_hz']:.2f} |")  # fmt: skip
    table = "\n".join(lines)
    print(table)
    results = HERE / "results"
    results.mkdir(exist_ok=True)
    machine = f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    (results / "cuba.md").write_text(f"CUBA, 1 s at dt 0.1 ms ({machine}); best of "
                                     f"{args.repeats}\n\n{table}\n")  # fmt: skip
    (results / "cuba.json").write_text(json.dumps({"machine": machine, "rows": rows}, indent=1))


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "_child":
        _child(sys.argv[2], int(sys.argv[3]))
    else:
        main()
