"""The benchmark suite: lifkit beside Brian2 (runtime, C++ standalone), NEST and a C loop.

Runs the five workloads of the issues in one session, each engine in fresh processes with
runs interleaved, and reports every comparison as a ratio measured in this run:

* single neuron, 100 ms, whole process (``single_neuron_cli.py``);
* f-I curve, 1000 currents x 500 ms (``fi_curve.py``);
* LIF population throughput, 1e4-1e6 neurons under white noise (``population_throughput.py``,
  with the plain C reference loop; 1 s for 1e4 neurons, 100 ms for 1e5, 20 ms for 1e6);
* AdEx population, Brette & Gerstner (2005), N = 1e5, 0-1 nA (``adex_population.py``;
  200 ms here, the issue's 1 s with the script itself: rates and accuracy are compared;
  with its work-precision variants and figure, ``adex_precision.png``);
* CUBA network, 4000 neurons, 1 s (``cuba.py``).

Peers run under ``--peer-python`` (default: this interpreter, when it has brian2 or nest);
absent peers are skipped with a note. ``--quick``: small sizes, one repeat, one thread.

    python benchmarks/suite.py [--quick] [--repeats 2] [--peer-python PATH]

Writes ``benchmarks/results/report.{md,json}``; a full run also copies the Markdown to
``benchmarks/REPORT.md`` and the AdEx figure beside it.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

import _common
import adex_population
import cuba
import fi_curve
import population_throughput
import single_neuron_cli
from _common import fmt

PEERS = ("Brian2 runtime", "Brian2 standalone", "NEST", "C loop")
#: Per mode, each workload's size options (``tiny``: a check of the scripts, lifkit only).
SIZES = {
    "full": dict(
        single={"repeats": 5},
        fi={},
        population={"sizes": [10_000, 100_000, 1_000_000]},
        adex={"duration": 200.0},
        cuba={},
    ),
    "quick": dict(
        single={"repeats": 1},
        fi={},
        population={"sizes": [10_000], "steps": 1000},
        adex={"n": 10_000, "duration": 100.0, "nest_duration": 10.0},
        cuba={"duration": 200.0},
    ),
    "tiny": dict(
        single={"repeats": 1},
        fi={"n": 10, "duration": 10.0},
        population={"sizes": [50], "steps": 100, "jit": False},
        adex={"n": 20, "duration": 5.0, "jit": False},
        cuba={"duration": 2.0, "jit": False},
    ),
}


def run_workloads(engines, mode, repeats, only=None, done=None, out=_common.RESULTS):
    """Each workload's section (its measurements, ratios and Markdown); ``done(sections)``
    is called after each workload. The AdEx work-precision figure goes into ``out``."""
    sizes = SIZES[mode]
    sections = {}
    done = done or (lambda _: None)
    if not only or "single" in only:
        single = dict(sizes["single"])
        single["repeats"] = max(single["repeats"], repeats)
        print(f"suite: single ({time.strftime('%H:%M:%S')})", file=sys.stderr)
        one_thread = [e for e in engines if e.threads == 1]
        sections["single"] = single_neuron_cli.measure(one_thread, **single)
        sections["single"]["markdown"] = single_neuron_cli.markdown(sections["single"])
        done(sections)
    for key, module, call in (
        ("fi", fi_curve, fi_curve.measure),
        ("population", population_throughput, population_throughput.measure),
        ("adex", adex_population, adex_population.measure),
        ("cuba", cuba, cuba.measure),
    ):
        if only and key not in only:
            continue
        print(f"suite: {key} ({time.strftime('%H:%M:%S')})", file=sys.stderr)
        if key == "population":
            section = call(engines, repeats=repeats, **sizes[key])
        elif key == "adex":
            section = adex_population.measure_and_plot(engines, out, repeats=repeats, **sizes[key])
        else:
            section = call(engines, repeats, **sizes[key])
        section["markdown"] = module.markdown(section)
        sections[key] = section
        done(sections)
    return sections


def summary_rows(sections):
    """One row per comparison: workload, metric, lifkit's value, peer value / lifkit value."""
    rows = []

    def add(workload, metric, results, key, versus, scale=1.0):
        lifkit = _common.best(results, "lifkit", key)
        rows.append(
            {
                "workload": workload,
                "metric": metric,
                "lifkit": None if lifkit is None else lifkit * scale,
                **{peer: versus.get(peer) for peer in PEERS},
            }
        )

    if "single" in sections:
        s = sections["single"]
        add("single neuron, 100 ms, whole process (warm)", "s", s["engines"], "best_s", s["versus"])
        add(
            "single neuron, first run of the session",
            "s",
            s["engines"],
            "first_s",
            s["versus_first"],
        )
    if "fi" in sections:
        s = sections["fi"]
        add(s["title"], "run s", s["engines"], "run_s", s["versus"])
        add(f"{s['title']}, whole process", "s", s["engines"], "process_s", s["versus_process"])
    for row in sections.get("population", {}).get("rows", []):
        title = f"LIF population, N = {row['n_neurons']:.0e}, {row['n_steps'] * 0.1:g} ms"
        add(title, "run s", row["engines"], "run_s", row["versus"])
        add(f"{title}, 1 thread each", "run s", row["engines"], "run_s", row["versus_1_thread"])
    if "adex" in sections:
        s = sections["adex"]
        add(s["title"], "µs/update", s["engines"], "us_per_update", s["versus"])
        add(
            f"{s['title']}, 1 thread each",
            "µs/update",
            s["engines"],
            "us_per_update",
            s["versus_1_thread"],
        )
        if s.get("fine_versus"):
            add(
                f"{s['title']}, Brian2 at dt / 10 (its spikes about 0.1 ms off)",
                "run s",
                s["engines"],
                "run_s",
                {"Brian2 standalone": s["fine_versus"]},
            )
    if "cuba" in sections:
        s = sections["cuba"]
        add(s["title"], "run s", s["engines"], "run_s", s["versus"])
        add(f"{s['title']}, 1 thread each", "run s", s["engines"], "run_s", s["versus_1_thread"])
    return rows


