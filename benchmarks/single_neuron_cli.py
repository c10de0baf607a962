"""One LIF neuron for 100 ms as a whole process: lifkit (CLI and script), Brian2, NEST.

The foundation issue's workload: the neuron of ``population_throughput.py`` (white noise,
sigma 4 mV on a mean drive of 18 mV), 100 ms at dt 0.1 ms, recording v and the spikes.
Timed: the wall time of a whole process, start to result, for

* ``lifkit run single_neuron.toml --out DIR --no-figure --force`` (the installed entry
  point; the issue's target: under 0.3 s with a warm cache; it writes its output files),
* a Python script calling ``lk.simulate`` (the same run, results in memory),
* the same model as a Brian2 script (runtime mode; C++ standalone, which regenerates its
  code and runs ``make``, a no-op once compiled) and as a NEST script (``iaf_psc_delta``
  with a ``noise_generator``, as in ``population_throughput.py``),
* floors: ``python -c pass``, ``import numpy``, ``import lifkit``.

Every process gets bytecode in a private ``PYTHONPYCACHEPREFIX`` (as after a normal
install; this environment sets ``PYTHONDONTWRITEBYTECODE``) and the benchmarks' kernel and
code caches. Each command runs once first (``first run``: cold when the caches were
empty), then ``--repeats`` times round-robin; best and median reported. The run is below
lifkit's JIT threshold, so it must not import numba: checked with ``-X importtime``.

    python benchmarks/single_neuron_cli.py [--repeats 7] [--peer-python PATH]

Writes ``benchmarks/results/single_neuron_cli.{md,json}`` and prints the table.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import _common
import _peers
import population_throughput as lif

TARGET_S = 0.3
DURATION, MU = 100.0, 18.0  # ms, mV
HEAVY = ("numba", "llvmlite", "scipy", "matplotlib", "pandas", "xarray")

EXPERIMENT = f"""\
# One LIF neuron of the foundation issue for 100 ms under white noise (1000 steps).
name = "single_neuron_100ms"

[model]
type = "LIF"
tau_m = "{lif.TAU_M} ms"
R = "1 MOhm"
v_rest = "{lif.V_REST} mV"
v_reset = "{lif.V_REST} mV"
v_th = "{lif.V_TH} mV"
t_ref = "{lif.T_REF} ms"

[stimulus]
type = "WhiteNoise"
sigma = "{lif.SIGMA} mV"
mean = "{MU} mV"

[run]
duration = "{DURATION} ms"
dt = "{lif.DT} ms"
seed = 1

