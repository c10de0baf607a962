"""The Siegert rate and Brunel CV against independent quadrature, limits and simulation."""

import math

import numpy as np
import pytest
from scipy.integrate import quad
from scipy.special import erfc

import lifkit as lk
from lifkit.analysis import spike_trains
from lifkit.errors import ParameterError
from lifkit.theory import firing_rate, siegert_cv, siegert_rate

# Brunel (2000)-like neuron: tau_m 10 ms, threshold 20 mV above rest, reset at rest, 2 ms
# refractory period, drive given in mV (R = 1 MΩ).
BRUNEL = lk.LIF(tau_m=10, R=1, v_rest=0, v_reset=0, v_th=20, t_ref=2)


def naive_rate(mu, sigma, tau=10.0, theta=20.0, v_reset=0.0, t_ref=2.0):
    """The textbook formula integrated as written, with erfc(-u) for 1 + erf(u) (fine while
    |bounds| < ~25, where exp(u²) still fits in a double)."""
    y_th, y_r = (theta - mu) / sigma, (v_reset - mu) / sigma
    integral = quad(lambda u: math.exp(u * u) * erfc(-u), y_r, y_th, epsrel=1e-12)[0]
    return 1000.0 / (t_ref + tau * math.sqrt(math.pi) * integral)


def naive_cv(mu, sigma, tau=10.0, theta=20.0, v_reset=0.0, t_ref=2.0):
    """Brunel's double integral as written, by nested quadrature."""
    y_th, y_r = (theta - mu) / sigma, (v_reset - mu) / sigma

    def inner(x):  # exp(y²) erfc(-y)² ~ exp(-y²): below y = x - 10 it adds < exp(-100) of it
        return quad(lambda y: math.exp(y * y) * erfc(-y) ** 2, x - 10, x, epsabs=0, epsrel=1e-13)[0]

    outer = quad(lambda x: math.exp(x * x) * inner(x), y_r, y_th, epsabs=0, epsrel=1e-12)[0]
    nu = naive_rate(mu, sigma, tau, theta, v_reset, t_ref) / 1000.0
    return math.sqrt(2 * math.pi * (nu * tau) ** 2 * outer)


@pytest.mark.parametrize(("mu", "sigma"), [(15, 5), (25, 5), (12, 8), (19, 2), (30, 3), (5, 6)])
def test_siegert_rate_and_cv_equal_the_formulas_integrated_as_written(mu, sigma):
    assert siegert_rate(BRUNEL, mu, sigma) == pytest.approx(naive_rate(mu, sigma), rel=1e-10)
    assert siegert_cv(BRUNEL, mu, sigma) == pytest.approx(naive_cv(mu, sigma), rel=1e-10)


@pytest.mark.parametrize(
    ("mu", "sigma"),
    [(21, 0.1), (40, 0.3), (100, 0.05)],
)
def test_siegert_matches_high_precision_reference_where_the_integrand_overflows(mu, sigma):
    # exp(u²) overflows a double beyond |u| = 26.6: here y_r reaches -2000.
    mp = pytest.importorskip("mpmath")
    mp.mp.dps = 20
    y_th, y_r = mp.mpf(20 - mu) / sigma, mp.mpf(0 - mu) / sigma
    edges = set(mp.linspace(y_r, y_th, 12))  # plus steps of the exp(-2|y| d) decay scale
    for k in (0.25, 1, 4, 16):
        edges |= {y_th - k / (1 + 2 * abs(y_th)), y_r + k / (1 + 2 * abs(y_r))}
    edges = sorted(e for e in edges if y_r <= e <= y_th)
    mean_isi = 2 + 10 * mp.sqrt(mp.pi) * mp.quad(lambda u: mp.exp(u**2) * mp.erfc(-u), edges)

    def erfi_integral(z):  # ∫_0^z exp(x²) dx
        return mp.sqrt(mp.pi) / 2 * mp.erfi(z)

    def swapped(y):  # Brunel's double integral with the x integral done in closed form
        return mp.exp(y**2) * mp.erfc(-y) ** 2 * (erfi_integral(y_th) - erfi_integral(max(y, y_r)))

    tail = [-mp.inf] + [y_r - k / (1 + 2 * abs(y_r)) for k in (32, 8, 2, 0.5)]
    variance = 2 * mp.pi * 100 * mp.quad(swapped, tail + edges)
    assert siegert_rate(BRUNEL, mu, sigma) == pytest.approx(float(1000 / mean_isi), rel=1e-10)
    assert siegert_cv(BRUNEL, mu, sigma) == pytest.approx(
        float(mp.sqrt(variance) / mean_isi), rel=1e-10
    )


