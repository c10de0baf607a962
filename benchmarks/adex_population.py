"""AdEx population: lifkit beside Brian2 and NEST, throughput and spike-time accuracy.

Issue 3's workload: N = 1e5 AdEx neurons with the Brette & Gerstner (2005) parameters
(C 281 pF, g_L 30 nS, E_L = V_reset = -70.6 mV, V_T -50.4 mV, Delta_T 2 mV, tau_w 144 ms,
a 4 nS, b 80.5 pA, spike cut at V_peak = -40.4 mV, no refractory period), neuron i driven
by the constant current i / (N - 1) nA, 1 s at dt = 0.1 ms, all spikes recorded.

* lifkit: ``lk.AdEx.preset("brette_gerstner_2005")`` (its accurate scheme at dt 0.1 ms;
  the drive is steady and no neuron is noisy or recorded, so it takes long steps where
  they apply), after a warm-up call;
* Brian2 (runtime; C++ standalone): the model's equations with ``method="euler"`` (what
  Brian2 picks for them; the issue's orientation figure is for Euler too), threshold
  ``v > V_peak``;
* NEST: ``aeif_psc_delta`` (adaptive-step Runge-Kutta-Fehlberg from GSL) with per-neuron
  ``I_e``. It is slow, so it runs ``--nest-duration`` ms (default 20): its rate in
  neuron-updates/s is compared, not its run time.

Accuracy: every engine's spike times of 21 of the neurons against the high-precision
reference ``tests/reference/adaptive_reference.json`` (scipy DOP853 at rtol 1e-12, 1 s;
NEST over its shorter run).

Work against precision: when the reference applies (N = 1e5, at most 1 s), lifkit and
Brian2 standalone also run at other steps (and Brian2 with ``method="rk4"``), each at its
largest thread count, and the figure ``adex_precision.png`` plots each run's time against
its spike-time error. Brian2 standalone at FINE_DT, a tenth of the step, comes within about
0.1 ms of the reference: the price of asking Brian2 for accurate spikes (lifkit's stay
within a few 1e-6 ms at DT); its run time over lifkit's at DT is "fine_versus". These
variants are not part of the same-dt comparison ("versus").

    python benchmarks/adex_population.py [--neurons 100000] [--repeats 1] [--peer-python PATH]

Writes ``benchmarks/results/adex_population.{md,json}`` and ``adex_precision.png`` there,
and prints the table.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import _common
import _peers
from _common import fmt

REFERENCE = _common.HERE.parent / "tests" / "reference" / "adaptive_reference.json"
DT = 0.1  # ms
FINE_DT = DT / 10  # ms: Brian2's Euler step for spike times within about 0.1 ms
#: The work-precision variants: (engine, options) beside the workload itself at DT.
PRECISION = (
    ("lifkit", (("dt", DT / 2),)),
    ("lifkit", (("dt", 2 * DT),)),
    ("lifkit", (("dt", 5 * DT),)),
    ("brian2_standalone", (("dt", DT / 2),)),
    ("brian2_standalone", (("dt", DT / 5),)),
    ("brian2_standalone", (("dt", FINE_DT),)),
    ("brian2_standalone", (("method", "rk4"),)),
    ("brian2_standalone", (("method", "rk4"), ("dt", DT / 2))),
)
PRECISION_ENGINES = {name for name, _ in PRECISION}
FIGURE = "adex_precision.png"
# Brette & Gerstner (2005): pF, nS, mV, ms, nS, pA
C_M, G_L, E_L, V_T, DELTA_T, V_PEAK, TAU_W, A, B = (
    281.0,
    30.0,
    -70.6,
    -50.4,
    2.0,
    -40.4,
    144.0,
    4.0,
    80.5,
)


def _currents(n):
    import numpy as np

    return np.arange(n) / (n - 1)  # nA


def _trains(neurons, indices, times):
    """Spike trains (ms) of ``neurons`` from a population's (index, time) spike lists."""
    import numpy as np

    indices, times = np.asarray(indices), np.asarray(times)
    return [np.sort(times[indices == i]).tolist() for i in neurons]


