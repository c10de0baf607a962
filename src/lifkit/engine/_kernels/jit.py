"""Compiled copies of the plain-Python kernels.

The kernel modules are plain Python in numba's nopython subset so that tiny runs can
execute them without importing numba. This module rebuilds each kernel function with
globals that point at compiled helpers and compiles it with ``numba.njit(cache=True)``;
the parallel variant of a chunk function also swaps ``range`` for ``numba.prange``.
Importing it imports numba.

A kernel module may name functions in a tuple ``INLINE``: numba inlines them into their
callers before compiling, so that a loop calling them can vectorise.

numba's on-disk cache checks only the compiled function's own source file, so a cached
kernel would keep an old copy of a changed helper. The cache therefore lives in a folder
named by a fingerprint of every kernel source and the numba version (under
``$LIFKIT_CACHE_DIR``, else ``$XDG_CACHE_HOME/lifkit``, else ``~/.cache/lifkit``).
"""

import contextlib
import hashlib
import inspect
import os
import types
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import numba

from . import adex, alif, buffers, event_driven, events, expdiff, inputs, lif, rng, synaptic

_KERNEL_MODULES = (rng, buffers, inputs, lif, alif, adex, expdiff, events, synaptic, event_driven)


def cache_dir() -> Path:
    """The folder of lifkit's compiled kernels for the current kernel sources."""
    digest = hashlib.sha256(numba.__version__.encode())
    for module in _KERNEL_MODULES:
        digest.update(inspect.getsource(module).encode())
    root = (
        os.environ.get("LIFKIT_CACHE_DIR")
        or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "lifkit"
    )
    return Path(root) / f"kernels-{digest.hexdigest()[:16]}"


@contextlib.contextmanager
def _caching_into(folder: Path) -> Iterator[None]:
    """Point numba's cache at ``folder`` while functions are decorated (it is read then)."""
    config: Any = numba.config
    previous = config.CACHE_DIR
    config.CACHE_DIR = str(folder)
    try:
        yield
    finally:
        config.CACHE_DIR = previous


@cache
def _compiled_helpers() -> dict[str, dict[str, Any]]:
    """Every kernel function of every kernel module, compiled, by module and name.

    Modules may reuse a name (each family has its ``run_chunk``): a module's functions
    see its own compiled functions and those it imports from earlier modules.
    """
    with _caching_into(cache_dir()):
        return _compile_all()


def _compile_all() -> dict[str, dict[str, Any]]:
    compiled: dict[str, dict[str, Any]] = {}
    for module in _KERNEL_MODULES:
        namespace = {**vars(module), **_imported(module, compiled)}
        inline = getattr(module, "INLINE", ())
        own: dict[str, Any] = {}
        for name, obj in vars(module).items():
            if isinstance(obj, types.FunctionType) and obj.__module__ == module.__name__:
                options: dict[str, Any] = {"inline": "always"} if name in inline else {}
                own[name] = numba.njit(cache=True, **options)(_rebuild(obj, namespace, name))
                namespace[name] = own[name]
        compiled[module.__name__] = own
    return compiled


def _imported(module: types.ModuleType, compiled: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The compiled versions of the functions ``module`` imports from other kernel modules."""
    return {
        name: compiled[obj.__module__][obj.__name__]
        for name, obj in vars(module).items()
        if isinstance(obj, types.FunctionType) and obj.__module__ in compiled
    }


def _rebuild(function: types.FunctionType, namespace: dict[str, Any], name: str) -> Any:
    copy = types.FunctionType(function.__code__, namespace, name, function.__defaults__)
    copy.__qualname__ = name
    copy.__module__ = function.__module__
    return copy


@cache
def chunk_function(module_name: str, name: str, parallel: bool) -> Callable[..., int]:
    """The compiled chunk function ``name`` of a kernel module, serial or parallel (the
    serial one when the module has no parallel loop: no ``prange``)."""
    module = {m.__name__.rsplit(".", 1)[1]: m for m in _KERNEL_MODULES}[module_name]
    compiled = _compiled_helpers()
    if not parallel or not hasattr(module, "prange"):
        return compiled[module.__name__][name]
    own = compiled[module.__name__]
    namespace = {**vars(module), **_imported(module, compiled), **own, "prange": numba.prange}
    function = _rebuild(getattr(module, name), namespace, f"{name}_parallel")
    with _caching_into(cache_dir()):
        return numba.njit(cache=True, parallel=True)(function)


def set_threads(threads: int) -> None:
    """Set numba's thread count for parallel kernels."""
    numba.set_num_threads(threads)


def max_threads() -> int:
    """numba's maximum number of threads."""
    config: Any = numba.config
    return int(config.NUMBA_NUM_THREADS)
