"""Where a run's chunks go: memory by default; other sinks may stream them to disk.

A sink receives, after every kernel chunk, the chunk's recorded trace samples and its
spikes; ``finish`` returns the run's traces and spikes (spikes sorted by time, then
neuron). Recording memory thus grows with what is recorded, not with N x steps.
"""

from __future__ import annotations

import numpy as np


class MemorySink:
    """Keeps the whole recording in memory.

    >>> sink = MemorySink(n_variables=1, n_samples=4, n_recorded=1)
    >>> sink.add(0, np.ones((1, 2, 1)), np.array([0]), np.array([0.25]))
    >>> sink.add(2, np.zeros((1, 2, 1)), np.empty(0, np.int64), np.empty(0))
    >>> traces, neurons, times = sink.finish()
    >>> traces[0, :, 0].tolist(), times.tolist()
    ([1.0, 1.0, 0.0, 0.0], [0.25])
    """

    def __init__(self, n_variables: int, n_samples: int, n_recorded: int) -> None:
        self.traces = np.full((n_variables, n_samples, n_recorded), np.nan)
        self._spikes: list[tuple[np.ndarray, np.ndarray]] = []

    def add(
        self, first_sample: int, traces: np.ndarray, neurons: np.ndarray, times: np.ndarray
    ) -> None:
        """Store one chunk: trace samples from run sample ``first_sample`` on, and spikes."""
        self.traces[:, first_sample : first_sample + traces.shape[1]] = traces
        order = np.lexsort((neurons, times))  # chunks come in time order: sort each once
        self._spikes.append((neurons[order], times[order]))

    def finish(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(traces, spike neurons, spike times), spikes sorted by time then neuron."""
        chunks, self._spikes = self._spikes, []
        neurons = np.concatenate([c[0] for c in chunks] or [np.empty(0, np.int64)])
        times = np.concatenate([c[1] for c in chunks] or [np.empty(0)])
        return self.traces, neurons, times
