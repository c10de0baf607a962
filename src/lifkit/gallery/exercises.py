"""The Neuronal Dynamics LIF exercises (neurodynex3), shared/seeds/001.

The default neuron (preset ``"neurodynex"``): v_rest = -70 mV, v_reset = -65 mV,
v_th = -50 mV, R = 10 MΩ, tau_m = 8 ms, t_ref = 2 ms; dt = 0.1 ms. neurodynex3's input
factory holds the sample at ``t_end`` for one unit of time, so a step or sine that ends
at t_end is on until t_end + unit_time (as in ``examples/neurodynex_*.toml``).
"""

from __future__ import annotations

import numpy as np

from .. import theory
from ..analysis import (
    PROBE_DURATION,
    fi_curve,
    fit_lif,
    measure_frequency_response,
    probe_protocol,
    random_lif,
    rheobase_by_bisection,
)
from ..engine.record import Record
from ..engine.simulate import simulate
from ..models import LIF
from ..plotting import plot_fi_curve, plot_frequency_response, plot_voltage_and_current
from ..plotting._style import THEORY
from ..stimuli import Sinusoid, Step
from .base import GalleryFigure, Row, new_figure

SOURCE = "Neuronal Dynamics exercises: leaky integrate-and-fire (neurodynex3)"
#: Tolerance (nA) of the rheobase bisection.
BISECTION_TOL = 1e-6
#: Seed of the random neuron whose parameters are estimated.
RANDOM_SEED = 5
#: The subthreshold sinusoid: amplitude (nA) and frequency (Hz); and the sweep (Hz).
SINE_AMPLITUDE, SINE_FREQUENCY = 2.5, 250.0
SWEEP = np.arange(1.0, 11.0)


def _model(**changes: float) -> LIF:
    return LIF.preset("neurodynex", **changes)


def step_demo() -> GalleryFigure:
    """getting_started(), first part: a 1.2 nA step from 100 to 200 ms, 300 ms run.

    >>> step_demo().rows[0].quantity
    'spikes'
    """
    model = _model()
    run = simulate(model, Step(1.2, start=100.0, stop=201.0), duration=300.0, dt=0.1, seed=1)
    figure = new_figure(4.2)
    plot_voltage_and_current(run, axes=figure.subplots(2, 1, sharex=True, height_ratios=(3, 1)))
    at = round(200.0 / run.dt)
    rows = [
        Row("spikes", float(run.counts[0]), 0.0, "", "R I = 12 mV < v_th - v_rest = 20 mV"),
        Row(
            "v at 200 ms",
            float(run.trace("v")[at]),
            theory.membrane_potential(model, 1.2, 100.0, v0=-70.0),
            "mV",
            "v_rest + R I (1 - exp(-100 ms / tau_m))",
        ),
    ]
    return GalleryFigure(
        name="exercises_step",
        source=SOURCE,
        title="Getting started: step current",
        caption=(
            "LIF.getting_started(): the default neuron under a 1.2 nA step from 100 to 200 ms "
            "(held until 201 ms, as neurodynex3 does). R I = 12 mV stays below the 20 mV "
            "gap to threshold, so v relaxes towards -58 mV with tau_m = 8 ms and never fires."
        ),
        figure=figure,
        rows=rows,
    )


def sine_demo() -> GalleryFigure:
    """getting_started(), second part: 2 nA + 2.5 nA sin(2π 150 Hz t) from 50 to 150 ms.

    >>> sine_demo().name
    'exercises_sine'
    """
    model = _model()
    stimulus = Sinusoid(2.5, frequency=150.0, offset=2.0, start=50.0, stop=150.1)
    run = simulate(model, stimulus, duration=200.0, dt=0.1, seed=1)
    figure = new_figure(4.2)
    plot_voltage_and_current(run, axes=figure.subplots(2, 1, sharex=True, height_ratios=(3, 1)))
    spikes = run.spike_train(0)
    rows = [
        Row("spikes", float(spikes.size), np.nan, ""),
        Row("first spike time", float(spikes[0]), np.nan, "ms"),
    ]
    return GalleryFigure(
        name="exercises_sine",
        source=SOURCE,
        title="Getting started: sinusoidal current",
        caption=(
            "LIF.getting_started(): 2 nA + 2.5 nA sin(2π 150 Hz t) from 50 to 150 ms "
            "(sampled every 0.1 ms in neurodynex3; exact here). The 2 nA offset is exactly "
            "the rheobase, so the sine's upswings make the neuron fire."
        ),
        figure=figure,
        rows=rows,
    )


