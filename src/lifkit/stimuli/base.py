"""The stimulus algebra and its lowered form.

A stimulus is an immutable description of an injected current I(t) (nA), possibly
different per neuron. Stimuli add (``a + b``), scale (``2 * a``, per-neuron arrays
allowed) and negate. Before a run each stimulus lowers to a few :class:`Term` objects
on the run's time grid; :mod:`lifkit.stimuli.lowering` folds them into kernel arrays.

Amplitudes may be currents or, for the mV-drive convention (Orhan 2012: "I = 20 mV"
with R = 1), voltages: a voltage amplitude is the drive R*I itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import ParameterError
from ..units import dimension_of, to_base


@dataclass(frozen=True)
class TimeGrid:
    """The clock of a run: ``n_steps`` steps of ``dt`` ms starting at t = 0.

    >>> TimeGrid(dt=0.1, n_steps=4).duration  # ms
    0.4
    """

    dt: float
    n_steps: int

    @property
    def duration(self) -> float:
        """Length of the run in ms.

        >>> TimeGrid(dt=0.5, n_steps=200).duration
        100.0
        """
        return self.dt * self.n_steps

    def index_of(self, t: float) -> float:
        """Position of time ``t`` (ms) in steps, snapped to an integer within 1e-9 steps.

        >>> grid = TimeGrid(dt=0.1, n_steps=4)
        >>> grid.index_of(0.3), grid.index_of(0.25)  # 0.3/0.1 is 2.9999999999999996
        (3.0, 2.5)
        """
        position = t / self.dt
        nearest = round(position) if np.isfinite(position) else position
        return float(nearest) if abs(position - nearest) < 1e-9 else position


@dataclass(frozen=True)
class Term:
    """One lowered piece of a stimulus.

    kind: "constant" (``gain`` only), "wave" (shared ``start``/``end`` values per step,
    times a per-neuron ``gain``), "sampled" (per-neuron ``start`` values per step, shape
    (n_steps, n)) or "noise" (``gain`` is the white-noise sigma).
    ``drive`` is True when values are voltages (R*I, mV) rather than currents (nA).
    Within step k the term is linear from ``start[k]`` to ``end[k]``.

    >>> from lifkit.stimuli import Step
    >>> (term,) = Step(2.0, start=0.15).lower(TimeGrid(dt=0.1, n_steps=4))
    >>> term.kind, term.start.tolist(), term.end.tolist()  # the edge spreads over step 1
    ('wave', [0.0, 0.0, 1.0, 1.0], [0.0, 1.0, 1.0, 1.0])
    """

    kind: str
    gain: np.ndarray
    drive: bool
    start: np.ndarray | None = None
    end: np.ndarray | None = None

    def scaled(self, factor: np.ndarray) -> Term:
        """The same term multiplied by a scalar or per-neuron factor.

        >>> term = Term("constant", np.array([2.0]), drive=False)
        >>> term.scaled(np.array([1.0, 3.0])).gain  # nA, one per neuron
        array([2., 6.])
        """
        if self.kind == "sampled":
            return Term(self.kind, self.gain, self.drive, self.start * factor, None)
        gain = np.abs(factor) * self.gain if self.kind == "noise" else factor * self.gain
        return Term(self.kind, gain, self.drive, self.start, self.end)


class Stimulus:
    """Base class: an injected current I(t) in nA, composable with ``+`` and ``*``.

    >>> from lifkit.stimuli import Constant, Step
    >>> s = Constant(1.0) + 2 * Step(0.5, start=10.0)
    >>> s.evaluate([0.0, 10.0]).tolist()
    [1.0, 2.0]
    """

    #: Number of per-neuron values (1 when the stimulus is the same for every neuron).
    n_neurons: int = 1

    def lower(self, grid: TimeGrid) -> list[Term]:
        """The stimulus as terms on ``grid``.

        >>> from lifkit.stimuli import Constant
        >>> Constant("300 pA").lower(TimeGrid(dt=0.1, n_steps=4))[0].gain  # nA
        array([0.3])
        """
        raise NotImplementedError

    def evaluate(self, t: Any, *, R: Any = None) -> np.ndarray:
        """I(t) in nA at times ``t`` (ms), shape (len(t),) or (len(t), n_neurons).

        Voltage-drive amplitudes need the membrane resistance ``R`` (MΩ).
        White noise has no pointwise value and contributes its mean only.

        >>> from lifkit.stimuli import Step
        >>> Step("5 mV", start=1.0).evaluate([0.0, 1.0], R=10.0).tolist()  # 5 mV / 10 MΩ
        [0.0, 0.5]
        """
        times = np.atleast_1d(np.asarray(to_base(t, "time", "t"), dtype=np.float64))
        values = np.zeros((times.size, 1))
        for piece in self._pieces():
            values = values + piece._evaluate_current(times, R)
        return values[:, 0] if values.shape[1] == 1 else values

    def _evaluate_current(self, t: np.ndarray, R: Any) -> np.ndarray:
        raise NotImplementedError

    def _pieces(self) -> list[Stimulus]:
        return [self]

    def __add__(self, other: Any) -> Stimulus:
        if isinstance(other, (int, float)) and other == 0:
            return self
        if not isinstance(other, Stimulus):
            return NotImplemented
        return Sum([*self._pieces(), *other._pieces()])

    __radd__ = __add__

    def __mul__(self, factor: Any) -> Stimulus:
        if isinstance(factor, Stimulus):
            return NotImplemented
        return Scaled(self, factor)

    __rmul__ = __mul__

    def __neg__(self) -> Stimulus:
        return Scaled(self, -1.0)

    def __sub__(self, other: Stimulus) -> Stimulus:
        return self + (-other)


class Sum(Stimulus):
    """The sum of several stimuli (usually made with ``+``).

    >>> from lifkit.stimuli import Constant, Step
    >>> Sum([Constant(1.0), Step(2.0, start=5.0)]).evaluate([0.0, 5.0]).tolist()
    [1.0, 3.0]
    """

    def __init__(self, parts: list[Stimulus]) -> None:
        self.parts = tuple(parts)
        self.n_neurons = common_neurons({f"term {i}": p.n_neurons for i, p in enumerate(parts)})

    def lower(self, grid: TimeGrid) -> list[Term]:
        """The terms of every part, in order.

        >>> from lifkit.stimuli import Constant, Step
        >>> terms = (Constant(1.0) + Step(2.0)).lower(TimeGrid(dt=0.1, n_steps=4))
        >>> [term.kind for term in terms]
        ['constant', 'wave']
        """
        return [term for part in self.parts for term in part.lower(grid)]

    def _pieces(self) -> list[Stimulus]:
        return list(self.parts)

    def __repr__(self) -> str:
        return " + ".join(repr(p) for p in self.parts)


class Scaled(Stimulus):
    """A stimulus multiplied by a dimensionless scalar or per-neuron factor.

    >>> from lifkit.stimuli import Constant
    >>> Scaled(Constant(0.5), [1.0, 2.0]).evaluate(0.0).tolist()  # nA, 2 neurons
    [[0.5, 1.0]]
    """

    def __init__(self, stimulus: Stimulus, factor: Any) -> None:
        self.stimulus = stimulus
        self.factor = per_neuron(factor, "factor", dimensionless=True)
        self.n_neurons = common_neurons(
            {"stimulus": stimulus.n_neurons, "factor": self.factor.size}
        )

    def lower(self, grid: TimeGrid) -> list[Term]:
        """The stimulus's terms, each scaled by the factor.

        >>> from lifkit.stimuli import Constant
        >>> (3 * Constant(0.5)).lower(TimeGrid(dt=0.1, n_steps=4))[0].gain  # nA
        array([1.5])
        """
        return [term.scaled(self.factor) for term in self.stimulus.lower(grid)]

    def _evaluate_current(self, t: np.ndarray, R: Any) -> np.ndarray:
        return self.stimulus.evaluate(t, R=R).reshape(t.size, -1) * self.factor

    def __repr__(self) -> str:
        return f"{_short(self.factor)} * ({self.stimulus!r})"


def per_neuron(
    value: Any, name: str, *, dimensionless: bool = False, dimension: str = "current"
) -> np.ndarray:
    """A finite scalar or 1-d per-neuron float64 array in base units.

    >>> per_neuron("300 pA", "amplitude"), per_neuron([1, 2], "factor", dimensionless=True)
    (array([0.3]), array([1., 2.]))
    """
    raw = np.asarray(value, dtype=np.float64) if dimensionless else to_base(value, dimension, name)
    array = np.atleast_1d(np.asarray(raw, dtype=np.float64))
    if array.ndim != 1 or array.size == 0:
        raise ParameterError(
            name, value, "must be a scalar or a 1-d array with one value per neuron"
        )
    if not np.all(np.isfinite(array)):
        raise ParameterError(name, value, "contains NaN or inf; give finite values")
    return array


def amplitude(value: Any, name: str) -> tuple[np.ndarray, bool]:
    """A current amplitude (nA) or a voltage drive R*I (mV); returns (values, is_drive).

    >>> amplitude("300 pA", "amplitude"), amplitude("20 mV", "amplitude")
    ((array([0.3]), False), (array([20.]), True))
    """
    if dimension_of(value) == "voltage":
        return per_neuron(value, name, dimension="voltage"), True
    return per_neuron(value, name, dimension="current"), False


def as_current(values: np.ndarray, drive: bool, R: Any, name: str) -> np.ndarray:
    """Convert values to nA, dividing voltage drives by R (which must then be given).

    >>> as_current(np.array([20.0]), True, "100 MΩ", "amplitude")  # 20 mV / 100 MΩ, nA
    array([0.2])
    """
    if not drive:
        return values
    if R is None:
        raise ParameterError(name, "a voltage drive", "pass R= (MΩ) to evaluate it as a current")
    return values / np.atleast_1d(np.asarray(to_base(R, "resistance", "R"), dtype=np.float64))


def common_neurons(sizes: Mapping[str, int]) -> int:
    """The broadcast neuron count of several sizes (each 1 or n).

    >>> common_neurons({"amplitude": 1, "factor": 3})
    3
    """
    n = 1
    for name, size in sizes.items():
        if size != 1:
            if n not in (1, size):
                raise ParameterError(
                    name, f"<{size} values>", f"does not match the {n} neurons of the other terms"
                )
            n = size
    return n


def _short(array: np.ndarray) -> str:
    return f"{array[0]:g}" if array.size == 1 else f"<{array.size} values>"
