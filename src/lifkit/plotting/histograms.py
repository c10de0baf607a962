"""Interspike-interval histograms."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from ._style import LINE, finish, new_axes

if TYPE_CHECKING:
    from matplotlib.axes import Axes


def plot_isi_histogram(
    spikes: Any,
    ax: Axes | None = None,
    *,
    bins: Any = 50,
    density: bool = False,
    color: str = "C0",
) -> Axes:
    """Histogram of the interspike intervals (ms), pooled over all trains, with their CV.

    spikes: a :class:`lifkit.Result`, one spike-time array or a list of them.
    density: show a probability density (1/ms) instead of counts. The legend gives the
    number of intervals, their mean (ms) and ``CV = std/mean``. Never calls ``show()``.

    >>> import numpy as np
    >>> from matplotlib.figure import Figure
    >>> train = np.cumsum(np.random.default_rng(0).exponential(20.0, 500))  # Poisson, 50 Hz
    >>> ax = plot_isi_histogram(train, Figure().subplots())
    >>> ax.get_xlabel(), ax.get_ylabel()
    ('ISI (ms)', 'count')
    """
    from ..analysis.spikes import _trains

    trains, _ = _trains(spikes)
    intervals = np.concatenate([np.diff(t) for t in trains] or [np.empty(0)])
    ax = new_axes() if ax is None else ax
    if intervals.size:
        mean = intervals.mean()
        label = f"n = {intervals.size}, mean {mean:.3g} ms, CV = {intervals.std() / mean:.2f}"
    else:
        label = "no intervals"
    ax.hist(
        intervals,
        bins=bins,
        density=density,
        color=color,
        alpha=0.6,
        edgecolor=color,
        label=label,
        **LINE,
    )
    ax.set_xlabel("ISI (ms)")
    ax.set_ylabel("probability density (1/ms)" if density else "count")
    ax.set_xlim(left=0.0)
    finish(ax, legend=True)
    return ax
