"""One chunk of a sweep: a run of consecutive grid points, and what it sends back.

:func:`run_chunk` is the task a Dask worker executes (and the local loop calls): it runs
the chunk's points as one population with ``neuron_offset`` = the chunk's first grid
point, so every neuron draws the noise of its global index and the chunk's spikes are
exactly those of the same neurons in a single run of the whole grid.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..engine.record import Record
from ..engine.simulate import simulate
from ..stimuli import Stimulus


@dataclass(frozen=True)
class ChunkTask:
    """Grid points [start, stop) of a sweep, with everything needed to run them.

    ``record`` names the chunk's own neurons (0 .. stop-start-1); ``columns`` are the
    sweep's trace columns they fill.

    >>> import lifkit as lk
    >>> record, columns = split_record(Record(neurons=[11]), 10, 12)
    >>> task = ChunkTask(3, 10, 12, lk.LIF.preset("orhan"), lk.Constant([20.0, 30.0]),
    ...                  30.0, 0.1, 1, record, columns)
    >>> task.record.neurons, task.columns  # grid point 11: local neuron 1, sweep column 0
    ((1,), (0,))
    """

    chunk: int
    start: int
    stop: int
    model: Any
    stimulus: Stimulus
    duration: float
    dt: float
    seed: int
    record: Record
    columns: tuple[int, ...]
    options: tuple[tuple[str, Any], ...] = ()


@dataclass(frozen=True)
class ChunkOutput:
    """What a chunk sends back: spikes with global point indices, and its trace columns.

    >>> import lifkit as lk
    >>> output = run_chunk(ChunkTask(0, 10, 12, lk.LIF.preset("orhan"),
    ...     lk.Constant([20.0, 30.0]), 30.0, 0.1, 1, Record(neurons=[1]), (0,)))
    >>> np.bincount(output.spike_points - 10).tolist()  # 30 ms at 20 and 30 mV
    [2, 4]
    >>> output.traces["v"].shape, output.columns  # 300 samples of point 11 -> column 0
    ((300, 1), (0,))
    """

    chunk: int
    spike_points: np.ndarray
    spike_times: np.ndarray
    traces: dict[str, np.ndarray]
    columns: tuple[int, ...]


def run_chunk(task: ChunkTask, progress: Any = False) -> ChunkOutput:
    """Run one chunk, in a Dask worker or here (``progress`` as for ``simulate``).

    >>> import lifkit as lk
    >>> task = ChunkTask(3, 10, 12, lk.LIF.preset("orhan"), lk.Constant([20.0, 30.0]),
    ...                  30.0, 0.1, 1, lk.Record(neurons=()), ())
    >>> output = run_chunk(task)
    >>> output.chunk, sorted(set(output.spike_points.tolist()))  # global indices
    (3, [10, 11])
    """
    result = simulate(
        task.model,
        task.stimulus,
        duration=task.duration,
        dt=task.dt,
        seed=task.seed,
        record=task.record,
        progress=progress,
        neuron_offset=task.start,
        **dict(task.options),
    )
    traces = {
        name: data
        for name, data in (("v", result.v), ("I", result.I), ("w", result.w))
        if data is not None and name in task.record.variables
    }
    return ChunkOutput(
        chunk=task.chunk,
        spike_points=result.spike_neurons + task.start,
        spike_times=result.spike_times,
        traces=traces,
        columns=task.columns,
    )


def chunk_bounds(n_points: int, chunk_neurons: int) -> list[tuple[int, int]]:
    """[start, stop) of consecutive chunks of at most ``chunk_neurons`` points.

    >>> chunk_bounds(10, 4)
    [(0, 4), (4, 8), (8, 10)]
    """
    return [(s, min(n_points, s + chunk_neurons)) for s in range(0, n_points, chunk_neurons)]


def split_record(record: Record, start: int, stop: int) -> tuple[Record, tuple[int, ...]]:
    """The part of a sweep's ``record`` (grid point indices) inside [start, stop), as the
    chunk's local neuron indices, and the sweep trace column of each.

    >>> split_record(Record(neurons=[7, 2, 5]), 4, 8)
    (Record(neurons=(3, 1), variables=('v', 'I'), stride=1), (0, 2))
    """
    chosen = [int(i) for i in record.neurons]  # explicit indices, never "all", here
    pairs = [(p - start, c) for c, p in enumerate(chosen) if start <= p < stop]
    local = Record(
        neurons=tuple(p for p, _ in pairs), variables=record.variables, stride=record.stride
    )
    return local, tuple(c for _, c in pairs)


def merge_spikes(outputs: Iterable[ChunkOutput]) -> tuple[np.ndarray, np.ndarray]:
    """All chunks' spikes as (points, times), sorted by time then point (as a single run).

    >>> first = ChunkOutput(0, np.array([0, 1]), np.array([5.0, 9.0]), {}, ())
    >>> second = ChunkOutput(1, np.array([2]), np.array([5.0]), {}, ())
    >>> merge_spikes([second, first])  # (grid points, times in ms)
    (array([0, 2, 1]), array([5., 5., 9.]))
    """
    outputs = list(outputs)
    points = np.concatenate([o.spike_points for o in outputs] or [np.empty(0, np.int64)])
    times = np.concatenate([o.spike_times for o in outputs] or [np.empty(0)])
    order = np.lexsort((points, times))
    return points[order].astype(np.int64), times[order]
