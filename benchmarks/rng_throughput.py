"""Throughput of lifkit's counter-based generator, side by side with its references.

Reports, on one core: standard normals/s of ``rng.normal`` jitted vs NumPy's
``default_rng().standard_normal``; and neuron-updates/s of the noisy LIF population update as a
jitted numba prototype vs the plain C loop with the same generator and with xoshiro256+ and the
polar method (``c_reference/lif_population.c``, 1 s at dt = 0.1 ms). The numba prototype and the
C ``counter`` variant do the same floating-point operations, so their spike counts must agree.

    PYTHONPATH=src python3 benchmarks/rng_throughput.py [N_NEURONS [REPEATS]]
"""

import json
import math
import sys
import time
import types

import numba
import numpy as np
from c_reference.build import build, run

from lifkit.engine._kernels import rng


def _jit_module(module):
    """Jitted copies of a kernel module's functions, calling each other's jitted versions."""
    new_globals = dict(vars(module))
    jitted = {
        name: numba.njit(types.FunctionType(f.__code__, new_globals, name))
        for name, f in vars(module).items()
        if isinstance(f, types.FunctionType) and f.__module__ == module.__name__
    }
    new_globals.update(jitted)
    return jitted


_JIT = _jit_module(rng)
normal, uniform = _JIT["normal"], _JIT["uniform"]

# Model of lif_population.c (x = v - v_rest in mV, times in ms).
SEED, DT, N_STEPS = 1, 0.1, 10_000
TAU, THETA, X_RESET, T_REF, MU, SIGMA = 10.0, 15.0, 0.0, 2.0, 12.0, 4.0


@numba.njit
def _fill_normals(key, out, n_steps):
    for k in range(n_steps):
        for i in range(out.size):
            out[i] = normal(key, i, k, 0)


@numba.njit
def _lif_population(key, x, ref_end, tau, E, s, sigma, mu, theta, x_reset, t_ref, n_steps, dt):
    spikes = 0
    for k in range(n_steps):
        t0 = k * dt
        t1 = (k + 1) * dt
        for i in range(x.size):
            r = ref_end[i]
            if r >= t1:
                continue
            start, e, si = t0, E[i], s[i]
            if r > t0:
                start = r
                e = math.exp(-(t1 - start) / tau[i])
                si = sigma[i] * math.sqrt((1.0 - e * e) / 2.0)
            xi, a, th = x[i], mu[i], theta[i]
            xn = a + (xi - a) * e + si * normal(key, i, k, 0)
            if xn >= th:
                t_spike = start + (t1 - start) * (th - xi) / (xn - xi)
            elif th - xn < 4.0 * si and uniform(key, i, k, 1) < math.exp(
                -2.0 * (th - xi) * (th - xn) / (si * si)
            ):
                t_spike = start + 0.5 * (t1 - start)
            else:
                x[i] = xn
                continue
            spikes += 1
            x[i] = x_reset[i]
            ref_end[i] = t_spike + t_ref[i]
    return spikes


def _best_rate(count, fn, repeats=3):
    """``count`` divided by the fastest of ``repeats`` timed calls."""
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return count / min(times)


def normals_per_second(n_neurons, n_steps=100):
    key = np.uint64(rng.seed_key(SEED))
    out = np.empty(n_neurons)
    _fill_normals(key, out, 1)
    generator = np.random.default_rng(SEED)
    numba_rate = _best_rate(out.size * n_steps, lambda: _fill_normals(key, out, n_steps))
    numpy_rate = _best_rate(
        out.size * n_steps,
        lambda: [generator.standard_normal(out=out) for _ in range(n_steps)],
    )
    return numba_rate, numpy_rate


def numba_lif(n_neurons):
    """Neuron-updates/s and spike count of the jitted prototype (compiled before timing)."""
    E = math.exp(-DT / TAU)
    params = [
        np.full(n_neurons, v)
        for v in (TAU, E, SIGMA * math.sqrt((1.0 - E * E) / 2.0), SIGMA, MU, THETA, X_RESET, T_REF)
    ]
    key = np.uint64(rng.seed_key(SEED))
    _lif_population(key, np.zeros(1), np.full(1, -1.0), *(p[:1] for p in params), 1, DT)
    x, ref_end = np.zeros(n_neurons), np.full(n_neurons, -1.0)
    t = time.perf_counter()
    spikes = _lif_population(key, x, ref_end, *params, N_STEPS, DT)
    return n_neurons * N_STEPS / (time.perf_counter() - t), spikes


def main(n_neurons=100_000, repeats=1):
    """Print the report; LIF rates are the best of ``repeats`` interleaved runs."""
    numba_normals, numpy_normals = normals_per_second(n_neurons)
    exe = build()
    runs = [
        (
            numba_lif(n_neurons),
            run(exe, n_neurons, "counter", SEED),
            run(exe, n_neurons, "xoshiro", SEED),
        )
        for _ in range(repeats)
    ]
    lif_rate, lif_spikes = max(r[0] for r in runs)
    c_counter = max((r[1] for r in runs), key=lambda r: r["updates_per_s"])
    c_xoshiro = max((r[2] for r in runs), key=lambda r: r["updates_per_s"])
    report = {
        "normals_per_s": {"numba_counter": numba_normals, "numpy_default_rng": numpy_normals},
        "normals_ratio_numba_to_numpy": numba_normals / numpy_normals,
        "lif_updates_per_s": {
            "numba_counter": lif_rate,
            "c_counter": c_counter["updates_per_s"],
            "c_xoshiro_polar": c_xoshiro["updates_per_s"],
        },
        "lif_ratio_numba_to_c_xoshiro": lif_rate / c_xoshiro["updates_per_s"],
        "lif_ratio_numba_to_c_counter": lif_rate / c_counter["updates_per_s"],
        "spikes": {
            "numba_counter": lif_spikes,
            "c_counter": c_counter["spikes"],
            "c_xoshiro_polar": c_xoshiro["spikes"],
        },
        "mean_rate_hz": c_counter["mean_rate_hz"],
        "n_neurons": n_neurons,
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
