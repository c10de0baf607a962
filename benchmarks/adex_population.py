"""AdEx population throughput and accuracy (issue 3's benchmark).

N = 1e5 AdEx neurons with the Brette & Gerstner (2005) parameters, neuron i driven by the
constant current i / (N - 1) nA (0 to 1 nA), 1 s at dt = 0.1 ms, spikes only. Reports

* the warm-up time (compiling the parallel kernel, or loading it from lifkit's cache),
  excluded from the rates;
* wall time and neuron-updates per second for 1 and 2 threads, with the rate per CPU
  second beside them (this machine is shared: CPU time is less disturbed by others);
* the spike-time error at the same dt against the high-precision reference of
  ``tests/reference/adaptive_reference.json`` (21 of the neurons, scipy DOP853 at 1e-12),
  and, for comparison, that of forward Euler at dt = 0.1 ms with the spike cut at the
  first step past v_peak (Brian2's ``method='euler'``), run here in numpy on those neurons.

    python benchmarks/adex_population.py [--neurons 100000] [--duration 1000]

Writes ``benchmarks/results/adex_population.json`` and prints a table.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

import lifkit as lk

HERE = Path(__file__).resolve().parent
REFERENCE = HERE.parent / "tests" / "reference" / "adaptive_reference.json"
DT = 0.1


def population_run(n, duration, threads):
    """(result, wall s, cpu s) of the benchmark population."""
    model = lk.AdEx.preset("brette_gerstner_2005")
    currents = np.arange(n) / (n - 1)
    wall, cpu = time.perf_counter(), time.process_time()
    result = lk.simulate(
        model,
        lk.Constant(currents),
        duration=duration,
        dt=DT,
        record=lk.Record(neurons=()),
        threads=threads,
        jit=True,
    )
    return result, time.perf_counter() - wall, time.process_time() - cpu


def spike_time_error(result, reference):
    """(max |t - t_ref| over the reference neurons, spikes compared, count mismatches)."""
    worst, compared, mismatched = 0.0, 0, 0
    for neuron, expected in zip(reference["neurons"], reference["spikes"], strict=True):
        got = result.spike_train(neuron)
        if got.size != len(expected):
            mismatched += 1
            continue
        if got.size:
            worst = max(worst, float(np.abs(got - np.array(expected)).max()))
            compared += got.size
    return worst, compared, mismatched


def euler_spikes(currents, duration):
    """Forward Euler at DT, spike at the first step with V > v_peak (as Brian2's Euler)."""
    p = {k: float(v) for k, v in lk.AdEx.preset("brette_gerstner_2005").values().items()}
    g_L, c_m = 1.0 / p["R"], p["tau_m"] / p["R"]
    v = np.full(currents.size, p["v_init"])
    w = np.zeros(currents.size)
    spikes = [[] for _ in currents]
    for k in range(round(duration / DT)):
        exp_term = g_L * p["Delta_T"] * np.exp((v - p["v_T"]) / p["Delta_T"])
        dv = (-g_L * (v - p["v_rest"]) + exp_term - w + currents) / c_m
        dw = (p["a"] * (v - p["v_rest"]) - w) / p["tau_w"]
        v, w = v + DT * dv, w + DT * dw
        for i in np.flatnonzero(v > p["v_peak"]):
            spikes[i].append((k + 1) * DT)
        fired = v > p["v_peak"]
        v[fired] = p["v_reset"]
        w[fired] += p["b"]
    return spikes


def euler_error(reference, duration):
    """Max spike-time error of forward Euler on the reference neurons (count mismatches)."""
    currents = np.array(reference["current_nA"])
    worst, mismatched = 0.0, 0
    for got, expected in zip(euler_spikes(currents, duration), reference["spikes"], strict=True):
        if len(got) != len(expected):
            mismatched += 1
        elif got:
            worst = max(worst, float(np.abs(np.array(got) - np.array(expected)).max()))
    return worst, mismatched


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--neurons", type=float, default=1e5)
    parser.add_argument("--duration", type=float, default=1000.0, help="ms")
    args = parser.parse_args()
    n, duration = int(args.neurons), args.duration
    reference = json.loads(REFERENCE.read_text())["benchmark"]
    warm = {}
    for threads in (1, 2):
        start = time.perf_counter()
        population_run(300, 1.0, threads)
        warm[threads] = time.perf_counter() - start
    rows = []
    for threads in (1, 2):
        result, wall, cpu = population_run(n, duration, threads)
        updates = n * round(duration / DT)
        rows.append(
            dict(
                threads=threads,
                warm_up_s=warm[threads],
                wall_s=wall,
                updates_per_s=updates / wall,
                updates_per_cpu_s=updates / cpu,
                spikes=int(result.spike_times.size),
            )
        )
    checked = n == 100_000 and duration == reference["duration_ms"]
    error = spike_time_error(result, reference) if checked else (float("nan"), 0, 0)
    euler = euler_error(reference, reference["duration_ms"])
    print(f"AdEx (Brette & Gerstner 2005), N = {n}, {duration:g} ms at dt = {DT} ms, 0-1 nA")
    print(f"{'threads':>7} {'warm-up s':>10} {'wall s':>8} {'updates/s':>11} {'per CPU s':>11}")
    for row in rows:
        print(
            f"{row['threads']:>7} {row['warm_up_s']:>10.2f} {row['wall_s']:>8.2f} "
            f"{row['updates_per_s']:>11.3g} {row['updates_per_cpu_s']:>11.3g}"
        )
    print(f"spikes: {rows[-1]['spikes']}")
    print(
        f"spike-time error vs reference (max over {error[1]} spikes of 21 neurons): "
        f"{error[0]:.2e} ms, count mismatches {error[2]}"
    )
    print(
        f"forward Euler at dt = {DT} ms on the same neurons: {euler[0]:.3f} ms, "
        f"count mismatches {euler[1]}"
    )
    out = HERE / "results" / "adex_population.json"
    out.parent.mkdir(exist_ok=True)
    summary = dict(
        neurons=n,
        duration_ms=duration,
        dt_ms=DT,
        runs=rows,
        spike_time_error_ms=error[0],
        spikes_compared=error[1],
        count_mismatches=error[2],
        euler_error_ms=euler[0],
        euler_count_mismatches=euler[1],
    )
    out.write_text(json.dumps(summary, indent=1) + "\n")


if __name__ == "__main__":
    main()
