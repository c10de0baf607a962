"""The current-based benchmark network "CUBA" (Vogels & Abbott 2005; Brette et al. 2007).

4000 LIF neurons (tau_m = 20 ms, E_L = -49 mV, v_th = -50 mV, v_reset = -60 mV,
t_ref = 5 ms), 80 % excitatory; every pair connected with probability 2 %; each spike
adds 1.62 mV (excitatory, tau_e = 5 ms) or -9 mV (inhibitory, tau_i = 10 ms) to an
exponentially decaying synaptic drive R I of its targets, one step (0.1 ms) later.
Membrane potentials start uniformly between v_reset and v_th. As in Brian's CUBA
example, the resting potential lies above threshold: inhibition keeps the network in an
asynchronous irregular state.

    python examples/cuba.py            # 1 s of network activity, rates and CV of ISIs
"""

import numpy as np

import lifkit as lk


def cuba(n_neurons=4000, duration=1000.0, dt=0.1, seed=1, **options):
    """Simulate CUBA; returns the Result (spikes of every neuron, no traces)."""
    rng = np.random.default_rng(seed)
    n_exc = n_neurons * 4 // 5
    model = lk.LIF(
        tau_m="20 ms",
        R="1 MOhm",
        v_rest="-49 mV",
        v_reset="-60 mV",
        v_th="-50 mV",
        t_ref="5 ms",
        v_init=rng.uniform(-60.0, -50.0, n_neurons),
    )
    excitatory = lk.Projection(
        lk.Neurons(0, n_exc),
        synapse=lk.ExponentialSynapse("5 ms"),
        weights="1.62 mV",
        delay=dt,
        connectivity=lk.Random(p=0.02),
    )
    inhibitory = lk.Projection(
        lk.Neurons(n_exc, n_neurons),
        synapse=lk.ExponentialSynapse("10 ms"),
        weights="-9 mV",
        delay=dt,
        connectivity=lk.Random(p=0.02),
    )
    return lk.simulate(
        model,
        projections=[excitatory, inhibitory],
        duration=duration,
        dt=dt,
        seed=seed,
        record=lk.Record(neurons=()),
        **options,
    )


def isi_cv(result, neurons):
    """Mean coefficient of variation of the interspike intervals of neurons with >= 3 spikes."""
    cvs = []
    for i in neurons:
        isi = np.diff(result.spike_train(i))
        if isi.size >= 2:
            cvs.append(isi.std() / isi.mean())
    return float(np.mean(cvs))


if __name__ == "__main__":
    result = cuba()
    exc = np.arange(3200)
    print(
        f"excitatory rate {result.rates[exc].mean():.2f} Hz, CV of ISIs {isi_cv(result, exc):.3f}"
    )
    print(f"inhibitory rate {result.rates[3200:].mean():.2f} Hz")
