"""Lowering projections to the synaptic kernel's tables, and the plan of a synaptic run.

Each distinct synapse kernel of a run becomes one row of the synapse table with its own
state rows, one column per neuron (equal kernels share them: the currents add). Each projection
becomes a source-major CSR table of (target, weight in mV of drive). Poisson groups get
a counter-based key each: their own ``seed``'s key, else one derived from the run's seed
and their order of first appearance, so that two groups never share draws. Connectivity
and weights are drawn with numpy from the projection's ``seed``, else from the run's.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import ParameterError
from ..models import LIF
from ..stimuli.base import Stimulus, TimeGrid
from ..synapses.projection import Connections, Projection
from ..synapses.sources import PoissonGroup, SpikeTimes
from . import config
from ._kernels.event_driven import SLOTS, initial_state
from ._kernels.events import POISSON, RECURRENT, SPIKE_TIMES
from ._kernels.rng import seed_key
from ._kernels.synaptic import CASCADE, EXPONENTIAL, SynapticParams
from .plan import Plan, lif_plan

#: The largest rate * dt of a Poisson source (its count is drawn by inversion).
MAX_POISSON_MEAN = 700.0


def check_projections(projections: Any) -> tuple[Projection, ...]:
    """The projections as a tuple; anything else is a ParameterError."""
    if isinstance(projections, Projection):
        projections = (projections,)
    try:
        items = tuple(projections)
    except TypeError:
        raise ParameterError(
            "projections", projections, "must be a list of lk.Projection(...)"
        ) from None
    for item in items:
        if not isinstance(item, Projection):
            raise ParameterError("projections", item, "every item must be an lk.Projection")
    return items


def implied_neurons(projections: Sequence[Projection]) -> int:
    """The population size the projections' dense weight matrices imply (1: none)."""
    n = 1
    for projection in projections:
        if projection.targets is None and projection.connectivity is None:
            shape = np.shape(projection.weights)
            if len(shape) == 2 and shape[1] != 1:
                n = shape[1]
    return n


def poisson_key(group: PoissonGroup, run_seed: int, ordinal: int) -> int:
    """The RNG key of a Poisson group: of its own seed, else of (run seed, ordinal)."""
    if group.seed is not None:
        return seed_key(group.seed)
    return seed_key(run_seed + ((ordinal + 1) << 64))


def poisson_groups(projections: Sequence[Projection]) -> list[PoissonGroup]:
    """The distinct Poisson groups of the projections, in order of first appearance."""
    groups: list[PoissonGroup] = []
    for projection in projections:
        source = projection.source
        if isinstance(source, PoissonGroup) and not any(source is g for g in groups):
            groups.append(source)
    return groups


@dataclass(frozen=True)
class LoweredNetwork:
    """The kernel tables of a run's projections (the synapse, projection and source
    fields of :class:`SynapticParams`), the synaptic state rows per neuron, the window
    and the first size of the spike queue."""

    tables: dict[str, Any]
    n_rows: int
    n_cursors: int
    queue_capacity: int
    updates_per_step: int  # neurons, Poisson sources and expected events


