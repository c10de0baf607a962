"""Measurements by simulation (f-I curve, frequency response, rheobase) against theory."""

import cmath
import math

import numpy as np
import pytest

import lifkit as lk
from lifkit.analysis import (
    fi,
    fi_curve,
    measure_frequency_response,
    rheobase_by_bisection,
    spike_trains,
    spikes,
)
from lifkit.errors import ParameterError
from lifkit.theory import firing_rate, rheobase, subthreshold_response

# The exercises' f-I curve has a 3 ms refractory period; starting at v_reset makes the
# first interval a whole period minus t_ref, so a window of T ms holds T/period ± 1 spikes.
NEURODYNEX = lk.LIF.preset("neurodynex", t_ref=3.0, v_init=-65.0)


@pytest.mark.parametrize(
    ("model", "currents"),
    [
        (NEURODYNEX, np.linspace(0.0, 6.0, 61)),  # includes the 2 nA rheobase exactly
        (lk.LIF.preset("orhan"), np.linspace(0.0, 100.0, 41)),  # mV of drive, t_ref = 0
    ],
)
def test_simulated_fi_curve_equals_the_analytic_rate(model, currents):
    duration = 500.0
    curve = fi_curve(model, currents, duration=duration, dt=0.1)
    expected = firing_rate(model, currents)
    fires = expected > 0
    # The engine is exact: every interval is the analytic period to rounding error.
    np.testing.assert_allclose(curve.isi_rates[fires], expected[fires], rtol=1e-9)
    assert np.all(np.isnan(curve.isi_rates[~fires])) and np.all(curve.rates[~fires] == 0)
    # Counting spikes in a window is right to within one spike per window.
    assert np.max(np.abs(curve.rates - expected)) <= 1000.0 / duration


def test_fi_curve_is_one_population_run(monkeypatch):
    calls = []
    real = fi.simulate

    def counting(model, stimulus, **kwargs):
        calls.append(stimulus.n_neurons)
        return real(model, stimulus, **kwargs)

    monkeypatch.setattr(fi, "simulate", counting)
    curve = fi_curve(NEURODYNEX, np.linspace(1.0, 5.0, 9), duration=100.0)
    assert calls == [9] and curve.rates.shape == (9,)


def test_fi_curve_rates_are_the_per_train_statistics_of_its_run():
    # An adapting model: irregular trains, so mean ISI and count rate both matter.
    model = lk.AdEx.preset("brette_gerstner_2005")
    currents = np.linspace(0.0, 1.5, 12)
    curve = fi_curve(model, currents, duration=300.0, start=40.0)
    run = lk.simulate(model, lk.Constant(currents), duration=300.0, record=lk.Record(neurons=()))
    trains = [t[t >= 40.0] for t in spike_trains(run)]
    assert np.count_nonzero(np.isnan(curve.isi_rates)) not in (0, currents.size)
    np.testing.assert_array_equal(curve.rates, spikes.firing_rate(trains, start=40.0, stop=300.0))
    np.testing.assert_allclose(curve.isi_rates, spikes.isi_rate(trains), rtol=1e-12)


def test_fi_curve_start_drops_the_onset_and_strings_are_read_as_drives():
    orhan = lk.LIF.preset("orhan")
    curve = fi_curve(orhan, ["20 mV", "40 mV"], duration=200.0, start=50.0)
    np.testing.assert_allclose(curve.currents, [20.0, 40.0])
    np.testing.assert_allclose(curve.isi_rates, firing_rate(orhan, [20.0, 40.0]), rtol=1e-9)
    with pytest.raises(ParameterError, match="model"):
        fi_curve(orhan.replace(t_ref=np.array([0.0, 1.0])), [1.0, 2.0], duration=10.0)
    with pytest.raises(ParameterError, match="start"):
        fi_curve(orhan, [1.0], duration=10.0, start=10.0)


# The exercises' 1-10 Hz sweep and their 250 Hz example, plus the corner region.
FREQUENCIES = np.array([1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 250.0])
SUBTHRESHOLD = lk.LIF.preset("neurodynex")  # 0.1 nA moves v by at most 1 mV: no spikes


@pytest.fixture(scope="module")
def measured():
    return measure_frequency_response(SUBTHRESHOLD, FREQUENCIES, 0.1, periods=2, dt=0.1)


def test_measured_frequency_response_matches_the_low_pass_filter(measured):
    expected = subthreshold_response(SUBTHRESHOLD, FREQUENCIES)
    np.testing.assert_allclose(measured.gain, expected.gain, rtol=0.01)
    np.testing.assert_allclose(measured.phase, expected.phase, atol=1.0)


def test_measured_response_is_the_exact_response_to_the_piecewise_linear_drive(measured):
    # Within a step the engine holds the drive linear between grid values. The exact
    # solution of tau dx/dt = -x + u(t) for such u maps (x_n, u_n, u_n+1) to
    # x_n+1 = d x_n + (1 - d - c) u_n + c u_n+1, d = exp(-dt/tau), c = 1 - tau (1 - d)/dt,
    # so on the grid u_n = R A exp(iωn dt) gives x_n = H exp(iωn dt) with
    # H = R A ((1 - d - c) + c z) / (z - d), z = exp(iω dt). The 250 Hz gain is 0.2% below
    # the continuous filter's (sinc²(ω dt/2)); the engine must reproduce H to rounding.
    tau, dt, resistance = 8.0, 0.1, 10.0
    d = math.exp(-dt / tau)
    c = 1 - tau * (1 - d) / dt
    for f, gain, phase in zip(FREQUENCIES, measured.gain, measured.phase, strict=True):
        z = cmath.exp(1j * 2e-3 * math.pi * f * dt)
        exact = resistance * ((1 - d - c) + c * z) / (z - d)
        assert gain == pytest.approx(abs(exact), rel=1e-7)
        assert phase == pytest.approx(math.degrees(cmath.phase(exact)), abs=1e-5)


def test_frequency_response_refuses_a_spiking_neuron():
    with pytest.raises(ParameterError, match="amplitude"):
        measure_frequency_response(SUBTHRESHOLD, [10.0], 5.0, periods=1, settle=10.0)


@pytest.mark.parametrize("preset", ["neurodynex", "orhan", "soroush"])
def test_rheobase_by_bisection_finds_the_analytic_rheobase(preset):
    model = lk.LIF.preset(preset)
    found = rheobase_by_bisection(model, tol=1e-6)
    # The answer spiked, so it is not below the rheobase; it is above it by at most the
    # tolerance plus what 500 ms (>= 50 tau_m) needs, which is below 1e-20 nA.
    assert 0.0 <= found - rheobase(model) <= 1e-6


def test_bisection_sees_the_finite_duration_needing_more_current():
    # From v_rest, v(T) = v_rest + R I (1 - exp(-T/tau)) reaches v_th only for
    # I >= (v_th - v_rest) / (R (1 - exp(-T/tau))): 2.01357 nA for T = 5 tau_m.
    model = lk.LIF.preset("neurodynex")
    expected = 2.0 / (1.0 - math.exp(-5.0))
    serial = rheobase_by_bisection(model, duration=40.0, tol=1e-5, n_parallel=1)
    parallel = rheobase_by_bisection(model, duration=40.0, tol=1e-5, bracket=(1.0, 3.0))
    for found in (serial, parallel):
        assert 0.0 <= found - expected <= 1e-5
