"""``sweep``: a grid of parameter or stimulus values, run as vectorised population runs."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from ..engine import config
from ..engine.progress import StopRequest, check_progress, progress_reporter, stop_between_chunks
from ..engine.record import Record
from ..engine.simulate import _grid, resolve_seed, simulate
from ..errors import Interrupted, ParameterError
from .chunks import ChunkOutput, ChunkTask, chunk_bounds, merge_spikes, run_chunk, split_record
from .grid import Grid
from .result import SweepResult


def sweep(
    model: Any,
    stimulus: Any,
    grid: Mapping[str, Any],
    *,
    duration: Any,
    dt: Any = 0.1,
    seed: int | None = None,
    record: Record | None = None,
    workers: int | None = None,
    scheduler: Any = None,
    chunk_neurons: int | None = None,
    threads: int | None = None,
    jit: bool | None = None,
    chunk_steps: int | None = None,
    progress: Any = None,
) -> SweepResult:
    """Run ``model`` under ``stimulus`` at every point of ``grid`` for ``duration`` ms.

    Main arguments:
        model: a one-neuron parameter record (e.g. ``lk.LIF.preset("orhan")``).
        stimulus: a one-neuron stimulus, or a function of stimulus grid keys returning
            one (``lambda mean: lk.WhiteNoise("2 mV", mean=mean)``); see below.
        grid: ``{key: values}``; the sweep runs the outer product of the axes, in order.
            A key is a model parameter (``tau_m``, ``R``, ``v_th``, ...), a parameter of the
            stimulus function, or ``amplitude`` of a Constant or Step stimulus. Values are
            numbers in base units (an amplitude: in the stimulus's unit, mV for a drive
            like ``Constant("20 mV")``, else nA) or strings like ``"5 ms"``.
        duration, dt: run length and step in ms, as for :func:`lifkit.simulate`.
        seed: seeds the white noise; None draws one (kept in the result).

    Other arguments:
        record: traces to keep, ``neurons`` being flat grid point indices (default none).
        workers: run on a new loopback Dask ``LocalCluster`` of this many processes.
        scheduler: run on an existing Dask cluster: its address ``"tcp://host:8786"`` or a
            ``distributed.Client``. Both need the ``dask`` extra (``pip install
            'lifkit[dask]'``); without either, the sweep runs in this process.
        chunk_neurons: grid points per population run (default: up to 16384 here; about
            four chunks per worker on Dask).
        threads, jit, chunk_steps: as for :func:`lifkit.simulate` (on Dask, threads
            defaults to 1 per worker process).
        progress: as for :func:`lifkit.simulate`; a callable gets (points done, points).

    Grid point p (the flat C-order index into ``shape``) is neuron p of one population and
    draws that neuron's noise, so for the same seed the result is bit-identical however
    the grid is split: one process, chunks, local workers or a cluster. Ctrl-C stops after
    the chunks in progress and raises :class:`lifkit.Interrupted` whose ``result`` holds
    the finished points (``done``; ``complete`` False).

    >>> import lifkit as lk
    >>> result = lk.sweep(lk.LIF.preset("orhan"), lk.Constant("20 mV"),
    ...                   {"t_ref": [0, 5], "amplitude": [10, 20, 30]}, duration=100)
    >>> result.shape, result.counts.tolist()
    ((2, 3), [[0, 7, 14], [0, 5, 8]])
    >>> result.coordinates(1, 2), result.spike_train(1, 2)[:2].round(3).tolist()
    ({'t_ref': 5.0, 'amplitude': 30.0}, [6.931, 18.863])
    """
    parsed = Grid.parse(model, stimulus, grid)
    time_grid = _grid(duration, dt)
    seed = resolve_seed(seed)
    check_progress(progress)
    record = _sweep_record(record, parsed.n_points)
    if workers is not None and scheduler is not None:
        raise ParameterError("workers", workers, "give workers= or scheduler=, not both")
    _check_count("workers", workers, "processes")
    _check_count("chunk_neurons", chunk_neurons, "grid points")
    job = _Job(
        parsed,
        time_grid.duration,
        time_grid.dt,
        seed,
        record,
        {"jit": jit, "chunk_steps": chunk_steps},
    )
    with (
        stop_between_chunks() as stop,
        progress_reporter(progress, parsed.n_points, "sweep") as report,
    ):
        if workers is not None or scheduler is not None:
            tasks, outputs = _run_distributed(
                job, workers, scheduler, chunk_neurons, threads, report, stop
            )
        else:
            size = chunk_neurons or min(parsed.n_points, config.SWEEP_CHUNK_NEURONS)
            tasks = job.tasks(size, threads)
            bar = progress is None or isinstance(progress, bool)
            outputs = _run_here(job, tasks, report, bar, stop)
    result = job.result(tasks, outputs)
    if not result.complete:
        raise Interrupted(
            f"stopped by Ctrl-C after {int(result.done.sum())} of {result.n_points} grid points",
            result,
        )
    return result


class _Job:
    """A parsed sweep: makes its chunk tasks and assembles their outputs."""

    def __init__(
        self,
        grid: Grid,
        duration: float,
        dt: float,
        seed: int,
        record: Record,
        options: dict[str, Any],
    ) -> None:
        self.grid, self.duration, self.dt, self.seed = grid, duration, dt, seed
        self.record, self.options = record, options
        self.n_steps = round(duration / dt)

    def tasks(self, size: int, threads: int | None) -> list[ChunkTask]:
        """The chunks of at most ``size`` grid points, in order."""
        options = {**self.options, "threads": threads}
        kept = tuple((k, v) for k, v in options.items() if v is not None)
        tasks = []
        for number, (start, stop) in enumerate(chunk_bounds(self.grid.n_points, size)):
            model, stimulus = self.grid.part(start, stop)
            local, columns = split_record(self.record, start, stop)
            tasks.append(
                ChunkTask(
                    number,
                    start,
                    stop,
                    model,
                    stimulus,
                    self.duration,
                    self.dt,
                    self.seed,
                    local,
                    columns,
                    kept,
                )
            )
        return tasks

    def compiles(self, size: int) -> bool:
        """Whether population runs of ``size`` points use the compiled kernels."""
        jit = self.options.get("jit")
        return bool(jit) if jit is not None else size * self.n_steps >= config.JIT_MIN_UPDATES

    def result(self, tasks: list[ChunkTask], outputs: dict[int, ChunkOutput]) -> SweepResult:
        """The sweep's result from the outputs of its finished chunks."""
        grid, record = self.grid, self.record
        done = np.zeros(grid.n_points, dtype=bool)
        for task in tasks:
            done[task.start : task.stop] = task.chunk in outputs
        n_samples = -(-self.n_steps // record.stride)
        n_recorded = len(record.neurons)
        traces = {name: np.full((n_samples, n_recorded), np.nan) for name in record.variables}
        for output in outputs.values():
            for name, data in output.traces.items():
                traces[name][:, list(output.columns)] = data
        points, times = merge_spikes(outputs[c] for c in sorted(outputs))
        return SweepResult(
            axes=dict(grid.axes),
            units=dict(grid.units),
            spike_points=points,
            spike_times=times,
            done=done.reshape(grid.shape),
            t=np.arange(n_samples) * record.stride * self.dt,
            v=traces.get("v"),
            I=traces.get("I"),
            w=traces.get("w"),
            recorded=np.asarray(record.neurons, dtype=np.int64),
            duration=self.duration,
            dt=self.dt,
            seed=self.seed,
        )


def _run_here(
    job: _Job, tasks: list[ChunkTask], report: Any, bar: bool, stop: StopRequest
) -> dict[int, ChunkOutput]:
    """Run the chunks one after the other in this process (a bar also moves within one)."""
    outputs: dict[int, ChunkOutput] = {}
    for task in tasks:
        if stop.requested:
            break
        n = task.stop - task.start
        inner = (
            (lambda done, total, t=task, n=n: report(t.start + n * done / total)) if bar else False
        )
        try:
            outputs[task.chunk] = run_chunk(task, progress=inner)
        except Interrupted:  # Ctrl-C inside the chunk: the unfinished chunk is dropped
            break
        report(task.stop)
    return outputs


def _run_distributed(
    job: _Job,
    workers: int | None,
    scheduler: Any,
    chunk_neurons: int | None,
    threads: int | None,
    report: Any,
    stop: StopRequest,
) -> tuple[list[ChunkTask], dict[int, ChunkOutput]]:
    """Run the chunks on Dask; numba's cache is filled before any worker compiles."""
    from . import distributed as dask_runner

    dask_runner.import_distributed()  # a clear ImportError before any work
    threads = 1 if threads is None else threads
    if workers is not None:
        size = chunk_neurons or _dask_chunk(job.grid.n_points, workers)
        if job.compiles(size):
            _warm(job.grid, job.dt, threads)  # before the workers exist (numba cache race)
    with dask_runner.dask_client(workers, scheduler) as client:
        if workers is None:
            size = chunk_neurons or _dask_chunk(
                job.grid.n_points, dask_runner.count_workers(client)
            )
            if job.compiles(size):
                _warm(job.grid, job.dt, threads)
                dask_runner.warm_workers(client, _warm, job.grid, job.dt, threads)
        tasks = job.tasks(size, threads)
        return tasks, dask_runner.run_on_dask(client, tasks, report=report, stop=stop)


def _dask_chunk(n_points: int, n_workers: int) -> int:
    per_chunk = -(-n_points // (config.SWEEP_CHUNKS_PER_WORKER * n_workers))
    return max(1, min(per_chunk, config.SWEEP_CHUNK_NEURONS))


def _warm(grid: Grid, dt: float, threads: int | None) -> None:
    """Compile (or load from numba's cache) the kernels a chunk of ``grid`` will use."""
    model, stimulus = grid.part(0, 1)
    simulate(
        model,
        stimulus,
        duration=dt,
        dt=dt,
        seed=0,
        record=Record(neurons=()),
        threads=threads,
        jit=True,
        progress=False,
    )


def _sweep_record(record: Any, n_points: int) -> Record:
    """The sweep's recording request with explicit grid point indices (default: none)."""
    if record is None:
        return Record(neurons=())
    if not isinstance(record, Record):
        raise ParameterError("record", record, "give lk.Record(neurons=[grid points], ...)")
    neurons = tuple(int(i) for i in record.indices(n_points))
    return Record(neurons=neurons, variables=record.variables, stride=record.stride)


def _check_count(name: str, value: Any, what: str) -> None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
        raise ParameterError(name, value, f"must be a whole number of {what} >= 1")