def _report(n, duration, spikes, trains):
    return {"n_neurons": n, "duration_ms": duration, "spikes": spikes, "trains": trains}


def _lifkit(n, duration, threads, neurons, jit=True, dt=DT, **_):
    import lifkit as lk

    model = lk.AdEx.preset("brette_gerstner_2005")
    options = dict(dt=dt, record=lk.Record(neurons=()), threads=threads, jit=jit, progress=False)
    start = time.perf_counter()
    lk.simulate(model, lk.Constant(_currents(300)), duration=1.0, **options)
    prepare = time.perf_counter() - start
    wall, cpu = time.perf_counter(), time.process_time()
    result = lk.simulate(model, lk.Constant(_currents(n)), duration=duration, **options)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    trains = [result.spike_train(i).tolist() for i in neurons]
    return {
        "run_s": wall,
        "cpu_s": cpu,
        "prepare_s": prepare,
        **_report(n, duration, int(result.spike_times.size), trains),
    }


def _brian2(mode):
    def child(n, duration, threads, neurons, dt=DT, method="euler", **_):
        def build(b2):
            eqs = """
            dv/dt = (g_L * (E_L - v) + g_L * Delta_T * exp((v - V_T) / Delta_T) - w + I) / C : volt
            dw/dt = (a * (v - E_L) - w) / tau_w : amp
            I : amp (constant)
            """
            ns = dict(
                C=C_M * b2.pF,
                g_L=G_L * b2.nS,
                E_L=E_L * b2.mV,
                V_T=V_T * b2.mV,
                Delta_T=DELTA_T * b2.mV,
                V_peak=V_PEAK * b2.mV,
                tau_w=TAU_W * b2.ms,
                a=A * b2.nS,
                b=B * b2.pA,
            )
            group = b2.NeuronGroup(
                n,
                eqs,
                threshold="v > V_peak",
                reset="v = E_L; w += b",
                method=method,
                namespace=ns,
            )
            group.v = E_L * b2.mV
            group.I = _currents(n) * b2.nA
            monitor = b2.SpikeMonitor(group)

            def read():
                trains = _trains(neurons, monitor.i[:], monitor.t[:] / b2.ms)
                return _report(n, duration, int(monitor.num_spikes), trains)

            return [group, monitor], read

        project = f"adex-{n}-{dt:g}" + ("" if method == "euler" else f"-{method}")
        return _peers.brian2(build, duration, mode=mode, threads=threads, project=project, dt=dt)

    return child


def _nest(n, duration, threads, neurons, nest_duration, **_):
    nest = _peers.nest_kernel(threads, dt=DT)
    start = time.perf_counter()
    population = nest.Create(
        "aeif_psc_delta",
        n,
        params={
            "C_m": C_M,
            "g_L": G_L,
            "E_L": E_L,
            "V_reset": E_L,
            "V_th": V_T,
            "Delta_T": DELTA_T,
            "V_peak": V_PEAK,
            "t_ref": 0.0,
            "tau_w": TAU_W,
            "a": A,
            "b": B,
            "V_m": E_L,
            "w": 0.0,
        },
    )
    population.I_e = list(_currents(n) * 1e3)  # pA
    recorder = nest.Create("spike_recorder")
    nest.Connect(population, recorder)
    build = time.perf_counter() - start
    report = _peers.nest_run(nest, nest_duration)
    events = recorder.get("events")
    senders = [s - population[0].global_id for s in events["senders"]]
    trains = _trains(neurons, senders, events["times"])
    return {**report, "build_s": build, **_report(n, nest_duration, int(recorder.n_events), trains)}


CHILDREN = {
    "lifkit": _lifkit,
    "brian2_runtime": _brian2("runtime"),
    "brian2_standalone": _brian2("cpp_standalone"),
    "nest": _nest,
}


