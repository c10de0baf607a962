"""Seeded adaptive-LIF and AdEx runs do not depend on how they are executed."""

import numpy as np
import pytest

import lifkit as lk

STIMULUS = lk.WhiteNoise("4 mV", mean="300 pA") + lk.Sinusoid("50 pA", frequency=40.0)
RECORD = lk.Record(neurons="all", variables=("v", "I", "w"), stride=3)
MODELS = {
    "alif": lk.AdaptiveLIF.preset("soroush", tau_w=[50.0, 100.0, 200.0]),
    "adex": lk.AdEx.preset("soroush", Delta_T=[0.5, 1.0, 2.0]),
}


def run(model, **options):
    return lk.simulate(model, STIMULUS, duration=60.0, dt=0.1, seed=5, record=RECORD, **options)


def assert_identical(a, b):
    np.testing.assert_array_equal(a.spike_neurons, b.spike_neurons)
    np.testing.assert_array_equal(a.spike_times, b.spike_times)
    for name in ("v", "I", "w"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name))


@pytest.mark.parametrize("name", sorted(MODELS))
def test_pure_python_and_compiled_kernels_give_the_same_bits(name):
    plain = run(MODELS[name], jit=False)
    assert plain.spike_times.size >= 6
    assert_identical(plain, run(MODELS[name], jit=True, threads=1))


@pytest.mark.parametrize("name", sorted(MODELS))
@pytest.mark.parametrize("chunk_steps", [1, 7])
def test_chunk_size_does_not_change_a_seeded_run(name, chunk_steps):
    assert_identical(
        run(MODELS[name], jit=False), run(MODELS[name], jit=False, chunk_steps=chunk_steps)
    )


def test_adex_threads_and_population_split_do_not_change_a_seeded_run():
    """600 neurons span three 256-neuron blocks; neuron 300 alone, run with its global index
    as neuron_offset, sees the same noise and fires the same spikes."""
    currents = np.linspace(0.2, 0.4, 600)
    model = lk.AdEx.preset("soroush")
    stimulus = lk.WhiteNoise("4 mV", mean=currents)
    options = dict(duration=40.0, dt=0.1, seed=9, record=lk.Record(neurons=()), jit=True)
    serial = lk.simulate(model, stimulus, threads=1, **options)
    parallel = lk.simulate(model, stimulus, threads=2, chunk_steps=37, **options)
    np.testing.assert_array_equal(serial.spike_times, parallel.spike_times)
    np.testing.assert_array_equal(serial.spike_neurons, parallel.spike_neurons)
    alone = lk.simulate(
        model,
        lk.WhiteNoise("4 mV", mean=currents[300]),
        duration=40.0,
        dt=0.1,
        seed=9,
        neuron_offset=300,
        jit=False,
    )
    assert alone.spike_times.size > 0
    np.testing.assert_array_equal(alone.spike_times, serial.spike_train(300))
