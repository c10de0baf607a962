"""The figures: units on every axis, the expected lines, no show(), axes given or made."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure

import lifkit as lk
from lifkit.analysis import FICurve, MeasuredResponse, fi_curve
from lifkit.plotting import (
    plot_fi_curve,
    plot_frequency_response,
    plot_isi_histogram,
    plot_model_stimulus_grid,
    plot_raster,
    plot_synaptic_input,
    plot_voltage_and_current,
)


@pytest.fixture(autouse=True)
def no_show(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("plots must never call show()")

    monkeypatch.setattr(plt, "show", refuse)
    yield
    plt.close("all")


def _dashed(ax):
    return [line for line in ax.get_lines() if line.get_linestyle() == "--"]


def test_raster_draws_one_tick_per_spike_on_the_neurons_row():
    run = lk.simulate(lk.LIF.preset("orhan"), lk.Constant([0.0, 20.0, 40.0]), duration=100.0)
    ax = plot_raster(run, Figure().subplots())
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("time (ms)", "neuron")
    (ticks,) = ax.collections
    segments = ticks.get_segments()
    assert len(segments) == run.spike_times.size
    rows = sorted({round(float(np.mean(s[:, 1]))) for s in segments})
    assert rows == [1, 2]  # neuron 0 is silent
    assert ax.get_xlim() == (0.0, 100.0)


def test_raster_of_chosen_neurons_from_plain_trains_makes_its_own_figure():
    ax = plot_raster([[1.0, 5.0], [2.0], [3.0, 4.0, 6.0]], neurons=[0, 2])
    assert len(ax.collections[0].get_segments()) == 5
    assert ax.figure is plt.gcf()


def test_fi_curve_has_points_theory_and_a_dashed_refractory_ceiling(tmp_path):
    model = lk.LIF.preset("neurodynex", t_ref=3.0)
    curve = fi_curve(model, np.linspace(0.0, 6.0, 13), duration=200.0)
    ax = plot_fi_curve(curve, Figure().subplots())
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("I (nA)", "rate (Hz)")
    labels = [line.get_label() for line in ax.get_lines()]
    assert labels[:2] == ["simulation", "theory"]
    (ceiling,) = _dashed(ax)
    assert ceiling.get_ydata()[0] == pytest.approx(1000.0 / 3.0)
    assert "1/t_ref" in ceiling.get_label()
    theory = ax.get_lines()[1]
    np.testing.assert_allclose(theory.get_ydata(), lk.theory.firing_rate(model, theory.get_xdata()))
    assert ax.get_legend() is not None
    ax.figure.savefig(tmp_path / "fi.png")
    assert (tmp_path / "fi.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_far_ceiling_stays_off_the_axes_and_says_so():
    model = lk.LIF.preset("neurodynex", t_ref=0.1)  # 10 kHz ceiling over a < 200 Hz curve
    curve = FICurve(
        np.array([1.0, 3.0]), np.array([0.0, 100.0]), np.array([np.nan, 100.0]), 0.0, 100.0, model
    )
    ax = curve.plot(Figure().subplots())
    (ceiling,) = _dashed(ax)
    assert "above the axes" in ceiling.get_label()
    assert ax.get_ylim()[1] < 1000.0


def test_fi_curve_from_arrays_without_a_model_draws_points_only():
    ax = plot_fi_curve(([0.0, 1.0, 2.0], [0.0, 10.0, 30.0]), Figure().subplots())
    assert [line.get_label() for line in ax.get_lines()] == ["simulation"]


def test_bode_plot_has_gain_and_phase_axes_with_units_and_overlay():
    response = MeasuredResponse(
        np.array([1.0, 10.0, 100.0]), np.array([10.0, 8.9, 1.6]), np.array([-3, -27, -79.0]), 0.1
    )
    model = lk.LIF.preset("neurodynex")
    ax_gain, ax_phase = plot_frequency_response(response, model=model, axes=Figure().subplots(2))
    assert ax_gain.get_ylabel() == "gain (MΩ = mV/nA)"
    assert ax_phase.get_ylabel() == "phase (degrees)"
    assert ax_phase.get_xlabel() == "frequency (Hz)"
    assert ax_gain.get_xscale() == ax_phase.get_xscale() == "log"
    gain_labels = [line.get_label() for line in ax_gain.get_lines()]
    assert "theory" in gain_labels and "simulation" in gain_labels
    points = [line for line in ax_phase.get_lines() if line.get_marker() == "o"]
    assert len(points) == 1 and points[0].get_xdata().size == 3
    corner = _dashed(ax_gain)[0].get_xdata()[0]
    assert corner == pytest.approx(1000.0 / (2 * np.pi * 8.0))  # 1/(2π tau_m) in Hz


def test_bode_plot_of_theory_alone_needs_frequencies():
    ax_gain, _ = plot_frequency_response(model=lk.LIF.preset("orhan"), frequencies=[0.1, 1000.0])
    assert ax_gain.figure is plt.gcf()
    with pytest.raises(lk.ParameterError, match="response"):
        plot_frequency_response(model=lk.LIF.preset("orhan"))


@pytest.mark.parametrize("density", [False, True])
def test_isi_histogram_counts_every_interval_and_reports_the_cv(density):
    trains = [np.array([0.0, 10.0, 30.0, 60.0]), np.array([5.0, 15.0])]  # 4 intervals
    ax = plot_isi_histogram(trains, Figure().subplots(), bins=[0, 15, 25, 35], density=density)
    heights = [patch.get_height() for patch in ax.patches]
    if density:
        assert ax.get_ylabel() == "probability density (1/ms)"
        assert np.sum(np.array(heights) * np.diff([0, 15, 25, 35])) == pytest.approx(1.0)
    else:
        assert ax.get_ylabel() == "count"
        assert heights == [2, 1, 1]
    assert ax.get_xlabel() == "ISI (ms)"
    label = ax.get_legend().get_texts()[0].get_text()
    assert "n = 4" in label and "CV = 0.47" in label  # std(10, 20, 30, 10)/mean = 0.47


def test_voltage_plot_of_several_neurons_colours_each_and_checks_labels():
    run = lk.simulate(
        lk.LIF.preset("orhan"),
        lk.Constant([10.0, 20.0, 30.0]),
        duration=50.0,
        record=lk.Record(neurons="all"),
    )
    ax_v, ax_I = plot_voltage_and_current(run, [0, 2], labels=["a", "b"], axes=Figure().subplots(2))
    v_lines = ax_v.get_lines()
    assert [line.get_label() for line in v_lines[:2]] == ["a", "b"]
    assert [line.get_color() for line in ax_I.get_lines()] == [
        line.get_color() for line in v_lines[:2]
    ]
    ticks = next(line for line in v_lines if line.get_label() == "spikes")
    assert ticks.get_xdata().size == run.counts[2]  # neuron 0 is silent
    with pytest.raises(lk.ParameterError, match="labels"):
        plot_voltage_and_current(run, [0, 1], axes=Figure().subplots(2))


def test_adex_spikes_are_drawn_up_to_v_peak_and_the_dashed_line_is_v_T():
    model = lk.AdEx.preset("soroush")
    run = lk.simulate(model, lk.Constant("300 pA"), duration=60.0)
    ax_v, _ = plot_voltage_and_current(run, axes=Figure().subplots(2))
    trace = ax_v.get_lines()[0]
    assert max(trace.get_ydata()) == float(model.v_peak)  # each spike reaches v_peak
    (dashed,) = _dashed(ax_v)
    assert dashed.get_ydata()[0] == float(model.v_T)


def test_two_fi_curves_on_one_axes_keep_their_own_theory_labels_and_styles():
    ax = Figure().subplots()
    for t_ref, ls in ((0.0, "-"), (5.0, "--")):
        curve = fi_curve(lk.LIF.preset("orhan", t_ref=t_ref), [10.0, 20.0, 40.0], duration=100)
        plot_fi_curve(curve, ax, theory_label=f"t_ref = {t_ref:g} ms", theory_ls=ls)
    styles = {line.get_label(): line.get_linestyle() for line in ax.get_lines()}
    assert styles["t_ref = 0 ms"] == "-" and styles["t_ref = 5 ms"] == "--"


def test_bode_axes_leave_headroom_and_label_ticks_within_one_decade():
    ax_gain, ax_phase = plot_frequency_response(
        model=lk.LIF.preset("neurodynex"), frequencies=[1.0, 10.0], axes=Figure().subplots(2)
    )
    assert ax_gain.get_ylim()[1] > 10.0  # the 10 MΩ low-frequency gain is not clipped
    ax_phase.figure.canvas.draw()
    labels = {t.get_text() for t in ax_phase.get_xticklabels() if t.get_text()}
    assert {"1", "2", "5", "10"} <= labels


def _grid_runs(models, stimuli, duration=50.0):
    return [[lk.simulate(m, s, duration=duration) for s in stimuli] for m in models]


def test_model_stimulus_grid_has_a_panel_per_run_and_a_current_row_with_outer_units():
    models = [lk.LIF.preset("soroush"), lk.AdaptiveLIF.preset("soroush"), lk.AdEx.preset("soroush")]
    stimuli = [
        lk.Constant("300 pA"),
        lk.Step("300 pA", start=10.0),
        lk.Ramp("0 pA", "1 nA", start=0.0, stop=50.0),
    ]
    runs = _grid_runs(models, stimuli)
    figure = Figure()
    axes = plot_model_stimulus_grid(runs, ["LIF", "ALIF", "AdEx"], ["c", "s", "r"], figure=figure)
    assert axes.shape == (4, 3) and len(figure.axes) == 12
    assert [ax.get_title() for ax in axes[0]] == ["c", "s", "r"]
    assert [ax.get_title() for ax in axes[1:].flat] == [""] * 9
    assert [ax.get_ylabel() for ax in axes[:, 0]] == [
        "LIF\nv (mV)",
        "ALIF\nv (mV)",
        "AdEx\nv (mV)",
        "I (nA)",
    ]
    assert [ax.get_ylabel() for ax in axes[:, 1:].flat] == [""] * 8
    assert [ax.get_xlabel() for ax in axes.flat] == [""] * 9 + ["time (ms)"] * 3
    for i, model in enumerate(models):
        for j, ax in enumerate(axes[i]):
            trace, (threshold,) = ax.get_lines()[0], _dashed(ax)
            assert threshold.get_ydata()[0] == float(model.v_th)
            # each spike is drawn up to the threshold (v_peak for the AdEx) and back
            top = float(getattr(model, "v_peak", model.v_th))
            assert np.sum(trace.get_ydata() == top) >= runs[i][j].counts[0]
    for j, ax in enumerate(axes[-1]):
        (current,) = ax.get_lines()
        np.testing.assert_array_equal(current.get_ydata(), runs[0][j].trace("I"))
        assert ax.get_ylim()[0] < 0.0  # I = 0 stays in view
    assert axes[0, 1].get_shared_y_axes().joined(axes[0, 0], axes[0, 2])
    assert not axes[-1, 0].get_shared_y_axes().joined(axes[-1, 0], axes[-1, 2])
    (legend,) = figure.legends
    labels = [text.get_text() for text in legend.get_texts()]
    assert labels == ["v", "threshold", "soft threshold v_T", "I"]


def test_model_stimulus_grid_refuses_a_ragged_grid_or_a_column_of_different_currents():
    model = lk.LIF.preset("soroush")
    runs = _grid_runs([model, model], [lk.Constant("300 pA"), lk.Constant("200 pA")], 10.0)
    with pytest.raises(lk.ParameterError, match="2 runs"):
        plot_model_stimulus_grid([runs[0][:1], runs[1]], ["a", "b"], ["x", "y"], figure=Figure())
    swapped = [runs[0], runs[1][::-1]]
    with pytest.raises(lk.ParameterError, match="same stimulus"):
        plot_model_stimulus_grid(swapped, ["a", "b"], ["x", "y"], figure=Figure())


def test_synaptic_input_legend_sits_above_the_voltage_axes():
    inputs = lk.Projection(lk.PoissonGroup(5, "40 Hz"), synapse=lk.AlphaSynapse(10), weights=1.0)
    run = lk.simulate(
        lk.LIF.preset("orhan"),
        projections=[inputs],
        duration=30.0,
        seed=1,
        record=lk.Record(variables=("v", "I_syn")),
    )
    ax_v, _, _ = plot_synaptic_input(run, axes=Figure().subplots(3, 1))
    legend = ax_v.get_legend()
    assert [text.get_text() for text in legend.get_texts()] == ["v", "threshold 15 mV"]
    assert legend.get_bbox_to_anchor().transformed(ax_v.transAxes.inverted()).y0 == 1.0
