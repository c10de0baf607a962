"""A seeded run does not depend on how it is executed."""

import numpy as np
import pytest

import lifkit as lk

# 600 neurons span three 256-neuron blocks, so the parallel kernel really splits work.
N_NEURONS = 600
DURATION = 40.0  # ms: 400 steps at 0.1 ms, enough for most neurons to fire a few times


def noisy_run(**options):
    model = lk.LIF(
        tau_m=np.linspace(5.0, 20.0, N_NEURONS),
        R=1.0,
        v_rest=-65.0,
        v_reset=-65.0,
        v_th=-50.0,
        t_ref=2.0,
    )
    stimulus = lk.WhiteNoise("6 mV", mean="17 mV") + lk.Sinusoid("2 mV", frequency=50.0)
    record = lk.Record(neurons=[0, 255, 256, 599], stride=3)
    return lk.simulate(
        model, stimulus, duration=DURATION, dt=0.1, seed=42, record=record, **options
    )


def assert_identical(a, b):
    np.testing.assert_array_equal(a.spike_neurons, b.spike_neurons)
    np.testing.assert_array_equal(a.spike_times, b.spike_times)
    np.testing.assert_array_equal(a.v, b.v)
    np.testing.assert_array_equal(a.I, b.I)


@pytest.fixture(scope="module")
def reference():
    result = noisy_run(jit=True, threads=1, chunk_steps=1000)
    assert result.spike_times.size > N_NEURONS  # the comparison has plenty of spikes
    return result


@pytest.mark.parametrize("chunk_steps", [1, 7, 1000])
@pytest.mark.parametrize("threads", [1, 2])
def test_seeded_noisy_run_is_bit_identical_across_chunks_and_threads(
    reference, chunk_steps, threads
):
    assert_identical(reference, noisy_run(jit=True, threads=threads, chunk_steps=chunk_steps))


def test_pure_python_kernel_gives_the_same_bits_as_the_compiled_one():
    small = dict(record=lk.Record(neurons="all"), seed=7, duration=30.0)
    model = lk.LIF(
        tau_m=[8.0, 10.0, 12.0], R=10.0, v_rest=-70.0, v_reset=-65.0, v_th=-50.0, t_ref=2.0
    )
    stimulus = lk.WhiteNoise("8 mV", mean="2.1 nA")
    compiled = lk.simulate(model, stimulus, jit=True, threads=1, **small)
    plain = lk.simulate(model, stimulus, jit=False, **small)
    assert compiled.spike_times.size > 0
    assert_identical(compiled, plain)


def test_population_split_does_not_change_a_neurons_spikes(reference):
    """Neuron i of a sub-population sees the same noise only if it keeps its index, so a
    one-neuron run of neuron 0 equals neuron 0 of the population."""
    first = noisy_run(jit=True, threads=1).spike_train(0)
    np.testing.assert_array_equal(first, reference.spike_train(0))


def test_different_seeds_give_different_noise(reference):
    other = lk.simulate(
        reference.model,
        lk.WhiteNoise("6 mV", mean="17 mV") + lk.Sinusoid("2 mV", frequency=50.0),
        duration=DURATION,
        seed=43,
        record=lk.Record(neurons=()),
        jit=True,
        threads=1,
    )
    assert not np.array_equal(other.spike_times, reference.spike_times)
