"""Raster plots: one row of spike ticks per neuron."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from ._style import finish, new_axes

if TYPE_CHECKING:
    from matplotlib.axes import Axes


def plot_raster(
    spikes: Any,
    ax: Axes | None = None,
    *,
    neurons: Any = None,
    duration: float | None = None,
    color: str = "C0",
) -> Axes:
    """Draw the spike times (ms) of each neuron as ticks on its row.

    spikes: a :class:`lifkit.Result` or a list of spike-time arrays (one per neuron).
    neurons: the indices to show (default all); rows keep the neuron index, so a
    population split into groups stays readable. duration: the time axis' end in ms
    (default the run's duration, or the last spike). Never calls ``show()``.

    >>> import lifkit as lk
    >>> from matplotlib.figure import Figure
    >>> run = lk.simulate(lk.LIF.preset("orhan"), lk.Constant([16.0, 20.0, 30.0]), duration=100)
    >>> ax = plot_raster(run, Figure().subplots())
    >>> ax.get_xlabel(), ax.get_ylabel()
    ('time (ms)', 'neuron')
    """
    from ..analysis.spikes import _trains
    from ..results import Result

    trains, single = _trains(spikes)
    if single:
        trains = trains[:1]
    chosen = np.arange(len(trains)) if neurons is None else np.atleast_1d(neurons)
    ax = new_axes() if ax is None else ax
    rows = [np.full(trains[i].size, i) for i in chosen]
    times = np.concatenate([trains[i] for i in chosen] or [np.empty(0)])
    rows_flat = np.concatenate(rows or [np.empty(0)])
    ax.vlines(times, rows_flat - 0.4, rows_flat + 0.4, color=color, lw=1.0)  # row-high ticks
    if duration is None:
        duration = spikes.duration if isinstance(spikes, Result) else max(times.max(initial=0), 1)
    ax.set_xlim(0.0, duration)
    low, high = (int(chosen.min()), int(chosen.max())) if len(chosen) else (0, 0)
    ax.set_ylim(low - 0.6, high + 0.6)
    if high - low < 10:
        ax.set_yticks(chosen)
    ax.set_xlabel("time (ms)")
    ax.set_ylabel("neuron")
    finish(ax)
    return ax
