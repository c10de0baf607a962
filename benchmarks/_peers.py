"""Running a model in Brian2 (runtime or C++ standalone) or NEST, timed the same way.

Used by the benchmarks' peer children under the peer interpreter. A model is a function
``build(b2) -> (objects, read)``: the Brian2 objects to put in a network and a function
returning a dict of results (spike count, ...) once the network has run.
"""

from __future__ import annotations

import gc
import time
from pathlib import Path

from _common import cache_dir


def brian2(build, duration_ms, *, mode, threads, project, dt=0.1, seed=1, warm_up=True):
    """Run ``build``'s network for ``duration_ms`` in Brian2; a report with ``run_s``.

    runtime (Brian2's default code generation, single-threaded): a first network runs one
    step (code generation, compilation or loading from Brian2's cache: ``prepare_s``), then
    a second, fresh network runs the full time (``run_s``). cpp_standalone: the project
    ``project`` in the session cache (recompiled only when the generated code changes);
    ``run_s`` is the C++ run loop's own time, ``prepare_s`` the rest of code generation,
    compilation and the binary's start and output. ``warm_up=False``: runtime mode runs
    the full time on the first network (``run_s`` then includes code generation).
    """
    import brian2 as b2

    b2.prefs.codegen.runtime.cython.cache_dir = cache_dir("brian2-cython")
    if mode == "cpp_standalone":
        directory = str(Path(cache_dir("brian2-standalone")) / f"{project}-{threads}")
        b2.set_device("cpp_standalone", directory=directory, build_on_run=False)
        b2.prefs.devices.cpp_standalone.openmp_threads = threads if threads > 1 else 0
    b2.defaultclock.dt = dt * b2.ms

    def network():
        b2.start_scope()
        b2.seed(seed)
        start = time.perf_counter()
        objects, read = build(b2)
        return b2.Network(*objects), read, time.perf_counter() - start

    if mode == "cpp_standalone":
        start = time.perf_counter()
        net, read, build_s = network()
        net.run(duration_ms * b2.ms)
        b2.device.build(directory=directory, compile=True, run=True, with_output=False)
        run_s = b2.device._last_run_time
        prepare_s = time.perf_counter() - start - run_s - build_s
    else:
        prepare_s = None
        if warm_up:
            start = time.perf_counter()
            network()[0].run(dt * b2.ms)
            gc.collect()  # frees the first network's names: the second reuses its code
            prepare_s = time.perf_counter() - start
        net, read, build_s = network()
        start = time.perf_counter()
        net.run(duration_ms * b2.ms)
        run_s = time.perf_counter() - start
    return {
        "run_s": run_s,
        "prepare_s": prepare_s,
        "build_s": build_s,
        "version": b2.__version__,
        **read(),
    }


def nest_kernel(threads, *, dt=0.1, seed=1):
    """NEST, reset, quiet, with the resolution, thread count and seed."""
    import nest

    nest.ResetKernel()
    nest.set_verbosity("M_ERROR")
    nest.SetKernelStatus({"resolution": dt, "local_num_threads": threads, "rng_seed": seed})
    return nest


def nest_run(nest, duration_ms):
    """``Prepare`` (``prepare_s``), then ``Run(duration_ms)`` timed (``run_s``)."""
    start = time.perf_counter()
    nest.Prepare()
    prepare_s = time.perf_counter() - start
    start = time.perf_counter()
    nest.Run(duration_ms)
    run_s = time.perf_counter() - start
    nest.Cleanup()
    return {"run_s": run_s, "prepare_s": prepare_s, "version": nest.__version__}
