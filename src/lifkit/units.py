"""Unit handling at lifkit's boundary.

Inside lifkit every number is a float64 in the base units of PyNN's convention:
ms, mV, nA, MΩ, nF, µS and Hz. They close on themselves (MΩ·nA = mV,
nF·mV/ms = nA, µS·mV = nA, nF/µS = ms), so the numerics never convert.

Users may give a plain number (taken to be in the base unit), a string such as
``"300 pA"`` or ``"10 nS"``, or a quantity object of pint, quantities or brian2.
:func:`to_base` converts once and names the parameter when the dimension is wrong.

>>> to_base("300 pA", "current", "I")
0.3
>>> to_base("10 nS", "conductance", "g_L")
0.01
>>> to_base(2.5, "time", "t_ref")
2.5
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from .errors import ParameterError

#: The base unit of each dimension, and its size in SI units.
BASE_UNITS: dict[str, tuple[str, float]] = {
    "time": ("ms", 1e-3),
    "voltage": ("mV", 1e-3),
    "current": ("nA", 1e-9),
    "resistance": ("MΩ", 1e6),
    "capacitance": ("nF", 1e-9),
    "conductance": ("µS", 1e-6),
    "frequency": ("Hz", 1.0),
}

_SYMBOLS: dict[str, str] = {
    "s": "time",
    "V": "voltage",
    "A": "current",
    "Ohm": "resistance",
    "ohm": "resistance",
    "Ω": "resistance",
    "F": "capacitance",
    "S": "conductance",
    "Hz": "frequency",
}
_PREFIXES: dict[str, float] = {
    "": 1.0,
    "G": 1e9,
    "M": 1e6,
    "k": 1e3,
    "m": 1e-3,
    "u": 1e-6,
    "µ": 1e-6,
    "μ": 1e-6,
    "n": 1e-9,
    "p": 1e-12,
    "f": 1e-15,
}
_NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
_QUANTITY = re.compile(rf"^\s*(?P<number>{_NUMBER})\s*\*?\s*(?P<unit>\S*)\s*$")


def parse_unit(unit: str) -> tuple[str, float]:
    """Return ``(dimension, factor to the base unit)`` of a unit symbol.

    >>> parse_unit("pA")
    ('current', 0.001)
    >>> parse_unit("MOhm")
    ('resistance', 1.0)
    """
    for symbol in sorted(_SYMBOLS, key=len, reverse=True):
        prefix = unit[: len(unit) - len(symbol)]
        if unit.endswith(symbol) and prefix in _PREFIXES:
            dimension = _SYMBOLS[symbol]
            return dimension, _PREFIXES[prefix] / BASE_UNITS[dimension][1]
    known = ", ".join(sorted(_SYMBOLS))
    raise ValueError(f"unknown unit {unit!r}; use an SI prefix and one of {known}")


def to_base(value: Any, dimension: str, name: str) -> Any:
    """Convert ``value`` to the base unit of ``dimension``; plain numbers pass as they are.

    Returns a float for scalar input and a float64 array for array input.
    Raises :class:`ParameterError` naming ``name`` for a wrong dimension or bad string.

    >>> to_base("0.1 ms", "time", "dt")
    0.1
    >>> to_base("10 mV", "time", "tau_m")
    Traceback (most recent call last):
    ...
    lifkit.errors.ParameterError: tau_m = '10 mV': has dimension voltage, expected time (ms)
    """
    if dimension not in BASE_UNITS:
        raise ValueError(f"unknown dimension {dimension!r}")
    if isinstance(value, str):
        return _from_string(value, dimension, name)
    if _is_quantity(value):
        return _from_quantity(value, dimension, name)
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        unit = BASE_UNITS[dimension][0]
        raise ParameterError(
            name, value, f"expected a number in {unit} or a string like '1 {unit}'"
        ) from None
    return float(array) if array.ndim == 0 else array


def dimension_of(value: Any) -> str | None:
    """Return the dimension of a string or quantity, or None for a plain number.

    >>> dimension_of("20 mV"), dimension_of("1 nA"), dimension_of(3.0)
    ('voltage', 'current', None)
    """
    if isinstance(value, str):
        match = _QUANTITY.match(value)
        if match and match["unit"]:
            try:
                return parse_unit(match["unit"])[0]
            except ValueError:
                return None
        return None
    if _is_quantity(value):
        for dimension in BASE_UNITS:
            if _si_value(value, dimension) is not None:
                return dimension
    return None


def format_value(value: float, dimension: str) -> str:
    """Format a base-unit number with its unit symbol.

    >>> format_value(0.01, "conductance")
    '0.01 µS'
    """
    return f"{value:g} {BASE_UNITS[dimension][0]}"


def _from_string(text: str, dimension: str, name: str) -> float:
    unit_name = BASE_UNITS[dimension][0]
    match = _QUANTITY.match(text)
    if match is None:
        raise ParameterError(
            name, text, f"cannot read it; write a number and unit like '1 {unit_name}'"
        )
    number = float(match["number"])
    if not match["unit"]:
        return number
    try:
        found, factor = parse_unit(match["unit"])
    except ValueError as err:
        raise ParameterError(name, text, str(err)) from None
    if found != dimension:
        raise ParameterError(
            name, text, f"has dimension {found}, expected {dimension} ({unit_name})"
        )
    return number * factor


def _is_quantity(value: Any) -> bool:
    kind = type(value).__module__.split(".")[0]
    return kind in {"pint", "quantities", "brian2"}


_SI_SYMBOL = {
    "time": "s",
    "voltage": "V",
    "current": "A",
    "resistance": "ohm",
    "capacitance": "F",
    "conductance": "S",
    "frequency": "Hz",
}


_BRIAN2_UNIT = {
    "time": "second",
    "voltage": "volt",
    "current": "amp",
    "resistance": "ohm",
    "capacitance": "farad",
    "conductance": "siemens",
    "frequency": "Hz",
}


def _si_value(value: Any, dimension: str) -> Any:
    """The magnitude of a quantity object in SI units, or None if the dimension differs."""
    symbol = _SI_SYMBOL[dimension]
    kind = type(value).__module__.split(".")[0]
    try:
        if kind == "pint":
            return np.asarray(value.to(symbol).magnitude, dtype=np.float64)
        if kind == "quantities":
            return np.asarray(value.rescale(symbol).magnitude, dtype=np.float64)
        if kind == "brian2":
            import brian2  # only reached when the user passes brian2 quantities

            unit = getattr(brian2, _BRIAN2_UNIT[dimension])
            if not brian2.have_same_dimensions(value, unit):
                return None
            return np.asarray(value / unit, dtype=np.float64)
    except Exception:
        return None
    return None


def _from_quantity(value: Any, dimension: str, name: str) -> Any:
    si = _si_value(value, dimension)
    if si is None:
        unit_name = BASE_UNITS[dimension][0]
        raise ParameterError(
            name, value, f"has the wrong dimension, expected {dimension} ({unit_name})"
        )
    array = si / BASE_UNITS[dimension][1]
    return float(array) if array.ndim == 0 else array


def current_from(value: Any, R: Any, name: str) -> Any:
    """Convert a current, or a drive ``R I`` given as a voltage, to nA.

    A plain number is taken in nA and a current string or quantity is converted. A voltage
    (the Orhan note's drive "I = 20 mV" with R = 1 MΩ) is divided by ``R`` (MΩ; number or
    per-neuron array), since MΩ·nA = mV. Returns a float for scalar input, else an array.
    Raises :class:`ParameterError` naming ``name`` for any other dimension.

    >>> current_from("300 pA", 10.0, "I"), current_from(1.5, 10.0, "I")
    (0.3, 1.5)
    >>> current_from("20 mV", "10 MOhm", "I")  # R I = 20 mV
    2.0
    """
    dimension = dimension_of(value)
    if dimension == "voltage":
        current = to_base(value, "voltage", name) / to_base(R, "resistance", "R")
        return float(current) if np.ndim(current) == 0 else current
    if dimension not in (None, "current"):
        raise ParameterError(
            name, value, f"has dimension {dimension}; give a current (nA) or a drive R I (mV)"
        )
    return to_base(value, "current", name)
