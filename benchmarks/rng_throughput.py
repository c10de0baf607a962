"""Throughput of lifkit's counter-based generator beside NumPy's.

Reports standard normals per second, on one core, of ``rng.normal`` jitted (one counter per
draw, as the kernels use it) and of ``numpy.random.default_rng().standard_normal`` (a
sequential stream, filled in bulk). The LIF population update with this generator, beside a
C loop doing the same math, is ``population_throughput.py``.

    python3 benchmarks/rng_throughput.py [N_NEURONS [N_STEPS]]
"""

import json
import sys
import time
import types

import numba
import numpy as np

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

SEED = 1


@numba.njit
def _fill_normals(key, out, n_steps):
    for k in range(n_steps):
        for i in range(out.size):
            out[i] = normal(key, i, k, 0)


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


def main(n_neurons=100_000, n_steps=100):
    """Print the report as JSON."""
    numba_normals, numpy_normals = normals_per_second(n_neurons, n_steps)
    report = {
        "normals_per_s": {"numba_counter": numba_normals, "numpy_default_rng": numpy_normals},
        "normals_ratio_numba_to_numpy": numba_normals / numpy_normals,
        "n_neurons": n_neurons,
        "n_steps": n_steps,
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
