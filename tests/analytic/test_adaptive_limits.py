"""Limits of the adaptive models: without adaptation (and without the exponential term,
Delta_T -> 0) they give the LIF."""

import math

import numpy as np
import pytest

import lifkit as lk

LIF = lk.LIF.preset("soroush")  # tau_m = 10 ms, R = 100 MΩ, E_L = v_reset = -75, v_th = -55
STIMULI = {
    "constant": lk.Constant("300 pA"),
    "step": lk.Step("300 pA", start=100.0, stop=300.0),
    "ramp": lk.Ramp(0.0, "4000 pA", start=0.0, stop=400.0),
    "sine": lk.Sinusoid("400 pA", frequency=1000.0 / (2.0 * math.pi), offset="360 pA"),
    "noise": lk.WhiteNoise("50 pA", mean="250 pA"),
}


@pytest.mark.parametrize("stimulus", sorted(STIMULI))
def test_adaptive_lif_without_adaptation_gives_the_lif_spike_times(stimulus):
    """a = b = 0: w stays 0 and the exact solutions coincide, so spike times agree to
    rounding (tolerance 1e-9 ms), noise included: the membrane's noise increment and the
    bridge draws use the LIF's variance and counters."""
    alif = lk.AdaptiveLIF.preset("soroush", a=0.0, b=0.0)
    options = dict(duration=400.0, dt=0.1, seed=11, jit=False)
    record = lk.Record(variables=("v", "w"))
    expected = lk.simulate(LIF, STIMULI[stimulus], **options).spike_times
    result = lk.simulate(alif, STIMULI[stimulus], record=record, **options)
    assert expected.size >= 10
    assert result.spike_times.size == expected.size
    np.testing.assert_allclose(result.spike_times, expected, rtol=0, atol=1e-9)
    assert np.all(result.w == 0.0)


@pytest.mark.parametrize("delta_t", [1e-3, 1e-6])
def test_adex_without_adaptation_tends_to_the_lif_as_delta_t_vanishes(delta_t):
    """AdEx with a = b = 0, v_T = v_th and the exponential term shrunk (Delta_T -> 0).

    Below v_T the term adds at most Delta_T e^{(x - x_T)/Delta_T}, which brings v_T forward
    by at most tau_m Delta_T^2 / g^2 (g = R I - (v_T - E_L)); from v_T the blow-up takes
    tau_m Delta_T int_0^inf ds / (g + Delta_T (e^s - s)) <= tau_m Delta_T (2 + ln(g/Delta_T)) / g.
    So every interspike interval exceeds the LIF's by at most that bound, which -> 0.
    """
    adex = lk.AdEx.preset("soroush", a=0.0, b=0.0, Delta_T=delta_t, v_peak=-54.0)
    g = 100.0 * 0.3 - 20.0  # mV
    bound = 10.0 * delta_t * (2.0 + math.log(g / delta_t)) / g
    options = dict(duration=95.0, dt=0.1, jit=False)
    expected = lk.simulate(LIF, lk.Constant(0.3), **options).spike_times
    result = lk.simulate(adex, lk.Constant(0.3), **options).spike_times
    assert result.size == expected.size == 7
    lag = np.diff(np.concatenate([[0.0], result - expected]))  # per interval
    assert np.all(lag > -10.0 * delta_t**2 / g**2 - 1e-9)
    assert np.all(lag < bound)


@pytest.mark.parametrize("cls", [lk.AdaptiveLIF, lk.AdEx])
def test_during_t_ref_v_is_held_at_v_reset_and_w_relaxes_exactly(cls):
    """The refractory convention: V = v_reset, tau_w dw/dt = a (v_reset - E_L) - w, so
    w - w_inf shrinks by exactly exp(-dt / tau_w) from one refractory sample to the next
    (w_inf = a (v_reset - E_L); here v_reset = -70 mV, E_L = -75 mV)."""
    model = cls.preset("soroush", v_reset=-70.0, t_ref=5.0)
    record = lk.Record(variables=("v", "w"))
    result = lk.simulate(model, lk.Constant("500 pA"), duration=100.0, dt=0.1, record=record)
    held = np.zeros(result.t.size, dtype=bool)
    for spike in result.spike_times:
        held |= (result.t > spike) & (result.t < spike + 5.0)
    assert held.sum() > 100
    np.testing.assert_array_equal(result.v[held, 0], -70.0)
    w_inf = 0.006 * 5.0
    w = result.w[:, 0] - w_inf
    pairs = held[:-1] & held[1:]
    np.testing.assert_allclose(w[1:][pairs] / w[:-1][pairs], math.exp(-0.1 / 100.0), rtol=1e-12)
