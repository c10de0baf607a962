"""Shared machinery of the immutable parameter records: conversion, broadcasting, display."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Self

import numpy as np

from ..errors import ParameterError
from ..units import BASE_UNITS, to_base


@dataclass(frozen=True)
class Field:
    """One parameter of a record: its name, physical dimension and meaning.

    >>> Field("tau_m", "time", "membrane time constant").dimension
    'time'
    """

    name: str
    dimension: str
    doc: str


def as_parameter(value: Any, field: Field) -> np.ndarray:
    """Convert one user value to a read-only float64 array (0-d or 1-d) in base units.

    >>> as_parameter("0.02 s", Field("tau_m", "time", "membrane time constant"))  # ms
    array(20.)
    """
    array = np.array(to_base(value, field.dimension, field.name), dtype=np.float64)
    if array.ndim > 1:
        raise ParameterError(field.name, value, "must be a scalar or a 1-d per-neuron array")
    if array.size == 0:
        raise ParameterError(field.name, value, "is empty; give a scalar or one value per neuron")
    if not np.all(np.isfinite(array)):
        raise ParameterError(field.name, value, "contains NaN or inf; give finite values")
    array.flags.writeable = False
    return array


def common_size(named: Mapping[str, np.ndarray]) -> int:
    """The number of neurons implied by per-neuron arrays (1 when all are scalars).

    >>> common_size({"tau_m": np.array(10.0), "v_th": np.array([15.0, 16.0, 17.0])})
    3
    """
    size = 1
    for name, array in named.items():
        if array.ndim == 1 and array.size != 1:
            if size not in (1, array.size):
                raise ParameterError(
                    name,
                    f"<{array.size} values>",
                    f"length {array.size} does not match other per-neuron arrays of length {size}",
                )
            size = array.size
    return size


def require(condition: np.ndarray | bool, name: str, value: Any, problem: str) -> None:
    """Raise :class:`ParameterError` unless ``condition`` holds for every neuron.

    >>> tau_m = np.array([10.0, -1.0])
    >>> require(tau_m > 0, "tau_m", tau_m, "must be > 0 ms")
    Traceback (most recent call last):
    ...
    lifkit.errors.ParameterError: tau_m = [10.0, -1.0]: must be > 0 ms
    """
    if not np.all(condition):
        raise ParameterError(name, _display(value), problem)


def _display(value: Any) -> Any:
    array = np.asarray(value)
    return float(array) if array.ndim == 0 else array.tolist()


class ParameterRecord:
    """Base of the model records: immutable, validated, broadcastable per neuron.

    Subclasses list their canonical :attr:`FIELDS`; values are float64 arrays in base
    units, scalars as 0-d arrays and per-neuron values as 1-d arrays.

    >>> from lifkit import LIF
    >>> LIF.preset("orhan", v_th=[15.0, 20.0]).n_neurons
    2
    """

    FIELDS: ClassVar[tuple[Field, ...]] = ()
    PRESETS: ClassVar[dict[str, dict[str, Any]]] = {}
    #: Groups of constructor names that describe the same quantities, with how many of
    #: each group determine them (e.g. two of tau_m, R, C_m, g_L).
    EQUIVALENT: ClassVar[tuple[tuple[tuple[str, ...], int], ...]] = ()
    #: Combinations within a group that do not determine the quantities (R with g_L).
    REDUNDANT: ClassVar[frozenset[frozenset[str]]] = frozenset()
    __slots__ = ("_values", "n_neurons")
    _values: dict[str, np.ndarray]
    n_neurons: int

    def _set(self, values: dict[str, np.ndarray]) -> None:
        object.__setattr__(self, "_values", values)
        object.__setattr__(self, "n_neurons", common_size(values))

    def __getattr__(self, name: str) -> np.ndarray:
        try:
            return object.__getattribute__(self, "_values")[name]
        except KeyError:
            raise AttributeError(f"{type(self).__name__} has no parameter {name!r}") from None

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable; use .replace({name}=...)")

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle as the constructor call of the canonical values (for Dask and processes)."""
        return (_rebuild, (type(self), dict(self._values)))

    def values(self) -> dict[str, np.ndarray]:
        """The canonical parameters as a name -> array mapping (base units).

        >>> from lifkit import LIF
        >>> LIF.preset("orhan").values()["v_th"]  # mV
        array(15.)
        """
        return dict(self._values)

    def replace(self, **changes: Any) -> ParameterRecord:
        """A copy with some canonical parameters changed (validated again).

        >>> from lifkit import LIF
        >>> float(LIF.preset("orhan").replace(t_ref="2 ms").t_ref)  # ms
        2.0
        """
        unknown = set(changes) - {f.name for f in self.FIELDS}
        if unknown:
            raise ParameterError(
                sorted(unknown)[0],
                changes[sorted(unknown)[0]],
                f"is not a parameter of {type(self).__name__}",
            )
        return type(self)(**{**self._values, **changes})

    def broadcast(self, n_neurons: int) -> dict[str, np.ndarray]:
        """Every parameter as a contiguous float64 array of length ``n_neurons``.

        >>> from lifkit import LIF
        >>> LIF.preset("orhan").broadcast(3)["tau_m"]  # ms
        array([10., 10., 10.])
        """
        if self.n_neurons not in (1, n_neurons):
            raise ParameterError(
                "n_neurons",
                n_neurons,
                f"the model has {self.n_neurons} per-neuron values; cannot broadcast",
            )
        return {
            k: np.ascontiguousarray(np.broadcast_to(v, (n_neurons,)))
            for k, v in self._values.items()
        }

    @classmethod
    def preset(cls, name: str, **overrides: Any) -> Self:
        """A named parameter set from the seed documents, optionally with overrides.

        An override given under another name of the same quantity (``C_m`` for a preset
        stored with ``tau_m`` and ``R``, ``E_L`` for ``v_rest``) replaces the preset's
        value: of each group, the overrides are kept and the preset fills in the rest.

        >>> from lifkit import LIF
        >>> lif = LIF.preset("orhan", C_m="5 nF")  # keeps tau_m = 10 ms, so R = 2 MΩ
        >>> float(lif.tau_m), float(lif.R)
        (10.0, 2.0)
        """
        if name not in cls.PRESETS:
            raise ParameterError("preset", name, f"unknown; choose one of {sorted(cls.PRESETS)}")
        merged = dict(overrides)
        preset = cls.PRESETS[name]
        grouped = {key for group, _ in cls.EQUIVALENT for key in group}
        merged.update({k: v for k, v in preset.items() if k not in grouped and k not in merged})
        for group, needed in cls.EQUIVALENT:
            chosen = [k for k in group if k in overrides]
            for key in (k for k in group if k in preset and k not in chosen):
                if len(chosen) < needed and frozenset((*chosen, key)) not in cls.REDUNDANT:
                    chosen.append(key)
                    merged[key] = preset[key]
        return cls(**merged)

    def describe(self) -> str:
        """A table of the parameters with units and meaning, one line each.

        >>> from lifkit import LIF
        >>> print(LIF.preset("orhan").describe().splitlines()[4])
        v_th               15 mV   firing threshold
        """
        lines = []
        for field in self.FIELDS:
            value = _display(self._values[field.name])
            unit = BASE_UNITS[field.dimension][0]
            shown = f"{value:g}" if isinstance(value, float) else str(value)
            lines.append(f"{field.name:<8} {shown:>12} {unit:<3}  {field.doc}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        parts = []
        for field in self.FIELDS:
            value = _display(self._values[field.name])
            unit = BASE_UNITS[field.dimension][0]
            shown = f"{value:g}" if isinstance(value, float) else f"<{len(value)} values>"
            parts.append(f"{field.name}={shown} {unit}")
        return f"{type(self).__name__}({', '.join(parts)})"


def _rebuild(cls: type[ParameterRecord], values: dict[str, np.ndarray]) -> ParameterRecord:
    """Unpickle a record: canonical names are constructor keywords, as in ``replace``."""
    return cls(**values)
