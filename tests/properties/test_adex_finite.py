"""AdEx stays finite and fires sensibly whatever the parameters; the adaptive models'
white noise has the membrane statistics of the Ornstein-Uhlenbeck process."""

import numpy as np
import pytest

import lifkit as lk

SOROUSH = lk.AdEx.preset("soroush")  # tau_m = 10 ms, R = 100 MΩ, t_ref = 2 ms
RECORD = lk.Record(variables=("v", "I", "w"))


def run(model, stimulus, duration=20.0):
    result = lk.simulate(model, stimulus, duration=duration, dt=0.1, seed=3, record=RECORD)
    assert np.all(np.isfinite(result.v)) and np.all(np.isfinite(result.w))
    assert np.all(np.isfinite(result.spike_times))
    assert np.all(result.v < float(np.max(model.v_peak)))
    return result


@pytest.mark.parametrize(
    ("changes", "reference", "tolerance"),
    [
        (dict(Delta_T=0.01), lk.AdaptiveLIF.preset("soroush"), 0.1),
        (dict(v_peak=1e4), SOROUSH, 1e-6),
        (dict(Delta_T=0.01, v_peak=1e4), lk.AdaptiveLIF.preset("soroush"), 0.1),
    ],
    ids=["tiny Delta_T", "v_peak far above", "both"],
)
def test_extreme_parameters_give_finite_traces_and_the_expected_spikes(
    changes, reference, tolerance
):
    """300 pA for 20 ms. A far cut only adds the time from v_T + 700 Delta_T on (< 1e-300
    ms); as Delta_T -> 0 AdEx becomes the adaptive LIF with v_th = v_T, each spike later by
    at most tau_m Delta_T (2 + ln(g / Delta_T)) / g ~ 0.09 ms (g = R I - (v_T - E_L))."""
    result = run(SOROUSH.replace(**changes), lk.Constant("300 pA"))
    expected = lk.simulate(reference, lk.Constant("300 pA"), duration=20.0).spike_times
    assert result.spike_times.size == expected.size == 1
    assert abs(result.spike_times[0] - expected[0]) < tolerance


@pytest.mark.parametrize("t_ref", [2.0, 0.0])
def test_a_100_nA_current_fires_at_the_refractory_limit(t_ref):
    """R I = 10 V: from v_reset the membrane reaches the cut in about 0.02 ms."""
    model = SOROUSH.replace(t_ref=t_ref, Delta_T=0.01, v_peak=1e4)
    result = run(model, lk.Constant("100 nA"), duration=2.0 if t_ref == 0.0 else 20.0)
    isi = np.diff(result.spike_times)
    assert isi.size >= 9
    assert np.all(isi > t_ref) and np.all(isi < t_ref + 0.05)


def test_a_huge_negative_current_and_noise_stay_finite():
    run(SOROUSH, lk.Constant("-100 nA"))
    result = run(SOROUSH.replace(Delta_T=0.01), lk.WhiteNoise("20 mV", mean="50 nA"))
    assert result.spike_times.size >= 5


@pytest.mark.parametrize("cls", [lk.AdaptiveLIF, lk.AdEx])
def test_subthreshold_noise_has_the_stationary_ou_variance(cls):
    """Far below threshold both models are the linear system of x = v - E_L and y = R w
    driven by white noise of intensity sigma on x; its stationary variance of v is
    S_xx = sigma^2 / (2 (1 + k)), k = alpha tau_m / ((1 + alpha) tau_w + tau_m),
    alpha = a R. The adaptive LIF samples it exactly; AdEx's additive increment is first
    order. 2000 neurons at 400 ms (4 tau_w): the sample variance has a 3 % standard error."""
    model = cls.preset("soroush", v_init=-75.0)
    sigma = 4.0
    result = lk.simulate(
        model,
        lk.WhiteNoise(f"{sigma} mV") + lk.Constant(np.zeros(2000)),
        duration=600.0,
        dt=0.1,
        seed=1,
        record=lk.Record(neurons="all", variables=("v",), stride=2000),
        threads=1,
    )
    alpha, tau_m, tau_w = 0.006 * 100.0, 10.0, 100.0
    k = alpha * tau_m / ((1.0 + alpha) * tau_w + tau_m)
    expected = sigma**2 / (2.0 * (1.0 + k))
    assert result.spike_times.size == 0
    assert np.var(result.v[-1]) == pytest.approx(expected, rel=0.12)
