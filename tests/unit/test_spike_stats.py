"""Spike-train statistics against hand-computed examples and a Poisson process."""

import numpy as np
import pytest

import lifkit as lk
from lifkit.analysis import (
    adaptation_index,
    fano_factor,
    firing_rate,
    isi,
    isi_cv,
    isi_rate,
    spike_counts,
    spike_trains,
)
from lifkit.errors import ParameterError

TRAIN = [2.0, 5.0, 11.0, 23.0]  # ISIs 3, 6, 12 ms


def test_hand_computed_statistics_of_one_train():
    assert isi(TRAIN).tolist() == [3.0, 6.0, 12.0]
    assert isi_rate(TRAIN) == pytest.approx(1000.0 / 7.0)
    # std of (3, 6, 12) is sqrt(14) with ddof = 0, mean 7.
    assert isi_cv(TRAIN) == pytest.approx(np.sqrt(14.0) / 7.0)
    # (6 - 3)/(6 + 3) = 1/3 and (12 - 6)/(12 + 6) = 1/3: doubling intervals.
    assert adaptation_index(TRAIN) == pytest.approx(1.0 / 3.0)
    assert adaptation_index(TRAIN, skip=1) == pytest.approx(1.0 / 3.0)  # ISIs 6, 12 only
    assert np.isnan(adaptation_index(TRAIN, skip=2))  # one interval left
    assert firing_rate(TRAIN, stop=100.0) == pytest.approx(40.0)
    assert firing_rate(TRAIN, start=5.0, stop=25.0) == pytest.approx(150.0)  # 5, 11, 23


def test_windows_are_half_open_and_only_whole_windows_count():
    train = [0.0, 9.999, 10.0, 19.0, 20.0, 29.0, 31.0]
    assert spike_counts(train, window=10.0, stop=35.0).tolist() == [2, 2, 2]
    # counts 2, 2, 2: variance 0, so the Fano factor is 0.
    assert fano_factor(train, window=10.0, stop=30.0) == 0.0
    # counts 3, 2 over two 12-ms windows: mean 2.5, variance 0.25.
    assert fano_factor(train, window=12.0, stop=24.0) == pytest.approx(0.1)


def test_accelerating_and_regular_trains():
    assert adaptation_index([0.0, 30.0, 50.0, 60.0]) < 0  # ISIs 30, 20, 10
    regular = np.arange(0.0, 1000.0, 10.0)
    assert isi_cv(regular) == pytest.approx(0.0, abs=1e-12)
    assert adaptation_index(regular) == pytest.approx(0.0, abs=1e-12)
    assert fano_factor(regular, window=50.0, stop=1000.0) == 0.0
    assert isi_rate(regular) == pytest.approx(100.0)


def test_too_few_spikes_give_nan_not_errors():
    assert np.isnan(isi_rate([1.0]))
    assert np.isnan(isi_cv([1.0, 2.0]))  # one interval: no spread
    assert np.isnan(adaptation_index([1.0, 2.0]))
    assert np.isnan(fano_factor([], window=10.0, stop=100.0))
    assert firing_rate([], stop=100.0) == 0.0


def test_poisson_process_has_unit_cv_and_fano_factor():
    rate = 50.0  # Hz
    rng = np.random.default_rng(12)
    train = np.cumsum(rng.exponential(1000.0 / rate, 100_000))
    stop = float(np.floor(train[-1]))
    # 1e5 intervals: the CV's standard error is ~0.3%; 20 000 windows of 100 ms (mean
    # count 5): the Fano factor's is ~1%. Tolerances are 3 and 5 standard errors.
    assert isi_cv(train) == pytest.approx(1.0, abs=0.01)
    assert firing_rate(train, stop=stop) == pytest.approx(rate, rel=0.01)
    assert fano_factor(train, window=100.0, stop=stop) == pytest.approx(1.0, abs=0.05)
    assert adaptation_index(train) == pytest.approx(0.0, abs=0.01)


def test_lists_of_trains_give_one_value_per_train():
    trains = [TRAIN, [], np.arange(0.0, 100.0, 10.0)]
    np.testing.assert_allclose(firing_rate(trains, stop=100.0), [40.0, 0.0, 100.0])
    cvs = isi_cv(trains)
    assert cvs.shape == (3,) and np.isnan(cvs[1]) and cvs[2] == pytest.approx(0.0, abs=1e-12)
    assert [d.size for d in isi(trains)] == [3, 0, 9]
    assert spike_counts(trains, window=50.0, stop=100.0).tolist() == [[4, 0], [0, 0], [5, 5]]


def test_result_input_uses_every_neuron_and_the_run_duration():
    currents = np.array([0.0, 20.0, 30.0])  # mV of drive at R = 1 MΩ
    result = lk.simulate(lk.LIF.preset("orhan"), lk.Constant(currents), duration=200.0)
    trains = spike_trains(result)
    assert len(trains) == 3
    for neuron, train in enumerate(trains):
        np.testing.assert_array_equal(train, result.spike_train(neuron))
    np.testing.assert_allclose(firing_rate(result), result.rates)
    period = lk.theory.period(lk.LIF.preset("orhan"), currents[1:])
    np.testing.assert_allclose(isi_rate(result)[1:], 1000.0 / period, rtol=1e-9)


def test_bad_input_is_refused_with_the_parameter_named():
    with pytest.raises(ParameterError, match="stop"):
        firing_rate(TRAIN)  # plain arrays need the end of the recording
    with pytest.raises(ParameterError, match="window"):
        spike_counts(TRAIN, window=0.0, stop=10.0)
    with pytest.raises(ParameterError, match="window"):
        fano_factor(TRAIN, window=50.0, stop=20.0)
    with pytest.raises(ParameterError, match="skip"):
        adaptation_index(TRAIN, skip=-1)
    with pytest.raises(ParameterError, match="spikes"):
        isi_cv(np.zeros((2, 2)))
    with pytest.raises(ParameterError, match="spikes"):
        isi_cv([1.0, np.nan])
