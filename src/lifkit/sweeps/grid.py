"""A sweep's grid: named axes of values, and the model and stimulus of any run of points.

The grid is the outer product of its axes, in the order given; grid point ``p`` (its flat
C-order index) is neuron ``p`` of one population. A key names either

- a parameter of the model (its canonical name, e.g. ``tau_m``, ``R``, ``v_th``,
  ``t_ref``): neuron ``p`` gets the point's value through ``model.replace``; or
- a stimulus keyword: with a stimulus *factory* (a callable returning a stimulus),
  each of its parameter names; with a :class:`~lifkit.Constant` or :class:`~lifkit.Step`
  stimulus, or a sum with exactly one of them (``Constant(1.0) + WhiteNoise("2 mV")``),
  ``amplitude``, which replaces that Constant's or Step's amplitude.

Values are numbers in base units (ms, mV, nA, MΩ, Hz, ...) or strings with units. For
the ``amplitude`` of a Constant or Step, numbers are in the unit the stimulus was given
in (mV for a voltage drive such as ``Constant("20 mV")``, else nA). A factory receives
float64 arrays (one value per neuron) in base units; strings with units are converted.
"""

from __future__ import annotations

import difflib
import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, cast

import numpy as np

from ..engine.plan import planner_for
from ..errors import ParameterError
from ..stimuli import Constant, Step, Stimulus
from ..stimuli.base import Sum
from ..units import BASE_UNITS, dimension_of, to_base

StimulusFactory = Callable[..., Stimulus]


