"""The LIF engine against closed forms and an independent event-driven solution."""

import math

import numpy as np
import pytest

import lifkit as lk


def analytic_period(tau_m, v_rest, R, current, v_reset, v_th, t_ref):
    v_inf = v_rest + R * current
    return t_ref + tau_m * math.log((v_inf - v_reset) / (v_inf - v_th))


@pytest.mark.parametrize("dt", [0.1, 0.05, 0.01])
@pytest.mark.parametrize("t_ref", [0.0, 2.0])
def test_isi_equals_analytic_period_with_and_without_refractory(dt, t_ref):
    model = lk.LIF.preset("neurodynex", t_ref=t_ref, v_init=-65.0)
    current = 3.0  # nA
    result = lk.simulate(model, lk.Constant(current), duration=200, dt=dt, jit=False)
    expected = analytic_period(8.0, -70.0, 10.0, current, -65.0, -50.0, t_ref)
    isi = np.diff(result.spike_times)
    assert isi.size >= 5
    np.testing.assert_allclose(isi, expected, rtol=0, atol=1e-9)
    first = 8.0 * math.log((30.0 - 5.0) / (30.0 - 20.0))  # from v_init = v_reset
    assert abs(result.spike_times[0] - first) < 1e-9
    off_grid = np.abs(result.spike_times / dt - np.round(result.spike_times / dt))
    assert np.all(off_grid > 1e-6), "spike times must not be rounded to the grid"


def test_orhan_constant_drive_fires_every_10_ln_4_ms():
    result = lk.simulate(lk.LIF.preset("orhan"), lk.Constant("20 mV"), duration=100, dt=0.1)
    np.testing.assert_allclose(np.diff(result.spike_times), 10 * math.log(4), atol=1e-9)


def event_driven_reference(inputs, dt, tau, v_reset, v_th, x0):
    """Exact spike times of tau dx/dt = -x + u_k, u_k held over step k (v_rest = 0, t_ref = 0)."""
    spikes, x = [], x0
    for k, u in enumerate(inputs):
        t, left = k * dt, dt
        while True:
            end = u + (x - u) * math.exp(-left / tau)
            if end < v_th:
                x = end
                break
            wait = tau * math.log((u - x) / (u - v_th))
            t += wait
            left -= wait
            spikes.append(t)
            x = v_reset
    return np.array(spikes)


@pytest.mark.parametrize(("mean", "min_spikes"), [("15 mV", 1), ("18 mV", 4)])
def test_gaussian_steps_spike_times_equal_exact_piecewise_solution(mean, min_spikes):
    stimulus = lk.GaussianSteps(mean, "5 mV", seed=2012)  # the Orhan note's Figure 2 input
    model = lk.LIF.preset("orhan")
    result = lk.simulate(model, stimulus, duration=100, dt=0.1)
    drive = stimulus.sample(1000)
    expected = event_driven_reference(drive, 0.1, 10.0, 0.0, 15.0, 0.0)
    assert expected.size >= min_spikes
    np.testing.assert_allclose(result.spike_times, expected, rtol=0, atol=1e-9)


def fit_sine(t, v, frequency_hz):
    omega = 2e-3 * np.pi * frequency_hz
    design = np.column_stack([np.ones_like(t), np.sin(omega * t), np.cos(omega * t)])
    _, a, b = np.linalg.lstsq(design, v, rcond=None)[0]
    return math.hypot(a, b), math.degrees(math.atan2(b, a))


@pytest.mark.parametrize("frequency", [1.0, 5.0, 10.0, 250.0])
def test_subthreshold_sine_amplitude_and_phase_match_low_pass_filter(frequency):
    model = lk.LIF.preset("neurodynex", v_th=100.0)
    settle = 100.0
    period = 1000.0 / frequency
    n_periods = 2 if frequency < 100 else 20
    duration = settle + n_periods * period
    stimulus = lk.Sinusoid(2.5, frequency=frequency)
    result = lk.simulate(model, stimulus, duration=duration, dt=0.1, jit=False)
    steady = result.t >= settle
    amplitude, phase = fit_sine(result.t[steady], result.v[steady, 0], frequency)
    omega_tau = 2e-3 * np.pi * frequency * 8.0
    assert amplitude == pytest.approx(10.0 * 2.5 / math.hypot(1, omega_tau), rel=0.01)
    assert phase == pytest.approx(-math.degrees(math.atan(omega_tau)), abs=1.0)


def test_rheobase_step_gives_no_spike_and_one_percent_above_fires():
    model = lk.LIF.preset("neurodynex")
    rheobase = (-50.0 - -70.0) / 10.0  # (v_th - v_rest) / R = 2 nA
    at = lk.simulate(model, lk.Step(rheobase, start=5, stop=200), duration=300)
    above = lk.simulate(model, lk.Step(1.01 * rheobase, start=5, stop=200), duration=300)
    assert at.counts[0] == 0
    assert above.counts[0] >= 1
