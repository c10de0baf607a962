"""Presynaptic spike sources: Poisson groups, given spike times, the simulated neurons."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..errors import ParameterError
from ..units import to_base


def _count(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ParameterError(name, value, "must be a whole number >= 1")
    return int(value)


def _seed(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
        raise ParameterError("seed", value, "must be a non-negative integer or None")
    return int(value)


class PoissonGroup:
    """``n`` independent Poisson spike trains of ``rate`` Hz (scalar or one per source).

    Spikes are not restricted to the grid: in each step of a run source j fires a
    Poisson(rate_j dt) number of spikes, placed uniformly in the step. The draws come from
    the counter-based generator keyed by (seed, source, step), so they do not depend on
    threads, chunking or windows. ``seed`` None draws them from the run's seed (each
    group of a run its own stream); an integer fixes the trains across runs.

    >>> group = PoissonGroup(25, "40 Hz")
    >>> group.n, float(group.rate[0])
    (25, 40.0)
    """

    def __init__(self, n: int, rate: Any, *, seed: int | None = None) -> None:
        self.n = _count(n, "n")
        rates = np.atleast_1d(np.asarray(to_base(rate, "frequency", "rate"), dtype=np.float64))
        if rates.ndim != 1 or rates.size not in (1, self.n):
            raise ParameterError(
                "rate", rate, f"must be a scalar or one rate per source ({self.n} values)"
            )
        if not np.all(np.isfinite(rates) & (rates >= 0)):
            raise ParameterError("rate", rate, "must be finite and >= 0 Hz")
        self.rate = np.ascontiguousarray(np.broadcast_to(rates, (self.n,)))
        self.rate.flags.writeable = False
        self.seed = _seed(seed)

    def __repr__(self) -> str:
        shown = f"{self.rate[0]:g}" if np.all(self.rate == self.rate[0]) else "<per source>"
        return f"PoissonGroup(n={self.n}, rate={shown} Hz)"


class SpikeTimes:
    """Given spikes: source ``indices[m]`` fires at ``times[m]`` ms (any time, not only on
    the grid). ``n`` sources (default: the largest index + 1).

    >>> source = SpikeTimes([0, 1, 0], [1.25, 3.0, 7.5])
    >>> source.n, source.times.tolist()
    (2, [1.25, 3.0, 7.5])
    """

    def __init__(self, indices: Any, times: Any, *, n: int | None = None) -> None:
        index = np.atleast_1d(np.asarray(indices))
        time = np.atleast_1d(np.asarray(to_base(times, "time", "times"), dtype=np.float64))
        if index.ndim != 1 or time.ndim != 1 or index.size != time.size:
            raise ParameterError(
                "times", f"<{time.size} values>", f"must match indices ({index.size} values)"
            )
        if index.size and not np.issubdtype(index.dtype, np.integer):
            raise ParameterError("indices", indices, "must be whole numbers")
        index = index.astype(np.int64)
        if np.any(index < 0):
            raise ParameterError("indices", int(index[index < 0][0]), "must be >= 0")
        if not np.all(np.isfinite(time) & (time >= 0)):
            raise ParameterError("times", times, "must be finite and >= 0 ms")
        largest = int(index.max()) + 1 if index.size else 1
        self.n = largest if n is None else _count(n, "n")
        if self.n < largest:
            raise ParameterError("n", n, f"is too small for index {largest - 1}")
        order = np.lexsort((index, time))
        self.indices, self.times = index[order], time[order]
        self.indices.flags.writeable = False
        self.times.flags.writeable = False

    def __repr__(self) -> str:
        return f"SpikeTimes(n={self.n}, {self.times.size} spikes)"


class Neurons:
    """The simulated neurons ``start`` to ``stop - 1`` (``stop`` None: to the last), as a
    spike source (a recurrent projection) or as the targets of a projection.

    >>> Neurons(0, 3200).indices(4000)[[0, -1]].tolist()
    [0, 3199]
    """

    def __init__(self, start: int = 0, stop: int | None = None) -> None:
        if isinstance(start, bool) or not isinstance(start, (int, np.integer)) or start < 0:
            raise ParameterError("start", start, "must be a whole number >= 0")
        if stop is not None and (
            isinstance(stop, bool) or not isinstance(stop, (int, np.integer)) or stop <= start
        ):
            raise ParameterError("stop", stop, f"must be a whole number > start = {start}")
        self.start, self.stop = int(start), None if stop is None else int(stop)

    def indices(self, n_neurons: int) -> np.ndarray:
        """The neuron indices in a population of ``n_neurons``.

        >>> Neurons(3).indices(5).tolist()  # from neuron 3 to the last
        [3, 4]
        """
        stop = n_neurons if self.stop is None else self.stop
        if stop > n_neurons or self.start >= n_neurons:
            raise ParameterError("stop", stop, f"must lie within the {n_neurons} simulated neurons")
        return np.arange(self.start, stop)

    def __repr__(self) -> str:
        return f"Neurons({self.start}, {self.stop})"


Source = PoissonGroup | SpikeTimes | Neurons