def minimal_current() -> GalleryFigure:
    """Exercise 1.1: the minimal step current that fires, by theory and by bisection.

    >>> entry = minimal_current()
    >>> entry.rows[0].quantity, entry.rows[0].reference  # nA
    ('rheobase by bisection', 2.0)
    """
    model = _model()
    bisected = rheobase_by_bisection(model, tol=BISECTION_TOL, duration=200.0, dt=0.1)
    rheobase = theory.rheobase(model)
    factors = np.array([0.95, 1.0, 1.05])
    run = simulate(
        model,
        Step(factors * rheobase, start=5.0, stop=100.0),
        duration=150.0,
        dt=0.1,
        seed=1,
        record=Record(neurons="all"),
    )
    figure = new_figure(4.6)
    labels = [f"I = {f * rheobase:.3g} nA ({f:g} x rheobase)" for f in factors]
    plot_voltage_and_current(
        run,
        [0, 1, 2],
        labels=labels,
        axes=figure.subplots(2, 1, sharex=True, height_ratios=(3, 1)),
    )
    rows = [
        Row(
            "rheobase by bisection",
            bisected,
            rheobase,
            "nA",
            f"(v_th - v_rest) / R; bisection tolerance {BISECTION_TOL:g} nA",
        ),
        Row("spikes at 1.05 x rheobase", float(run.counts[2]), np.nan, ""),
    ]
    return GalleryFigure(
        name="exercises_minimal_current",
        source=SOURCE,
        title="Minimal current",
        caption=(
            "Steps from 5 to 100 ms at 0.95, 1.00 and 1.05 times the rheobase "
            "(v_th - v_rest) / R = 2 nA. At the rheobase v approaches the threshold without "
            "reaching it. Spike/no-spike bisection on simulations (32 currents per "
            "population run, 200 ms steps) finds the same current."
        ),
        figure=figure,
        rows=rows,
    )


def fi_curve_3ms() -> GalleryFigure:
    """Exercise 1.2: the f-I curve with a 3 ms refractory period (500 ms steps).

    >>> round(fi_curve_3ms().rows[-1].reference, 3)  # Hz at 100 nA, below 1000 / t_ref
    320.357
    """
    model = _model(t_ref=3.0)
    currents = np.linspace(0.0, 100.0, 101)
    curve = fi_curve(model, currents, duration=500.0, dt=0.1)
    figure = new_figure(4.0)
    plot_fi_curve(curve, figure.subplots())
    rows = [
        Row(
            f"rate at {currents[i]:g} nA",
            float(curve.isi_rates[i]),
            theory.firing_rate(model, currents[i]),
            "Hz",
            "1000 / (t_ref + tau_m ln((RI + v_rest - v_reset) / (RI + v_rest - v_th)))",
        )
        for i in (3, 10, 100)
    ]
    return GalleryFigure(
        name="exercises_fi_curve",
        source=SOURCE,
        title="f-I curve, t_ref = 3 ms",
        caption=(
            "Firing rate of the default neuron with t_ref = 3 ms under constant currents "
            "0-100 nA (one population run of 101 neurons, 500 ms): spike counts as "
            "circles, the closed form as a line, and the 1/t_ref = 333 Hz ceiling it "
            "approaches."
        ),
        figure=figure,
        rows=rows,
    )


def random_neuron() -> GalleryFigure:
    """Exercise 1.3: a random neuron with hidden parameters, estimated by ``fit_lif``.

    >>> entry = random_neuron()
    >>> [row.quantity for row in entry.rows][:3]
    ['v_rest', 'v_reset', 'v_th']
    """
    hidden = random_lif(RANDOM_SEED)
    probe = probe_protocol()
    run = simulate(hidden, probe, duration=PROBE_DURATION, dt=0.1, seed=1)
    fit = fit_lif(run.t, run.trace("v"), run.trace("I"))
    replay = simulate(fit.to_model(), probe, duration=PROBE_DURATION, dt=0.1, seed=1)
    figure = new_figure(4.6)
    ax_v, _ = plot_voltage_and_current(
        run, axes=figure.subplots(2, 1, sharex=True, height_ratios=(3, 1))
    )
    ax_v.plot(
        replay.t, replay.trace("v"), label="fitted model", **{**THEORY, "ls": ":", "zorder": 3}
    )
    ax_v.legend(
        loc="lower left", bbox_to_anchor=(0.0, 1.0), ncols=4, frameon=False, fontsize="small"
    )
    units = {"v_rest": "mV", "v_reset": "mV", "v_th": "mV", "R": "MΩ", "tau_m": "ms", "t_ref": "ms"}
    rows = [
        Row(
            name,
            float(getattr(fit, name)),
            float(getattr(hidden, name)),
            unit,
            f"hidden value; fit_lif standard error {getattr(fit, name + '_err'):.1g} {unit}",
        )
        for name, unit in units.items()
    ]
    return GalleryFigure(
        name="exercises_random_neuron",
        source=SOURCE,
        title="Estimating LIF parameters",
        caption=(
            f"A neuron with hidden random parameters (lifkit.analysis.random_lif({RANDOM_SEED}))"
            " under the 200 ms probe protocol (rest, a hyperpolarizing step, then a staircase"
            " of steps). lifkit.analysis.fit_lif estimates all six parameters from the sampled"
            " v and I alone; the fitted model's trace (dotted) lies on the recorded one."
        ),
        figure=figure,
        rows=rows,
    )


