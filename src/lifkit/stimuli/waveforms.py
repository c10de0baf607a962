"""Deterministic current waveforms: constant, step, linear ramp and sinusoid.

Each is zero outside its window [start, stop) (ms). Within a run they are integrated
exactly when piecewise linear between grid points (constant, step, ramp with edges on
the grid) and to O((ω dt)²) for the sinusoid; an edge that falls inside a step is spread
linearly across that step.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..errors import ParameterError
from ..units import to_base
from .base import Stimulus, Term, TimeGrid, _short, amplitude, as_current

ShapeFunction = Callable[[np.ndarray], np.ndarray]


class _Windowed(Stimulus):
    """A shape f(t) switched on in [start, stop), times a per-neuron amplitude."""

    def __init__(self, amp: Any, start: Any, stop: Any, name: str = "amplitude") -> None:
        self.amplitude, self.drive = amplitude(amp, name)
        self.start = float(to_base(start, "time", "start"))
        self.stop = float(to_base(stop, "time", "stop"))
        if not np.isfinite(self.start) or self.start < 0:
            raise ParameterError("start", start, "must be a finite time >= 0 ms")
        if not self.stop > self.start:
            raise ParameterError("stop", stop, f"must be after start = {self.start:g} ms")
        self.n_neurons = self.amplitude.size

    def shape(self, t: np.ndarray) -> np.ndarray:
        """The dimensionless shape inside the window at times t (ms)."""
        raise NotImplementedError

    def window_values(self, grid: TimeGrid, shape: ShapeFunction) -> tuple[np.ndarray, np.ndarray]:
        """``shape`` at the start (right limit) and end (left limit) of every step."""
        k = np.arange(grid.n_steps, dtype=np.float64)
        p, q = grid.index_of(self.start), grid.index_of(self.stop)
        start = np.where((p <= k) & (k < q), shape(k * grid.dt), 0.0)
        end = np.where((p < k + 1) & (k + 1 <= q), shape((k + 1) * grid.dt), 0.0)
        return start, end

    def lower(self, grid: TimeGrid) -> list[Term]:
        start, end = self.window_values(grid, self.shape)
        return [Term("wave", self.amplitude, self.drive, start, end)]

    def _evaluate_current(self, t: np.ndarray, R: Any) -> np.ndarray:
        inside = (t >= self.start) & (t < self.stop)
        shape = np.where(inside, self.shape(t), 0.0)[:, None]
        return shape * as_current(self.amplitude, self.drive, R, "amplitude")


class Constant(Stimulus):
    """A constant current I (nA, or a voltage drive R*I in mV), scalar or per neuron.

    >>> Constant("300 pA").evaluate([0.0, 5.0]).tolist()
    [0.3, 0.3]
    """

    def __init__(self, amplitude: Any) -> None:
        self.amplitude, self.drive = _amplitude(amplitude)
        self.n_neurons = self.amplitude.size

    def lower(self, grid: TimeGrid) -> list[Term]:
        """One "constant" term whose gain is the amplitude.

        >>> Constant("20 mV").lower(TimeGrid(dt=0.1, n_steps=4))[0].gain  # a drive R*I
        array([20.])
        """
        return [Term("constant", self.amplitude, self.drive)]

    def _evaluate_current(self, t: np.ndarray, R: Any) -> np.ndarray:
        return np.ones((t.size, 1)) * as_current(self.amplitude, self.drive, R, "amplitude")

    def __repr__(self) -> str:
        return f"Constant({_short(self.amplitude)})"


def _amplitude(value: Any) -> tuple[np.ndarray, bool]:
    return amplitude(value, "amplitude")


class Step(_Windowed):
    """A current step of ``amplitude`` from ``start`` to ``stop`` (ms), zero elsewhere.

    >>> Step(2.0, start=5.0, stop=10.0).evaluate([0.0, 5.0, 9.9, 10.0]).tolist()
    [0.0, 2.0, 2.0, 0.0]
    """

    def __init__(self, amplitude: Any, *, start: Any = 0.0, stop: Any = np.inf) -> None:
        super().__init__(amplitude, start, stop)

    def shape(self, t: np.ndarray) -> np.ndarray:
        """1 at every time t (ms) in the window.

        >>> Step(2.0).shape(np.array([0.0, 7.5]))
        array([1., 1.])
        """
        return np.ones_like(t)

    def __repr__(self) -> str:
        return f"Step({_short(self.amplitude)}, start={self.start:g}, stop={self.stop:g})"


class Ramp(_Windowed):
    """A current rising linearly from ``amplitude_start`` at ``start`` to ``amplitude_stop``
    at ``stop`` (ms), zero outside, as neurodynex3's ``get_ramp_current``.

    The Soroush report's ``I = 10 t`` pA over 400 ms:

    >>> ramp = Ramp(0.0, "4000 pA", start=0.0, stop=400.0)
    >>> ramp.evaluate([100.0, 200.0]).tolist()
    [1.0, 2.0]
    """

    def __init__(self, amplitude_start: Any, amplitude_stop: Any, *, start: Any, stop: Any) -> None:
        super().__init__(amplitude_stop, start, stop, "amplitude_stop")
        if not np.isfinite(self.stop):
            raise ParameterError("stop", stop, "a ramp needs a finite stop time")
        first, first_drive = amplitude(amplitude_start, "amplitude_start")
        if first_drive != self.drive and np.any(first != 0):
            raise ParameterError(
                "amplitude_start", amplitude_start, "must have the same dimension as amplitude_stop"
            )
        self.amplitude_start = first
        self.n_neurons = max(self.n_neurons, first.size)

    def shape(self, t: np.ndarray) -> np.ndarray:
        """The fraction of the window elapsed at times t (ms), 0 at start to 1 at stop.

        >>> Ramp(0.0, 1.0, start=10.0, stop=20.0).shape(np.array([10.0, 15.0]))
        array([0. , 0.5])
        """
        return (t - self.start) / (self.stop - self.start)

    def lower(self, grid: TimeGrid) -> list[Term]:
        """A rising wave of gain ``amplitude_stop - amplitude_start``, plus a step of
        ``amplitude_start`` when it is not zero.

        >>> ramp = Ramp(1.0, 3.0, start=0.0, stop=0.4)
        >>> [term.gain.tolist() for term in ramp.lower(TimeGrid(dt=0.1, n_steps=4))]
        [[2.0], [1.0]]
        """
        start, end = self.window_values(grid, self.shape)
        terms = [Term("wave", self.amplitude - self.amplitude_start, self.drive, start, end)]
        if np.any(self.amplitude_start != 0):
            start, end = self.window_values(grid, np.ones_like)
            terms.append(Term("wave", self.amplitude_start, self.drive, start, end))
        return terms

    def _evaluate_current(self, t: np.ndarray, R: Any) -> np.ndarray:
        inside = ((t >= self.start) & (t < self.stop))[:, None]
        frac = self.shape(t)[:, None]
        lo = as_current(self.amplitude_start, self.drive, R, "amplitude_start")
        hi = as_current(self.amplitude, self.drive, R, "amplitude_stop")
        return np.where(inside, lo + (hi - lo) * frac, 0.0)

    def __repr__(self) -> str:
        return (
            f"Ramp({_short(self.amplitude_start)}, {_short(self.amplitude)}, "
            f"start={self.start:g}, stop={self.stop:g})"
        )


class Sinusoid(_Windowed):
    """``offset + amplitude * sin(2π frequency (t - start) + phase)`` in [start, stop).

    ``frequency`` in Hz, ``phase`` in radians, times in ms, as neurodynex3's
    ``get_sinusoidal_current`` (``direct_current`` there is ``offset`` here).

    >>> s = Sinusoid(1.0, frequency=250.0)
    >>> round(float(s.evaluate(1.0)[0]), 12)  # a quarter period after start
    1.0
    """

    def __init__(
        self,
        amplitude: Any,
        *,
        frequency: Any,
        offset: Any = 0.0,
        phase: float = 0.0,
        start: Any = 0.0,
        stop: Any = np.inf,
    ) -> None:
        super().__init__(amplitude, start, stop)
        self.frequency = float(to_base(frequency, "frequency", "frequency"))
        if not (np.isfinite(self.frequency) and self.frequency >= 0):
            raise ParameterError("frequency", frequency, "must be a finite frequency >= 0 Hz")
        self.phase = float(phase)
        if not np.isfinite(self.phase):
            raise ParameterError("phase", phase, "must be a finite angle in radians")
        step = Step(offset, start=self.start, stop=self.stop)
        self.offset = None if np.all(step.amplitude == 0) else step
        if self.offset is not None:
            self.n_neurons = max(self.n_neurons, self.offset.n_neurons)

    def shape(self, t: np.ndarray) -> np.ndarray:
        """sin(2π frequency (t - start) + phase) at times t (ms).

        >>> Sinusoid(1.0, frequency=250.0).shape(np.array([0.0, 1.0, 2.0])).round(12)
        array([0., 1., 0.])
        """
        omega = 2e-3 * np.pi * self.frequency  # rad per ms
        return np.sin(omega * (t - self.start) + self.phase)

    def lower(self, grid: TimeGrid) -> list[Term]:
        """The sine wave, plus the offset's step when there is one.

        >>> wave, offset = Sinusoid(1.0, frequency=250.0, offset=0.5).lower(TimeGrid(1.0, 4))
        >>> wave.start.round(12).tolist(), offset.gain.tolist()  # a quarter period per step
        ([0.0, 1.0, 0.0, -1.0], [0.5])
        """
        extra = self.offset.lower(grid) if self.offset is not None else []
        return super().lower(grid) + extra

    def _evaluate_current(self, t: np.ndarray, R: Any) -> np.ndarray:
        wave = super()._evaluate_current(t, R)
        return wave if self.offset is None else wave + self.offset._evaluate_current(t, R)

    def __repr__(self) -> str:
        return (
            f"Sinusoid({_short(self.amplitude)}, frequency={self.frequency:g}, "
            f"phase={self.phase:g}, start={self.start:g}, stop={self.stop:g})"
        )
