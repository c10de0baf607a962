"""Compiled copies of the plain-Python kernels.

The kernel modules are plain Python in numba's nopython subset so that tiny runs can
execute them without importing numba. This module rebuilds each kernel function with
globals that point at compiled helpers and compiles it with ``numba.njit(cache=True)``;
the parallel variant of a chunk function also swaps ``range`` for ``numba.prange``.
Importing it imports numba.

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

from . import buffers, inputs, lif, rng

_KERNEL_MODULES = (rng, buffers, inputs, lif)


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
def _compiled_helpers() -> dict[str, Any]:
    """Every kernel function of every kernel module, compiled, by name."""
    with _caching_into(cache_dir()):
        return _compile_all()


def _compile_all() -> dict[str, Any]:
    compiled: dict[str, Any] = {}
    for module in _KERNEL_MODULES:
        namespace = dict(vars(module))
        namespace.update(compiled)
        for name, obj in vars(module).items():
            if isinstance(obj, types.FunctionType) and obj.__module__ == module.__name__:
                compiled[name] = numba.njit(cache=True)(_rebuild(obj, namespace, name))
                namespace[name] = compiled[name]
    return compiled


def _rebuild(function: types.FunctionType, namespace: dict[str, Any], name: str) -> Any:
    copy = types.FunctionType(function.__code__, namespace, name, function.__defaults__)
    copy.__qualname__ = name
    copy.__module__ = function.__module__
    return copy


@cache
def chunk_function(module_name: str, name: str, parallel: bool) -> Callable[..., int]:
    """The compiled chunk function ``name`` of a kernel module, serial or parallel."""
    module = {m.__name__.rsplit(".", 1)[1]: m for m in _KERNEL_MODULES}[module_name]
    helpers = _compiled_helpers()
    if not parallel:
        return helpers[name]
    namespace = {**vars(module), **helpers, "prange": numba.prange}
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
