"""Reading a run streamed to disk: :func:`open_recording` and :class:`Recording`.

Only what is asked is read, chunk by chunk through memory maps, so a recording larger
than memory can be analysed piecewise. The store is plain Zarr v2, so
``xarray.open_zarr(path)`` and ``zarr.open_group(path, mode="r")`` open it too (when
installed) as the variables ``spike_neuron``, ``spike_time`` (dimension "spike"), the
traces ``v``, ``I``, ... (dimensions "time", "recorded") and their coordinates.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ParameterError
from ..results import Result, check_neuron, trace_column
from . import zarr_v2
from .writer import MARK


def open_recording(path: Any) -> Recording:
    """Open the store a run wrote with ``lk.simulate(..., out=path)``; reads no data yet.

    A store whose run was stopped or killed opens with every committed chunk and
    ``complete`` False; ``duration`` is then the time it covers (ms).

    >>> import tempfile, lifkit as lk
    >>> folder = tempfile.mkdtemp()
    >>> _ = lk.simulate(lk.LIF.preset("orhan"), lk.Constant("20 mV"), duration=100,
    ...                 out=f"{folder}/run.zarr")
    >>> recording = lk.open_recording(f"{folder}/run.zarr")
    >>> recording.complete, recording.n_spikes, recording.duration
    (True, 7, 100.0)
    """
    return Recording(path)


class _StoredArray:
    """One array of a store, read by rows through a memory map of each chunk file."""

    def __init__(self, folder: Path, meta: dict) -> None:
        self.folder = folder
        self.length, *self.row = meta["shape"]
        self.chunk_rows = meta["chunks"][0]
        self.dtype = np.dtype(meta["dtype"])
        self.n_chunks = -(-self.length // self.chunk_rows)

    def chunk(self, index: int) -> np.ndarray:
        """The rows of chunk ``index`` (a read-only memory map)."""
        rows = min(self.chunk_rows, self.length - index * self.chunk_rows)
        shape = (rows, *self.row)
        if rows * int(np.prod(self.row, dtype=np.int64)) == 0:
            return np.empty(shape, self.dtype)
        name = zarr_v2.chunk_name(index, len(shape))
        return np.memmap(self.folder / name, dtype=self.dtype, mode="r", shape=shape)

    def read(self, start: int = 0, stop: int | None = None) -> np.ndarray:
        """Rows [start, stop) as an in-memory array."""
        stop = self.length if stop is None else stop
        first, last = start // self.chunk_rows, -(-stop // self.chunk_rows)
        pieces = [np.empty((0, *self.row), self.dtype)]
        for index in range(first, last):
            offset = index * self.chunk_rows
            pieces.append(self.chunk(index)[max(start - offset, 0) : stop - offset])
        return np.concatenate(pieces)

    def searchsorted(self, value: float) -> int:
        """Index of the first row >= ``value`` of an ascending 1-D array."""
        lasts = [self.chunk(i)[-1] for i in range(self.n_chunks)]
        index = int(np.searchsorted(lasts, value, side="left"))
        if index == self.n_chunks:
            return self.length
        return index * self.chunk_rows + int(np.searchsorted(self.chunk(index), value))


class Recording:
    """A run streamed to disk by ``lk.simulate(..., out=path)``. Times in ms, v in mV,
    currents in nA. Mirrors :class:`lifkit.Result`, but reads spikes and traces from the
    store only when asked; :meth:`load` turns it into a Result held in memory.

    Attributes:
        path: the store's folder.
        t: sample times of the traces (ms); recorded: neuron index of each trace column;
        variables: the recorded trace names ("v", "I", ...).
        n_neurons, dt, seed, n_spikes: the run's description and its spike count.
        model: the model's type name ("LIF", ...).
        duration: the simulated time the store holds (ms).
        complete: False when the run was stopped or killed before its end (the store
            then holds every chunk committed until then, ``duration`` ms of it).

    >>> import tempfile, lifkit as lk
    >>> path = tempfile.mkdtemp() + "/run.zarr"
    >>> recording = lk.simulate(lk.LIF.preset("orhan"), lk.Constant([20.0, 30.0]),
    ...                         duration=50, record=lk.Record(neurons=[1]), out=path)
    >>> recording.counts.tolist(), recording.spike_train(1).round(3).tolist()
    ([3, 7], [6.931, 13.863, 20.794, 27.726, 34.657, 41.589, 48.52])
    >>> neurons, times = recording.spikes(10.0, 20.0)  # 10 ms <= time < 20 ms
    >>> neurons.tolist(), times.round(3).tolist()
    ([0, 1], [13.863, 13.863])
    >>> recording.trace("v", 1).shape, recording.load().v.shape
    ((500,), (500, 1))
    """

    def __init__(self, path: Any) -> None:
        self.path = Path(path)
        try:
            metadata = zarr_v2.read_metadata(self.path)
            attrs = metadata[".zattrs"]
            if MARK not in attrs:
                raise KeyError(MARK)
            names = [key.removesuffix("/.zarray") for key in metadata if key.endswith("/.zarray")]
            arrays = {
                name: _StoredArray(self.path / name, metadata[f"{name}/.zarray"]) for name in names
            }
        except (OSError, ValueError, KeyError, TypeError) as err:
            raise ParameterError("path", str(path), "is not a lifkit recording") from err
        self._arrays = arrays
        self.n_neurons: int = attrs["n_neurons"]
        self.dt: float = attrs["dt"]
        self.seed: int = attrs["seed"]
        self.model: str = attrs["model"]
        self.complete: bool = attrs["complete"]
        self.duration: float = attrs["completed_ms"]
        self.variables: tuple[str, ...] = tuple(attrs["variables"])
        self.t = arrays["time"].read()
        self.recorded = arrays["recorded"].read().astype(np.int64)
        self.n_spikes = arrays["spike_time"].length

    def __repr__(self) -> str:
        state = "complete" if self.complete else "partial"
        return (
            f"<Recording {self.path}: {self.n_neurons} neurons, {self.duration:g} ms "
            f"({state}), {self.n_spikes} spikes, traces {list(self.variables)}>"
        )

    def spikes(self, start: float = -np.inf, stop: float = np.inf) -> tuple[np.ndarray, np.ndarray]:
        """(neurons, times in ms) of the spikes at ``start`` <= time < ``stop``, by time.

        >>> import tempfile, lifkit as lk
        >>> recording = lk.simulate(lk.LIF.preset("orhan"), lk.Constant([20.0, 30.0]),
        ...                         duration=20, out=tempfile.mkdtemp() + "/run.zarr")
        >>> [a.round(3).tolist() for a in recording.spikes(10.0)]
        [[1, 0], [13.863, 13.863]]
        """
        times = self._arrays["spike_time"]
        first, last = times.searchsorted(start), times.searchsorted(stop)
        neurons = self._arrays["spike_neuron"].read(first, last).astype(np.int64)
        return neurons, times.read(first, last)

    def iter_spikes(self) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """(neurons, times in ms) of one stored chunk after another, in time order.

        >>> import tempfile, lifkit as lk
        >>> recording = lk.simulate(lk.LIF.preset("orhan"), lk.Constant([20.0, 30.0]),
        ...                         duration=20, out=tempfile.mkdtemp() + "/run.zarr")
        >>> sum(times.size for _, times in recording.iter_spikes())
        3
        """
        neurons, times = self._arrays["spike_neuron"], self._arrays["spike_time"]
        for index in range(times.n_chunks):
            yield np.array(neurons.chunk(index), np.int64), np.array(times.chunk(index))

    @property
    def counts(self) -> np.ndarray:
        """Number of spikes of each neuron, shape (n_neurons,)."""
        counts = np.zeros(self.n_neurons, dtype=np.int64)
        for neurons, _ in self.iter_spikes():
            counts += np.bincount(neurons, minlength=self.n_neurons)
        return counts

    @property
    def rates(self) -> np.ndarray:
        """Mean firing rate of each neuron over the stored time, in Hz."""
        return self.counts / (self.duration * 1e-3)

    def spike_train(self, neuron: int) -> np.ndarray:
        """Spike times (ms) of one neuron, ascending.

        >>> import tempfile, lifkit as lk
        >>> recording = lk.simulate(lk.LIF.preset("orhan"), lk.Constant([20.0, 30.0]),
        ...                         duration=20, out=tempfile.mkdtemp() + "/run.zarr")
        >>> recording.spike_train(1).round(3).tolist()
        [6.931, 13.863]
        """
        check_neuron(neuron, self.n_neurons)
        trains = [times[neurons == neuron] for neurons, times in self.iter_spikes()]
        return np.concatenate([np.empty(0), *trains])

    def trace(self, variable: str, neuron: int = 0) -> np.ndarray:
        """The recorded trace of ``variable`` ("v", "I", "w", "I_syn") of a recorded neuron.

        >>> import tempfile, lifkit as lk
        >>> recording = lk.simulate(lk.LIF.preset("orhan"), lk.Constant([20.0, 30.0]),
        ...                         duration=20, out=tempfile.mkdtemp() + "/run.zarr")
        >>> recording.trace("I", 0)[:3].tolist()  # neuron 0, recorded by default
        [20.0, 20.0, 20.0]
        """
        if variable not in self.variables:
            raise ParameterError(
                "variable", variable, f"was not recorded; recorded: {list(self.variables)}"
            )
        column = trace_column(self.recorded, neuron)
        array = self._arrays[variable]
        pieces = [np.empty(0)] + [array.chunk(i)[:, column] for i in range(array.n_chunks)]
        return np.concatenate(pieces)

    def load(self) -> Result:
        """The whole recording in memory, as the :class:`lifkit.Result` of the same run
        (``model`` holds the model's type name; ``projections`` is empty).

        >>> import tempfile, lifkit as lk
        >>> recording = lk.simulate(lk.LIF.preset("orhan"), lk.Constant([20.0, 30.0]),
        ...                         duration=20, out=tempfile.mkdtemp() + "/run.zarr")
        >>> result = recording.load()
        >>> result.model, result.spike_times.size, result.v.shape
        ('LIF', 3, (200, 1))
        """
        neurons, times = self.spikes()
        traces = {name: self._arrays[name].read() for name in self.variables}
        return Result(
            t=self.t,
            v=traces.get("v"),
            I=traces.get("I"),
            w=traces.get("w"),
            I_syn=traces.get("I_syn"),
            recorded=self.recorded,
            spike_neurons=neurons,
            spike_times=times,
            n_neurons=self.n_neurons,
            duration=self.duration,
            dt=self.dt,
            seed=self.seed,
            model=self.model,
            complete=self.complete,
        )