[record]
neurons = [0]
variables = ["v", "I"]
"""


# ---------------------------------------------------------------- children (whole processes)
def _lifkit(**_):
    import lifkit as lk

    model = lk.LIF(
        tau_m=lif.TAU_M,
        R=1.0,
        v_rest=lif.V_REST,
        v_reset=lif.V_REST,
        v_th=lif.V_TH,
        t_ref=lif.T_REF,
    )
    noise = lk.WhiteNoise(f"{lif.SIGMA} mV", mean=f"{MU} mV")
    result = lk.simulate(model, noise, duration=DURATION, dt=lif.DT, seed=1)
    return {"spikes": int(result.spike_times.size), "samples": int(result.v.size)}


def _brian2(mode):
    def child(threads, **_):
        def build(b2):
            eqs = (
                "dv/dt = (-(v - v_rest) + mu) / tau_m + sigma * xi * tau_m**-0.5"
                " : volt (unless refractory)"
            )
            ns = dict(
                v_rest=lif.V_REST * b2.mV,
                mu=MU * b2.mV,
                sigma=lif.SIGMA * b2.mV,
                tau_m=lif.TAU_M * b2.ms,
            )
            group = b2.NeuronGroup(
                1,
                eqs,
                threshold=f"v > {lif.V_TH}*mV",
                reset="v = v_rest",
                refractory=lif.T_REF * b2.ms,
                method="euler",
                namespace=ns,
            )
            group.v = lif.V_REST * b2.mV
            spikes, trace = b2.SpikeMonitor(group), b2.StateMonitor(group, "v", record=0)
            return [group, spikes, trace], lambda: {
                "spikes": int(spikes.num_spikes),
                "samples": int(trace.v[0].size),
            }

        return _peers.brian2(
            build, DURATION, mode=mode, threads=threads, project="single", dt=lif.DT, warm_up=False
        )

    return child


def _nest(threads, **_):
    nest = _peers.nest_kernel(threads, dt=lif.DT)
    c_m = 250.0
    r_gohm = lif.TAU_M / c_m
    neuron = nest.Create(
        "iaf_psc_delta",
        params={
            "C_m": c_m,
            "tau_m": lif.TAU_M,
            "E_L": lif.V_REST,
            "V_reset": lif.V_REST,
            "V_th": lif.V_TH,
            "t_ref": lif.T_REF,
            "V_m": lif.V_REST,
            "I_e": MU / r_gohm,
        },
    )
    std = lif.SIGMA * (lif.TAU_M / lif.DT) ** 0.5 / r_gohm
    noise = nest.Create("noise_generator", params={"mean": 0.0, "std": std, "dt": lif.DT})
    meter = nest.Create("multimeter", params={"record_from": ["V_m"], "interval": lif.DT})
    recorder = nest.Create("spike_recorder")
    nest.Connect(noise, neuron)
    nest.Connect(meter, neuron)
    nest.Connect(neuron, recorder)
    nest.Simulate(DURATION)
    return {"spikes": int(recorder.n_events), "samples": len(meter.get("events")["V_m"])}


CHILDREN = {
    "lifkit": _lifkit,
    "brian2_runtime": _brian2("runtime"),
    "brian2_standalone": _brian2("cpp_standalone"),
    "nest": _nest,
}


# ---------------------------------------------------------------- parent
def entry_point():
    """The installed ``lifkit`` script beside this interpreter, else ``python -m lifkit``."""
    script = Path(sys.executable).parent / "lifkit"
    return [str(script)] if script.exists() else [sys.executable, "-m", "lifkit"]


def heavy_imports(command, env):
    """Top-level packages among HEAVY that ``command`` imports (via ``-X importtime``)."""
    env = {**env, "PYTHONPROFILEIMPORTTIME": "1"}
    out = subprocess.run(command, env=env, check=True, capture_output=True, text=True)
    seen = set()
    for line in out.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            name = line.rsplit("|", 1)[1].strip().split(".")[0]
            if name in HEAVY:
                seen.add(name)
    return sorted(seen)


def measure(engines, repeats=5):
    """Whole-process wall times of every command, round-robin."""
    work = Path(tempfile.mkdtemp(prefix="lifkit-single-"))
    (work / "single_neuron.toml").write_text(EXPERIMENT)
    env = _common.child_env()
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = _common.cache_dir("pycache")
    run = [
        "run",
        str(work / "single_neuron.toml"),
        "--out",
        str(work / "out"),
        "--no-figure",
        "--force",
    ]
    python = sys.executable
    commands = {
        "python -c pass": ([python, "-c", "pass"], env),
        "python -c 'import numpy'": ([python, "-c", "import numpy"], env),
        "python -c 'import lifkit'": ([python, "-c", "import lifkit"], env),
        "lifkit run (CLI)": ([*entry_point(), *run], env),
    }
    labels = {}
    for engine in [e for e in engines if e.threads == 1]:
        label = "lifkit script" if engine.name == "lifkit" else engine.label.split(" (")[0]
        argv = [engine.python, __file__, "_child", engine.name, json.dumps({"threads": 1})]
        commands[label] = (argv, env)
        labels[label] = engine.name
    times = _common.round_robin(commands, repeats)
    for label, name in labels.items():
        times[label].update(name=name, threads=1)
    times["lifkit run (CLI)"].update(name="lifkit", threads=1)
    heavy = heavy_imports([python, "-m", "lifkit", *run], env)
    return {
        "title": "Single neuron, 100 ms, whole process",
        "repeats": repeats,
        "engines": times,
        "heavy_imports": heavy,
        "versus": _common.versus(times, key="best_s"),
        "versus_first": _common.versus(times, key="first_s"),
    }


def markdown(section) -> str:
    rows = [
        [label, f"{r['best_s']:.3f}", f"{r['median_s']:.3f}", f"{r['first_s']:.2f}"]
        for label, r in section["engines"].items()
    ]
    cli = section["engines"]["lifkit run (CLI)"]["best_s"]
    ok = "ok" if cli < TARGET_S else "MISSED"
    heavy = ", ".join(section["heavy_imports"]) or "none (numba, scipy, matplotlib, pandas lazy)"
    return (
        "One LIF neuron under white noise, 100 ms at dt 0.1 ms, v and spikes recorded; wall "
        f"time of the whole process, best and median of {section['repeats']} (round-robin), "
        "and the first run of the session.\n\n"
        + _common.table(["command", "best s", "median s", "first run s"], rows)
        + f"\n\nTarget: `lifkit run` under {TARGET_S} s with a warm cache — {cli:.3f} s: {ok}. "
        f"Heavy modules imported by `lifkit run`: {heavy}.\n"
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--peer-python", help="interpreter with brian2 and/or nest")
    args = parser.parse_args(argv)
    _common.report_workload(
        "single_neuron_cli",
        args.peer_python,
        lambda engines: measure(engines, args.repeats),
        markdown,
        threads=(1,),
    )


if __name__ == "__main__" and not _common.child_main(CHILDREN):
    main()
