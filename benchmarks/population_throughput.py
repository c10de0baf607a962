"""Population throughput of lifkit beside a plain C loop doing the same math.

The foundation issue's benchmark: N LIF neurons (tau_m 10 ms, v_rest = v_reset = -65 mV,
v_th -50 mV, t_ref 2 ms) driven by white noise (sigma 4 mV on a mean drive of 12 mV:
about 21 Hz), 1 s at dt = 0.1 ms, spikes only. Reports neuron-updates per second of

* ``lk.simulate(..., threads=1)`` and ``threads=2`` (each in a fresh child process, after a
  warm-up call whose time -- compiling the kernel, or loading it from the cache -- is
  reported separately; the child's peak RSS is reported too),
* the C loop ``c_reference/lif_population.c``, compiled here with the system compiler, with
  lifkit's counter-based generator (same operations, so the same spikes: checked) and with
  xoshiro256+ and the polar method (the issue's textbook reference), one thread each,

and the ratios the issue sets as targets: lifkit 1 thread >= 0.67x the C loop, lifkit
2 threads >= the C loop's single-thread rate, and peak memory of the N = 1e6 run < 1 GB.

Rates are neuron-updates per wall-clock second; single-thread rates per CPU second are
given beside them because this machine is shared (CPU time is less disturbed by other
processes). N = 1e6 runs ``--steps-1e6`` steps (default 2000: 0.2 s) to keep the run short;
its peak memory is always measured on the full 1 s run (``--memory-threads`` threads).

    python benchmarks/population_throughput.py [--sizes 1e4 1e5 1e6] [--repeats 1]

Writes ``benchmarks/results/population_throughput.{md,json}`` and prints the table.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from c_reference.build import build, compiler_version, run  # noqa: E402

DT = 0.1  # ms
SIGMA, MU = 4.0, 12.0  # mV: white-noise intensity and mean drive (as in lif_population.c)
FULL_STEPS = 10_000  # 1 s
TARGET_ONE_THREAD = 0.67
TARGET_TWO_THREADS = 1.0
TARGET_MEMORY_MB = 1000.0


# ---------------------------------------------------------------- child: one lifkit run
def _population(n):
    import numpy as np

    import lifkit as lk

    model = lk.LIF(
        tau_m="10 ms",
        R="1 MOhm",
        v_rest=np.full(n, -65.0),
        v_reset="-65 mV",
        v_th="-50 mV",
        t_ref="2 ms",
    )
    return model, lk.WhiteNoise(f"{SIGMA} mV", mean=f"{MU} mV")


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


def _rss_mb(field):
    """VmRSS or VmHWM of this process in MB (Linux), else None."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def child(n, steps, threads, seed):
    """Run lifkit once after a warm-up; print a JSON report (runs in a fresh process)."""
    t = time.perf_counter()
    import lifkit as lk

    import_s = time.perf_counter() - t
    model, stimulus = _population(n)
    options = dict(dt=DT, seed=seed, threads=threads, record=lk.Record(neurons=()), progress=False)
    t = time.perf_counter()
    lk.simulate(model, stimulus, duration=DT, jit=True, **options)  # compile or load kernel
    first_call_s = time.perf_counter() - t
    rss_before = _rss_mb("VmRSS")
    wall, cpu = time.perf_counter(), time.process_time()
    result = lk.simulate(model, stimulus, duration=steps * DT, **options)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    spikes = int(result.spike_times.size)
    report = {
        "engine": "lifkit",
        "threads": threads,
        "n_neurons": n,
        "n_steps": steps,
        "seconds": wall,
        "cpu_seconds": cpu,
        "updates_per_s": n * steps / wall,
        "updates_per_cpu_s": n * steps / cpu,
        "spikes": spikes,
        "mean_rate_hz": spikes / (n * steps * DT * 1e-3),
        "checksum": spike_checksum(result.spike_neurons, result.spike_times),
        "import_s": import_s,
        "first_call_s": first_call_s,
        "rss_before_run_mb": rss_before,
        # VmHWM: ru_maxrss of a child can include pages of the parent it was forked from.
        "peak_rss_mb": _rss_mb("VmHWM"),
        "ru_maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    print(json.dumps(report))


def run_child(n, steps, threads, seed):
    """Run ``child`` in a fresh interpreter and return its report."""
    args = [sys.executable, __file__, "_child", str(n), str(steps), str(threads), str(seed)]
    out = subprocess.run(args, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def run_c(exe, n, steps, variant, seed):
    report = run(exe, n, variant, seed, steps)
    report["engine"] = f"C {variant}"
    report["threads"] = 1
    return report


# ---------------------------------------------------------------- parent: the benchmark
def _best(reports):
    return max(reports, key=lambda r: r["updates_per_s"])


def measure(sizes, steps_for, repeats, seed, exe):
    """Every configuration, repeats interleaved; best (by wall rate) of each."""
    rows = []
    for n in sizes:
        steps = steps_for(n)
        runs = {key: [] for key in ("C counter", "C xoshiro", "lifkit 1", "lifkit 2")}
        for _ in range(repeats):
            runs["C counter"].append(run_c(exe, n, steps, "counter", seed))
            runs["C xoshiro"].append(run_c(exe, n, steps, "xoshiro", seed))
            runs["lifkit 1"].append(run_child(n, steps, 1, seed))
            runs["lifkit 2"].append(run_child(n, steps, 2, seed))
        best = {key: _best(reports) for key, reports in runs.items()}
        # CPU-time rates: best over repeats on their own (least disturbed run).
        for key, reports in runs.items():
            best[key]["best_updates_per_cpu_s"] = max(r["updates_per_cpu_s"] for r in reports)
        rows.append({"n_neurons": n, "n_steps": steps, **best})
    return rows


def summarise(rows, memory):
    summary = []
    for row in rows:
        c, one, two = row["C counter"], row["lifkit 1"], row["lifkit 2"]
        summary.append(
            {
                "n_neurons": row["n_neurons"],
                "n_steps": row["n_steps"],
                "lifkit1_over_c": one["updates_per_s"] / c["updates_per_s"],
                "lifkit1_over_c_cpu": one["best_updates_per_cpu_s"] / c["best_updates_per_cpu_s"],
                "lifkit2_over_c": two["updates_per_s"] / c["updates_per_s"],
                "lifkit1_over_c_xoshiro": one["updates_per_s"] / row["C xoshiro"]["updates_per_s"],
                "same_spikes_as_c_counter": _same_spikes(one, c) and _same_spikes(two, c),
                "rate_in_10_30_hz": all(
                    10.0 <= row[k]["mean_rate_hz"] <= 30.0 for k in ("lifkit 1", "C counter")
                ),
            }
        )
    return {"per_size": summary, "memory_1e6": memory}


def _same_spikes(a, b):
    return (a["spikes"], a["checksum"]) == (b["spikes"], b["checksum"])


def _fmt_rate(x):
    return f"{x / 1e6:.1f} M"


def markdown(meta, rows, summary, memory):
    lines = [
        "# Population throughput: lifkit vs a plain C loop",
        "",
        f"{meta['date']} · {meta['cpu']} · {meta['cpus']} CPUs · load average "
        f"{meta['load_start']} at start, {meta['load_end']} at end · Python "
        f"{meta['python']} · numba {meta['numba']} · {meta['compiler']} "
        f"`{' '.join(meta['c_flags'])}` · seed {meta['seed']} · kernel cache: {meta['cache']}",
        "",
        "LIF: tau_m 10 ms, v_rest = v_reset = -65 mV, v_th -50 mV, t_ref 2 ms; white noise "
        f"sigma {SIGMA:g} mV, mean drive {MU:g} mV; dt {DT} ms; spikes only. Rates are "
        "neuron-updates per second (wall clock; best of "
        f"{meta['repeats']}); 'per CPU s' divides by the process's CPU time instead (for 2 "
        "threads: per thread), and 'cores used' is CPU time / wall time: below the thread "
        "count, other processes held the CPUs.",
        "",
        "| N | steps | engine | threads | wall s | updates/s | per CPU s | cores used | spikes "
        "| rate Hz | same spikes as C counter | first call s | peak RSS MB |",
        "|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|:---:|---:|---:|",
    ]
    for row in rows:
        c = row["C counter"]
        for key in ("C counter", "C xoshiro", "lifkit 1", "lifkit 2"):
            r = row[key]
            same = "—" if key == "C xoshiro" else "yes" if _same_spikes(r, c) else "NO"
            per_cpu = _fmt_rate(r["best_updates_per_cpu_s"])
            cores = r["cpu_seconds"] / r["seconds"]
            first = f"{r['first_call_s']:.2f}" if "first_call_s" in r else "—"
            peak = r["peak_rss_mb"] if "peak_rss_mb" in r else r["peak_rss_kb"] / 1024
            lines.append(
                f"| {row['n_neurons']:.0e} | {row['n_steps']} | {r['engine']} | {r['threads']} "
                f"| {r['seconds']:.2f} | {_fmt_rate(r['updates_per_s'])} | {per_cpu} | {cores:.2f} "
                f"| {r['spikes']} | {r['mean_rate_hz']:.1f} | {same} | {first} | {peak:.0f} |"
            )
    lines += [
        "",
        "| N | lifkit 1 thread / C (wall) | (CPU time) | target | lifkit 2 threads / C 1 thread "
        "| target | lifkit 1 / C xoshiro+polar |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for s in summary["per_size"]:
        ok1 = "ok" if s["lifkit1_over_c"] >= TARGET_ONE_THREAD else "MISSED"
        ok2 = "ok" if s["lifkit2_over_c"] >= TARGET_TWO_THREADS else "MISSED"
        lines.append(
            f"| {s['n_neurons']:.0e} | {s['lifkit1_over_c']:.2f} | {s['lifkit1_over_c_cpu']:.2f} "
            f"| >= {TARGET_ONE_THREAD} {ok1} | {s['lifkit2_over_c']:.2f} "
            f"| >= {TARGET_TWO_THREADS:g} {ok2} | {s['lifkit1_over_c_xoshiro']:.2f} |"
        )
    if memory is not None:
        ok = "ok" if memory["peak_rss_mb"] < TARGET_MEMORY_MB else "MISSED"
        lines += [
            "",
            f"Peak memory, N = 1e6, full 1 s ({memory['n_steps']} steps, "
            f"{memory['threads']} threads, fresh process, VmHWM): "
            f"**{memory['peak_rss_mb']:.0f} MB** (target < {TARGET_MEMORY_MB:.0f} MB: {ok}); "
            f"RSS before the run (after import and warm-up) {memory['rss_before_run_mb']:.0f} MB; "
            f"{memory['spikes']} spikes ({memory['mean_rate_hz']:.1f} Hz), "
            f"{_fmt_rate(memory['updates_per_s'])} updates/s in {memory['seconds']:.1f} s.",
        ]
    lines += [
        "",
        "'first call' is the warm-up `simulate` in a fresh process: importing numba and "
        "compiling the kernel (the first lifkit row of each thread count when the cache "
        "started empty) or loading it from the cache. Spikes: total count and an "
        "order-independent checksum of (neuron, exact spike time) must match the C counter "
        "variant bit for bit.",
    ]
    return "\n".join(lines) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", nargs="+", type=float, default=[1e4, 1e5, 1e6])
    parser.add_argument("--steps", type=int, default=FULL_STEPS, help="steps below N = 1e6")
    parser.add_argument("--steps-1e6", type=int, default=2000, help="steps for N >= 1e6")
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--memory-threads", type=int, default=2)
    parser.add_argument("--no-memory", action="store_true", help="skip the 1e6 memory run")
    parser.add_argument(
        "--warm-cache",
        action="store_true",
        help="use the user's kernel cache (default: a fresh one, so compile time is cold)",
    )
    parser.add_argument("--out", type=Path, default=HERE / "results")
    args = parser.parse_args(argv)
    sizes = [int(n) for n in args.sizes]
    if not args.warm_cache:
        os.environ["LIFKIT_CACHE_DIR"] = tempfile.mkdtemp(prefix="lifkit-kernels-")
    cache = os.environ.get("LIFKIT_CACHE_DIR", "user cache (~/.cache/lifkit)")
    meta = {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "cpu": _cpu_name(),
        "cpus": os.cpu_count(),
        "load_start": " ".join(f"{x:.1f}" for x in os.getloadavg()),
        "python": platform.python_version(),
        "numba": importlib.metadata.version("numba"),
        "compiler": compiler_version(),
        "c_flags": ["cc", "-O3", "-march=native", "-ffp-contract=off"],
        "seed": args.seed,
        "repeats": args.repeats,
        "cache": ("fresh " if not args.warm_cache else "") + cache,
    }
    exe = build()

    def steps_for(n):
        return args.steps_1e6 if n >= 1_000_000 else args.steps

    rows = measure(sizes, steps_for, args.repeats, args.seed, exe)
    memory = None
    if not args.no_memory:
        memory = run_child(1_000_000, FULL_STEPS, args.memory_threads, args.seed)
    meta["load_end"] = " ".join(f"{x:.1f}" for x in os.getloadavg())
    summary = summarise(rows, memory)
    text = markdown(meta, rows, summary, memory)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "population_throughput.md").write_text(text)
    report = {"meta": meta, "rows": rows, "summary": summary}
    (args.out / "population_throughput.json").write_text(json.dumps(report, indent=2))
    print(text)


def _cpu_name():
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "_child":
        child(*(int(a) for a in sys.argv[2:6]))
    else:
        main()
