"""The Orhan note's three figures: constant, per-step Gaussian and synaptic input.

Orhan (2012), shared/seeds/000: a LIF neuron with tau_m = 10 ms, v_r = 0 mV, v_th = 15 mV
and the drive given in mV (R = 1 MΩ, so I in nA equals R I in mV), run for 100 ms at
dt = 0.1 ms (the experiment files ``examples/orhan_fig*.toml`` hold the same runs).
"""

from __future__ import annotations

import numpy as np

from .. import theory
from ..analysis import fi_curve
from ..engine.record import Record
from ..engine.simulate import simulate
from ..models import LIF
from ..plotting import plot_fi_curve, plot_synaptic_input, plot_voltage_and_current
from ..stimuli import Constant, GaussianSteps
from ..synapses import AlphaSynapse, PoissonGroup, Projection
from .base import GalleryFigure, Row, new_figure

SOURCE = "Orhan (2012), The Leaky Integrate-and-Fire Neuron Model"
#: The drive of Figure 1 (mV, R = 1 MΩ) and the refractory periods of its f-I curves (ms).
DRIVE, T_REFS = 20.0, (0.0, 5.0)
#: Figure 3: presynaptic Poisson sources, their rate (Hz), weights N(mean, std) (mV).
N_INPUTS, INPUT_RATE, W_MEAN, W_STD = 25, 40.0, 1.62, 0.5


def figure1() -> GalleryFigure:
    """Figure 1: v(t) under I = 20 mV, and the f-I curves with t_ref = 0 and 5 ms.

    >>> entry = figure1()
    >>> entry.name, round(entry.rows[0].value, 6)  # interspike interval, ms
    ('orhan_fig1', 13.862944)
    """
    model = LIF.preset("orhan")
    run = simulate(model, Constant(DRIVE), duration=100.0, dt=0.1, seed=1)
    spikes = run.spike_train(0)
    figure = new_figure(4.4, width=10.0)
    grid = figure.add_gridspec(2, 2, height_ratios=(3, 1), width_ratios=(1.15, 1))
    ax_v = figure.add_subplot(grid[0, 0])
    ax_I = figure.add_subplot(grid[1, 0], sharex=ax_v)
    ax_fi = figure.add_subplot(grid[:, 1])
    plot_voltage_and_current(run, axes=(ax_v, ax_I))
    ax_I.set_ylabel("R I (mV)")
    rows = [
        Row(
            f"interspike interval (mean of {spikes.size - 1})",
            float(np.diff(spikes).mean()),
            theory.period(model, DRIVE),
            "ms",
            "eq. 4: tau_m ln(RI / (RI - v_th))",
        ),
        Row(
            "first spike time",
            float(spikes[0]),
            theory.first_spike_time(model, DRIVE),
            "ms",
            "eq. 4 from v(0) = v_r",
        ),
    ]
    currents = np.arange(0.0, 62.5, 2.5)  # mV of drive; includes 20
    at_drive = int(np.flatnonzero(currents == DRIVE)[0])
    for t_ref, color, ls in zip(T_REFS, ("C0", "C2"), ("-", "--"), strict=True):
        refractory = LIF.preset("orhan", t_ref=t_ref)
        curve = fi_curve(refractory, currents, duration=500.0, dt=0.1)
        plot_fi_curve(
            curve,
            ax_fi,
            label=f"simulation, t_ref = {t_ref:g} ms",
            color=color,
            theory_label=f"eq. 6, t_ref = {t_ref:g} ms",
            theory_ls=ls,
        )
        rows.append(
            Row(
                f"rate at I = {DRIVE:g} mV, t_ref = {t_ref:g} ms",
                float(curve.isi_rates[at_drive]),
                theory.firing_rate(refractory, DRIVE),
                "Hz",
                "eq. 6",
            )
        )
    ax_fi.axvline(DRIVE, color="C3", lw=1.2, label=f"I = {DRIVE:g} mV (left)")
    ax_fi.set_xlabel("R I (mV)")
    ax_fi.legend(
        loc="lower left", bbox_to_anchor=(0.0, 1.0), ncols=2, frameon=False, fontsize="small"
    )
    return GalleryFigure(
        name="orhan_fig1",
        source=SOURCE,
        title="Figure 1: constant input",
        caption=(
            "Left: v(t) under a constant drive R I = 20 mV (tau_m = 10 ms, v_r = 0 mV, "
            "v_th = 15 mV, no refractory period). Right: f-I curves with t_ref = 0 ms (solid) "
            "and 5 ms (dashed): eq. 6 as lines, simulations (500 ms per current, one "
            "population run per curve) as circles; the red line marks I = 20 mV."
        ),
        figure=figure,
        rows=rows,
    )


