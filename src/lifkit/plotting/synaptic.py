"""The Orhan note's Figure 3 layout: membrane potential, input raster, synaptic current."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from ._style import LINE, REFERENCE, finish, legend_above, new_axes
from .raster import plot_raster
from .traces import with_spikes

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from ..results import Result


def plot_synaptic_input(
    result: Result, neuron: int = 0, *, projection: int = 0, axes: Sequence[Axes] | None = None
) -> tuple[Axes, Axes, Axes]:
    """Draw v(t) (mV, threshold dashed, spikes at their exact times, legend above the
    axes) of a recorded neuron, the raster of the presynaptic spikes of one of the run's
    projections (source index against time, before the delay) and the neuron's total
    synaptic current I_syn(t) (nA).

    ``axes``: three axes, top to bottom (None: a new pyplot figure). Never calls ``show()``.

    >>> import lifkit as lk
    >>> from matplotlib.figure import Figure
    >>> inputs = lk.Projection(lk.PoissonGroup(25, "40 Hz"), synapse=lk.AlphaSynapse(10),
    ...                        weights=lk.Normal("1.62 mV", "0.5 mV"))
    >>> run = lk.simulate(lk.LIF.preset("orhan"), projections=[inputs], duration=50, seed=3,
    ...                   record=lk.Record(variables=("v", "I_syn")))
    >>> ax_v, ax_in, ax_syn = plot_synaptic_input(run, axes=Figure().subplots(3, 1))
    >>> ax_v.get_ylabel(), ax_in.get_ylabel(), ax_syn.get_ylabel()
    ('v (mV)', 'input', 'I_syn (nA)')
    """
    ax_v, ax_in, ax_syn = new_axes(3, sharex=True) if axes is None else axes
    v, current = result.trace("v", neuron), result.trace("I_syn", neuron)
    model = result.model
    threshold = float(np.broadcast_to(model.v_th, (result.n_neurons,))[neuron])
    reset = float(np.broadcast_to(model.v_reset, (result.n_neurons,))[neuron])
    spikes = result.spike_train(neuron)
    ax_v.plot(*with_spikes(result.t, v, spikes, threshold, reset), color="C0", label="v", **LINE)
    ax_v.axhline(threshold, label=f"threshold {threshold:g} mV", **REFERENCE)
    ax_v.set_ylabel("v (mV)")
    finish(ax_v)
    legend_above(ax_v, ncols=2)
    sources, times = result.source_spikes(projection)
    n_sources = _n_sources(result.projections[projection], result.n_neurons)
    trains = [times[sources == j] for j in range(n_sources)]
    plot_raster(trains, ax_in, duration=result.duration, color="0.2")
    ax_in.set_ylabel("input")
    ax_in.set_xlabel("")
    ax_syn.plot(result.t, current, color="C1", **LINE)
    ax_syn.set_ylabel("I_syn (nA)")
    ax_syn.set_xlabel("time (ms)")
    for ax in (ax_v, ax_syn):
        ax.set_xlim(0.0, result.duration)
    finish(ax_syn)
    return ax_v, ax_in, ax_syn


def _n_sources(projection: Any, n_neurons: int) -> int:
    source = projection.source
    return int(source.n) if hasattr(source, "n") else source.indices(n_neurons).size
