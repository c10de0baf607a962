"""The eight firing-pattern presets of Naud et al. (2008) give their named patterns.

Each preset is driven by its step current (from t = 50 ms, 800 ms run) and the spike
train is classified from its interspike intervals (ISIs) alone, after Naud et al.'s
scheme (initial response x steady state):

* transient: at most 3 spikes, all within 100 ms of the onset, then silence;
* bursting: the steady ISIs (second half of the train) fall into two well separated
  groups, short (< 1/4 of the longest) and long (> 3/4 of it); delayed when the first
  spike comes later than half the interburst interval;
* irregular: otherwise, steady ISIs with a coefficient of variation above 0.2;
* initial burst: regular steady state, reached by a jump: one of the first four ISIs
  exceeds three times its predecessor (gradual lengthening is adaptation);
* adaptation index A = mean of (ISI_{k+1} - ISI_k) / (ISI_{k+1} + ISI_k) over the first
  ten ISIs: accelerating (A < -0.01, and delayed: the first spike later than the first
  ISI), adapting (A > 0.05), else tonic.
"""

import numpy as np
import pytest

import lifkit as lk
from lifkit.models.adex import PATTERN_CURRENTS

ONSET = 50.0
DURATION = 800.0


def classify(spike_times, onset=ONSET, duration=DURATION):
    """The firing pattern of a spike train under a step current starting at ``onset``."""
    t = spike_times[spike_times >= onset] - onset
    if t.size == 0:
        return "silent"
    if t.size <= 3 and t[-1] < 100.0 and duration - onset - t[-1] > 300.0:
        return "transient"
    isi = np.diff(t)
    steady = isi[isi.size // 2 :]
    longest = steady.max()
    short = steady < 0.25 * longest
    if short.any() and np.all(short | (steady > 0.75 * longest)):
        delayed = t[0] > 0.5 * longest
        return "delayed_regular_bursting" if delayed else "regular_bursting"
    if steady.std() / steady.mean() > 0.2:
        return "irregular"
    if np.any(isi[1:4] > 3.0 * isi[:3]):
        return "initial_burst"
    first = isi[:11]
    index = np.mean((first[1:] - first[:-1]) / (first[1:] + first[:-1]))
    if index < -0.01 and t[0] > isi[0]:
        return "delayed_accelerating"
    return "adapting" if index > 0.05 else "tonic"


@pytest.mark.parametrize("pattern", list(PATTERN_CURRENTS))
def test_each_naud_preset_fires_its_named_pattern(pattern):
    model = lk.AdEx.preset(pattern)
    stimulus = lk.AdEx.pattern_current(pattern, start=ONSET)
    result = lk.simulate(model, stimulus, duration=DURATION, dt=0.1, jit=False)
    assert classify(result.spike_times) == pattern


def test_the_classifier_tells_the_patterns_apart_on_synthetic_trains():
    regular = ONSET + 10.0 + 10.0 * np.arange(60)
    bursts = ONSET + np.concatenate([[b, b + 3.0, b + 7.0] for b in 10.0 + 100.0 * np.arange(7)])
    assert classify(regular) == "tonic"
    assert classify(bursts) == "regular_bursting"
    assert classify(bursts + 80.0) == "delayed_regular_bursting"
    assert classify(np.array([ONSET + 5.0])) == "transient"
