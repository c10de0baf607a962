"""Buffers every kernel writes into: recorded traces and per-block spike storage."""

from typing import NamedTuple

import numpy as np

OK = 0
SPIKE_BUFFER_FULL = 1


class Recorder(NamedTuple):
    """Trace buffers of one chunk: neuron i is written to column slot[i] (never when -1).

    Step k is sampled when k % stride == 0, as run sample k // stride;
    ``traces[j, m - first_sample, c]`` holds variable j (in the kernel family's order,
    e.g. v, I, w) of run sample m of the neuron recorded in column c.
    """

    slot: np.ndarray  # (n,) int64
    stride: int
    first_sample: int  # run sample index of traces[:, 0]
    traces: np.ndarray  # (n_variables, n_samples_in_chunk, n_recorded)


class SpikeBuffer(NamedTuple):
    """Per-block spike storage; block b holds neurons [b*block, (b+1)*block)."""

    neuron: np.ndarray  # (n_blocks, capacity) int64
    time: np.ndarray  # (n_blocks, capacity) ms
    stored: np.ndarray  # (n_blocks,) int64: how many spikes each block holds


def store_spike(spikes, block, neuron, time):
    """Append a spike to its block's buffer; returns OK or SPIKE_BUFFER_FULL."""
    n = spikes.stored[block]
    if n >= spikes.neuron.shape[1]:
        return SPIKE_BUFFER_FULL
    spikes.neuron[block, n] = neuron
    spikes.time[block, n] = time
    spikes.stored[block] = n + 1
    return OK
