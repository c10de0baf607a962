"""The Soroush report: LIF, adaptive LIF and AdEx under five inputs, and their f-I curves.

shared/seeds/003: V_th = -55 mV, V_reset = E_L = -75 mV, tau_m = 10 ms, g_L = 10 nS,
V_init = -65 mV, t_ref = 2 ms, a = 6 nS, b = 10 pA, Delta_T = 1 mV, T = 400 ms,
dt = 0.1 ms (presets ``"soroush"``; tau_w = 100 ms and v_peak = 0 mV are lifkit's choices,
the report gives neither). The same runs are ``examples/soroush_*.toml`` and
``examples/soroush_fi_curves.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

import numpy as np

from .. import theory
from ..analysis import adaptation_index, fi_curve
from ..engine.record import Record
from ..engine.simulate import simulate
from ..models import LIF, AdaptiveLIF, AdEx
from ..plotting import plot_fi_curve, plot_model_stimulus_grid, plot_voltage_and_current
from ..results import Result
from ..stimuli import Constant, Ramp, Sinusoid, Step, Stimulus, WhiteNoise
from .base import GalleryFigure, Row, new_figure

SOURCE = "Soroush, LIF, adaptive LIF and AdEx neurons under five inputs"
#: Model key -> (class, name in captions).
MODELS: dict[str, tuple[type[LIF | AdaptiveLIF | AdEx], str]] = {
    "lif": (LIF, "LIF"),
    "alif": (AdaptiveLIF, "adaptive LIF"),
    "adex": (AdEx, "AdEx"),
}
#: Stimulus key -> (the report's formula, the stimulus). Currents in pA, t in ms.
STIMULI: dict[str, tuple[str, Callable[[], Stimulus]]] = {
    "constant": ("I = 300 pA", lambda: Constant("300 pA")),
    "sine": (
        "I = 400 (sin(t) + 0.9) pA",
        lambda: Sinusoid("400 pA", frequency=1000.0 / (2.0 * np.pi), offset="360 pA"),
    ),
    "step": ("I = 300 pA from 100 to 300 ms", lambda: Step("300 pA", start=100.0, stop=300.0)),
    "ramp": ("I = 10 t pA", lambda: Ramp("0 pA", "4000 pA", start=0.0, stop=400.0)),
    "noise": (
        "white noise, mean 250 pA, sigma 50 pA (sigma_v = 5 mV)",
        lambda: WhiteNoise("50 pA", mean="250 pA"),
    ),
}
#: Stimulus key -> its column header in the combined figure.
HEADERS: dict[str, str] = {
    "constant": "constant\n300 pA",
    "sine": "sine\n400 (sin t + 0.9) pA",
    "step": "step\n300 pA, 100-300 ms",
    "ramp": "ramp\n10 t pA",
    "noise": "white noise\nmean 250 pA, σ 50 pA",
}
#: Run length and step (ms), and the currents of the f-I curves (nA).
DURATION, DT = 400.0, 0.1
FI_CURRENTS = np.linspace(0.0, 1.0, 41)


@cache
def run(model: str, stimulus: str) -> Result:
    """The report's run of one model (a key of :data:`MODELS`) under one stimulus (of
    :data:`STIMULI`): 400 ms at dt = 0.1 ms, seed 3, v and I recorded (cached).

    >>> int(run("lif", "constant").counts[0])  # spikes in 400 ms
    31
    """
    cls, _ = MODELS[model]
    return simulate(
        cls.preset("soroush"),
        STIMULI[stimulus][1](),
        duration=DURATION,
        dt=DT,
        seed=3,
        record=Record(variables=("v", "I")),
    )


def panel(model: str, stimulus: str) -> GalleryFigure:
    """The figure of one model under one stimulus: v (threshold dashed) over I.

    >>> entry = panel("lif", "constant")
    >>> entry.name, round(entry.rows[1].difference, 9)  # ISI - theory, ms
    ('soroush_lif_constant', 0.0)
    """
    result = run(model, stimulus)
    formula = STIMULI[stimulus][0]
    name = MODELS[model][1]
    figure = new_figure(3.8)
    _, ax_I = plot_voltage_and_current(
        result, axes=figure.subplots(2, 1, sharex=True, height_ratios=(3, 1))
    )
    if stimulus == "noise":  # white noise has no pointwise value: only its mean is drawn
        ax_I.set_ylabel("mean I (nA)")
    spikes = result.spike_train(0)
    rows = [Row("spikes in 400 ms", float(spikes.size), np.nan, "")]
    rows += _theory_rows(result, model, stimulus, spikes)
    if model != "lif" and spikes.size >= 3:
        intervals = np.diff(spikes)
        rows += [
            Row("first interspike interval", float(intervals[0]), np.nan, "ms"),
            Row("last interspike interval", float(intervals[-1]), np.nan, "ms"),
            Row("adaptation index", float(adaptation_index(spikes)), np.nan, "", "Naud 2008"),
        ]
    return GalleryFigure(
        name=f"soroush_{model}_{stimulus}",
        source=SOURCE,
        title=f"{name}, {stimulus} input",
        caption=f"The {name} neuron under {formula}, 400 ms at dt = 0.1 ms (seed 3)."
        + (" The lower panel shows the noise's mean." if stimulus == "noise" else ""),
        figure=figure,
        rows=rows,
    )


def grid() -> GalleryFigure:
    """The 15 runs of :func:`panel` in one figure: models in rows, stimuli in columns.

    >>> grid().figure.axes[0].get_title().splitlines()  # the first column's header
    ['constant', '300 pA']
    """
    results = [[run(model, stimulus) for stimulus in STIMULI] for model in MODELS]
    figure = new_figure(7.4, width=10.0)
    axes = plot_model_stimulus_grid(
        results, [name for _, name in MODELS.values()], list(HEADERS.values()), figure=figure
    )
    noise = axes[-1, list(STIMULI).index("noise")]
    noise.text(0.97, 0.12, "mean", transform=noise.transAxes, ha="right", fontsize="small")
    return GalleryFigure(
        name="soroush_grid",
        source=SOURCE,
        title="All models under all inputs",
        caption=(
            "The LIF, adaptive LIF and AdEx neurons (rows) under the report's five inputs "
            "(columns), 400 ms at dt = 0.1 ms (seed 3); the bottom row is the input (for "
            "the white noise, its mean). The same runs, one per figure with their numbers, "
            "follow."
        ),
        figure=figure,
    )


def _theory_rows(result: Result, model: str, stimulus: str, spikes: np.ndarray) -> list[Row]:
    """Closed-form references for the LIF panels that have one."""
    lif: Any = result.model
    if model != "lif" or stimulus not in ("constant", "step", "noise"):
        return []
    if stimulus == "noise":
        rate = spikes.size / (DURATION * 1e-3)
        return [
            Row(
                "rate (one 400 ms trial)",
                rate,
                theory.siegert_rate(lif, 0.25, 0.05),
                "Hz",
                "Siegert (Brunel 2000); one trial, sampling error ~ 10%",
            )
        ]
    onset, v0 = (0.0, lif.v_init) if stimulus == "constant" else (100.0, None)
    if v0 is None:  # relaxed from v_init towards E_L for 100 ms before the step
        v0 = theory.membrane_potential(lif, 0.0, onset)
    return [
        Row(
            "first spike time",
            float(spikes[0]),
            onset + theory.first_spike_time(lif, 0.3, v0=v0),
            "ms",
            "onset + tau_m ln((v_inf - v0) / (v_inf - v_th))",
        ),
        Row(
            "interspike interval",
            float(np.diff(spikes).mean()),
            theory.period(lif, 0.3),
            "ms",
            "t_ref + tau_m ln((v_inf - v_reset) / (v_inf - v_th))",
        ),
    ]


def fi(model: str) -> GalleryFigure:
    """The f-I curve of one model: 41 currents 0-1 nA, 1 s each, counted after 200 ms.

    >>> entry = fi("lif")
    >>> entry.name, entry.rows[0].unit
    ('soroush_fi_lif', 'Hz')
    """
    cls, name = MODELS[model]
    curve = fi_curve(cls.preset("soroush"), FI_CURRENTS, duration=1000.0, start=200.0, dt=DT)
    figure = new_figure(3.8)
    label = "simulation" if model == "lif" else "simulation (after 200 ms)"
    ax = plot_fi_curve(curve, figure.subplots(), label=label)
    ax.set_title(name, fontsize="medium")
    rows = []
    for current in (0.3, 0.6, 1.0):
        i = int(np.argmin(np.abs(FI_CURRENTS - current)))
        if model == "lif":  # the exact 1000 / mean ISI beside the closed form
            value, reference = curve.isi_rates[i], theory.firing_rate(curve.model, current)
            note = "closed form"
        else:
            value, reference, note = curve.rates[i], np.nan, "spike count in 200-1000 ms"
        rows.append(Row(f"rate at {current:g} nA", float(value), reference, "Hz", note))
    return GalleryFigure(
        name=f"soroush_fi_{model}",
        source=SOURCE,
        title=f"f-I curve, {name}",
        caption=(
            f"Firing rate of the {name} neuron under constant currents 0-1 nA: one "
            "population run of 41 neurons for 1 s, spikes counted after a 200 ms onset "
            "transient (adaptation settles with tau_w = 100 ms)."
            + (" The line is the closed form." if model == "lif" else "")
        ),
        figure=figure,
        rows=rows,
    )
