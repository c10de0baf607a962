"""Membrane potential over injected current, with the threshold and the spikes marked."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from ..results import Result


def plot_voltage_and_current(
    result: Result, neuron: int = 0, *, axes: Sequence[Axes] | None = None
) -> tuple[Axes, Axes]:
    """Draw v(t) (mV) of one recorded neuron above its injected current I(t) (nA).

    The threshold ``v_th`` is a dashed line and each spike a tick on it (the reset is
    instantaneous, so sampled traces rarely touch the threshold); a threshold so far above
    the trace that it would flatten it is left off the axes and marked so in the legend
    (e.g. a threshold raised to keep the membrane subthreshold). ``axes`` is a pair
    (voltage axes, current axes); None makes a new pyplot figure. Never calls ``show()``.

    >>> import lifkit as lk
    >>> from matplotlib.figure import Figure
    >>> result = lk.simulate(lk.LIF.preset("orhan"), lk.Constant("20 mV"), duration=50)
    >>> ax_v, ax_I = plot_voltage_and_current(result, axes=Figure().subplots(2, 1))
    >>> ax_v.get_ylabel(), ax_I.get_ylabel(), ax_I.get_xlabel()
    ('v (mV)', 'I (nA)', 'time (ms)')
    """
    v, current = result.trace("v", neuron), result.trace("I", neuron)
    ax_v, ax_I = _two_axes() if axes is None else axes
    threshold = float(np.broadcast_to(result.model.v_th, (result.n_neurons,))[neuron])
    spikes = result.spike_train(neuron)
    low, high = float(np.nanmin(v)), float(np.nanmax(v))
    off_scale = threshold > high + max(high - low, 1.0)
    reset = float(np.broadcast_to(result.model.v_reset, (result.n_neurons,))[neuron])
    ax_v.plot(*with_spikes(result.t, v, spikes, threshold, reset), color="C0", lw=1.2, label="v")
    ax_v.axhline(
        threshold,
        color="0.3",
        ls="--",
        lw=1.0,
        label=f"threshold {threshold:g} mV" + (" (above the axes)" * off_scale),
    )
    if off_scale:
        margin = 0.05 * max(high - low, 1.0)
        ax_v.set_ylim(low - margin, high + margin)
    if spikes.size:
        ax_v.plot(
            spikes, np.full(spikes.size, threshold), "|", color="C3", ms=10, mew=1.5, label="spikes"
        )
    ax_v.set_ylabel("v (mV)")
    ax_v.legend(
        loc="lower left", bbox_to_anchor=(0.0, 1.0), ncols=3, frameon=False, fontsize="small"
    )
    ax_I.plot(result.t, current, color="C1", lw=1.2)
    ax_I.set_ylabel("I (nA)")
    ax_I.set_xlabel("time (ms)")
    for ax in (ax_v, ax_I):
        ax.set_xlim(0.0, result.duration)
        ax.grid(alpha=0.3)
    return ax_v, ax_I


def with_spikes(
    t: np.ndarray, v: np.ndarray, spikes: np.ndarray, v_th: float, v_reset: float
) -> tuple[np.ndarray, np.ndarray]:
    """The sampled trace with (t_spike, v_th) and (t_spike, v_reset) inserted at each spike,
    so a drawn line reaches the threshold and drops at the exact spike time.

    >>> t, v = with_spikes(np.array([0.0, 1.0]), np.array([0.0, 5.0]), np.array([0.5]), 15, 0)
    >>> t.tolist(), v.tolist()
    ([0.0, 0.5, 0.5, 1.0], [0.0, 15.0, 0.0, 5.0])
    """
    inside = spikes[(spikes >= t[0]) & (spikes <= t[-1])]
    where = np.searchsorted(t, inside, side="right")
    times = np.insert(t, np.repeat(where, 2), np.repeat(inside, 2))
    values = np.insert(v, np.repeat(where, 2), np.tile([v_th, v_reset], inside.size))
    return times, values


def _two_axes() -> Any:
    import matplotlib.pyplot as plt  # only when the caller gave no axes

    _, axes = plt.subplots(2, 1, sharex=True, height_ratios=(3, 1), layout="constrained")
    return axes
