"""Peak memory of a 1e6-neuron run that streams all its spikes to disk.

The scale issue's target: N = 1e6 LIF neurons, 10 s at dt = 0.1 ms, recording every
spike, streamed to a store on disk (``lk.simulate(..., out=path)``) with peak memory under
1 GB. The population is the foundation benchmark's (tau_m 10 ms, v_rest = v_reset =
-65 mV, v_th -50 mV, t_ref 2 ms, white noise sigma 4 mV on a mean drive of 12 mV: about
21 Hz). Each run happens in a fresh child process, after a warm-up call (loading the
kernel); the child reports its peak RSS (VmHWM), its RSS before the run, the wall time,
the spike count and the store's size, and samples its RSS every ``--sample-ms`` of
simulated time, which shows whether memory grows with the run. Beside it, for comparison,
the same population for ``--in-memory-s`` seconds recording in memory (the foundation
issue's 1 GB target for N = 1e6 over 1 s).

    python benchmarks/streaming_memory.py [--seconds 10] [--in-memory-s 1] [--threads 2]

Writes ``benchmarks/results/streaming_memory.{md,json}`` and prints the table.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DT = 0.1  # ms
SIGMA, MU = 4.0, 12.0  # mV
TARGET_MB = 1000.0


def _rss_mb(field):
    """VmRSS or VmHWM of this process in MB (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {field} in /proc/self/status")


def child(n, seconds, threads, seed, out, sample_ms):
    """One run in this (fresh) process; prints a JSON report."""
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
    drive = lk.WhiteNoise(f"{SIGMA} mV", mean=f"{MU} mV")
    options = dict(dt=DT, seed=seed, threads=threads, record=lk.Record(neurons=()))
    lk.simulate(model, drive, duration=DT, jit=True, progress=False, **options)  # warm-up
    samples, every = [], max(1, round(sample_ms / DT))

    def sample(done, total):
        if done % every == 0 or done == total:
            samples.append((done * DT, _rss_mb("VmRSS")))

    rss_before = _rss_mb("VmRSS")
    wall = time.perf_counter()
    if out:
        result = lk.simulate(
            model, drive, duration=seconds * 1e3, progress=sample, out=out, **options
        )
        spikes = result.n_spikes
    else:
        result = lk.simulate(model, drive, duration=seconds * 1e3, progress=sample, **options)
        spikes = int(result.spike_times.size)
    wall = time.perf_counter() - wall
    report = {
        "n_neurons": n,
        "seconds_simulated": seconds,
        "threads": threads,
        "streamed": bool(out),
        "wall_s": wall,
        "updates_per_s": n * seconds / (DT * 1e-3) / wall,
        "spikes": spikes,
        "mean_rate_hz": spikes / (n * seconds),
        "rss_before_run_mb": rss_before,
        "peak_rss_mb": _rss_mb("VmHWM"),
        "rss_samples": samples,
        "store_mb": _size_mb(out) if out else None,
    }
    print(json.dumps(report))


def _size_mb(path):
    """Disk space the store takes (its chunk files are sparse past their data)."""
    return sum(f.stat().st_blocks * 512 for f in Path(path).rglob("*") if f.is_file()) / 2**20


def run_child(n, seconds, threads, seed, sample_ms, streamed):
    """Run ``child`` in a fresh interpreter (store in a temporary folder, then deleted)."""
    folder = tempfile.mkdtemp(prefix="lifkit-stream-", dir=os.environ.get("STREAM_DIR"))
    out = os.path.join(folder, "run.zarr") if streamed else ""
    args = [sys.executable, __file__, "_child", str(n), str(seconds), str(threads), str(seed)]
    try:
        done = subprocess.run(
            [*args, out, str(sample_ms)], check=True, capture_output=True, text=True
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def markdown(meta, rows):
    lines = [
        "# Streamed recording: peak memory of a 1e6-neuron run",
        "",
        f"{meta['date']} · {meta['cpu']} · {meta['cpus']} CPUs · Python {meta['python']} · "
        f"numba {meta['numba']} · seed {meta['seed']}",
        "",
        "LIF: tau_m 10 ms, v_rest = v_reset = -65 mV, v_th -50 mV, t_ref 2 ms; white noise "
        f"sigma {SIGMA} mV, mean drive {MU} mV; dt {DT} ms; every spike recorded, no traces. "
        "Each run in a fresh process after a warm-up call; peak RSS is the process's VmHWM "
        "(import, kernel and run together).",
        "",
        "| N | simulated s | recording | threads | wall s | updates/s | spikes | rate Hz "
        "| RSS before run MB | RSS samples MB (min–max) | peak RSS MB | target < 1000 MB "
        "| store MB |",
        "|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|:---:|---:|",
    ]
    for r in rows:
        rss = [s[1] for s in r["rss_samples"]]
        store = f"{r['store_mb']:.0f}" if r["store_mb"] is not None else "—"
        lines.append(
            f"| {r['n_neurons']:.0e} | {r['seconds_simulated']:g} | "
            f"{'streamed' if r['streamed'] else 'in memory'} | {r['threads']} | "
            f"{r['wall_s']:.0f} | {r['updates_per_s'] / 1e6:.1f} M | {r['spikes']} | "
            f"{r['mean_rate_hz']:.1f} | {r['rss_before_run_mb']:.0f} | "
            f"{min(rss):.0f}–{max(rss):.0f} | {r['peak_rss_mb']:.0f} | "
            f"{'ok' if r['peak_rss_mb'] < TARGET_MB else 'MISSED'} | {store} |"
        )
    lines += [
        "",
        "'RSS samples' is the resident memory sampled during the run at every "
        f"{meta['sample_ms']:g} ms of simulated time: flat for a streamed run, growing with "
        "the spikes for a run in memory.",
    ]
    return "\n".join(lines) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-neurons", type=float, default=1e6)
    parser.add_argument("--seconds", type=float, nargs="+", default=[10.0])
    parser.add_argument("--in-memory-s", type=float, nargs="*", default=[1.0])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--sample-ms", type=float, default=100.0)
    parser.add_argument("--out", type=Path, default=HERE / "results")
    args = parser.parse_args(argv)
    n = int(args.n_neurons)
    rows = [
        run_child(n, s, args.threads, args.seed, args.sample_ms, streamed=False)
        for s in args.in_memory_s
    ]
    rows += [
        run_child(n, s, args.threads, args.seed, args.sample_ms, streamed=True)
        for s in args.seconds
    ]
    meta = {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "cpu": platform.processor() or platform.machine(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "numba": importlib.metadata.version("numba"),
        "seed": args.seed,
        "sample_ms": args.sample_ms,
    }
    text = markdown(meta, rows)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "streaming_memory.md").write_text(text)
    (args.out / "streaming_memory.json").write_text(
        json.dumps({"meta": meta, "runs": rows}, indent=1)
    )
    print(text)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "_child":
        n, seconds, threads, seed, out, sample_ms = sys.argv[2:8]
        child(int(n), float(seconds), int(threads), int(seed), out, float(sample_ms))
    else:
        main()
