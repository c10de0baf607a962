"""Plumbing shared by the benchmarks: engines, child processes, timing, machine, reports.

Every measurement runs in a fresh child process, ``python SCRIPT _child NAME KWARGS``,
which prints one JSON object as its last line of output; peer simulators (Brian2, NEST)
run under the interpreter that has them (``--peer-python``), lifkit under this one. This
module imports only the standard library, so that both interpreters can load it.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
#: Root of the benchmarks' kernel and code caches (lifkit, Brian2), default
#: ``results/cache``: set it to an empty folder to measure cold starts.
CACHE_VARIABLE = "LIFKIT_BENCH_CACHE"


@dataclass(frozen=True)
class Engine:
    """One simulator configuration: ``name`` selects a script's child function."""

    name: str  # "lifkit", "brian2_runtime", "brian2_standalone", "nest", ...
    python: str
    threads: int = 1
    #: (keyword, value) pairs passed on to the child, e.g. (("dt", 0.01),): a variant of
    #: the workload, which ``best`` and ``versus`` leave out unless asked for it.
    options: tuple = ()

    @property
    def label(self) -> str:
        title = {"lifkit": "lifkit", "c_xoshiro": "C loop, xoshiro256+", **FAMILIES}[self.name]
        variant = "".join(f", {key} {value}" for key, value in self.options)
        return f"{title}{variant} ({self.threads} thr)"


def has_module(python: str, module: str) -> bool:
    """Whether ``python -c 'import module'`` succeeds."""
    check = subprocess.run([python, "-c", f"import {module}"], capture_output=True)
    return check.returncode == 0


def peer_python(given: str | None, notes: list) -> str | None:
    """``given``, else this interpreter when it has brian2 or nest, else None (noted)."""
    if given:
        return given
    if has_module(sys.executable, "brian2") or has_module(sys.executable, "nest"):
        return sys.executable
    notes.append(
        f"No --peer-python given and {sys.executable} has neither brian2 nor nest: peers skipped."
    )
    return None


def engines(peer_python: str | None, threads=(1, 2), notes: list | None = None) -> list[Engine]:
    """lifkit under this interpreter, and the peers ``peer_python`` can import (none if None).

    Brian2's runtime mode is single-threaded; its standalone mode and NEST get ``threads``.
    A missing peer is skipped and explained in ``notes``.
    """
    found = [Engine("lifkit", sys.executable, t) for t in threads]
    for module, names in (("brian2", ("brian2_runtime", "brian2_standalone")), ("nest", ("nest",))):
        if peer_python is None:
            break
        if not has_module(peer_python, module):
            if notes is not None:
                notes.append(f"{module} is not importable by {peer_python}: skipped.")
            continue
        for name in names:
            found += [
                Engine(name, peer_python, t)
                for t in ((1,) if name == "brian2_runtime" else threads)
            ]
    return found


def cache_dir(kind: str) -> str:
    """Folder for ``kind``'s caches under ``$LIFKIT_BENCH_CACHE``."""
    path = Path(os.environ.get(CACHE_VARIABLE, RESULTS / "cache")) / kind
    path.mkdir(parents=True, exist_ok=True)
    return str(path)


def child_env() -> dict:
    env = dict(os.environ)
    env["LIFKIT_CACHE_DIR"] = cache_dir("lifkit")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(HERE), env.get("PYTHONPATH")]))
    return env


def run_child(script: str, engine: Engine, **kwargs) -> dict:
    """Run ``script``'s child ``engine.name`` in a fresh process; its report plus
    ``process_s`` (the whole process, start to exit) and the engine's label.

    A failing child gives ``{"error": ...}`` with the tail of its stderr.
    """
    options = dict(engine.options)
    kwargs = {**kwargs, **options, "threads": engine.threads}
    args = [engine.python, script, "_child", engine.name, json.dumps(kwargs)]
    start = time.perf_counter()
    out = subprocess.run(args, capture_output=True, text=True, env=child_env())
    process_s = time.perf_counter() - start
    base = {
        "engine": engine.label,
        "name": engine.name,
        "threads": engine.threads,
        "options": options,
    }
    if out.returncode != 0:
        print(f"{Path(script).name} {engine.label} failed:\n{out.stderr[-1500:]}", file=sys.stderr)
        return {**base, "error": out.stderr.strip().splitlines()[-1:] or ["exit status"]}
    return {**base, **json.loads(out.stdout.strip().splitlines()[-1]), "process_s": process_s}


def child_main(children: dict) -> bool:
    """If this process is a child (``SCRIPT _child NAME KWARGS``), run it and return True."""
    if len(sys.argv) != 4 or sys.argv[1] != "_child":
        return False
    report = children[sys.argv[2]](**json.loads(sys.argv[3]))
    print(json.dumps(report))
    return True


