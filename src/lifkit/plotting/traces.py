"""Membrane potential over injected current, with the threshold and the spikes marked."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import ParameterError
from ._style import legend_above

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from ..results import Result


def plot_voltage_and_current(
    result: Result,
    neuron: int | Sequence[int] = 0,
    *,
    axes: Sequence[Axes] | None = None,
    labels: Sequence[str] | None = None,
) -> tuple[Axes, Axes]:
    """Draw v(t) (mV) of one recorded neuron, or several, above its injected current I(t) (nA).

    The threshold ``v_th`` is a dashed line and each spike a tick on it (the reset is
    instantaneous, so sampled traces rarely touch the threshold); a threshold so far above
    the trace that it would flatten it is left off the axes and marked so in the legend
    (e.g. a threshold raised to keep the membrane subthreshold). ``neuron`` may be a list
    of recorded neurons (one colour each, in v and I; the threshold is the first one's),
    named in the legend by ``labels``. For an AdEx model, whose spike is the divergence
    past the soft threshold v_T, each spike is drawn up to ``v_peak`` and ticked there, and
    the dashed line is v_T. ``axes`` is a pair (voltage axes, current axes); None makes a
    new pyplot figure. Never calls ``show()``.

    >>> import lifkit as lk
    >>> from matplotlib.figure import Figure
    >>> result = lk.simulate(lk.LIF.preset("orhan"), lk.Constant("20 mV"), duration=50)
    >>> ax_v, ax_I = plot_voltage_and_current(result, axes=Figure().subplots(2, 1))
    >>> ax_v.get_ylabel(), ax_I.get_ylabel(), ax_I.get_xlabel()
    ('v (mV)', 'I (nA)', 'time (ms)')
    >>> both = lk.simulate(lk.LIF.preset("orhan"), lk.Constant([10.0, 20.0]), duration=50,
    ...                    record=lk.Record(neurons="all"))
    >>> ax_v, _ = plot_voltage_and_current(both, [0, 1], labels=["10 mV", "20 mV"],
    ...                                    axes=Figure().subplots(2, 1))
    >>> [line.get_label() for line in ax_v.get_lines()][:2]
    ['10 mV', '20 mV']
    >>> adex = lk.simulate(lk.AdEx.preset("soroush"), lk.Constant("300 pA"), duration=50)
    >>> ax_v, _ = plot_voltage_and_current(adex, axes=Figure().subplots(2, 1))
    >>> [line.get_label() for line in ax_v.get_lines()][1:]
    ['v_T -55 mV', 'spikes at v_peak 0 mV']
    """
    neurons = [neuron] if isinstance(neuron, (int, np.integer)) else list(neuron)
    names = ["v"] if labels is None and len(neurons) == 1 else labels
    if names is None or len(names) != len(neurons):
        raise ParameterError("labels", labels, f"give one label per neuron ({len(neurons)})")
    colors = (
        ["C0"] if len(neurons) == 1 else [_COLORS[i % len(_COLORS)] for i in range(len(neurons))]
    )
    ax_v, ax_I = _two_axes() if axes is None else axes
    first = neurons[0]
    threshold = _value(result, "v_th", first)
    peak = _value(result, "v_peak", first) if hasattr(result.model, "v_peak") else None
    top = threshold if peak is None else peak
    v_all = np.concatenate([result.trace("v", i) for i in neurons])
    low, high = float(np.nanmin(v_all)), float(np.nanmax(v_all))
    off_scale = threshold > high + max(high - low, 1.0)
    ticks = []
    for i, name, color in zip(neurons, names, colors, strict=True):
        spikes = result.spike_train(i)
        ticks.append(spikes)
        reset = _value(result, "v_reset", i)
        v = result.trace("v", i)
        ax_v.plot(*with_spikes(result.t, v, spikes, top, reset), color=color, lw=1.2, label=name)
        current_color = "C1" if len(neurons) == 1 else color
        ax_I.plot(result.t, result.trace("I", i), color=current_color, lw=1.2)
    ax_v.axhline(
        threshold,
        color="0.3",
        ls="--",
        lw=1.0,
        label=("threshold" if peak is None else "v_T")
        + f" {threshold:g} mV"
        + (" (above the axes)" * off_scale),
    )
    if off_scale:
        margin = 0.05 * max(high - low, 1.0)
        ax_v.set_ylim(low - margin, high + margin)
    spikes = np.concatenate(ticks)
    if spikes.size:
        label = "spikes" if peak is None else f"spikes at v_peak {peak:g} mV"
        ax_v.plot(spikes, np.full(spikes.size, top), "|", color="C3", ms=10, mew=1.5, label=label)
    ax_v.set_ylabel("v (mV)")
    legend_above(ax_v, ncols=3)
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


def _value(result: Result, name: str, neuron: int) -> float:
    """A parameter of the run's model for one neuron (mV)."""
    return float(np.broadcast_to(getattr(result.model, name), (result.n_neurons,))[neuron])


#: Colours of several neurons' traces (C1 is the single current's, C3 the spikes').
_COLORS = ("C0", "C2", "C4", "C5", "C6", "C9")


def _two_axes() -> Any:
    import matplotlib.pyplot as plt  # only when the caller gave no axes

    _, axes = plt.subplots(2, 1, sharex=True, height_ratios=(3, 1), layout="constrained")
    return axes