def lower_network(
    projections: Sequence[Projection], R: np.ndarray, grid: TimeGrid, seed: int
) -> LoweredNetwork:
    """The tables of ``projections`` onto neurons of resistances ``R`` (MΩ) on ``grid``."""
    n = R.size
    kinds: dict[Any, int] = {}
    synapse_rows: list[tuple[int, float, float, float, int]] = []
    n_rows = 0
    for projection in projections:
        key = projection.synapse
        if key not in kinds:
            kind, tau_d, tau_r, norm = projection.synapse.lowered()
            kinds[key] = len(synapse_rows)
            synapse_rows.append((kind, tau_d, tau_r, norm, n_rows if kind else -1))
            n_rows += {EXPONENTIAL: 1, CASCADE: 2}.get(kind, 0)
    tables: dict[str, Any] = {
        "syn_kind": np.array([s[0] for s in synapse_rows], dtype=np.int64),
        "syn_row": np.array([s[4] for s in synapse_rows], dtype=np.int64),
        "syn_tau_decay": np.array([s[1] for s in synapse_rows], dtype=np.float64),
        "syn_tau_rise": np.array([s[2] for s in synapse_rows], dtype=np.float64),
        "syn_norm": np.array([s[3] for s in synapse_rows], dtype=np.float64),
    }
    groups = poisson_groups(projections)
    listed: list[SpikeTimes] = []
    for projection in projections:
        source = projection.source
        if isinstance(source, SpikeTimes) and not any(source is s for s in listed):
            listed.append(source)
    tables.update(_source_table(groups, listed, grid.dt, seed))
    rows: list[np.ndarray] = []
    table: dict[str, list[Any]] = {k: [] for k in ("kind", "group", "delay", "synapse", "cursor")}
    connections: list[Connections] = []
    n_cursors = 0
    for index, projection in enumerate(projections):
        rng = np.random.default_rng(
            [projection.seed] if projection.seed is not None else [seed, index]
        )
        made = projection.connect(n, R, rng, grid.dt)
        connections.append(made)
        source = projection.source
        if isinstance(source, PoissonGroup):
            kind, group = POISSON, next(g for g, s in enumerate(groups) if s is source)
        elif isinstance(source, SpikeTimes):
            kind, group = SPIKE_TIMES, next(h for h, s in enumerate(listed) if s is source)
        else:
            kind, group = RECURRENT, 0
        table["kind"].append(kind)
        table["group"].append(group)
        table["delay"].append(projection.delay)
        table["synapse"].append(kinds[projection.synapse])
        table["cursor"].append(n_cursors if kind == RECURRENT else -1)
        n_cursors += kind == RECURRENT
        rows.append(_csr(made))
    row_start = np.cumsum([0] + [c.n_rows + 1 for c in connections[:-1]]).astype(np.int64)
    offsets = np.cumsum([0] + [c.target.size for c in connections[:-1]]).astype(np.int64)
    tables.update(
        proj_kind=np.array(table["kind"], dtype=np.int64),
        proj_group=np.array(table["group"], dtype=np.int64),
        proj_delay=np.array(table["delay"], dtype=np.float64),
        proj_synapse=np.array(table["synapse"], dtype=np.int64),
        proj_row_start=row_start,
        proj_cursor=np.array(table["cursor"], dtype=np.int64),
        row_ptr=np.concatenate([r + o for r, o in zip(rows, offsets, strict=True)]),
        target=np.concatenate([c.target for c in connections]).astype(np.int64),
        weight=np.concatenate([c.weight for c in connections]).astype(np.float64),
    )
    window, queue, events = _window(projections, connections, grid, n)
    tables.update(window=window, recurrent=n_cursors > 0)
    drawn = sum(
        int(np.count_nonzero(np.diff(r)))
        for r, k in zip(rows, table["kind"], strict=True)
        if k == POISSON
    )  # connected Poisson sources: each draws every step
    updates = n + drawn + int(events)
    return LoweredNetwork(tables, n_rows, n_cursors, queue, updates)


def _csr(made: Connections) -> np.ndarray:
    """Row pointers of connections sorted by row."""
    counts = np.bincount(made.row, minlength=made.n_rows)
    return np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)


def _source_table(
    groups: list[PoissonGroup], listed: list[SpikeTimes], dt: float, seed: int
) -> dict[str, np.ndarray]:
    lam = np.concatenate([g.rate for g in groups] or [np.empty(0)]) * dt * 1e-3
    if lam.size and lam.max() > MAX_POISSON_MEAN:
        raise ParameterError(
            "rate",
            float(lam.max() / (dt * 1e-3)),
            f"rate * dt must not exceed {MAX_POISSON_MEAN:g} spikes per step; lower it or dt",
        )
    keys = [poisson_key(g, seed, o) for o, g in enumerate(groups)]
    return dict(
        poisson_start=np.cumsum([0] + [g.n for g in groups]).astype(np.int64),
        poisson_lam=lam,
        poisson_p0=np.exp(-lam),
        poisson_key=np.array(keys, dtype=np.uint64).view(np.int64),
        times_start=np.cumsum([0] + [s.times.size for s in listed]).astype(np.int64),
        times_index=np.concatenate([s.indices for s in listed] or [np.empty(0, np.int64)]),
        times_time=np.concatenate([s.times for s in listed] or [np.empty(0)]),
    )


def _window(
    projections: Sequence[Projection],
    connections: list[Connections],
    grid: TimeGrid,
    n: int,
) -> tuple[int, int, float]:
    """Steps per window (bounding the events held at once, and the shortest recurrent
    delay), the first capacity of the spike queue and the expected events per step."""
    per_step = 0.0
    longest, shortest = 0.0, math.inf
    for projection, made in zip(projections, connections, strict=True):
        fan_out = np.bincount(made.row, minlength=made.n_rows)
        source = projection.source
        if isinstance(source, PoissonGroup):
            per_step += float(source.rate @ fan_out) * grid.dt * 1e-3
        elif isinstance(source, SpikeTimes):
            per_step += float(fan_out[source.indices].sum()) / grid.n_steps
        else:
            rate = config.EXPECTED_RATE_HZ * grid.dt * 1e-3
            per_step += rate * float(fan_out.sum())
            longest, shortest = max(longest, projection.delay), min(shortest, projection.delay)
    window = int(min(grid.n_steps, max(1.0, config.WINDOW_EVENTS / max(per_step, 1e-300))))
    queue = 0
    if shortest < math.inf:
        steps = math.floor(shortest / grid.dt)
        while steps * grid.dt > shortest:
            steps -= 1
        window = min(window, max(steps, 1))
        span = (longest + window * grid.dt) * 1e-3
        queue = int(max(1024, 2 * n * span * config.EXPECTED_RATE_HZ))
    return window, queue, per_step


