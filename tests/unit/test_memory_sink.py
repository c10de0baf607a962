"""MemorySink: spikes gathered in blocks come out whole and in order, whatever the block."""

import numpy as np
import pytest

import lifkit as lk
from lifkit.engine import config


@pytest.mark.parametrize("block", [1, 3, 7, 2**22])
def test_spikes_are_the_same_whatever_the_block_size(monkeypatch, block):
    monkeypatch.setattr(config, "SPIKE_BLOCK", block)
    model = lk.LIF(tau_m=10.0, R=1.0, v_rest=0.0, v_reset=0.0, v_th=15.0, t_ref=2.0)
    drive = lk.Constant([16.0, 20.0, 30.0, 0.0])
    result = lk.simulate(model, drive, duration=60.0, chunk_steps=45, jit=False)
    expected = np.sort(np.concatenate([result.spike_train(i) for i in range(4)]))
    assert result.spike_times.size == 11 and np.array_equal(result.spike_times, expected)
    # first spike at 10 ln(I / (I - 15)) ms, then every 2 ms more: 2, 3 and 6 spikes in 60 ms
    assert np.array_equal(result.counts, [2, 3, 6, 0])
