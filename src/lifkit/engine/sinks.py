"""Where a run's chunks go: memory by default, or a store on disk as they arrive.

A sink receives, after every kernel chunk, the chunk's recorded trace samples and its
spikes (each chunk's spikes sorted by time, then neuron), then ``checkpoint(done)`` with
the steps completed so far. Recording memory thus grows with what is recorded, not with
N x steps; a :class:`StoreSink` keeps only one chunk in memory.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..store.recording import Recording
from ..store.writer import StoreWriter
from . import config

#: The unit of each recordable variable, stored with its array.
UNITS = {"v": "mV", "I": "nA", "w": "nA", "I_syn": "nA"}


def _sorted(neurons: np.ndarray, times: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    order = np.lexsort((neurons, times))  # chunks come in time order: sort each once
    return neurons[order], times[order]


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
        self.n_spikes = 0
        self._blocks: list[tuple[np.ndarray, np.ndarray]] = []

    def add(
        self, first_sample: int, traces: np.ndarray, neurons: np.ndarray, times: np.ndarray
    ) -> None:
        """Store one chunk: trace samples from run sample ``first_sample`` on, and spikes."""
        self.traces[:, first_sample : first_sample + traces.shape[1]] = traces
        neurons, times = _sorted(neurons, times)
        done = 0
        while done < times.size:
            filled = self.n_spikes % config.SPIKE_BLOCK
            if filled == 0:
                self._blocks.append(
                    (np.empty(config.SPIKE_BLOCK, np.int64), np.empty(config.SPIKE_BLOCK))
                )
            take = min(times.size - done, config.SPIKE_BLOCK - filled)
            block_neurons, block_times = self._blocks[-1]
            block_neurons[filled : filled + take] = neurons[done : done + take]
            block_times[filled : filled + take] = times[done : done + take]
            done += take
            self.n_spikes += take

    def checkpoint(self, done_steps: int) -> None:
        """Nothing to do: memory holds every chunk as soon as it is added."""

    def finish(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(traces, spike neurons, spike times), spikes sorted by time then neuron.

        Each block is freed once copied, so the spikes are held about once at the peak.
        """
        neurons, times = np.empty(self.n_spikes, np.int64), np.empty(self.n_spikes)
        blocks, self._blocks = self._blocks[::-1], []
        start = 0
        while blocks:
            block_neurons, block_times = blocks.pop()
            stop = min(start + config.SPIKE_BLOCK, self.n_spikes)
            neurons[start:stop] = block_neurons[: stop - start]
            times[start:stop] = block_times[: stop - start]
            start = stop
        return self.traces, neurons, times


class StoreSink:
    """Streams every chunk to a Zarr v2 store at ``path`` (see :mod:`lifkit.store`).

    ``variables`` are the kernel's trace names in its order, ``recorded_variables`` those
    kept; the keywords describe the run (``model``: the model's type name). The store's
    metadata is committed at most every :data:`config.STORE_COMMIT_SECONDS` and at
    :meth:`close`, so a run killed at any moment leaves a store of whole chunks that says
    ``complete: false``.

    >>> import tempfile
    >>> sink = StoreSink(tempfile.mkdtemp() + "/run.zarr", False, ("v", "I"), ("v",),
    ...                  np.array([0]), stride=1, dt=0.5, n_neurons=1, n_steps=2, seed=1,
    ...                  model="LIF")
    >>> sink.add(0, np.ones((2, 2, 1)), np.array([0]), np.array([0.25]))
    >>> sink.checkpoint(2)
    >>> recording = sink.close(complete=True)
    >>> recording.t.tolist(), recording.trace("v").tolist(), recording.n_spikes
    ([0.0, 0.5], [1.0, 1.0], 1)
    """

    def __init__(
        self,
        path: Any,
        overwrite: bool,
        variables: Sequence[str],
        recorded_variables: Sequence[str],
        recorded: np.ndarray,
        *,
        stride: int,
        dt: float,
        n_neurons: int,
        n_steps: int,
        seed: int,
        model: str,
    ) -> None:
        self.stride, self.dt = stride, dt
        self.kept = [(j, name) for j, name in enumerate(variables) if name in recorded_variables]
        neuron_type = np.int32 if n_neurons <= np.iinfo(np.int32).max else np.int64
        n_rec = recorded.size
        trace_rows = max(1, config.STORE_CHUNK_BYTES // (8 * max(n_rec, 1)))
        spike_rows = config.STORE_CHUNK_BYTES // 8
        arrays: dict[str, tuple] = {
            "spike_neuron": (neuron_type, (), spike_rows, _dims("spike")),
            "spike_time": (np.float64, (), spike_rows, _dims("spike", units="ms")),
            "time": (np.float64, (), spike_rows, _dims("time", units="ms")),
            "recorded": (np.int64, (), max(n_rec, 1), _dims("recorded")),
        }
        for _, name in self.kept:
            arrays[name] = (
                np.float64,
                (n_rec,),
                trace_rows,
                _dims("time", "recorded", units=UNITS[name]),
            )
        self.writer = StoreWriter(
            path,
            overwrite,
            arrays,
            {
                "model": model,
                "seed": seed,
                "n_neurons": n_neurons,
                "n_steps": n_steps,
                "dt": dt,
                "stride": stride,
                "variables": [name for _, name in self.kept],
                "complete": False,
                "completed_ms": 0.0,
                "n_steps_done": 0,
            },
        )
        self.writer.arrays["recorded"].append(recorded)
        self.done = 0
        self._commit(complete=False)  # the store holds its recorded neurons from the start

    def add(
        self, first_sample: int, traces: np.ndarray, neurons: np.ndarray, times: np.ndarray
    ) -> None:
        """Write one chunk: trace samples from run sample ``first_sample`` on, and spikes."""
        arrays = self.writer.arrays
        neurons, times = _sorted(neurons, times)
        arrays["spike_neuron"].append(neurons)
        arrays["spike_time"].append(times)
        samples = first_sample + np.arange(traces.shape[1])
        arrays["time"].append(samples * self.stride * self.dt)
        for j, name in self.kept:
            arrays[name].append(traces[j])

    def checkpoint(self, done_steps: int) -> None:
        """The chunks added so far cover ``done_steps`` steps: commit them if one is due."""
        self.done = done_steps
        if time.monotonic() - self._committed >= config.STORE_COMMIT_SECONDS:
            self._commit(complete=False)

    def close(self, complete: bool) -> Recording:
        """Commit everything checkpointed, with ``complete``, and open the store."""
        self._commit(complete)
        self.writer.close()
        return Recording(self.writer.path)

    def abandon(self) -> None:
        """After a failure: keep the store as last committed, or delete it if no step was
        ever committed."""
        if self.writer.attrs["n_steps_done"] == 0:
            self.writer.remove()
        else:
            self.writer.close()

    def _commit(self, complete: bool) -> None:
        self.writer.commit(
            complete=complete, completed_ms=self.done * self.dt, n_steps_done=self.done
        )
        self._committed = time.monotonic()


def _dims(*names: str, units: str | None = None) -> dict:
    """An array's ``.zattrs``: its dimension names (as xarray reads them) and units."""
    return {"_ARRAY_DIMENSIONS": list(names), **({"units": units} if units else {})}
