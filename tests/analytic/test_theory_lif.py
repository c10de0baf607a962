"""The LIF closed forms against independent truth: ODE integration and hand-derived values."""

import math
import warnings

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from lifkit.errors import ParameterError
from lifkit.models import LIF
from lifkit.theory import (
    firing_rate,
    first_spike_time,
    membrane_potential,
    period,
    rheobase,
    subthreshold_response,
)

ORHAN = LIF.preset("orhan")
NEURODYNEX = LIF.preset("neurodynex")
SOROUSH = LIF.preset("soroush")
ODE_TOLERANCES = dict(method="DOP853", rtol=1e-11, atol=1e-12)


def _membrane_ode(model, current_nA):
    """Right-hand side of tau_m dv/dt = -(v - v_rest) + R I(t), with I(t) in nA."""
    tau_m, R, v_rest = float(model.tau_m), float(model.R), float(model.v_rest)
    return lambda t, v: (-(v - v_rest) + R * current_nA(t)) / tau_m


def _ode_time_to_threshold(model, current_nA, v0):
    """Time at which the integrated ODE first crosses v_th upwards."""

    def at_threshold(t, v):
        return v[0] - float(model.v_th)

    at_threshold.terminal = True
    at_threshold.direction = 1
    solution = solve_ivp(
        _membrane_ode(model, lambda t: current_nA),
        (0.0, 1000.0),
        [v0],
        events=at_threshold,
        **ODE_TOLERANCES,
    )
    return solution.t_events[0][0]


@pytest.mark.parametrize(("current", "v0"), [(1.5, None), (3.0, -60.0), ("25 mV", -80.0)])
def test_membrane_potential_matches_integrated_ode_and_ignores_threshold(current, v0):
    times = np.array([0.0, 1.0, 5.0, 20.0, 80.0])
    current_nA = {1.5: 1.5, 3.0: 3.0, "25 mV": 2.5}[current]
    start = float(NEURODYNEX.v_init) if v0 is None else v0
    solution = solve_ivp(
        _membrane_ode(NEURODYNEX, lambda t: current_nA),
        (0.0, times[-1]),
        [start],
        t_eval=times,
        **ODE_TOLERANCES,
    )
    np.testing.assert_allclose(
        membrane_potential(NEURODYNEX, current, times, v0=v0), solution.y[0], rtol=1e-9
    )


@pytest.mark.parametrize(("current", "current_nA"), [("210 pA", 0.21), ("300 pA", 0.3), (5.0, 5.0)])
def test_first_spike_time_from_v_init_matches_ode_threshold_event(current, current_nA):
    expected = _ode_time_to_threshold(SOROUSH, current_nA, float(SOROUSH.v_init))
    assert first_spike_time(SOROUSH, current) == pytest.approx(expected, rel=1e-8)


def test_first_spike_time_from_given_v0_matches_ode_threshold_event():
    expected = _ode_time_to_threshold(NEURODYNEX, 2.5, -75.0)
    assert first_spike_time(NEURODYNEX, 2.5, v0="-75 mV") == pytest.approx(expected, rel=1e-8)


@pytest.mark.parametrize("current_nA", [2.1, 3.0, 10.0])
def test_period_equals_ode_time_from_reset_to_threshold_plus_t_ref(current_nA):
    expected = float(NEURODYNEX.t_ref) + _ode_time_to_threshold(
        NEURODYNEX, current_nA, float(NEURODYNEX.v_reset)
    )
    assert period(NEURODYNEX, current_nA) == pytest.approx(expected, rel=1e-8)


def test_orhan_first_spike_time_and_period_are_10_ln_4_ms_for_20_mV_drive():
    # Orhan eq. 4: tau_m ln(RI / (RI - v_th)) = 10 ln(20 / 5) ms.
    assert first_spike_time(ORHAN, "20 mV") == pytest.approx(10 * math.log(4), rel=1e-14)
    assert period(ORHAN, "20 mV") == pytest.approx(10 * math.log(4), rel=1e-14)
    assert firing_rate(ORHAN, "20 mV") == pytest.approx(1000 / (10 * math.log(4)), rel=1e-14)


def test_orhan_period_with_5_ms_refractory_is_5_plus_10_ln_4_ms():
    model = LIF.preset("orhan", t_ref=5.0)
    assert period(model, "20 mV") == pytest.approx(5 + 10 * math.log(4), rel=1e-14)


def test_neurodynex_rheobase_is_2_nA():
    assert rheobase(NEURODYNEX) == pytest.approx(2.0, rel=1e-14)  # 20 mV / 10 MΩ


def test_soroush_rheobase_is_200_pA():
    assert rheobase(SOROUSH) == pytest.approx(0.2, rel=1e-14)  # 20 mV * 10 nS


@pytest.mark.parametrize(
    "model", [ORHAN, NEURODYNEX, SOROUSH], ids=["orhan", "neurodynex", "soroush"]
)
def test_firing_rate_is_exactly_zero_without_warnings_at_and_below_rheobase(model):
    threshold = rheobase(model)
    currents = np.array([-5.0, 0.0, 0.5 * threshold, threshold])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        rates = firing_rate(model, currents)
        periods = period(model, currents)
        first_spikes = first_spike_time(model, currents)
    assert np.all(rates == 0.0)
    assert np.all(np.isinf(periods)) and np.all(np.isinf(first_spikes))