def spike_time_error(trains, reference, duration):
    """(max |t - t_ref| ms, spikes compared, neurons whose spike count differs) over the
    reference neurons' spikes before ``duration``."""
    worst, compared, mismatched = 0.0, 0, 0
    for got, expected in zip(trains, reference["spikes"], strict=True):
        expected = [t for t in expected if t < duration]
        if len(got) != len(expected):
            mismatched += 1
        elif got:
            worst = max(worst, max(abs(g - e) for g, e in zip(got, expected, strict=True)))
            compared += len(got)
    return {"max_error_ms": worst, "spikes_compared": compared, "count_mismatches": mismatched}


def measure(engines, repeats=1, n=100_000, duration=1000.0, nest_duration=20.0, jit=True):
    """The best run of each engine, interleaved; ``jit=False`` runs lifkit un-jitted."""
    reference = json.loads(REFERENCE.read_text())["benchmark"]
    checked = n == 100_000 and duration <= reference["duration_ms"]
    neurons = reference["neurons"] if checked else []
    variants = precision_variants(engines) if checked else []
    best = _common.interleaved(
        __file__,
        [*engines, *variants],
        repeats,
        n=n,
        duration=duration,
        neurons=neurons,
        nest_duration=min(nest_duration, duration),
        jit=jit,
    )
    for r in best.values():
        if "run_s" in r:
            dt = r["options"].get("dt", DT)
            r["updates_per_s"] = n * round(r["duration_ms"] / dt) / r["run_s"]
            r["us_per_update"] = 1e6 / r["updates_per_s"]
            if checked:
                r["accuracy"] = spike_time_error(r.pop("trains"), reference, r["duration_ms"])
    return {
        "title": f"AdEx population, N = {n}, {duration:g} ms",
        "n": n,
        "duration_ms": duration,
        "engines": best,
        "versus": _common.versus(best, key="us_per_update"),
        "versus_1_thread": _common.versus(best, key="us_per_update", threads=1),
        "fine_versus": _common.ratio(
            _common.best(best, "brian2_standalone", options={"dt": FINE_DT}),
            _common.best(best, "lifkit"),
        ),
    }


def largest_threads(pairs):
    """Each engine name's largest thread count among (name, threads) ``pairs``."""
    top = {}
    for name, threads in pairs:
        top[name] = max(threads, top.get(name, 0))
    return top


def precision_variants(engines):
    """The PRECISION variants of the engines in ``engines``, each at its largest thread
    count there."""
    threads = largest_threads((e.name, e.threads) for e in engines)
    python = {e.name: e.python for e in engines}
    return [
        _common.Engine(name, python[name], threads[name], options)
        for name, options in PRECISION
        if name in threads
    ]


