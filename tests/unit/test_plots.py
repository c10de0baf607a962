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
    plot_raster,
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
