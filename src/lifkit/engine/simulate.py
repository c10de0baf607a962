"""``simulate``: the one entry point that runs a model under a stimulus."""

from __future__ import annotations

import os
from importlib import import_module
from os import PathLike
from typing import Any, overload

import numpy as np

from ..errors import Interrupted, ParameterError
from ..results import Result
from ..stimuli import Constant
from ..stimuli.base import Stimulus, TimeGrid, common_neurons
from ..store import Recording
from ..units import to_base
from . import config
from ._kernels import buffers
from ._kernels.rng import seed_key
from .closed_form import with_closed_form
from .network import check_projections, implied_neurons, synaptic_plan
from .plan import Plan, make_plan, planner_for
from .progress import check_progress, progress_reporter, stop_between_chunks
from .record import Record
from .sinks import MemorySink, StoreSink


@overload
def simulate(
    model: Any,
    stimulus: Stimulus | None = None,
    *,
    duration: Any,
    dt: Any = 0.1,
    projections: Any = (),
    record: Record | None = None,
    seed: int | None = None,
    threads: int | None = None,
    chunk_steps: int | None = None,
    jit: bool | None = None,
    progress: Any = None,
    neuron_offset: int = 0,
    out: None = None,
    overwrite: bool = False,
) -> Result: ...


@overload
def simulate(
    model: Any,
    stimulus: Stimulus | None = None,
    *,
    duration: Any,
    dt: Any = 0.1,
    projections: Any = (),
    record: Record | None = None,
    seed: int | None = None,
    threads: int | None = None,
    chunk_steps: int | None = None,
    jit: bool | None = None,
    progress: Any = None,
    neuron_offset: int = 0,
    out: str | PathLike[str],
    overwrite: bool = False,
) -> Recording: ...