def test_firing_rate_increases_strictly_above_rheobase():
    currents = np.linspace(rheobase(NEURODYNEX), 50.0, 500)[1:]
    rates = firing_rate(NEURODYNEX, currents)
    assert rates[0] > 0
    assert np.all(np.diff(rates) > 0)


def test_firing_rate_saturates_below_1000_over_t_ref():
    ceiling = 1000 / float(NEURODYNEX.t_ref)
    rates = firing_rate(NEURODYNEX, np.geomspace(2.5, 1e6, 200))
    assert np.all(rates < ceiling)
    assert rates[-1] > 0.999 * ceiling


@pytest.mark.parametrize("frequency", [1.0, 5.0, 10.0, 250.0])
def test_subthreshold_response_matches_sine_fit_of_ode_steady_state(frequency):
    amplitude = 2.5  # nA, as in the Neuronal Dynamics exercise
    omega = 2 * np.pi * frequency / 1000  # per ms
    settle = 30 * float(NEURODYNEX.tau_m)  # transients decay as exp(-t / tau_m)
    n_periods = math.ceil(20.0 * frequency / 1000)  # fit at least 20 ms of whole periods
    times = np.linspace(settle, settle + n_periods * 1000 / frequency, 2001)
    solution = solve_ivp(
        _membrane_ode(NEURODYNEX, lambda t: amplitude * np.sin(omega * t)),
        (0.0, times[-1]),
        [float(NEURODYNEX.v_rest)],
        t_eval=times,
        **ODE_TOLERANCES,
    )
    # v - v_rest = G A sin(wt + phi) = a sin(wt) + b cos(wt), a = G A cos(phi), b = G A sin(phi)
    design = np.column_stack([np.sin(omega * times), np.cos(omega * times), np.ones_like(times)])
    (a, b, _), *_ = np.linalg.lstsq(design, solution.y[0], rcond=None)
    response = subthreshold_response(NEURODYNEX, frequency)
    assert response.gain == pytest.approx(math.hypot(a, b) / amplitude, rel=1e-7)
    assert response.phase == pytest.approx(math.degrees(math.atan2(b, a)), abs=1e-5)


def test_subthreshold_response_at_corner_frequency_is_R_over_sqrt2_and_minus_45_degrees():
    corner = 1000 / (2 * np.pi * float(NEURODYNEX.tau_m))  # Hz, where omega tau_m = 1
    gain, phase = subthreshold_response(NEURODYNEX, corner)
    assert gain == pytest.approx(10.0 / math.sqrt(2), rel=1e-14)
    assert phase == pytest.approx(-45.0, rel=1e-14)
    assert subthreshold_response(NEURODYNEX, 0.0) == (10.0, 0.0)


def test_voltage_drive_equals_current_times_R():
    assert period(NEURODYNEX, "25 mV") == period(NEURODYNEX, 2.5)
    assert first_spike_time(SOROUSH, "30 mV") == first_spike_time(SOROUSH, "300 pA")


def test_per_neuron_model_broadcasts_against_current_grid():
    taus = [4.0, 8.0, 16.0]
    model = LIF.preset("neurodynex", tau_m=taus)
    currents = np.array([1.0, 3.0, 10.0])
    rates = firing_rate(model, currents[:, None])
    assert rates.shape == (3, 3)
    for column, tau_m in enumerate(taus):
        single = LIF.preset("neurodynex", tau_m=tau_m)
        np.testing.assert_array_equal(rates[:, column], firing_rate(single, currents))
    np.testing.assert_array_equal(
        period(model, currents),
        [
            period(LIF.preset("neurodynex", tau_m=tau), i)
            for tau, i in zip(taus, currents, strict=True)
        ],
    )


def test_scalar_input_returns_float_and_array_input_returns_array():
    for value in (
        membrane_potential(NEURODYNEX, 1.0, 5.0),
        first_spike_time(NEURODYNEX, 3.0),
        period(NEURODYNEX, 3.0),
        firing_rate(NEURODYNEX, 3.0),
        rheobase(NEURODYNEX),
        *subthreshold_response(NEURODYNEX, 5.0),
    ):
        assert type(value) is float
    assert isinstance(firing_rate(NEURODYNEX, [3.0]), np.ndarray)
    assert isinstance(subthreshold_response(NEURODYNEX, [1.0, 5.0]).gain, np.ndarray)


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: firing_rate(NEURODYNEX, float("nan")), "current"),
        (lambda: period(NEURODYNEX, [1.0, np.inf]), "current"),
        (lambda: firing_rate(NEURODYNEX, "10 ms"), "current"),
        (lambda: firing_rate(LIF.preset("neurodynex", tau_m=[4.0, 8.0]), [1, 2, 3]), "current"),
        (lambda: subthreshold_response(NEURODYNEX, -1.0), "frequency"),
        (lambda: subthreshold_response(NEURODYNEX, float("nan")), "frequency"),
        (lambda: membrane_potential(NEURODYNEX, 1.0, -1.0), "t"),
        (lambda: first_spike_time(NEURODYNEX, 3.0, v0=-40.0), "v0"),
    ],
    ids=[
        "nan-current",
        "inf-current",
        "time-as-current",
        "shape-mismatch",
        "negative-frequency",
        "nan-frequency",
        "negative-t",
        "v0-above-threshold",
    ],
)
def test_bad_input_raises_parameter_error_naming_the_argument(call, name):
    with pytest.raises(ParameterError) as error:
        call()
    assert error.value.name == name
    assert str(error.value).startswith(f"{name} = ")