def _cell(x):
    if x is None:
        return "—"
    return f"**{x:.2f}**" if x < 1 else f"{x:.2f}"


def markdown(meta, sections, rows, notes) -> str:
    lifkit_py, peer_py = meta["lifkit_python"], meta.get("peer_python", {})
    lines = [
        "# lifkit benchmark report",
        "",
        f"{meta['date']} · `{meta['command']}` · {meta['duration_min']:.1f} min",
        "",
        f"**Machine**: {meta['cpu']}, {meta['cores']} cores, {meta['platform']}; load average "
        f"(1, 5, 15 min) {meta['load_start']} at the start, {meta['load_end']} at the end "
        "(the machine is shared: ratios measured in the same run are the comparison, absolute "
        f"times are not). lifkit {lifkit_py.get('lifkit')}, Python {lifkit_py['python']}, "
        f"numpy {lifkit_py.get('numpy')}, numba {lifkit_py.get('numba')}; peers: "
        + (
            f"Brian2 {peer_py.get('brian2')}, NEST {peer_py.get('nest-simulator')}, numpy "
            f"{peer_py.get('numpy')} (Python {peer_py.get('python')}, {peer_py['path']})"
            if peer_py
            else "none"
        )
        + f"; C: {meta['compiler']}. "
        f"Best of {meta['repeats']} interleaved runs per engine.",
        "",
        "## Summary",
        "",
        "Each ratio is the peer's time divided by lifkit's, each at its best thread count "
        "(or both at 1 thread where the row says so): above 1, lifkit is faster; **bold** "
        "below 1, lifkit is behind. C loop = the plain C reference loop with lifkit's random "
        "numbers (1 thread).",
        "",
        _common.table(
            ["workload", "lifkit", *[f"{p} / lifkit" for p in PEERS]],
            [
                [
                    r["workload"],
                    f"{fmt(r['lifkit'], '.3g')} {r['metric']}",
                    *[_cell(r[p]) for p in PEERS],
                ]
                for r in rows
            ],
        ),
        "",
        "## Targets",
        "",
        *[f"- {t}" for t in meta["targets"]],
    ]
    for section in sections.values():
        lines += ["", f"## {section['title']}", "", section["markdown"].rstrip()]
    if notes:
        lines += ["", "## Notes", "", *[f"- {n}" for n in notes]]
    return "\n".join(lines) + "\n"


