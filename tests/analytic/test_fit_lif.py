"""Parameter estimation (issue 5, item 2) on random hidden neurons.

The truth is the hidden parameters drawn by ``random_lif``, never the estimator's own
output. The traces come from one 200 ms population run of the probe protocol.

How "within 2%" is read: R and tau_m relative to their true value; the potentials
(v_rest, v_reset, v_th, negative numbers in mV) relative to the neuron's dynamic range
v_th - v_rest (5 to 35 mV here). That is stricter than 2% of |value| (|value| >= 40 mV
> v_th - v_rest), and it does not make a potential look accurate merely because it is far
from 0 mV. The refractory period must lie within one sample interval dt of the truth.
"""

import numpy as np
import pytest

import lifkit as lk
from lifkit.analysis import PROBE_DURATION, fit_lif, probe_protocol, random_lif
from lifkit.errors import ParameterError

N_NEURONS = 50
DT = 0.1  # ms
NOISE = 0.5  # mV, SD of the added measurement noise
POTENTIALS = ("v_rest", "v_reset", "v_th")
SCALES = ("R", "tau_m")
PARAMETERS = (*POTENTIALS, *SCALES, "t_ref")


@pytest.fixture(scope="module")
def population():
    hidden = random_lif(2024, n=N_NEURONS)
    run = lk.simulate(
        hidden,
        probe_protocol(),
        duration=PROBE_DURATION,
        dt=DT,
        record=lk.Record(neurons="all"),
        seed=0,
    )
    return hidden, run


def errors(hidden, fits):
    """Per parameter: the error of each fit scaled as the module docstring says."""
    true = {name: np.asarray(getattr(hidden, name)) for name in PARAMETERS}
    span = true["v_th"] - true["v_rest"]
    estimate = {name: np.array([getattr(f, name) for f in fits]) for name in PARAMETERS}
    scaled = {}
    for name in PARAMETERS:
        error = np.abs(estimate[name] - true[name])
        if name in POTENTIALS:
            scaled[name] = error / span
        elif name in SCALES:
            scaled[name] = error / true[name]
        else:
            scaled[name] = error / DT
    return scaled


def test_probe_fits_in_200_ms():
    assert PROBE_DURATION <= 200.0


def test_noiseless_traces_give_every_parameter_within_2_percent_and_t_ref_within_dt(population):
    hidden, run = population
    assert run.t[-1] < PROBE_DURATION <= 200.0
    assert np.all(run.counts >= 2), "every hidden neuron must fire under the probe"
    fits = [fit_lif(run.t, run.v[:, i], run.I[:, i]) for i in range(N_NEURONS)]
    scaled = errors(hidden, fits)
    for name in (*POTENTIALS, *SCALES):
        assert scaled[name].max() <= 0.02, name
    assert scaled["t_ref"].max() <= 1.0
    # The estimator inverts the exact dynamics, so on exact data it is exact to rounding
    # (threshold and refractory period included: spikes under several currents pin them).
    for name in PARAMETERS:
        assert scaled[name].max() < 1e-9, name


def test_half_millivolt_noise_keeps_errors_within_stated_tolerance(population):
    """With 0.5 mV of white measurement noise on every sample the achieved accuracy is
    (this seed; 500 neurons over ten seeds give at most R 2.3%, tau_m 2.6%, v_rest 2.6%,
    v_reset 0.6% and v_th 1.4% of v_th - v_rest, t_ref 0.83 dt): the stated, tested
    tolerance is 4% for R and tau_m, 4% of v_th - v_rest (at most 1.4 mV, below 2.5% of
    |v|) for the potentials, and still one dt for t_ref. The reported uncertainties are
    honest: every error is within 5 of them, half within about 0.7 as for a normal law."""
    hidden, run = population
    rng = np.random.default_rng(1)
    noisy = run.v + NOISE * rng.standard_normal(run.v.shape)
    fits = [fit_lif(run.t, noisy[:, i], run.I[:, i]) for i in range(N_NEURONS)]
    scaled = errors(hidden, fits)
    for name in (*POTENTIALS, *SCALES):
        assert scaled[name].max() <= 0.04, name
    assert scaled["t_ref"].max() <= 1.0
    for name in PARAMETERS:
        true = np.asarray(getattr(hidden, name))
        z = np.array(
            [
                (getattr(f, name) - t) / getattr(f, f"{name}_err")
                for f, t in zip(fits, true, strict=True)
            ]
        )
        assert np.max(np.abs(z)) < 5.0, name
        assert 0.3 < np.median(np.abs(z)) < 1.2, name
    measured = np.array([f.residual_rms for f in fits])
    np.testing.assert_allclose(measured, NOISE, rtol=0.1)


