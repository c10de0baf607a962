"""Result: counts, rates, spike trains, traces, pandas conversion and the quick-look plot."""

import math

import matplotlib
import numpy as np
import pytest

import lifkit as lk

matplotlib.use("Agg")


@pytest.fixture(scope="module")
def result():
    model = lk.LIF(tau_m=10.0, R=1.0, v_rest=0.0, v_reset=0.0, v_th=15.0, t_ref=5.0)
    drive = lk.Constant([10.0, 20.0, 40.0])  # mV drive with R = 1: silent, slow, fast
    return lk.simulate(model, drive, duration=200.0, record=lk.Record(neurons=[1, 2], stride=2))


def test_counts_and_rates_follow_the_analytic_period(result):
    for neuron, drive in ((1, 20.0), (2, 40.0)):
        period = 5.0 + 10.0 * math.log(drive / (drive - 15.0))
        assert (
            result.counts[neuron]
            == math.floor((200.0 - 10.0 * math.log(drive / (drive - 15.0))) / period) + 1
        )
    assert result.counts[0] == 0
    np.testing.assert_allclose(result.rates, result.counts / 0.2)


def test_spike_train_and_trace_select_one_neuron(result):
    train = result.spike_train(2)
    assert np.all(np.diff(train) > 0) and train.size == result.counts[2]
    assert result.trace("v", 1).shape == result.t.shape == (1000,)
    np.testing.assert_allclose(result.t[:3], [0.0, 0.2, 0.4])
    with pytest.raises(lk.ParameterError, match=r"^neuron ="):
        result.trace("v", 0)
    with pytest.raises(lk.ParameterError, match=r"^neuron ="):
        result.spike_train(3)


def test_to_pandas_gives_long_tables(result):
    spikes, traces = result.to_pandas()
    assert list(spikes.columns) == ["neuron", "time_ms"]
    assert len(spikes) == result.counts.sum()
    assert list(traces.columns) == ["neuron", "time_ms", "v_mV", "I_nA"]
    assert len(traces) == 2 * result.t.size
    np.testing.assert_allclose(traces.query("neuron == 2")["I_nA"], 40.0)


def test_plot_draws_voltage_with_threshold_over_current(result):
    ax_v, ax_i = result.plot(neuron=2)
    assert "mV" in ax_v.get_ylabel() and "nA" in ax_i.get_ylabel()
    assert "ms" in ax_i.get_xlabel()
    assert any(np.allclose(line.get_ydata(), 15.0) for line in ax_v.get_lines())
