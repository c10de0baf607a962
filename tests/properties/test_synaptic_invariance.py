"""A seeded synaptic run does not depend on how it is executed."""

import numpy as np
import pytest

import lifkit as lk

N_NEURONS = 600  # three 256-neuron blocks


def network(n=N_NEURONS, recurrent=True, noise=True):
    """Poisson input through alpha, exponential and delta synapses, a recurrent
    excitatory/inhibitory loop with delays of several steps, optional white noise."""
    model = lk.LIF(
        tau_m=np.linspace(8.0, 20.0, n),
        R=10.0,
        v_rest=-65.0,
        v_reset=-65.0,
        v_th=-50.0,
        t_ref=2.0,
        v_init=np.linspace(-65.0, -51.0, n),
    )
    drive = lk.PoissonGroup(200, "20 Hz")
    projections = [
        lk.Projection(
            drive,
            synapse=lk.AlphaSynapse("3 ms"),
            weights=lk.Normal("0.1 nA", "0.03 nA"),
            connectivity=lk.Random(p=0.1),
        ),
        lk.Projection(
            drive,
            synapse=lk.ExponentialSynapse("2 ms"),
            weights="2 mV",
            delay=0.73,
            connectivity=lk.Random(indegree=5),
        ),
        lk.Projection(
            lk.PoissonGroup(n, "150 Hz"),
            synapse=lk.DeltaSynapse(),
            weights="1.5 mV",
            connectivity=lk.OneToOne(),
        ),
    ]
    if recurrent:
        n_exc = 4 * n // 5
        projections += [
            lk.Projection(lk.Neurons(0, n_exc), synapse=lk.BiexponentialSynapse(1, 5),
                          weights="1 mV", delay=3.05, connectivity=lk.Random(p=0.05)),
            lk.Projection(lk.Neurons(n_exc), synapse=lk.ExponentialSynapse("8 ms"),
                          weights="-4 mV", delay=3.0, connectivity=lk.Random(p=0.05)),
        ]  # fmt: skip
    stimulus = lk.WhiteNoise("2 mV", mean="9 mV") if noise else lk.Constant("9 mV")
    return model, stimulus, projections


def run(n=N_NEURONS, duration=60.0, **options):
    model, stimulus, projections = network(n)
    neurons = sorted({0, min(255, n - 1), min(256, n - 2), n - 1})
    record = lk.Record(neurons=neurons, variables=("v", "I", "I_syn"), stride=3)
    return lk.simulate(
        model, stimulus, projections=projections, duration=duration, seed=42, record=record,
        **options,
    )  # fmt: skip


def assert_identical(a, b):
    np.testing.assert_array_equal(a.spike_neurons, b.spike_neurons)
    np.testing.assert_array_equal(a.spike_times, b.spike_times)
    np.testing.assert_array_equal(a.v, b.v)
    np.testing.assert_array_equal(a.I_syn, b.I_syn)


@pytest.fixture(scope="module")
def reference():
    result = run(jit=True, threads=1, chunk_steps=1000)
    assert result.spike_times.size > N_NEURONS  # plenty of spikes to compare
    return result


@pytest.mark.parametrize("chunk_steps", [1, 7, 1000])
@pytest.mark.parametrize("threads", [1, 2])
def test_seeded_synaptic_run_is_bit_identical_across_chunks_and_threads(
    reference, chunk_steps, threads
):
    assert_identical(reference, run(jit=True, threads=threads, chunk_steps=chunk_steps))


def cuba_like(tau_m, **options):
    """Two exponential synapse types, constant drive, no noise (the vectorised first-step
    path that also takes arrivals), recurrent with 0.3 ms delays: three-step windows."""
    n = np.size(tau_m)
    n_exc = 4 * n // 5
    model = lk.LIF(tau_m=tau_m, R=1.0, v_rest=-49.0, v_reset=-60.0, v_th=-50.0, t_ref=5.0,
                   v_init=np.linspace(-60.0, -50.5, n))  # fmt: skip
    projections = [
        lk.Projection(lk.Neurons(0, n_exc), synapse=lk.ExponentialSynapse("5 ms"),
                      weights="1.62 mV", delay=0.3, connectivity=lk.Random(p=0.05)),
        lk.Projection(lk.Neurons(n_exc), synapse=lk.ExponentialSynapse("10 ms"),
                      weights="-9 mV", delay=0.3, connectivity=lk.Random(p=0.05)),
    ]  # fmt: skip
    record = lk.Record(neurons=[0, n - 1], variables=("v", "I_syn"), stride=7)
    return lk.simulate(model, lk.Constant(0.0), projections=projections, duration=150.0,
                       seed=3, record=record, **options)  # fmt: skip


@pytest.mark.parametrize(
    "tau_m", [np.full(600, 20.0), np.linspace(15.0, 25.0, 600)], ids=["shared", "varied"]
)
def test_exponential_network_is_bit_identical_across_chunks_and_threads(tau_m):
    reference = cuba_like(tau_m, jit=True, threads=1, chunk_steps=1000)
    assert reference.spike_times.size > 400  # ~6 Hz, as in CUBA, plus the first volley
    for threads, chunk_steps in [(1, 1), (2, 7), (2, 1000)]:
        assert_identical(reference, cuba_like(tau_m, jit=True, threads=threads,
                                              chunk_steps=chunk_steps))  # fmt: skip
    small = np.asarray(tau_m)[:20]
    assert_identical(cuba_like(small, jit=True, threads=1), cuba_like(small, jit=False))


def test_pure_python_synaptic_kernel_gives_the_same_bits_as_the_compiled_one():
    compiled = run(n=20, duration=40.0, jit=True, threads=1)
    plain = run(n=20, duration=40.0, jit=False)
    assert compiled.spike_times.size > 10
    assert_identical(compiled, plain)


def test_a_full_spike_queue_grows_without_changing_the_run(monkeypatch, reference):
    """A queue that starts too small is enlarged (the chunk runs again): same result."""
    from lifkit.engine import network as lowering

    monkeypatch.setattr(lowering.config, "EXPECTED_RATE_HZ", 0.01)
    assert_identical(reference, run(jit=True, threads=1, chunk_steps=1000))
