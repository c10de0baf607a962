"""Adaptive LIF and AdEx spike times against an independent high-precision reference.

The reference (tests/reference/adaptive_reference.py) integrates the same equations with
scipy's DOP853 at rtol = atol = 1e-12 and event location; its spike times are good to
about 1e-10 ms. The issue asks for 0.05 ms at dt = 0.1 ms over 400 ms; the tests also
hold the engine to what its schemes achieve (exact for the adaptive LIF, fourth order for
AdEx), so that a regression shows long before the 0.05 ms target is at risk.
"""

import json
from pathlib import Path

import numpy as np
import pytest

import lifkit as lk
from lifkit.engine._kernels import adex as adex_kernel

REFERENCE = json.loads(
    (Path(__file__).parents[1] / "reference" / "adaptive_reference.json").read_text()
)
STIMULI = {
    "constant": lambda level: lk.Constant(level),
    "step": lambda level: lk.Step(level, start=100.0, stop=300.0),
    "ramp": lambda level: lk.Ramp(0.0, "4000 pA", start=0.0, stop=400.0),
}
#: What the schemes achieve at dt = 0.1 ms (ms): the adaptive LIF is integrated exactly
#: (the bound covers the reference's own error); AdEx's RK4 errors are at most ~3e-6 ms here.
ACHIEVED = {"alif": 1e-8, "adex": 2e-5}


def model_of(name):
    """The lifkit record of a reference model (parameters in ms, mV, nA, µS, nF)."""
    p = dict(REFERENCE["models"][name])
    cls = lk.AdEx if p.pop("exp") else lk.AdaptiveLIF
    return cls(**p)


def simulate_case(case, dt):
    name, stimulus = case.split("/")
    level = REFERENCE["levels_nA"][name]
    model = model_of(name)
    return lk.simulate(model, STIMULI[stimulus](level), duration=400.0, dt=dt, jit=False)


@pytest.mark.parametrize("case", sorted(REFERENCE["spikes"]))
def test_spike_times_match_the_reference_within_50_us_at_dt_0_1(case):
    expected = np.array(REFERENCE["spikes"][case])
    result = simulate_case(case, 0.1)
    assert expected.size >= 5
    assert result.spike_times.size == expected.size
    error = np.abs(result.spike_times - expected).max()
    assert error < 0.05
    assert error < ACHIEVED[case.split("_")[0]]


def test_adex_spike_times_converge_at_fourth_order(monkeypatch):
    """RK4 below v_T: halving dt divides the spike-time error by about 2^4 = 16.

    Brette & Gerstner (2005) under 800 pA, 8 spikes in 400 ms; dt = 0.1, 0.05, 0.025 ms.
    The error-controlled sub-steps (upswing, resets) do not depend on dt: their
    tolerances are tightened here (the run is pure Python, which reads them at each
    call) so that their error stays below the finest RK4 error. (At coarser steps the
    fast RK4 step declines more often in favour of those sub-steps, so the error there
    is smaller than the order predicts.)
    """
    monkeypatch.setattr(adex_kernel, "ATOL", 1e-11)
    monkeypatch.setattr(adex_kernel, "TTOL", 1e-11)
    case = "adex_brette_gerstner_2005/constant"
    expected = np.array(REFERENCE["spikes"][case])
    errors = [
        np.abs(simulate_case(case, dt).spike_times - expected).max() for dt in (0.1, 0.05, 0.025)
    ]
    orders = np.log2(np.array(errors[:-1]) / np.array(errors[1:]))
    assert errors[-1] > 2e-10, "the finest error must stay above the reference's own error"
    np.testing.assert_array_less(3.3, orders)
    np.testing.assert_array_less(orders, 4.7)


@pytest.mark.parametrize("dt", [0.2, 0.05])
def test_adaptive_lif_spike_times_do_not_depend_on_dt(dt):
    """The adaptive LIF is exact: every dt gives the reference's spike times."""
    case = "alif_soroush/step"
    expected = np.array(REFERENCE["spikes"][case])
    np.testing.assert_allclose(simulate_case(case, dt).spike_times, expected, rtol=0, atol=1e-8)
