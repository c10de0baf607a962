"""AdEx long steps: under a steady drive, neurons that are neither noisy nor recorded
advance in fast steps over 8 or 4 grid steps where these are accurate enough.

They must keep the spike times at the independent reference's accuracy, be taken where
they apply, and change nothing about how a run's results depend on its execution: each
neuron's path depends on its own state, not on its block-mates, the chunks or threads.
"""

import json
from pathlib import Path

import numpy as np
import pytest

import lifkit as lk
from lifkit.engine._kernels import adex as adex_kernel

REFERENCE = json.loads(
    (Path(__file__).parents[1] / "reference" / "adaptive_reference.json").read_text()
)["benchmark"]
BRETTE_GERSTNER = lk.AdEx.preset("brette_gerstner_2005")
SPIKES_ONLY = lk.Record(neurons=())
#: 40 currents (nA) from quiet to about 30 Hz, 40 ms of them.
CURRENTS = np.linspace(0.3, 1.0, 40)
RUN = dict(duration=40.0, dt=0.1, seed=3, progress=False)


def assert_same_spikes(a, b):
    np.testing.assert_array_equal(a.spike_neurons, b.spike_neurons)
    np.testing.assert_array_equal(a.spike_times, b.spike_times)


def test_long_steps_keep_the_spike_times_of_the_reference():
    """The benchmark's 21 neurons (i / 99999 nA) over 1 s, spikes only (long steps), against
    scipy's DOP853 at rtol 1e-12 (good to about 1e-10 ms). Long steps reach 1.7e-6 ms
    here, single steps alone 2.8e-6 ms; the bound leaves room for rounding, not for a
    scheme one order worse."""
    currents = np.array(REFERENCE["current_nA"])
    result = lk.simulate(
        BRETTE_GERSTNER,
        lk.Constant(currents),
        duration=REFERENCE["duration_ms"],
        dt=0.1,
        record=SPIKES_ONLY,
        jit=True,
        progress=False,
    )
    worst = 0.0
    for j, expected in enumerate(REFERENCE["spikes"]):
        train = result.spike_train(j)
        assert train.size == len(expected)
        if train.size:
            worst = max(worst, np.abs(train - np.array(expected)).max())
    assert sum(len(s) for s in REFERENCE["spikes"]) > 100
    assert worst < 5e-6


def test_a_quiet_population_takes_one_step_per_stretch_once_it_has_relaxed(monkeypatch):
    """Two subthreshold neurons from about 6 mV above their resting point, 100 ms (counted
    in the plain-Python kernel): the first stretches decline the whole-stretch step (the
    leak's error bound), none needs single steps, and from about 10 ms on, each stretch
    of 8 steps is one fast step (the membrane then moves by less than about 0.2 mV per
    stretch)."""
    lengths = []
    fast_pass = adex_kernel.fast_pass

    def counting(t0, h, *args):
        lengths.append(round(h / 0.1))  # in steps of dt
        return fast_pass(t0, h, *args)

    monkeypatch.setattr(adex_kernel, "fast_pass", counting)
    quiet = lk.AdEx.preset("brette_gerstner_2005", v_init=-58.0)
    run = {**RUN, "duration": 100.0}
    lk.simulate(quiet, lk.Constant([0.2, 0.25]), record=SPIKES_ONLY, jit=False, **run)
    assert lengths.count(8) == 1000 // 8  # every stretch tries one
    assert lengths.count(1) == 0
    assert 0 < lengths.count(adex_kernel.HALF)
    last_half = len(lengths) - lengths[::-1].index(adex_kernel.HALF)
    assert len(lengths) - last_half >= 70 // 0.8, "the last 70 ms are whole-stretch steps"


@pytest.mark.parametrize("chunk_steps", [1, 7, 45])
def test_long_steps_do_not_depend_on_chunks_or_compilation(chunk_steps):
    stimulus = lk.Constant(CURRENTS)
    plain = lk.simulate(BRETTE_GERSTNER, stimulus, record=SPIKES_ONLY, jit=False, **RUN)
    assert plain.spike_times.size > 20
    chunked = lk.simulate(
        BRETTE_GERSTNER, stimulus, record=SPIKES_ONLY, jit=True, chunk_steps=chunk_steps, **RUN
    )
    assert_same_spikes(plain, chunked)


def test_a_neuron_fires_the_same_spikes_alone_as_among_recorded_and_noisy_neighbours():
    """Neurons 5 and 35 are recorded and 30 is noisy (single steps throughout); the others
    take long steps. Neurons 25 and 30 alone, each run with its global index as
    neuron_offset (the noise's key), and the recorded neuron 35 alone and recorded, fire
    as in the population, bit for bit."""
    sigma = np.where(np.arange(CURRENTS.size) == 30, 0.05, 0.0)  # nA
    mixed = lk.WhiteNoise(sigma, mean=CURRENTS)
    population = lk.simulate(
        BRETTE_GERSTNER, mixed, record=lk.Record(neurons=[5, 35]), jit=True, threads=2, **RUN
    )
    assert population.spike_train(30).size > 0
    alone_cases = (
        (25, lk.Constant(CURRENTS[25]), SPIKES_ONLY),
        (30, lk.WhiteNoise(0.05, mean=CURRENTS[30]), SPIKES_ONLY),
        (35, lk.Constant(CURRENTS[35]), lk.Record(neurons=[0])),
    )
    for neuron, stimulus, record in alone_cases:
        alone = lk.simulate(
            BRETTE_GERSTNER,
            stimulus,
            record=record,
            neuron_offset=neuron,
            jit=False,
            **RUN,
        )
        assert alone.spike_times.size > 0
        np.testing.assert_array_equal(alone.spike_times, population.spike_train(neuron))
    np.testing.assert_array_equal(alone.v[:, 0], population.v[:, 1])


def test_the_leak_rate_is_the_spectral_radius_of_the_linear_part():
    for tau_m, tau_w, alpha in ((9.37, 144.0, 0.133), (10.0, 10.0, 5.0), (20.0, 5.0, -3.0)):
        matrix = np.array([[-1 / tau_m, -1 / tau_m], [alpha / tau_w, -1 / tau_w]])
        expected = np.abs(np.linalg.eigvals(matrix)).max()
        assert adex_kernel.leak_rate(tau_m, tau_w, alpha) == pytest.approx(expected, rel=1e-12)
