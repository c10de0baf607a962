"""Reference statistics of the CUBA network from Brian2 (an independent simulator).

Generates ``cuba_brian2.json`` next to this file: for several seeds, the mean firing rate
of the excitatory and inhibitory neurons and the mean coefficient of variation of the
excitatory neurons' interspike intervals, over 1 s at dt = 0.1 ms. The network is
Brian2's CUBA example (Brette et al. 2007, Vogels & Abbott 2005), spikes delivered one
step after they are emitted (Brian2's default, no explicit delay). Brian2 is not a
dependency of lifkit: run this script in an environment that has it, e.g.

    python3 -m venv /tmp/brianenv && /tmp/brianenv/bin/pip install brian2 "numpy<2.3"
    /tmp/brianenv/bin/python tests/reference/cuba_brian2.py
"""

import json
import platform
import time
from pathlib import Path

import numpy as np

SEEDS = range(1, 11)
DURATION_MS = 1000.0


def isi_cv(trains):
    """Mean CV of the ISIs of the trains with at least 3 spikes."""
    cvs = [np.std(np.diff(t)) / np.mean(np.diff(t)) for t in trains if len(t) >= 3]
    return float(np.mean(cvs))


def run(seed):
    import brian2 as b2

    b2.start_scope()
    b2.seed(seed)
    b2.defaultclock.dt = 0.1 * b2.ms
    namespace = {
        "taum": 20 * b2.ms,
        "taue": 5 * b2.ms,
        "taui": 10 * b2.ms,
        "Vt": -50 * b2.mV,
        "Vr": -60 * b2.mV,
        "El": -49 * b2.mV,
        "we": (60 * 0.27 / 10) * b2.mV,  # 1.62 mV
        "wi": (-20 * 4.5 / 10) * b2.mV,  # -9 mV
    }
    eqs = """
    dv/dt  = (ge + gi - (v - El)) / taum : volt (unless refractory)
    dge/dt = -ge / taue : volt
    dgi/dt = -gi / taui : volt
    """
    P = b2.NeuronGroup(
        4000,
        eqs,
        threshold="v > Vt",
        reset="v = Vr",
        refractory=5 * b2.ms,
        method="exact",
        namespace=namespace,
    )
    P.v = "Vr + rand() * (Vt - Vr)"
    P.ge = 0 * b2.mV
    P.gi = 0 * b2.mV
    Ce = b2.Synapses(P, P, on_pre="ge += we", namespace=namespace)
    Ci = b2.Synapses(P, P, on_pre="gi += wi", namespace=namespace)
    Ce.connect("i < 3200", p=0.02)
    Ci.connect("i >= 3200", p=0.02)
    monitor = b2.SpikeMonitor(P)
    network = b2.Network(P, Ce, Ci, monitor)
    started = time.perf_counter()
    network.run(DURATION_MS * b2.ms)
    elapsed = time.perf_counter() - started
    trains = monitor.spike_trains()
    times = [np.asarray(trains[i] / b2.ms) for i in range(4000)]
    counts = np.array([t.size for t in times])
    return {
        "seed": seed,
        "rate_exc_hz": float(counts[:3200].mean() / (DURATION_MS * 1e-3)),
        "rate_inh_hz": float(counts[3200:].mean() / (DURATION_MS * 1e-3)),
        "cv_isi_exc": isi_cv(times[:3200]),
        "run_s": elapsed,
    }


def main():
    import brian2 as b2

    runs = [run(seed) for seed in SEEDS]
    out = {
        "description": "Brian2 CUBA, 4000 LIF, 1 s at dt 0.1 ms; see cuba_brian2.py",
        "brian2": b2.__version__,
        "python": platform.python_version(),
        "runs": runs,
    }
    path = Path(__file__).with_suffix(".json")
    path.write_text(json.dumps(out, indent=1) + "\n")
    for r in runs:
        print(r)


if __name__ == "__main__":
    main()
