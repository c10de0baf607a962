"""The counter-based generator: same bits jitted and un-jitted, and the right distributions.

The statistical tests use fixed seeds, so each passes or fails deterministically; thresholds are
set so that a correct generator would fail any one check with probability ~1e-4 or less, while
table or hashing mistakes show up as many-standard-error deviations.
"""

import types

import numba
import numpy as np
import pytest
from scipy import stats

from lifkit.engine._kernels import rng


def _jit_module(module):
    """Jitted copies of a kernel module's functions, calling each other's jitted versions."""
    new_globals = dict(vars(module))
    jitted = {
        name: numba.njit(types.FunctionType(f.__code__, new_globals, name))
        for name, f in vars(module).items()
        if isinstance(f, types.FunctionType) and f.__module__ == module.__name__
    }
    new_globals.update(jitted)
    return jitted


_JIT = _jit_module(rng)
_normal, _uniform, _hash = _JIT["normal"], _JIT["uniform"], _JIT["_hash"]
_ZIG_K = rng._ZIG_K
N_SIDE = 1000  # grids of N_SIDE steps x N_SIDE neurons: 1e6 draws


@numba.njit
def _grid(key, n_steps, n_neurons, stream, gaussian):
    out = np.empty((n_steps, n_neurons))
    for k in range(n_steps):
        for i in range(n_neurons):
            out[k, i] = _normal(key, i, k, stream) if gaussian else _uniform(key, i, k, stream)
    return out