def simulate(
    model: Any,
    stimulus: Stimulus | None = None,
    *,
    duration: Any,
    dt: Any = 0.1,
    projections: Any = (),
    record: Record | None = None,
    seed: int | None = None,
    threads: int | None = None,
    chunk_steps: int | None = None,
    jit: bool | None = None,
    progress: Any = None,
    neuron_offset: int = 0,
    out: str | PathLike[str] | None = None,
    overwrite: bool = False,
) -> Result | Recording:
    """Simulate ``model`` driven by ``stimulus`` for ``duration`` ms on a grid of ``dt`` ms.

    Main arguments:
        model: the neuron parameters (per-neuron arrays give a population).
        stimulus: the injected current; its per-neuron values broadcast with the model's
            (None: no injected current).
        duration, dt: run length and step in ms (or strings like "100 ms");
            ``duration`` must be a whole number of steps.
        projections: synaptic input, a list of :class:`lifkit.Projection` (LIF models);
            presynaptic spikes arrive at their exact times and the synaptic currents are
            integrated exactly. Adds the recordable variable "I_syn".

    Other arguments:
        record: which traces to keep (default: v and I of neuron 0, every step).
        seed: seeds the white noise, Poisson sources and random connectivity; None draws
            one (kept in ``Result.seed``).
        threads: threads for the kernel (None: numba's default; 1: serial).
        chunk_steps: steps per kernel call (results do not depend on it; an AdEx run
            rounds it up to a multiple of 8).
        jit: force (True) or forbid (False) compilation; None compiles big runs only.
        progress: a bar on stderr: True always, None (default) on a terminal for runs
            over a second, False never; or a callable ``progress(done_steps, n_steps)``.
        neuron_offset: index of neuron 0 in a larger population whose noise this run
            reproduces (neuron i draws that of neuron ``neuron_offset + i``).
        out: a folder path to stream the recording to, chunk by chunk, instead of
            keeping it in memory; the run then returns a :class:`lifkit.Recording` that
            reads it lazily (a Zarr v2 store: ``xarray.open_zarr(out)`` opens it too). A
            run stopped, failed or killed part-way leaves a store that opens with the
            chunks committed until then (commits come every second or so) and says
            ``complete: false``; a run that fails before its first commit leaves none.
        overwrite: replace an existing recording at ``out`` (anything else there is
            never replaced).

    Subthreshold dynamics are integrated exactly and spike times are found inside the
    step, so with constant input every interspike interval equals the analytic period.

    Ctrl-C stops the run after the chunk in progress and raises :class:`lifkit.Interrupted`
    whose ``result`` holds the completed time (``complete`` False); a second Ctrl-C
    interrupts at once.

    >>> import lifkit as lk
    >>> result = simulate(lk.LIF.preset("orhan"), lk.Constant("20 mV"), duration=100)
    >>> round(float(result.spike_times[1] - result.spike_times[0]), 9)  # 10 ln 4 ms
    13.862943611
    >>> import tempfile
    >>> path = tempfile.mkdtemp() + "/run.zarr"
    >>> recording = simulate(lk.LIF.preset("orhan"), lk.Constant("20 mV"), duration=100,
    ...                      out=path)
    >>> bool((recording.spikes()[1] == result.spike_times).all())
    True
    """
    planner_for(model)
    stimulus = Constant(0.0) if stimulus is None else stimulus
    if not isinstance(stimulus, Stimulus):
        raise ParameterError("stimulus", stimulus, "must be a stimulus such as lk.Constant(1.0)")
    grid = _grid(duration, dt)
    projections = check_projections(projections)
    n_neurons = common_neurons(
        {
            "model": model.n_neurons,
            "stimulus": stimulus.n_neurons,
            "weights": implied_neurons(projections),
        }
    )
    record = Record() if record is None else record
    recorded = record.indices(n_neurons)
    seed = resolve_seed(seed)
    check_progress(progress)
    neuron_offset = _check_offset(neuron_offset)
    if projections:
        plan = synaptic_plan(model, stimulus, grid, n_neurons, projections, seed)
    else:
        plan = with_closed_form(make_plan(model, stimulus, grid, n_neurons), recorded)
    unknown = set(record.variables) - set(plan.variables)
    if unknown:
        raise ParameterError(
            "variables", sorted(unknown), f"{type(model).__name__} records {list(plan.variables)}"
        )
    steps = aligned(_chunk_steps(chunk_steps, grid.n_steps, n_neurons), plan.step_align)
    first = aligned(steps // 8, plan.step_align)
    per_step = n_neurons if plan.updates_per_step is None else plan.updates_per_step
    updates = grid.n_steps * per_step
    use_jit = updates >= config.JIT_MIN_UPDATES if jit is None else jit
    kernel = _kernel(plan.kernel, use_jit and per_step > 0, threads)  # nothing to step: no jit
    if out is None:
        n_samples = -(-grid.n_steps // record.stride)
        sink: Any = MemorySink(len(plan.variables), n_samples, recorded.size)
    else:
        sink = StoreSink(
            out,
            overwrite,
            plan.variables,
            record.variables,
            recorded,
            stride=record.stride,
            dt=grid.dt,
            n_neurons=n_neurons,
            n_steps=grid.n_steps,
            seed=seed,
            model=type(model).__name__,
        )
    runner = _Runner(plan, recorded, record.stride, seed, kernel, sink, neuron_offset)
    done = 0
    try:
        with (
            stop_between_chunks() as stop,
            progress_reporter(progress, grid.n_steps, "run") as report,
        ):
            while done < grid.n_steps and not stop.requested:
                # A short first chunk sizes the spike buffers: an overflow re-runs little.
                k1 = min(grid.n_steps, done + (steps if done or chunk_steps else first))
                runner.run(done, k1)
                done = k1
                sink.checkpoint(done)
                report(done)
    except BaseException:
        if out is not None:
            sink.abandon()
        raise
    if out is not None:
        recording = sink.close(complete=done == grid.n_steps)
        if not recording.complete:
            raise Interrupted(
                f"stopped by Ctrl-C after {recording.duration:g} of {grid.duration:g} ms; "
                f"{recording.path} holds the completed time",
                recording,
            )
        return recording
    all_traces, neurons, times = sink.finish()
    n_kept = -(-done // record.stride)  # samples of the completed steps
    traces = {
        name: all_traces[j, :n_kept] if name in record.variables else None
        for j, name in enumerate(plan.variables)
    }
    result = Result(
        t=np.arange(n_kept) * record.stride * grid.dt,
        v=traces["v"],
        I=traces["I"],
        w=traces.get("w"),
        I_syn=traces.get("I_syn"),
        projections=projections,
        recorded=recorded,
        spike_neurons=neurons,
        spike_times=times,
        n_neurons=n_neurons,
        duration=done * grid.dt,
        dt=grid.dt,
        seed=seed,
        model=model,
        complete=done == grid.n_steps,
    )
    if not result.complete:
        raise Interrupted(
            f"stopped by Ctrl-C after {result.duration:g} of {grid.duration:g} ms", result
        )
    return result


class _Runner:
    """Holds the state of one run, calls the kernel chunk by chunk and feeds the sink."""

    def __init__(
        self,
        plan: Plan,
        recorded: np.ndarray,
        stride: int,
        seed: int,
        kernel: Any,
        sink: Any,
        neuron_offset: int = 0,
    ) -> None:
        self.plan, self.kernel, self.sink, self.stride = plan, kernel, sink, stride
        self.neuron_offset = neuron_offset
        # numba types integers as int64: pass the key's bits as an int64 (same draws).
        self.key = np.array(seed_key(seed), dtype=np.uint64).view(np.int64)[()]
        n = plan.n_neurons
        self.state = tuple(np.array(a, dtype=_state_dtype(a)) for a in plan.state)
        self.slot = np.full(n, -1, dtype=np.int64)
        self.slot[recorded] = np.arange(recorded.size)
        self.n_recorded = recorded.size
        self.n_blocks = -(-n // config.BLOCK_NEURONS)
        self.rate_hz = config.EXPECTED_RATE_HZ  # what the spike buffers are sized for
        self.capacity = 0

    def run(self, k0: int, k1: int) -> None:
        """Advance the state over steps [k0, k1) and hand the chunk to the sink."""
        first, stop = -(-k0 // self.stride), -(-k1 // self.stride)
        traces = np.full((len(self.plan.variables), stop - first, self.n_recorded), np.nan)
        neurons, times = self._closed_form_spikes(k0, k1)
        if self.plan.updates_per_step != 0:  # some neurons need the kernel's steps
            recorder = buffers.Recorder(self.slot, self.stride, first, traces)
            stepped_neurons, stepped_times = self._step(k0, k1, recorder)
            neurons = np.concatenate((stepped_neurons, neurons))
            times = np.concatenate((stepped_times, times))
        self.sink.add(first, traces, neurons, times)

    def _step(self, k0: int, k1: int, recorder: Any) -> tuple[np.ndarray, np.ndarray]:
        """Run the kernel over steps [k0, k1), growing the spike buffers if needed;
        returns its spikes (neurons, times)."""
        grid = self.plan.grid
        expected = config.BLOCK_NEURONS * (k1 - k0) * grid.dt * 1e-3 * self.rate_hz
        self.capacity = max(16, int(expected))
        saved = tuple(a.copy() for a in self.state)
        while True:
            spikes = buffers.SpikeBuffer(
                np.empty((self.n_blocks, self.capacity), dtype=np.int64),
                np.empty((self.n_blocks, self.capacity)),
                np.zeros(self.n_blocks, dtype=np.int64),
            )
            status = self.kernel(
                k0,
                k1,
                grid.dt,
                self.key,
                self.neuron_offset,
                config.BLOCK_NEURONS,
                self.plan.params,
                self.plan.drive,
                *self.state,
                recorder,
                spikes,
            )
            if status == buffers.OK:
                break
            for array, copy in zip(self.state, saved, strict=True):
                array[:] = copy
            if status == buffers.SPIKE_BUFFER_FULL:
                self.capacity *= 2
                self.rate_hz *= 2.0  # and for the chunks to come
            elif self.plan.grow is not None:  # the plan's state is too small (a spike queue)
                self.state = self.plan.grow(self.state)
                saved = tuple(a.copy() for a in self.state)
            else:
                raise RuntimeError(f"kernel {self.plan.kernel} returned status {status}")
        kept = np.arange(self.capacity) < spikes.stored[:, None]
        return spikes.neuron[kept], spikes.time[kept]

    def _closed_form_spikes(self, k0: int, k1: int) -> tuple[np.ndarray, np.ndarray]:
        """The spikes in steps [k0, k1) of the neurons the kernel skips."""
        trains = self.plan.closed_form
        if trains is None:
            return np.empty(0, np.int64), np.empty(0)
        dt = self.plan.grid.dt
        return trains.spikes(k0 * dt, k1 * dt)


def _state_dtype(array: Any) -> Any:
    """Integer state (queue cursors) stays int64; everything else is float64."""
    return np.int64 if np.asarray(array).dtype.kind in "iu" else np.float64


def _kernel(module: str, use_jit: bool, threads: int | None) -> Any:
    if threads is not None and (
        isinstance(threads, bool) or not isinstance(threads, int) or threads < 1
    ):
        raise ParameterError("threads", threads, "must be a whole number >= 1 or None")
    if not use_jit:
        return import_module(f"{__package__}._kernels.{module}").run_chunk
    from ._kernels import jit

    parallel = threads != 1
    if parallel:
        jit.set_threads(min(threads or jit.max_threads(), jit.max_threads()))
    return jit.chunk_function(module, "run_chunk", parallel)


def _grid(duration: Any, dt: Any) -> TimeGrid:
    step = float(to_base(dt, "time", "dt"))
    total = float(to_base(duration, "time", "duration"))
    if not (np.isfinite(step) and step > 0):
        raise ParameterError("dt", dt, "must be a finite time step > 0 ms")
    if not (np.isfinite(total) and total > 0):
        raise ParameterError("duration", duration, "must be a finite time > 0 ms")
    if step > total:
        raise ParameterError("dt", dt, f"must not exceed the duration ({total:g} ms)")
    n_steps = round(total / step)
    if abs(n_steps * step - total) > 1e-9 * total:
        raise ParameterError(
            "duration", duration, f"must be a whole number of steps of dt = {step:g} ms"
        )
    return TimeGrid(step, n_steps)


def aligned(steps: int, align: int) -> int:
    """``steps`` rounded up to a positive multiple of ``align``.

    >>> aligned(25, 8), aligned(0, 8), aligned(7, 1)
    (32, 8, 7)
    """
    return max(1, -(-steps // align)) * align


def _chunk_steps(chunk_steps: int | None, n_steps: int, n_neurons: int) -> int:
    if chunk_steps is None:
        return max(1, min(n_steps, config.CHUNK_UPDATES // n_neurons))
    if isinstance(chunk_steps, bool) or not isinstance(chunk_steps, int) or chunk_steps < 1:
        raise ParameterError("chunk_steps", chunk_steps, "must be a whole number >= 1")
    return chunk_steps


def resolve_seed(seed: Any) -> int:
    """``seed`` checked, or a fresh random one (63 bits from the OS) when it is None.

    >>> resolve_seed(7), 0 <= resolve_seed(None) < 2**63
    (7, True)
    """
    if seed is None:
        return int.from_bytes(os.urandom(8), "little") >> 1
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ParameterError("seed", seed, "must be a non-negative integer or None")
    return int(seed)


def _check_offset(neuron_offset: Any) -> int:
    if (
        isinstance(neuron_offset, bool)
        or not isinstance(neuron_offset, (int, np.integer))
        or neuron_offset < 0
    ):
        raise ParameterError("neuron_offset", neuron_offset, "must be a whole number >= 0")
    return int(neuron_offset)
