"""Spike-train statistics: rates, interspike intervals, CV, adaptation index, Fano factor.

Every function takes ``spikes`` as one of

- a :class:`lifkit.Result` (one train per neuron of the run),
- a 1-d array of spike times in ms (one train), or
- a sequence of such arrays (one train each, e.g. from :func:`spike_trains`),

and returns a float for a single train or an array with one value per train otherwise.
A statistic that a train has too few spikes for is NaN. Times are in ms and rates in Hz.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from ..errors import ParameterError
from ..results import Result


def spike_trains(result: Result) -> list[np.ndarray]:
    """The spike times (ms, ascending) of every neuron of a run, one array per neuron.

    >>> import lifkit as lk
    >>> run = lk.simulate(lk.LIF.preset("orhan"), lk.Constant([0.0, 20.0]), duration=30)
    >>> [train.round(3).tolist() for train in spike_trains(run)]
    [[], [13.863, 27.726]]
    """
    order = np.argsort(result.spike_neurons, kind="stable")  # keeps time order per neuron
    bounds = np.cumsum(np.bincount(result.spike_neurons, minlength=result.n_neurons))[:-1]
    return np.split(result.spike_times[order], bounds)


def counts_and_mean_isis(
    chunks: Iterable[tuple[np.ndarray, np.ndarray]], n_neurons: int
) -> tuple[np.ndarray, np.ndarray]:
    """Each neuron's spike count and mean interspike interval (ms; NaN below two spikes)
    from a population's spikes given as (neurons, times) chunks, in one pass.

    The mean interval of t_1 < ... < t_n is (t_n - t_1) / (n - 1), so the chunks may be
    those of a streamed recording, read one after another.

    >>> counts, means = counts_and_mean_isis([(np.array([0, 1, 0]), np.array([1.0, 2.0, 4.0])),
    ...                                       (np.array([0]), np.array([9.0]))], n_neurons=3)
    >>> counts.tolist(), means.tolist()  # neuron 0: 1, 4, 9 ms
    ([3, 1, 0], [4.0, nan, nan])
    """
    counts = np.zeros(n_neurons, dtype=np.int64)
    first, last = np.full(n_neurons, np.inf), np.full(n_neurons, -np.inf)
    for neurons, times in chunks:
        counts += np.bincount(neurons, minlength=n_neurons)
        np.minimum.at(first, neurons, times)
        np.maximum.at(last, neurons, times)
    several = counts >= 2
    means = np.full(n_neurons, np.nan)
    means[several] = (last - first)[several] / (counts[several] - 1)
    return counts, means


def firing_rate(spikes: Any, *, start: float = 0.0, stop: float | None = None) -> Any:
    """Mean firing rate in Hz: the number of spikes in [start, stop) divided by its length.

    ``nu = 1000 n / (stop - start)`` with times in ms. ``stop`` defaults to the run's
    duration for a Result and must be given for plain arrays.

    >>> firing_rate([10.0, 20.0, 30.0, 250.0], stop=1000.0)  # 4 spikes in 1 s
    4.0
    >>> firing_rate([[10.0, 20.0], [5.0]], start=0.0, stop=500.0)
    array([4., 2.])
    """
    trains, single = _trains(spikes)
    stop = _stop(spikes, stop)
    if not stop > start:
        raise ParameterError("stop", stop, f"must be after start = {start:g} ms")
    counts = np.array([np.count_nonzero((t >= start) & (t < stop)) for t in trains], dtype=float)
    return _out(1000.0 * counts / (stop - start), single)


def isi(spikes: Any) -> Any:
    """Interspike intervals ``ISI_k = t_{k+1} - t_k`` in ms: an array per train.

    >>> isi([1.0, 3.0, 7.0]).tolist()
    [2.0, 4.0]
    """
    trains, single = _trains(spikes)
    intervals = [np.diff(t) for t in trains]
    return intervals[0] if single else intervals


def isi_rate(spikes: Any) -> Any:
    """Rate in Hz from the intervals, ``1000 / mean(ISI)``; NaN with fewer than two spikes.

    Unlike :func:`firing_rate` it does not depend on where the window cuts the train, so a
    regular train gives its exact frequency.

    >>> isi_rate([5.0, 15.0, 25.0, 35.0])
    100.0
    """
    return _statistic(spikes, 1, lambda d: 1000.0 / d.mean())


def isi_cv(spikes: Any) -> Any:
    """Coefficient of variation of the interspike intervals, ``std(ISI) / mean(ISI)``.

    The standard deviation is the population one (ddof = 0); NaN with fewer than two
    intervals. 0 for a regular train, about 1 for a Poisson process.

    >>> isi_cv([0.0, 1.0, 3.0, 4.0, 6.0])  # intervals 1, 2, 1, 2
    0.3333333333333333
    """
    return _statistic(spikes, 2, lambda d: d.std() / d.mean())


def adaptation_index(spikes: Any, *, skip: int = 0) -> Any:
    """Mean normalised change of consecutive intervals (Naud et al. 2008).

    ``A = mean_k (ISI_{k+1} - ISI_k) / (ISI_{k+1} + ISI_k)`` over the intervals after the
    first ``skip`` (Naud et al. leave out the first few, the onset transient). A > 0 for
    intervals that lengthen (adaptation), < 0 for acceleration, 0 for a regular train;
    NaN with fewer than two intervals left.

    >>> adaptation_index([0.0, 10.0, 30.0, 60.0])  # ISIs 10, 20, 30: (1/3 + 1/5) / 2
    0.26666666666666666
    """
    if isinstance(skip, bool) or not isinstance(skip, (int, np.integer)) or skip < 0:
        raise ParameterError("skip", skip, "must be a whole number of intervals >= 0")

    def index(d: np.ndarray) -> float:
        d = d[skip:]
        return float(np.mean(np.diff(d) / (d[1:] + d[:-1]))) if d.size >= 2 else np.nan

    return _statistic(spikes, 2, index)


def spike_counts(
    spikes: Any, *, window: float, start: float = 0.0, stop: float | None = None
) -> np.ndarray:
    """Spike counts in consecutive windows of ``window`` ms from ``start`` to ``stop``.

    Only whole windows are counted. Shape (n_windows,) for a single train, else
    (n_trains, n_windows).

    >>> spike_counts([1.0, 2.0, 12.0, 25.0, 29.0], window=10.0, stop=30.0).tolist()
    [2, 1, 2]
    """
    trains, single = _trains(spikes)
    counts = _counts(trains, window, start, _stop(spikes, stop))
    return counts[0] if single else counts


def fano_factor(
    spikes: Any, *, window: float, start: float = 0.0, stop: float | None = None
) -> Any:
    """Fano factor ``var(n) / mean(n)`` of the counts n in consecutive ``window``-ms windows.

    Per train, over its windows (population variance, ddof = 0); 1 for a Poisson process,
    0 for a regular train whose period divides the window. NaN without spikes.

    >>> fano_factor([1.0, 2.0, 12.0, 25.0, 29.0, 31.0], window=10.0, stop=40.0)  # 2, 1, 2, 1
    0.16666666666666666
    """
    trains, single = _trains(spikes)
    counts = _counts(trains, window, start, _stop(spikes, stop))
    mean = counts.mean(axis=1)
    fano = counts.var(axis=1) / np.where(mean > 0, mean, np.nan)
    return _out(fano, single)


def _counts(trains: list[np.ndarray], window: float, start: float, stop: float) -> np.ndarray:
    """Counts of each train in whole windows from start: shape (n_trains, n_windows)."""
    if not window > 0:
        raise ParameterError("window", window, "must be a positive time in ms")
    n_windows = int(np.floor((stop - start) / window + 1e-9))
    if n_windows < 1:
        raise ParameterError("window", window, f"must fit in [{start:g}, {stop:g}) ms")
    edges = start + window * np.arange(n_windows + 1)
    counts = [np.diff(np.searchsorted(t, edges)) for t in trains]  # [edge_k, edge_k+1)
    return np.array(counts, dtype=np.int64).reshape(len(trains), n_windows)


def _trains(spikes: Any) -> tuple[list[np.ndarray], bool]:
    """(list of 1-d float arrays, whether a single train was given)."""
    if isinstance(spikes, Result):
        return spike_trains(spikes), False
    if isinstance(spikes, np.ndarray) and spikes.dtype != object:
        if spikes.ndim != 1:
            raise ParameterError(
                "spikes", f"<shape {spikes.shape}>", "give a 1-d train or a list of trains"
            )
        return [_checked(spikes)], True
    if isinstance(spikes, np.ndarray):  # an object array of ragged trains
        spikes = list(spikes)
    if isinstance(spikes, Sequence) and not isinstance(spikes, str):
        if all(np.ndim(item) == 0 for item in spikes):
            return [_checked(spikes)], True
        return [_checked(item) for item in spikes], False
    raise ParameterError(
        "spikes", type(spikes).__name__, "give a Result, a 1-d array or a list of arrays"
    )


def _checked(train: Any) -> np.ndarray:
    array = np.asarray(train, dtype=np.float64)
    if array.ndim != 1:
        raise ParameterError("spikes", f"<shape {array.shape}>", "each train must be 1-d")
    if not np.all(np.isfinite(array)):
        raise ParameterError("spikes", "<NaN or inf>", "spike times must be finite ms")
    if np.any(np.diff(array) < 0):
        return np.sort(array)
    return array


def _stop(spikes: Any, stop: float | None) -> float:
    if stop is not None:
        return float(stop)
    if isinstance(spikes, Result):
        return float(spikes.duration)
    raise ParameterError("stop", None, "give the end of the recording (ms) for plain arrays")


def _statistic(spikes: Any, min_intervals: int, function: Any) -> Any:
    """Apply ``function`` to each train's intervals; NaN when it has too few."""
    trains, single = _trains(spikes)
    values = np.array(
        [
            float(function(d)) if d.size >= min_intervals else np.nan
            for d in (np.diff(t) for t in trains)
        ]
    )
    return _out(values, single)


def _out(values: np.ndarray, single: bool) -> Any:
    return float(values[0]) if single else values