def test_sigma_to_zero_approaches_the_deterministic_rate():
    drives = np.array([21.0, 25.0, 40.0, 100.0])  # mV, above the 20 mV rheobase
    exact = firing_rate(BRUNEL, drives)
    errors = [np.max(np.abs(siegert_rate(BRUNEL, drives, s) / exact - 1)) for s in (1e-1, 1e-2)]
    assert errors[1] < errors[0] / 50  # the correction shrinks like sigma²
    np.testing.assert_allclose(siegert_rate(BRUNEL, drives, 1e-4), exact, rtol=1e-8)
    np.testing.assert_array_equal(siegert_rate(BRUNEL, drives, 0.0), exact)
    assert np.all(siegert_cv(BRUNEL, drives, 1e-4) < 1e-3)
    assert siegert_cv(BRUNEL, 25.0, 0.0) == 0.0
    # Below the rheobase the rate vanishes (underflowing to exactly 0, never NaN).
    assert siegert_rate(BRUNEL, 19.0, 1e-3) == 0.0
    assert siegert_rate(BRUNEL, 19.0, 0.0) == 0.0 and math.isnan(siegert_cv(BRUNEL, 19.0, 0.0))


def test_rare_escapes_far_below_threshold_are_poisson():
    assert siegert_cv(BRUNEL, [0.0, 5.0, -20.0, -50.0], 2.0) == pytest.approx(1.0, abs=1e-9)
    assert 0 < siegert_rate(BRUNEL, -20.0, 3.0) < 1e-70  # ~ exp(-y_th²) with y_th = 13.3
    assert siegert_rate(BRUNEL, -50.0, 2.0) == 0.0  # exp(-35²) underflows: 0, not NaN


def test_rate_falls_with_refractoriness_and_never_exceeds_its_ceiling():
    fast = BRUNEL.replace(t_ref=0.0)
    assert siegert_rate(fast, 30, 5) > siegert_rate(BRUNEL, 30, 5)
    assert siegert_rate(BRUNEL, 1e6, 5) == pytest.approx(500.0, rel=1e-3)


def test_current_and_drive_conventions_agree_with_white_noise():
    model = lk.LIF.preset("neurodynex")  # R = 10 MΩ
    by_drive = siegert_rate(model, "17 mV", "4 mV")
    assert siegert_rate(model, 1.7, 0.4) == pytest.approx(by_drive, rel=1e-14)
    assert siegert_rate(model, "1700 pA", "400 pA") == pytest.approx(by_drive, rel=1e-14)


def test_broadcasting_over_grids_and_per_neuron_models():
    rates = siegert_rate(BRUNEL, np.array([10.0, 20.0, 30.0])[:, None], np.array([2.0, 5.0]))
    assert rates.shape == (3, 2) and np.all(np.diff(rates, axis=0) > 0)
    population = BRUNEL.replace(t_ref=np.array([0.0, 2.0, 5.0]))
    per_neuron = siegert_rate(population, 25.0, 5.0)
    assert per_neuron.shape == (3,)
    assert per_neuron[1] == pytest.approx(siegert_rate(BRUNEL, 25.0, 5.0), rel=1e-14)
    assert isinstance(siegert_cv(BRUNEL, 25.0, 5.0), float)


def test_negative_or_misshapen_noise_is_refused():
    with pytest.raises(ParameterError, match="sigma"):
        siegert_rate(BRUNEL, 10.0, -1.0)
    with pytest.raises(ParameterError, match="sigma"):
        siegert_rate(BRUNEL, 10.0, "5 ms")
    with pytest.raises(ParameterError, match="mean"):
        siegert_rate(BRUNEL.replace(t_ref=np.array([1.0, 2.0])), [1.0, 2.0, 3.0], 5.0)