def test_one_current_brackets_the_threshold_and_known_spike_times_pin_it():
    neuron = lk.LIF.preset("neurodynex")  # tau_m 8 ms, R 10 MΩ, v_th -50 mV, t_ref 2 ms
    stimulus = lk.Step(-1.0, start=10.0, stop=50.0) + lk.Step(3.0, start=60.0, stop=190.0)
    run = lk.simulate(neuron, stimulus, duration=200.0, dt=DT)
    t, v, current = run.t, run.v[:, 0], run.I[:, 0]
    bracketed = fit_lif(t, v, current)
    low, high = bracketed.v_th_bounds
    assert low <= -50.0 <= high
    assert high - low < 0.1  # narrower than one sample's rise (~0.2 mV) across 13 spikes
    assert abs(bracketed.t_ref - 2.0) < DT
    pinned = fit_lif(t, v, current, spike_times=run.spike_times)
    assert abs(pinned.v_th - -50.0) < 1e-9
    assert abs(pinned.t_ref - 2.0) < 1e-9
    np.testing.assert_allclose(pinned.spike_times, run.spike_times, atol=1e-9)


def test_fitted_model_reproduces_the_trace():
    hidden = random_lif(5)
    run = lk.simulate(hidden, probe_protocol(), duration=PROBE_DURATION, dt=DT)
    fit = fit_lif(run.t, run.v[:, 0], run.I[:, 0])
    again = lk.simulate(fit.to_model(), probe_protocol(), duration=PROBE_DURATION, dt=DT)
    np.testing.assert_allclose(again.v, run.v, atol=1e-8)
    np.testing.assert_allclose(again.spike_times, run.spike_times, atol=1e-8)
    np.testing.assert_allclose(fit.spike_times, run.spike_times, atol=1e-8)


def test_trace_without_spikes_gives_membrane_only():
    neuron = lk.LIF.preset("neurodynex")
    run = lk.simulate(neuron, lk.Step(-1.0, start=10.0, stop=50.0), duration=100.0, dt=DT)
    fit = fit_lif(run.t, run.v[:, 0], run.I[:, 0])
    assert fit.n_spikes == 0
    assert abs(fit.R - 10.0) < 1e-9 and abs(fit.tau_m - 8.0) < 1e-9
    assert np.isnan(fit.v_th) and np.isnan(fit.t_ref)
    with pytest.raises(ParameterError, match="threshold"):
        fit.to_model()


def test_random_lif_is_seeded_and_in_range():
    a, b = random_lif(11, n=200), random_lif(11, n=200)
    np.testing.assert_array_equal(a.v_th, b.v_th)
    assert not np.array_equal(a.v_th, random_lif(12, n=200).v_th)
    assert np.all((-75 <= a.v_rest) & (a.v_rest <= -60))
    assert np.all((-55 <= a.v_th) & (a.v_th <= -40))
    assert np.all(a.v_reset <= a.v_th - 10) and np.all(a.v_reset >= a.v_rest - 10)
    assert np.all((5 <= a.R) & (a.R <= 20)) and np.all((5 <= a.tau_m) & (a.tau_m <= 30))
    assert np.all((1 <= a.t_ref) & (a.t_ref <= 5))
    assert random_lif(3).n_neurons == 1 and np.ndim(random_lif(3).v_th) == 0
    with pytest.raises(ParameterError):
        random_lif(-1)


def test_bad_traces_are_refused_with_the_parameter_named():
    t = np.arange(100) * DT
    with pytest.raises(ParameterError, match=r"^v "):
        fit_lif(t, np.zeros(99), np.zeros(100))
    uneven = t.copy()
    uneven[50] += 0.03
    with pytest.raises(ParameterError, match=r"^t "):
        fit_lif(uneven, np.zeros(100), np.zeros(100))
    with pytest.raises(ParameterError, match=r"^v "):
        fit_lif(t, np.full(100, np.nan), np.zeros(100))