def write_figure(section, folder):
    """Plot run time against spike-time error of lifkit and Brian2 standalone, one line
    per engine and method at its largest thread count (each point labelled with its dt,
    starred where spike counts differ), into ``folder / FIGURE``; returns its path, or None
    when no run was checked against the reference."""
    runs = [
        r for r in section["engines"].values() if "accuracy" in r and r["name"] in PRECISION_ENGINES
    ]
    top = largest_threads((r["name"], r["threads"]) for r in runs)
    series = {}
    for r in runs:
        if r["threads"] != top[r["name"]]:
            continue
        default = "RK4 + Dormand-Prince" if r["name"] == "lifkit" else "euler"
        method = r["options"].get("method", default)
        name = f"{_common.FAMILIES.get(r['name'], r['name'])}, {method} ({r['threads']} thr)"
        acc = r["accuracy"]
        error = max(acc["max_error_ms"], 1e-9)  # > 0 for the log axis; the reference: ~1e-10 ms
        point = (error, r["run_s"], r["options"].get("dt", DT))
        series.setdefault(name, []).append((*point, acc["count_mismatches"] > 0))
    if not series:
        return None
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(layout="constrained", figsize=(6.4, 4.4))
    ordered = sorted(series.items(), key=lambda item: not item[0].startswith("lifkit"))
    for index, (name, points) in enumerate(ordered):
        points.sort(key=lambda p: p[2])
        errors, times, _, _ = zip(*points, strict=True)
        (line,) = ax.plot(errors, times, marker="o", lw=1.2, ms=5, label=name)
        right = index % 2 == 0  # neighbouring lines label on opposite sides
        for error, run_s, dt, differs in points:
            ax.annotate(
                f"{dt:g}" + ("*" if differs else ""),
                (error, run_s),
                xytext=(5, 3) if right else (-5, -9),
                textcoords="offset points",
                ha="left" if right else "right",
                fontsize="x-small",
                color=line.get_color(),
            )
    ax.set(
        xscale="log",
        yscale="log",
        xlabel="largest spike-time error of 21 neurons (ms)",
        ylabel="run time (s)",
    )
    ax.set_title(f"{section['title']}; labels: dt (ms)", fontsize="medium")
    ax.grid(alpha=0.3, which="both")
    ax.legend(frameon=False, fontsize="small")
    Path(folder).mkdir(parents=True, exist_ok=True)
    path = Path(folder) / FIGURE
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def markdown(section) -> str:
    rows = []
    for label, r in section["engines"].items():
        if "error" in r:
            rows.append([label, "failed", *[""] * 7])
            continue
        acc = r.get("accuracy", {})
        rows.append(
            [
                label,
                f"{r['duration_ms']:g}",
                f"{r['run_s']:.2f}",
                f"{r['updates_per_s'] / 1e6:.1f}",
                fmt(r.get("prepare_s"), ".2f"),
                r["spikes"],
                fmt(acc.get("max_error_ms"), ".2g"),
                fmt(acc.get("spikes_compared"), "d"),
                fmt(acc.get("count_mismatches"), "d"),
            ]
        )
    fine = section.get("fine_versus")
    figure = section.get("figure")
    return (
        f"Brette & Gerstner (2005) AdEx, N = {section['n']}, currents 0-1 nA, dt {DT:g} ms "
        "unless the engine says otherwise (the work-precision variants, not part of the "
        "same-dt ratios), all spikes recorded. Spike-time "
        "error: max |t - t_ref| over the spikes of 21 neurons against a DOP853 reference "
        "(rtol 1e-12); 'count diff' = neurons with a different number of spikes (their "
        "spikes are not compared)."
        + (
            f" Brian2 standalone at dt / 10 ({FINE_DT:g} ms) takes {fine:.2f} times "
            f"lifkit's run time at {DT:g} ms."
            if fine
            else ""
        )
        + "\n\n"
        + _common.table(
            [
                "engine",
                "ms simulated",
                "run s",
                "M updates/s",
                "prepare s",
                "spikes",
                "spike-time error ms",
                "spikes compared",
                "count diff",
            ],
            rows,
        )
        + "\n"
        + (
            f"\nWork against precision (run time against spike-time error, each engine at "
            f"its largest thread count):\n\n![AdEx work-precision]({figure})\n"
            if figure
            else ""
        )
    )


def measure_and_plot(engines, folder, **sizes):
    """``measure``, with the work-precision figure written into ``folder`` (its file name
    kept in the section as ``figure``)."""
    section = measure(engines, **sizes)
    path = write_figure(section, folder)
    if path is not None:
        section["figure"] = path.name
    return section


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--neurons", type=float, default=1e5)
    parser.add_argument("--duration", type=float, default=1000.0, help="ms")
    parser.add_argument("--nest-duration", type=float, default=20.0, help="ms")
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--peer-python", help="interpreter with brian2 and/or nest")
    args = parser.parse_args(argv)
    _common.report_workload(
        "adex_population",
        args.peer_python,
        lambda engines: measure_and_plot(
            engines,
            _common.RESULTS,
            repeats=args.repeats,
            n=int(args.neurons),
            duration=args.duration,
            nest_duration=args.nest_duration,
        ),
        markdown,
    )


if __name__ == "__main__" and not _common.child_main(CHILDREN):
    main()