def figure2() -> GalleryFigure:
    """Figure 2: v(t) under a current drawn from N(15 mV, (5 mV)²) at every 0.1 ms step.

    >>> entry = figure2()
    >>> entry.name, entry.rows[0].unit
    ('orhan_fig2', 'mV')
    """
    model = LIF.preset("orhan")
    stimulus = GaussianSteps("15 mV", "5 mV", interval=0.1, seed=2012)
    run = simulate(model, stimulus, duration=100.0, dt=0.1, seed=1)
    figure = new_figure(4.6)
    axes = figure.subplots(2, 1, sharex=True, height_ratios=(3, 2))
    plot_voltage_and_current(run, axes=axes)
    axes[1].set_ylabel("R I (mV)")
    drive = run.trace("I")
    error = 5.0 / np.sqrt(drive.size)
    rows = [
        Row(
            "mean of the 1000 current samples",
            float(drive.mean()),
            15.0,
            "mV",
            f"the Gaussian's mean; sampling error {error:.2f} mV",
        ),
        Row(
            "SD of the current samples",
            float(drive.std(ddof=1)),
            5.0,
            "mV",
            f"the Gaussian's SD; sampling error {5.0 / np.sqrt(2 * drive.size - 2):.2f} mV",
        ),
        Row("spikes in 100 ms", float(run.counts[0]), np.nan, "", "mean drive = v_th"),
    ]
    return GalleryFigure(
        name="orhan_fig2",
        source=SOURCE,
        title="Figure 2: time-varying (Gaussian) input",
        caption=(
            "The neuron of Figure 1 under a current drawn afresh from a Gaussian of mean "
            "15 mV and SD 5 mV at every 0.1 ms step (the note's TimedArray; "
            "lk.GaussianSteps, seed 2012). Upper panel v(t), lower panel the current."
        ),
        figure=figure,
        rows=rows,
    )


def figure3() -> GalleryFigure:
    """Figure 3: 25 Poisson inputs (40 Hz) through alpha synapses (tau 10 ms) onto the LIF.

    >>> entry = figure3()
    >>> entry.name, entry.rows[0].reference  # expected presynaptic spikes
    ('orhan_fig3', 100.0)
    """
    model = LIF.preset("orhan")
    synapse = AlphaSynapse("10 ms")
    weights = np.random.default_rng(2012).normal(W_MEAN, W_STD, size=(N_INPUTS, 1))
    inputs = Projection(
        PoissonGroup(N_INPUTS, INPUT_RATE), synapse=synapse, weights=weights, weight_unit="mV"
    )
    run = simulate(
        model,
        projections=[inputs],
        duration=100.0,
        dt=0.1,
        seed=3,
        record=Record(variables=("v", "I_syn")),
    )
    figure = new_figure(6.4)
    axes = figure.subplots(3, 1, sharex=True, height_ratios=(3, 2, 2))
    plot_synaptic_input(run, axes=axes)
    axes[2].set_ylabel("R I_syn (mV)")
    sources, times = run.source_spikes(0)
    lag = run.t[:, None] - times[None, :]  # ms since each arrival (no delay)
    summed = (weights[sources, 0] * synapse.current(np.where(lag > 0, lag, 0.0))).sum(axis=1)
    expected = N_INPUTS * INPUT_RATE * 0.1  # spikes in 100 ms
    rows = [
        Row(
            "presynaptic spikes",
            float(times.size),
            expected,
            "",
            f"expected 25 x 40 Hz x 100 ms; Poisson SD {np.sqrt(expected):.0f}",
        ),
        Row(
            "mean R I_syn over the run",
            float(run.trace("I_syn").mean()),
            float(summed.mean()),
            "mV",
            "eq. 10 summed over the arrivals: sum w (t-t_k)/tau exp(1-(t-t_k)/tau)",
        ),
        Row(
            "stationary mean R I_syn",
            float(run.trace("I_syn")[run.t >= 50.0].mean()),
            N_INPUTS * INPUT_RATE * 1e-3 * W_MEAN * synapse.charge,
            "mV",
            "25 x 40 Hz x 1.62 mV x e tau, vs the mean over 50-100 ms (one sample)",
        ),
        Row("postsynaptic spikes", float(run.counts[0]), np.nan, ""),
    ]
    return GalleryFigure(
        name="orhan_fig3",
        source=SOURCE,
        title="Figure 3: synaptic input",
        caption=(
            "The neuron of Figure 1 driven by 25 independent Poisson inputs of 40 Hz through "
            "alpha synapses (eq. 10: peak w at t = tau = 10 ms), weights w ~ N(1.62, 0.5²) mV. "
            "Top: v(t); middle: the presynaptic spikes; bottom: the total synaptic drive. "
            "(The note's Brian 1 alpha_synapse peaks at w/e, so its current is 1/e of this.)"
        ),
        figure=figure,
        rows=rows,
    )