def grow_queue(state: tuple[np.ndarray, ...]) -> tuple[np.ndarray, ...]:
    """The state of a synaptic run with the spike queue twice as large."""
    *head, queue_time, queue_neuron, queue_ptr = state
    size = max(2 * queue_time.size, 1024)
    bigger_time = np.zeros(size)
    bigger_neuron = np.zeros(size, dtype=np.int64)
    bigger_time[: queue_time.size] = queue_time
    bigger_neuron[: queue_neuron.size] = queue_neuron
    return (*head, bigger_time, bigger_neuron, queue_ptr.copy())


def synaptic_plan(
    model: Any,
    stimulus: Stimulus,
    grid: TimeGrid,
    n_neurons: int,
    projections: Sequence[Projection],
    seed: int,
) -> Plan:
    """The plan of a LIF population under ``stimulus`` and synaptic ``projections``."""
    if type(model) is not LIF:
        raise ParameterError(
            "projections", type(model).__name__, "synaptic input is implemented for LIF models"
        )
    base = lif_plan(model, stimulus, grid, n_neurons)
    net = lower_network(projections, model.broadcast(n_neurons)["R"], grid, seed)
    lif = {name: getattr(base.params, name) for name in SynapticParams._fields[:9]}
    params = SynapticParams(**lif, **net.tables)
    skipping = skips_quiet_steps(params, base.drive)
    neuron_state = (
        initial_state(base.state[0])
        if skipping
        else (*base.state, np.zeros((net.n_rows, n_neurons)))
    )
    state = (
        *neuron_state,
        np.zeros(net.queue_capacity),
        np.zeros(net.queue_capacity, dtype=np.int64),
        np.zeros(1 + net.n_cursors, dtype=np.int64),
    )
    grow: Callable[..., Any] = grow_queue
    return Plan(
        grid,
        params,
        base.drive,
        state,
        ("v", "I", "I_syn"),
        "event_driven" if skipping else "synaptic",
        n_neurons,
        grow=grow,
        updates_per_step=net.updates_per_step,
    )


def skips_quiet_steps(params: SynapticParams, drive: Any) -> bool:
    """Whether a run can skip its neurons' quiet steps (the ``event_driven`` kernel): one
    tau_m, a constant drive, no noise, delta synapses and at most two exponential ones."""
    return (
        params.tau.size > 0
        and bool(np.all(params.tau == params.tau[0]))
        and drive.gain.shape[0] == 0
        and drive.sampled.shape[0] == 0
        and not np.any(params.sigma > 0.0)
        and bool(np.all(params.syn_kind != CASCADE))
        and int(np.count_nonzero(params.syn_kind == EXPONENTIAL)) <= SLOTS
    )


def source_spikes(result: Any, index: int) -> tuple[np.ndarray, np.ndarray]:
    """(source indices, times) of the presynaptic spikes of projection ``index`` of a
    run, before the delay, in [0, duration) and sorted by (time, source)."""
    projection = result.projections[index]
    source = projection.source
    if isinstance(source, SpikeTimes):
        keep = source.times < result.duration
        return source.indices[keep], source.times[keep]
    if not isinstance(source, PoissonGroup):  # the population itself
        rows = source.indices(result.n_neurons)
        keep = np.isin(result.spike_neurons, rows)
        return result.spike_neurons[keep] - rows[0], result.spike_times[keep]
    ordinal = next(o for o, g in enumerate(poisson_groups(result.projections)) if g is source)
    key = np.array(poisson_key(source, result.seed, ordinal), dtype=np.uint64).view(np.int64)
    lam = source.rate * result.dt * 1e-3
    n_steps = round(result.duration / result.dt)
    trains: Any
    if source.n * n_steps >= config.JIT_MIN_UPDATES:
        from ._kernels import jit

        trains = jit.chunk_function("events", "poisson_trains", False)
    else:
        from ._kernels.events import poisson_trains as trains
    indices, times = trains(key[()], lam, np.exp(-lam), n_steps, result.dt)
    order = np.lexsort((indices, times))
    return indices[order], times[order]
