"""Poisson sources: rate, Fano factor, interval and within-step statistics of 10^4 trains."""

import numpy as np
import pytest
from scipy import stats

import lifkit as lk

N_TRAINS = 10_000


def trains(rate, duration, dt, seed=11):
    """(source, time) of every spike of a group of N_TRAINS sources, as a run drew them."""
    group = lk.PoissonGroup(N_TRAINS, rate)
    silent = lk.Projection(group, synapse=lk.DeltaSynapse(), weights="0 mV")  # no connection
    result = lk.simulate(
        lk.LIF.preset("orhan"), projections=[silent], duration=duration, dt=dt, seed=seed
    )
    return result.source_spikes(0)


@pytest.mark.parametrize(("rate", "dt"), [(20.0, 0.1), (5000.0, 0.1)])
def test_poisson_counts_have_the_rate_and_unit_fano_factor(rate, dt):
    """Counts over T are Poisson(rate T): the mean of 10^4 counts is within 5 standard
    errors (sqrt(rate T / 10^4)) of rate T, and the Fano factor within 5 standard errors,
    sqrt((2 + 1/(rate T)) / 10^4), of 1 (the variance of the sample variance of Poisson
    counts). At 5 kHz and dt = 0.1 ms half the steps hold a spike: multi-spike steps."""
    duration = 1000.0 if rate < 100 else 20.0
    sources, times = trains(rate, duration, dt)
    counts = np.bincount(sources, minlength=N_TRAINS)
    mean = rate * duration * 1e-3
    assert abs(counts.mean() - mean) < 5 * np.sqrt(mean / N_TRAINS)
    fano = counts.var(ddof=1) / counts.mean()
    assert abs(fano - 1.0) < 5 * np.sqrt((2 + 1 / mean) / N_TRAINS)
    assert times.min() >= 0.0 and times.max() < duration


def test_poisson_intervals_are_exponential_and_spikes_uniform_within_steps():
    """Across 10^4 trains the first spike time and the first interval each follow
    Exp(rate) (KS p > 1e-3; truncation at the run's end has mass e^-20), and the positions
    of spikes within their steps are uniform on [0, 1) (KS p > 1e-3): not on the grid."""
    rate, dt, duration = 40.0, 0.1, 500.0
    sources, times = trains(rate, duration, dt, seed=3)
    order = np.lexsort((times, sources))
    sources, times = sources[order], times[order]
    first = np.flatnonzero(np.r_[True, sources[1:] != sources[:-1]])
    second = first[(first + 1 < times.size)]
    second = second[sources[second + 1] == sources[second]]
    scale = 1000.0 / rate
    assert first.size == N_TRAINS
    assert stats.kstest(times[first], "expon", args=(0, scale)).pvalue > 1e-3
    assert stats.kstest(times[second + 1] - times[second], "expon", args=(0, scale)).pvalue > 1e-3
    phase = times / dt - np.floor(times / dt)
    assert stats.kstest(phase, "uniform").pvalue > 1e-3


def test_groups_without_a_seed_draw_independent_trains_and_a_seed_fixes_them():
    a, b = lk.PoissonGroup(50, "30 Hz"), lk.PoissonGroup(50, "30 Hz")
    fixed = lk.PoissonGroup(50, "30 Hz", seed=99)
    projections = [
        lk.Projection(g, synapse=lk.DeltaSynapse(), weights="0.1 mV") for g in (a, b, fixed)
    ]
    model = lk.LIF.preset("orhan")
    one = lk.simulate(model, projections=projections, duration=200, seed=1)
    two = lk.simulate(model, projections=projections, duration=200, seed=2)
    assert not np.array_equal(one.source_spikes(0)[1], one.source_spikes(1)[1])
    assert not np.array_equal(one.source_spikes(0)[1], two.source_spikes(0)[1])
    np.testing.assert_array_equal(one.source_spikes(2)[1], two.source_spikes(2)[1])