def sine_250hz() -> GalleryFigure:
    """Exercise 1.4: the subthreshold response to 2.5 nA at 250 Hz (v_th raised to 0 mV).

    >>> [row.unit for row in sine_250hz().rows]
    ['mV', 'degrees']
    """
    model = _model(v_th=0.0)
    stimulus = Sinusoid(SINE_AMPLITUDE, frequency=SINE_FREQUENCY, start=20.0, stop=100.1)
    run = simulate(model, stimulus, duration=120.0, dt=0.1, seed=1)
    figure = new_figure(4.2)
    ax_v, _ = plot_voltage_and_current(
        run, axes=figure.subplots(2, 1, sharex=True, height_ratios=(3, 1))
    )
    response = theory.subthreshold_response(model, SINE_FREQUENCY)
    t = np.linspace(60.0, 100.0, 2000)
    steady = model.v_rest + SINE_AMPLITUDE * response.gain * np.sin(
        2e-3 * np.pi * SINE_FREQUENCY * (t - 20.0) + np.radians(response.phase)
    )
    ax_v.plot(t, steady, label="theory (steady state)", **{**THEORY, "ls": "--", "zorder": 3})
    ax_v.legend(
        loc="lower left", bbox_to_anchor=(0.0, 1.0), ncols=3, frameon=False, fontsize="small"
    )
    measured = measure_frequency_response(model, [SINE_FREQUENCY], SINE_AMPLITUDE, dt=0.1)
    rows = [
        Row(
            "amplitude of v",
            float(measured.gain[0]) * SINE_AMPLITUDE,
            SINE_AMPLITUDE * response.gain,
            "mV",
            "A R / sqrt(1 + (ω tau_m)²)",
        ),
        Row(
            "phase of v relative to I",
            float(measured.phase[0]),
            response.phase,
            "degrees",
            "-atan(ω tau_m)",
        ),
    ]
    return GalleryFigure(
        name="exercises_sine_250hz",
        source=SOURCE,
        title="Subthreshold response at 250 Hz",
        caption=(
            "2.5 nA at 250 Hz from 20 to 100 ms, threshold raised to 0 mV to stay linear. "
            "The membrane oscillates by about 2 mV and lags the current by almost a quarter "
            "period. The numbers are fitted to a steady-state run "
            "(lifkit.analysis.measure_frequency_response)."
        ),
        figure=figure,
        rows=rows,
    )


def frequency_sweep() -> GalleryFigure:
    """Exercise 1.4, last part: amplitude and phase for 1-10 Hz (a Bode plot).

    >>> len(frequency_sweep().rows)
    6
    """
    model = _model(v_th=0.0)
    measured = measure_frequency_response(model, SWEEP, SINE_AMPLITUDE, periods=2, dt=0.5)
    figure = new_figure(5.0)
    plot_frequency_response(measured, model=model, axes=figure.subplots(2, 1, sharex=True))
    analytic = theory.subthreshold_response(model, SWEEP)
    rows = []
    for i in (0, 4, 9):
        f = f"{SWEEP[i]:g} Hz"
        rows.append(
            Row(
                f"gain at {f}",
                float(measured.gain[i]),
                float(analytic.gain[i]),
                "MΩ",
                "R / sqrt(1 + (ω tau_m)²)",
            )
        )
        rows.append(
            Row(
                f"phase at {f}",
                float(measured.phase[i]),
                float(analytic.phase[i]),
                "degrees",
                "-atan(ω tau_m)",
            )
        )
    return GalleryFigure(
        name="exercises_frequency_sweep",
        source=SOURCE,
        title="Subthreshold response, 1-10 Hz",
        caption=(
            "Gain (voltage amplitude per current amplitude) and phase of the membrane for "
            "sinusoids of 1 to 10 Hz, fitted to one population run (circles), beside the "
            "first-order low-pass filter R / (1 + i ω tau_m) (line): a low-pass filter with "
            "corner 1/(2π tau_m) = 20 Hz."
        ),
        figure=figure,
        rows=rows,
    )