# --- Against a simulated population -------------------------------------------------------
# 12 (mu, sigma) points from deep subthreshold (mu = 0.4 theta) through threshold to strongly
# suprathreshold, noise from 1 to 10 mV; every theoretical rate is >= 7 Hz.
GRID = [
    (8, 8),
    (12, 6),
    (15, 4),
    (15, 8),
    (18, 2),
    (20, 1),
    (20, 4),
    (22, 8),
    (26, 1),
    (26, 6),
    (30, 2),
    (30, 10),
]
N_PER_POINT = 2000
WARMUP, WINDOW = 100.0, 2000.0  # ms: counts over [100, 2100) ms, 2 s per neuron


@pytest.fixture(scope="module")
def population():
    """ONE run of 24 000 neurons: 2000 per grid point (per-neuron mean drive and sigma).

    Every neuron starts at an independent uniform v in [v_reset, v_th): started all at rest,
    the nearly periodic suprathreshold neurons stay phase-locked for seconds and the
    count in a fixed window then depends on that common phase (a 0.2% bias at mu = 26,
    sigma = 1); spread starts and a 100 ms warm-up make the window see stationary trains.
    """
    mu = np.repeat([float(m) for m, _ in GRID], N_PER_POINT)
    sigma = np.repeat([float(s) for _, s in GRID], N_PER_POINT)
    v_init = np.random.default_rng(2000).uniform(0.0, 20.0, mu.size)
    result = lk.simulate(
        BRUNEL.replace(v_init=v_init),
        lk.WhiteNoise(sigma, mean=mu),  # plain numbers are nA, i.e. mV of drive at R = 1 MΩ
        duration=WARMUP + WINDOW,
        dt=0.1,
        record=lk.Record(neurons=()),
        seed=20000,
    )
    trains = [t[t >= WARMUP] for t in spike_trains(result)]
    return [trains[i * N_PER_POINT : (i + 1) * N_PER_POINT] for i in range(len(GRID))]


@pytest.mark.slow
def test_siegert_rates_match_a_simulated_population_within_3_percent(population):
    # Tolerance: the population rate pools n = nu * 2000 neurons * 2 s spikes. For a
    # renewal process the count variance over a long window is CV² times its mean, so the
    # relative standard error is CV / sqrt(n) <= 1 / sqrt(n). At the lowest rate (7.0 Hz,
    # CV 0.89) n = 28 000 and the SE is 0.53%, so 3% is 5.6 standard errors there and more
    # at every other point: a failure means a bias, not bad luck. (The measured deviations
    # are all below 0.4%.)
    deviations = []
    for (mu, sigma), trains in zip(GRID, population, strict=True):
        n_spikes = sum(t.size for t in trains)
        measured = n_spikes / (N_PER_POINT * WINDOW * 1e-3)
        expected = siegert_rate(BRUNEL, f"{mu} mV", f"{sigma} mV")
        assert expected >= 5.0
        deviations.append(measured / expected - 1)
    assert max(np.abs(deviations)) < 0.03, dict(zip(GRID, np.round(deviations, 4), strict=True))


@pytest.mark.slow
def test_siegert_cv_matches_a_simulated_population_within_4_percent(population):
    # Only each neuron's first K intervals after the warm-up are pooled, with K a quarter of
    # its typical count, so that (nearly) every one of them ends inside the run: pooling
    # all complete intervals of a window drops the interval the window's end cuts, which is
    # long-biased, and lowers the CV by 1-2% at 7-10 Hz. With K >= 4 there are >= 8000
    # intervals per point; the standard error of the CV is then <= ~1.2% (ratio of sample
    # moments of a skewed ISI law), so 4% is > 3 standard errors. Measured: all below 1.5%.
    for (mu, sigma), trains in zip(GRID, population, strict=True):
        k = max(4, int(np.median([t.size for t in trains])) // 4)
        intervals = np.concatenate([np.diff(t)[:k] for t in trains])
        measured = intervals.std() / intervals.mean()
        assert measured == pytest.approx(siegert_cv(BRUNEL, mu, sigma), rel=0.04), (mu, sigma)