@dataclass(frozen=True)
class Grid:
    """The parsed axes of a sweep and how to build the runs of its points.

    >>> import lifkit as lk
    >>> grid = Grid.parse(lk.LIF.preset("orhan"), lk.Constant("20 mV"),
    ...                   {"tau_m": ["5 ms", "10 ms"], "amplitude": [16, 20, 30]})
    >>> grid.shape, grid.units
    ((2, 3), {'tau_m': 'ms', 'amplitude': 'mV'})
    >>> model, stimulus = grid.part(2, 4)  # points 2 and 3: (5 ms, 30 mV), (10 ms, 16 mV)
    >>> model.tau_m.tolist(), stimulus.evaluate(0.0, R=1.0).tolist()
    ([5.0, 10.0], [[30.0, 16.0]])
    """

    axes: Mapping[str, np.ndarray]
    units: Mapping[str, str]
    model: Any
    model_keys: tuple[str, ...]
    stimulus_keys: tuple[str, ...]
    factory: StimulusFactory | None
    stimulus: Stimulus | None

    @property
    def shape(self) -> tuple[int, ...]:
        """Number of values of each axis.

        >>> import lifkit as lk
        >>> grid = Grid.parse(lk.LIF.preset("orhan"), lk.Constant("20 mV"),
        ...                   {"tau_m": ["5 ms", "10 ms"], "amplitude": [16, 20, 30]})
        >>> grid.shape
        (2, 3)
        """
        return tuple(values.size for values in self.axes.values())

    @property
    def n_points(self) -> int:
        """Number of grid points (neurons).

        >>> import lifkit as lk
        >>> grid = Grid.parse(lk.LIF.preset("orhan"), lk.Constant("20 mV"),
        ...                   {"tau_m": ["5 ms", "10 ms"], "amplitude": [16, 20, 30]})
        >>> grid.n_points
        6
        """
        return int(np.prod(self.shape))

    @classmethod
    def parse(cls, model: Any, stimulus: Any, grid: Any) -> Grid:
        """Check ``grid`` against ``model`` and ``stimulus``; every mistake names its key.

        >>> import lifkit as lk
        >>> Grid.parse(lk.LIF.preset("orhan"), lk.Constant("20 mV"), {"tau": [5, 10]})
        ... # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        lifkit.errors.ParameterError: tau = [5, 10]: is not a grid key (did you mean 'tau_m'?); ...
        """
        if not isinstance(grid, Mapping) or not grid:
            raise ParameterError(
                "grid", grid, "give a dict of axes, e.g. {'tau_m': [5, 10], 'amplitude': [1, 2]}"
            )
        planner_for(model)  # a non-model is a ParameterError naming the model types
        _check_scalar("model", model)
        fields = {f.name: f for f in model.FIELDS}
        factory, template, stimulus_names = _stimulus_side(stimulus)
        missing = sorted(_required(factory) - set(grid)) if factory is not None else []
        if missing:
            raise ParameterError(
                missing[0], None, "the stimulus function needs it; add it to the grid"
            )
        axes: dict[str, np.ndarray] = {}
        units: dict[str, str] = {}
        for key, values in grid.items():
            if not isinstance(key, str):
                raise ParameterError("grid", key, "keys must be parameter or stimulus names")
            in_model, in_stimulus = key in fields, key in stimulus_names or "**" in stimulus_names
            if in_model and key in stimulus_names:
                raise ParameterError(
                    key, "grid key", "is both a model parameter and a stimulus keyword; rename it"
                )
            if in_model:
                dimension = fields[key].dimension
                axes[key] = _axis(key, values, dimension)
                units[key] = BASE_UNITS[dimension][0]
            elif in_stimulus:
                axes[key], units[key] = _stimulus_axis(key, values, template)
            else:
                problem = _unknown_key(model, stimulus, fields)
                close = difflib.get_close_matches(key, [*fields, *stimulus_names], n=1)
                hint = f" (did you mean {close[0]!r}?)" if close and close[0] != "**" else ""
                raise ParameterError(key, _short(values), f"is not a grid key{hint}; {problem}")
        model_keys = tuple(k for k in axes if k in fields)
        parsed = cls(
            axes=axes,
            units=units,
            model=model,
            model_keys=model_keys,
            stimulus_keys=tuple(k for k in axes if k not in fields),
            factory=factory,
            stimulus=template,
        )
        parsed.part(0, parsed.n_points)  # validates every point's parameters now
        return parsed

    def values(self, key: str, start: int, stop: int) -> np.ndarray:
        """The value of axis ``key`` at grid points [start, stop) (flat indices).

        >>> import lifkit as lk
        >>> grid = Grid.parse(lk.LIF.preset("orhan"), lk.Constant("20 mV"),
        ...                   {"tau_m": ["5 ms", "10 ms"], "amplitude": [16, 20, 30]})
        >>> grid.values("amplitude", 0, 6), grid.values("tau_m", 2, 5)  # mV, ms
        (array([16., 20., 30., 16., 20., 30.]), array([ 5., 10., 10.]))
        """
        axis = list(self.axes).index(key)
        index = np.unravel_index(np.arange(start, stop), self.shape)[axis]
        return np.ascontiguousarray(self.axes[key][index])

    def part(self, start: int, stop: int) -> tuple[Any, Stimulus]:
        """The (model, stimulus) of grid points [start, stop) as neurons 0 .. stop-start-1.

        >>> import lifkit as lk
        >>> grid = Grid.parse(lk.LIF.preset("orhan"), lk.Constant("20 mV"),
        ...                   {"tau_m": ["5 ms", "10 ms"], "amplitude": [16, 20, 30]})
        >>> model, stimulus = grid.part(4, 6)  # tau_m = 10 ms at 20 and 30 mV
        >>> model.tau_m.tolist(), stimulus.evaluate(0.0, R=1.0).tolist()
        ([10.0, 10.0], [[20.0, 30.0]])
        """
        n = stop - start
        model = self.model
        if self.model_keys:
            model = model.replace(**{k: self.values(k, start, stop) for k in self.model_keys})
        given = {k: self.values(k, start, stop) for k in self.stimulus_keys}
        if self.factory is not None:
            stimulus = self.factory(**given)
            if not isinstance(stimulus, Stimulus):
                raise ParameterError(
                    "stimulus", stimulus, "the factory must return a stimulus such as lk.Constant"
                )
        elif given:
            stimulus = _with_amplitude(
                cast(Stimulus, self.stimulus), given["amplitude"], self.units["amplitude"]
            )
        else:
            stimulus = cast(Stimulus, self.stimulus)
        if stimulus.n_neurons not in (1, n):
            raise ParameterError(
                "stimulus",
                f"<{stimulus.n_neurons} values>",
                f"the factory must return one value per grid point ({n}) or one shared value",
            )
        return model, stimulus


def _stimulus_side(stimulus: Any) -> tuple[StimulusFactory | None, Stimulus | None, set[str]]:
    """(factory, template stimulus, accepted stimulus keys; "**" for any)."""
    if isinstance(stimulus, Stimulus):
        _check_scalar("stimulus", stimulus)
        names = {"amplitude"} if _amplitude_part(stimulus) is not None else set()
        return None, stimulus, names
    if callable(stimulus):
        try:
            parameters = inspect.signature(stimulus).parameters.values()
        except (TypeError, ValueError):
            return stimulus, None, {"**"}
        names = {p.name for p in parameters if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)}
        if any(p.kind is p.VAR_KEYWORD for p in parameters):
            names.add("**")
        return stimulus, None, names
    raise ParameterError(
        "stimulus", stimulus, "give a stimulus (lk.Constant(1.0)) or a function returning one"
    )


