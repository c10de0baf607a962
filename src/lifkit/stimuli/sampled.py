"""Currents given as sampled arrays (Brian's "timed array"), shared or per neuron."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..errors import ParameterError
from ..units import BASE_UNITS, parse_unit
from .base import Stimulus, Term, TimeGrid, as_current
from .noise import _positive_time, steps_per_sample


class TimedArray(Stimulus):
    """A current held at ``values[j]`` during ``[j*interval, (j+1)*interval)`` ms.

    ``values`` has shape (n_samples,) for a current shared by all neurons or
    (n_samples, n_neurons) for one current per neuron; ``unit`` names its unit
    (a current such as "pA", or "mV" for a voltage drive R*I). ``interval`` must be a
    whole multiple of the run's dt and the samples must cover the whole run.

    >>> current = TimedArray([0.0, 1.0, 2.0], interval=0.5, unit="pA")
    >>> current.evaluate([0.0, 0.5, 1.2]).tolist()
    [0.0, 0.001, 0.002]
    """

    def __init__(self, values: Any, *, interval: Any, unit: str = "nA") -> None:
        try:
            dimension, factor = parse_unit(unit)
        except ValueError as err:
            raise ParameterError("unit", unit, str(err)) from None
        if dimension not in ("current", "voltage"):
            raise ParameterError("unit", unit, "must be a current (nA) or a voltage drive (mV)")
        array = np.array(values, dtype=np.float64) * factor
        if array.ndim not in (1, 2) or array.shape[0] == 0:
            raise ParameterError(
                "values",
                f"<shape {array.shape}>",
                "must have shape (n_samples,) or (n_samples, n_neurons)",
            )
        if not np.all(np.isfinite(array)):
            bad = int(np.flatnonzero(~np.isfinite(array.ravel()))[0])
            raise ParameterError(
                "values",
                f"<NaN/inf at flat index {bad}>",
                "must be finite; replace NaN/inf samples",
            )
        array.flags.writeable = False
        self.values = array
        self.drive = dimension == "voltage"
        self.interval = _positive_time(interval, "interval")
        self.n_neurons = 1 if array.ndim == 1 else array.shape[1]

    @property
    def coverage(self) -> float:
        """The time span the samples cover, in ms.

        >>> TimedArray([0.0, 1.0, 2.0], interval=0.5).coverage
        1.5
        """
        return self.values.shape[0] * self.interval

    def lower(self, grid: TimeGrid) -> list[Term]:
        """A "wave" term for a shared current, a "sampled" one for per-neuron currents.

        >>> (term,) = TimedArray([1.0, 2.0], interval=0.2).lower(TimeGrid(dt=0.1, n_steps=4))
        >>> term.kind, term.start.tolist()  # nA, each sample held for two steps
        ('wave', [1.0, 1.0, 2.0, 2.0])
        >>> TimedArray([[1.0, 2.0]], interval=0.1).lower(TimeGrid(0.1, 1))[0].kind
        'sampled'
        """
        per_sample = steps_per_sample(self.interval, grid)
        if grid.n_steps > self.values.shape[0] * per_sample:
            raise ParameterError(
                "duration",
                grid.duration,
                f"is longer than the TimedArray's {self.coverage:g} ms; add samples or shorten",
            )
        index = np.arange(grid.n_steps) // per_sample
        held = self.values[index]
        if self.values.ndim == 1:
            return [Term("wave", np.ones(1), self.drive, held, held)]
        return [Term("sampled", np.ones(1), self.drive, np.ascontiguousarray(held))]

    def _evaluate_current(self, t: np.ndarray, R: Any) -> np.ndarray:
        index = np.floor(t / self.interval + 1e-9).astype(np.int64)
        last = self.values.shape[0]
        if np.any(index < 0) or np.any((index >= last) & (t > self.coverage)):
            raise ParameterError("t", "outside", f"must lie in [0, {self.coverage:g}] ms")
        held = self.values[np.minimum(index, last - 1)].reshape(t.size, -1)
        return as_current(held, self.drive, R, "values")

    def __repr__(self) -> str:
        unit = "mV" if self.drive else BASE_UNITS["current"][0]
        return f"TimedArray(<shape {self.values.shape}> {unit}, interval={self.interval:g})"