def interleaved(script: str, plan: list[Engine], repeats: int, key: str = "run_s", **kwargs):
    """Every engine of ``plan`` ``repeats`` times, round-robin so that a change of the
    machine's load hits all alike; per engine the run with the smallest ``key``, with
    ``first_process`` (the first run's report: cold caches) and ``times`` (all ``key``)."""
    runs: dict[str, list] = {e.label: [] for e in plan}
    for _ in range(repeats):
        for engine in plan:
            runs[engine.label].append(run_child(script, engine, **kwargs))
    best = {}
    for label, reports in runs.items():
        good = [r for r in reports if "error" not in r]
        if not good:
            best[label] = reports[0]
            continue
        best[label] = {
            **min(good, key=lambda r: r[key]),
            "times": [r[key] for r in good],
            "first_process": reports[0],
        }
    return best


def timed(command: list[str], env: dict | None = None) -> float:
    """Wall seconds of one run of ``command`` (which must succeed)."""
    start = time.perf_counter()
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def stats(times: list[float]) -> dict:
    return {"best_s": min(times), "median_s": statistics.median(times), "times_s": times}


def round_robin(commands: dict, repeats: int) -> dict:
    """Wall times of whole processes: ``commands`` maps a label to (argv, env). Each runs
    once untimed-for-the-best (``first_s``: the first run of the session), then ``repeats``
    times, all labels taken in turn so that a change of load hits all alike."""
    first = {label: timed(*command) for label, command in commands.items()}
    times: dict = {label: [] for label in commands}
    for _ in range(repeats):
        for label, command in commands.items():
            times[label].append(timed(*command))
    return {label: {**stats(times[label]), "first_s": first[label]} for label in commands}


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def versions(python: str, modules) -> dict:
    """Installed versions of ``modules`` for ``python`` (None when absent) and its own."""
    code = (
        "import importlib.metadata as m, json, platform\n"
        "def v(name):\n"
        "    try:\n        return m.version(name)\n"
        "    except m.PackageNotFoundError:\n        return None\n"
        f"found = {{n: v(n) for n in {list(modules)!r}}}\n"
        "print(json.dumps({'python': platform.python_version(), **found}))"
    )
    out = subprocess.run([python, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def machine(peer_python: str | None) -> dict:
    """CPU, cores, load average (now) and the versions of every interpreter and package."""
    info = {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "cpu": cpu_name(),
        "cores": os.cpu_count(),
        "platform": platform.platform(),
        "load_start": load_average(),
        "lifkit_python": {
            "path": sys.executable,
            **versions(sys.executable, ("lifkit", "numpy", "numba")),
        },
    }
    if peer_python:
        info["peer_python"] = {
            "path": peer_python,
            **versions(peer_python, ("brian2", "nest-simulator", "numpy")),
        }
    try:
        cc = subprocess.run(["cc", "--version"], capture_output=True, text=True, check=True)
        info["compiler"] = cc.stdout.splitlines()[0]
    except (OSError, subprocess.CalledProcessError):
        info["compiler"] = None
    return info


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or denominator is None or denominator == 0:
        return None
    return numerator / denominator


def fmt(x, spec: str = ".3g", missing: str = "—") -> str:
    return missing if x is None else format(x, spec)


def table(header: list[str], rows: list[list], align: str = "") -> str:
    """A Markdown table; ``align`` holds one of "l"/"r" per column (default: l then r...)."""
    align = align or "l" + "r" * (len(header) - 1)
    lines = [
        "| " + " | ".join(header) + " |",
        "|" + "|".join("---" if a == "l" else "---:" for a in align) + "|",
    ]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def write_report(name: str, markdown: str, data: dict, out: Path = RESULTS) -> None:
    """``out/name.md`` and ``out/name.json``."""
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{name}.md").write_text(markdown)
    (out / f"{name}.json").write_text(json.dumps(data, indent=1, default=str) + "\n")


def report_workload(name: str, peer: str | None, measure, markdown, threads=(1, 2)) -> None:
    """A workload script's main: ``measure(engines)`` with every engine available (peers
    from the interpreter ``peer``), then write and print its report ``name``."""
    notes: list = []
    section = measure(engines(peer_python(peer, notes), threads=threads, notes=notes))
    text = markdown(section) + "".join(f"\n{note}\n" for note in notes)
    write_report(name, text, section)
    print(text)


FAMILIES = {
    "brian2_runtime": "Brian2 runtime",
    "brian2_standalone": "Brian2 standalone",
    "nest": "NEST",
    "c_counter": "C loop",
}


def best(
    results: dict,
    name: str,
    key: str = "run_s",
    threads: int | None = None,
    options: dict | None = None,
):
    """Smallest ``key`` among the successful runs of engine ``name`` (at ``threads``) with
    exactly ``options`` (default: none, the workload itself rather than a variant)."""
    values = [
        r[key]
        for r in results.values()
        if r.get("name") == name
        and key in r
        and (threads is None or r["threads"] == threads)
        and r.get("options", {}) == (options or {})
    ]
    return min(values) if values else None


def versus(results: dict, key: str = "run_s", threads: int | None = None) -> dict:
    """Peer ``key`` / lifkit ``key`` per peer family (> 1: lifkit is faster), each side at
    its best thread count, or both at ``threads`` when given."""
    lifkit = best(results, "lifkit", key, threads)
    return {
        family: ratio(best(results, name, key, threads), lifkit)
        for name, family in FAMILIES.items()
        if best(results, name, key, threads)
    }