@numba.njit
def _tail_counts(key, n, thresholds):
    counts = np.zeros(thresholds.size, dtype=np.int64)
    for j in range(n):
        z = abs(_normal(key, j % 100_000, j // 100_000, 0))
        for t in range(thresholds.size):
            if z > thresholds[t]:
                counts[t] += 1
    return counts


@numba.njit
def _slow_path_counters(key, n, wanted):
    """The first ``wanted`` counters (neuron, step) that miss the ziggurat fast path."""
    found = np.empty((wanted, 2), dtype=np.int64)
    m = 0
    for j in range(n):
        h = _hash(key, j, 3, 0)
        if (h >> 12) & ((1 << 52) - 1) >= _ZIG_K[h & 255] and m < wanted:
            found[m, 0], found[m, 1] = j, h & 255
            m += 1
    return found[:m]


KEY = rng.seed_key(20240601)


@pytest.fixture(scope="module")
def normals():
    return _grid(np.uint64(KEY), N_SIDE, N_SIDE, 0, True)


@pytest.mark.parametrize("key", [rng.seed_key(0), KEY, 7, 2**63 + 5])
def test_unjitted_and_jitted_draws_are_bit_identical(key):
    # numba types a Python int as int64, so jitted callers pass the key as np.uint64; its int64
    # view (as an int64 plan field would hold it) gives the same draws, jitted or not.
    ukey = np.uint64(key)
    ikey = key - 2**64 if key >= 2**63 else key
    draws = np.random.default_rng(1)
    neurons = draws.integers(0, 10**7, 300)
    steps = draws.integers(0, 10**9, 300)
    streams = draws.integers(0, 16, 300)
    for i, k, c in zip(neurons.tolist(), steps.tolist(), streams.tolist(), strict=True):
        z = rng.normal(key, i, k, c)
        assert z == _normal(ukey, i, k, c) == _normal(np.int64(ikey), i, k, c)
        assert z == rng.normal(ukey, np.int64(i), np.int64(k), c) == rng.normal(ikey, i, k, c)
        assert rng.uniform(key, i, k, c) == _uniform(ukey, i, k, c)


def test_slow_path_draws_are_bit_identical():
    counters = _slow_path_counters(np.uint64(KEY), 200_000, 120)
    layers = counters[:, 1]
    assert (layers == 0).any() and (layers > 0).any()  # both the tail and the wedges
    for neuron in counters[:, 0].tolist():
        assert rng.normal(KEY, neuron, 3, 0) == _normal(np.uint64(KEY), neuron, 3, 0)


def test_normals_pass_kolmogorov_smirnov(normals):
    # With 1e6 draws KS resolves CDF errors of ~0.2 %; p > 1e-3 fails a correct generator 1 in 1000.
    assert stats.kstest(normals.ravel(), "norm").pvalue > 1e-3


def test_normal_moments_within_four_standard_errors(normals):
    # Standard errors of mean, variance, skewness and excess kurtosis of n normals are
    # sqrt(1/n), sqrt(2/n), sqrt(6/n), sqrt(24/n); 4 SE is a two-sided 6e-5 tail.
    z = normals.ravel()
    n = z.size
    observed = [z.mean(), z.var(), stats.skew(z), stats.kurtosis(z)]
    expected = [0.0, 1.0, 0.0, 0.0]
    se = np.sqrt(np.array([1.0, 2.0, 6.0, 24.0]) / n)
    np.testing.assert_array_less(np.abs(np.subtract(observed, expected)), 4 * se)


def test_tail_frequencies_beyond_3_and_4_sigma():
    # 1e7 draws: |z| > 3 ~ 27,000 (+-164), |z| > r = 3.654 (the ziggurat's tail algorithm)
    # ~ 2,580 (+-51), |z| > 4 ~ 633 (+-25); binomial counts within 4 SD.
    n = 10_000_000
    thresholds = np.array([3.0, rng._ZIG_R, 4.0])
    counts = _tail_counts(np.uint64(KEY), n, thresholds)
    p = 2 * stats.norm.sf(thresholds)
    np.testing.assert_array_less(np.abs(counts - n * p), 4 * np.sqrt(n * p * (1 - p)))


def test_uniforms_pass_kolmogorov_smirnov_inside_open_interval():
    u = _grid(np.uint64(KEY), N_SIDE, N_SIDE, 1, False).ravel()
    assert stats.kstest(u, "uniform").pvalue > 1e-3
    assert 0.0 < rng._to_unit(0) and rng._to_unit(2**64 - 1) < 1.0
    assert rng._to_unit(0) == 1 - rng._to_unit(2**64 - 1) == 2.0**-53


@pytest.mark.parametrize("pair", ["neurons", "steps", "streams"])
def test_adjacent_counters_are_uncorrelated(normals, pair):
    # Pearson r of ~1e6 independent pairs has SE 1/sqrt(n) ~ 1e-3; 5 SE as asked.
    # z and z^2 are both checked, so dependence in magnitude (not just sign) is caught.
    if pair == "neurons":
        a, b = normals[:, :-1], normals[:, 1:]
    elif pair == "steps":
        a, b = normals[:-1], normals[1:]
    else:
        a, b = normals, _grid(np.uint64(KEY), N_SIDE, N_SIDE, 1, True)
    for x, y in [(a.ravel(), b.ravel()), (a.ravel() ** 2, b.ravel() ** 2)]:
        assert abs(np.corrcoef(x, y)[0, 1]) < 5 / np.sqrt(x.size)


def test_different_seeds_give_different_uncorrelated_streams(normals):
    keys = {rng.seed_key(s) for s in range(100_000)}
    keys |= {rng.seed_key(s) for s in (2**64, 2**64 + 1, 2**200)}
    assert len(keys) == 100_003 and all(0 <= k < 2**64 for k in keys)
    other = _grid(np.uint64(rng.seed_key(20240602)), N_SIDE, N_SIDE, 0, True)
    assert not np.any(other == normals)
    assert abs(np.corrcoef(other.ravel(), normals.ravel())[0, 1]) < 5 / np.sqrt(normals.size)


@pytest.mark.parametrize("seed", [-1, 1.5, "3"])
def test_seed_key_rejects_non_integer_or_negative_seed(seed):
    with pytest.raises(ValueError, match="seed"):
        rng.seed_key(seed)