def targets(sections, rows) -> list[str]:
    """The issues' targets, each with its measured value and ok / MISSED."""
    out = []
    behind = [
        f"{r['workload']} vs {p} ({r[p]:.2f})"
        for r in rows
        for p in PEERS[:3]
        if r[p] is not None and r[p] < 1 and "1 thread" not in r["workload"]
    ]
    out.append(
        "lifkit ahead of Brian2 and NEST on every workload: "
        + ("ok" if not behind else "MISSED — behind on " + "; ".join(behind))
    )
    if "fi" in sections:
        run = _common.best(sections["fi"]["engines"], "lifkit")
        ok = "ok" if run is not None and run < fi_curve.TARGET_S else "MISSED"
        out.append(
            f"f-I curve of 1000 currents x 500 ms in under 1 s of run time: "
            f"{fmt(run, '.3f')} s, {ok}"
        )
    for row in sections.get("population", {}).get("rows", []):
        engines = row["engines"]
        c = engines.get("C loop (1 thr)", {}).get("run_s")
        one, two = engines.get("lifkit (1 thr)", {}), engines.get("lifkit (2 thr)", {})
        r1, r2 = _common.ratio(c, one.get("run_s")), _common.ratio(c, two.get("run_s"))
        out.append(
            f"N = {row['n_neurons']:.0e}: lifkit 1 thread / C loop = {fmt(r1, '.2f')} (target "
            f">= {population_throughput.TARGET_ONE_THREAD}), lifkit 2 threads / C loop 1 thread = "
            f"{fmt(r2, '.2f')} (target >= {population_throughput.TARGET_TWO_THREADS:g})"
        )
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, 1 repeat, 1 thread")
    parser.add_argument("--repeats", type=int, help="runs per engine (default 2; quick 1)")
    parser.add_argument("--peer-python", help="interpreter with brian2 and/or nest")
    parser.add_argument("--no-peers", action="store_true", help="lifkit and the C loop only")
    parser.add_argument("--only", nargs="+", choices=["single", "fi", "population", "adex", "cuba"])
    parser.add_argument("--tiny", action="store_true", help=argparse.SUPPRESS)  # the test's sizes
    parser.add_argument("--out", type=Path, default=_common.RESULTS)
    args = parser.parse_args(argv)
    mode = "tiny" if args.tiny else "quick" if args.quick else "full"
    repeats = args.repeats or (2 if mode == "full" else 1)
    notes: list[str] = []
    peer_python = None if args.no_peers else _common.peer_python(args.peer_python, notes)
    threads = (1, 2) if mode == "full" else (1,)
    engines = _common.engines(peer_python, threads, notes)
    started = time.perf_counter()
    meta = _common.machine(peer_python)
    meta.update(
        command=" ".join(["python benchmarks/suite.py", *(argv or sys.argv[1:])]),
        repeats=repeats,
        mode=mode,
    )

    def write(sections):
        """The report so far (after each workload, so that a long session keeps its data)."""
        meta["load_end"] = _common.load_average()
        meta["duration_min"] = (time.perf_counter() - started) / 60
        rows = summary_rows(sections)
        meta["targets"] = targets(sections, rows)
        text = markdown(meta, sections, rows, notes)
        data = {"meta": meta, "summary": rows, "sections": sections, "notes": notes}
        _common.write_report("report", text, data, args.out)
        return text

    sections = run_workloads(engines, mode, repeats, args.only, write, args.out)
    text = write(sections)
    if mode == "full" and args.out == _common.RESULTS:
        shutil.copyfile(args.out / "report.md", _common.HERE / "REPORT.md")
        figure = sections.get("adex", {}).get("figure")
        if figure:  # REPORT.md shows it by this relative path
            shutil.copyfile(args.out / figure, _common.HERE / figure)
    print(text)


if __name__ == "__main__":
    main()