def _required(factory: StimulusFactory) -> set[str]:
    """The parameters of a stimulus function that have no default."""
    try:
        parameters = inspect.signature(factory).parameters.values()
    except (TypeError, ValueError):
        return set()
    kinds = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
    return {p.name for p in parameters if p.kind in kinds and p.default is p.empty}


def _check_scalar(name: str, value: Any) -> None:
    if getattr(value, "n_neurons", 1) != 1:
        raise ParameterError(
            name,
            f"<{value.n_neurons} neurons>",
            "must describe one neuron in a sweep; put per-point values in the grid",
        )


def _axis(key: str, values: Any, dimension: str) -> np.ndarray:
    """The values of one axis as a 1-d float64 array in the base unit of ``dimension``."""
    if isinstance(values, (str, bytes)) or np.ndim(values) != 1:
        raise ParameterError(key, _short(values), "give a 1-d list of values for a grid axis")
    try:
        array = np.asarray(to_base(values, dimension, key), dtype=np.float64)
    except ParameterError:  # a list of strings with units: convert each one
        array = np.array([to_base(v, dimension, key) for v in values], dtype=np.float64)
    if array.ndim != 1 or array.size == 0:
        raise ParameterError(key, _short(values), "give a non-empty 1-d list of values")
    if not np.all(np.isfinite(array)):
        raise ParameterError(key, _short(values), "contains NaN or inf; give finite values")
    return array


def _stimulus_axis(key: str, values: Any, template: Any) -> tuple[np.ndarray, str]:
    """A stimulus axis in base units and its unit ("" when only numbers go to a factory).

    Strings with units fix the dimension; numbers for the amplitude of a ``template``
    take the unit it was given in (mV for a voltage drive, else nA).
    """
    if isinstance(values, (str, bytes)) or np.ndim(values) != 1:
        raise ParameterError(key, _short(values), "give a 1-d list of values for a grid axis")
    dimensions = {dimension_of(v) for v in values if isinstance(v, str)} - {None}
    if len(dimensions) > 1:
        raise ParameterError(key, _short(values), "mixes units of different dimensions")
    if template is not None:
        default = "voltage" if _amplitude_part(template).drive else "current"
        dimension = dimensions.pop() if dimensions else default
        if dimension not in ("current", "voltage"):
            raise ParameterError(
                key, _short(values), "an amplitude is a current (nA) or a drive R*I (mV)"
            )
    else:
        dimension = dimensions.pop() if dimensions else None
    array = _axis(key, values, dimension or "current")
    return array, BASE_UNITS[dimension][0] if dimension else ""


def _amplitude_part(stimulus: Stimulus) -> Any:
    """The one Constant or Step whose amplitude the grid key ``amplitude`` sets, or None."""
    parts = stimulus.parts if isinstance(stimulus, Sum) else (stimulus,)
    found = [p for p in parts if type(p) in (Constant, Step)]
    return found[0] if len(found) == 1 else None


def _with_amplitude(template: Stimulus, amplitude: np.ndarray, unit: str) -> Stimulus:
    """``template`` with its Constant's or Step's amplitude set to ``amplitude`` (``unit``)."""
    part = _amplitude_part(template)
    one = f"1 {unit}"
    if isinstance(part, Step):
        new = Step(one, start=part.start, stop=part.stop) * amplitude
    else:
        new = Constant(one) * amplitude
    if not isinstance(template, Sum):
        return new
    return Sum([new if p is part else p for p in template.parts])


def _unknown_key(model: Any, stimulus: Any, fields: Mapping[str, Any]) -> str:
    parameters = ", ".join(fields)
    if isinstance(stimulus, Stimulus) and _amplitude_part(stimulus) is not None:
        extra = "or amplitude (of the stimulus's Constant or Step)"
    elif isinstance(stimulus, Stimulus):
        extra = (
            "(this stimulus takes no grid keys: only the amplitude of one Constant or Step "
            "can be swept; in Python pass a function such as "
            "stimulus=lambda mean: lk.WhiteNoise('2 mV', mean=mean))"
        )
    else:
        extra = "or a parameter of the stimulus function"
    return f"use a parameter of {type(model).__name__} ({parameters}) {extra}"


def _short(values: Any) -> Any:
    try:
        return list(values)[:6] if not isinstance(values, (str, bytes)) else values
    except TypeError:
        return values
