"""f-I curves of the Soroush report's neurons from one population run per model, held
against analytic bounds, and the exponential IF against its closed-form period.

Bounds (constant current I >= 0, same membrane, reset and t_ref):

* every interspike interval (ISI) exceeds t_ref plus the positive time from v_reset to
  threshold, so every rate stays below 1/t_ref;
* comparison principle: where the adaptation current w >= 0 (asserted on the traces), it
  only subtracts from the drive, so after each reset the adapting membrane stays below the
  non-adapting one started at the same time from v_reset: every ISI of the adaptive LIF is
  at least the LIF period t_ref + tau_m ln((RI - x_r)/(RI - theta)), and every ISI of AdEx at
  least the EIF period (a = b = 0), the quadrature in :func:`eif_period`;
* AdEx below the LIF is checked numerically: it is no theorem, since the non-adapting EIF
  fires from g_L (v_T - E_L - Delta_T) on, below the LIF's rheobase g_L (v_th - E_L).
"""

import itertools
import math
import runpy
from pathlib import Path

import numpy as np
import pytest
from scipy.integrate import quad

import lifkit as lk

CURRENTS = np.array([0.1, 0.2, 0.25, 0.3, 0.5, 1.0, 2.0, 5.0, 20.0, 100.0])  # nA
T_REF = 2.0


def eif_period(model, current):
    """t_ref + tau_m int_{x_reset}^{x_peak} dx / (R I - x + Delta_T e^{(x - x_T)/Delta_T})."""
    values = {k: float(v) for k, v in model.values().items()}
    x_T = values["v_T"] - values["v_rest"]
    delta = values["Delta_T"]
    drive = values["R"] * current

    def dt_dx(x):
        return values["tau_m"] / (drive - x + delta * math.exp((x - x_T) / delta))

    ends = (values["v_reset"] - values["v_rest"], x_T, values["v_peak"] - values["v_rest"])
    pieces = itertools.pairwise(ends)
    total = sum(quad(dt_dx, lo, hi, epsabs=1e-13, epsrel=1e-13, limit=200)[0] for lo, hi in pieces)
    return values["t_ref"] + total


def population(model, variables=("w",)):
    """One run of len(CURRENTS) neurons for 1 s, recording ``variables`` every 1 ms."""
    record = lk.Record(neurons="all", variables=variables, stride=10)
    return lk.simulate(
        model, lk.Constant(CURRENTS), duration=1000.0, dt=0.1, record=record, threads=1
    )


LIF = lk.LIF.preset("soroush")


def isis(result):
    return [np.diff(result.spike_train(i)) for i in range(result.n_neurons)]


def test_fi_curves_lie_below_the_lif_and_below_one_over_t_ref():
    lif = population(LIF, variables=("v",))
    alif = population(lk.AdaptiveLIF.preset("soroush"))
    adex = population(lk.AdEx.preset("soroush"))
    assert np.all(alif.w >= 0.0) and np.all(adex.w >= 0.0)
    lif_period = np.asarray(lk.theory.period(LIF, CURRENTS))
    eif = lk.AdEx.preset("soroush", a=0.0, b=0.0)
    for i, current in enumerate(CURRENTS):
        for train in (isis(alif)[i], isis(adex)[i]):
            assert np.all(train > T_REF)
        assert np.all(isis(alif)[i] >= lif_period[i] - 1e-9)
        if isis(adex)[i].size:
            assert np.all(isis(adex)[i] >= eif_period(eif, current) - 1e-6)
    for result in (lif, alif, adex):
        assert np.all(result.rates < 1000.0 / T_REF)
        assert np.all(np.diff(result.counts) >= 0), "f-I curves rise with the current"
    assert np.all(alif.counts <= lif.counts)
    fires = lif.counts > 0
    assert np.all(adex.counts[fires] < lif.counts[fires]) and np.all(adex.counts[~fires] == 0)
    assert adex.rates[-1] > 0.95 * 1000.0 / T_REF, "saturates towards 1/t_ref"


@pytest.mark.parametrize(
    ("preset", "current"), [("soroush", 0.3), ("soroush", 2.0), ("brette_gerstner_2005", 0.8)]
)
def test_exponential_if_fires_with_the_period_of_its_quadrature(preset, current):
    """a = b = 0 (the EIF): every interspike interval equals the closed-form quadrature."""
    model = lk.AdEx.preset(preset, a=0.0, b=0.0)
    result = lk.simulate(model, lk.Constant(current), duration=200.0, dt=0.1, jit=False)
    isi = np.diff(result.spike_times)
    assert isi.size >= 5
    np.testing.assert_allclose(isi, eif_period(model, current), rtol=0, atol=1e-6)


def test_the_soroush_fi_example_runs_one_population_per_model():
    example = runpy.run_path(str(Path(__file__).parents[2] / "examples" / "soroush_fi_curves.py"))
    curves = example["fi_curves"](currents=np.array([0.1, 0.5, 1.0]), duration=300.0, start=100.0)
    assert list(curves) == ["LIF", "adaptive LIF", "AdEx"]
    lif, alif, adex = (curves[name].rates for name in curves)
    assert lif[0] == alif[0] == adex[0] == 0.0
    assert np.all(alif[1:] < lif[1:]) and np.all(adex[1:] < lif[1:])
