"""Presynaptic spikes and the synaptic events of one window (numba's nopython subset).

A run is cut into windows of ``window`` steps. Before the neurons of a window are
advanced, every projection lists the presynaptic spikes whose arrival time ``t + delay``
falls in the window, [ka dt, kb dt):

- a Poisson source j spikes in step k a Poisson(rate_j dt) number of times, found by
  inversion of one counter-based uniform (stream 0); spike m of the step lies at
  (k + u_m) dt with u_m the uniform of stream m. The draws are a pure function of
  (group key, j, k), so any window, chunk or thread split sees the same spikes;
- a spike-time source reads its time-sorted list;
- a population projecting onto itself reads the queue of its own past spikes (a
  recurrent delay is at least a window long, so these spikes exist already).

The spikes are ordered by arrival time (stable, so ties keep projection and source
order) and expanded through each projection's source-major CSR table into events grouped
by target, then sorted by time: target i's events are ``ev_time[span[0, i]:span[1, i]]``.
Only the targets' entries are touched, so a window costs time in proportion to its
events, not to the neurons.

``queue_ptr[0]`` is the length of the queue of the population's own spikes and
``queue_ptr[1 + c]`` cursor c, the first spike its recurrent projection has not delivered.
"""

from typing import NamedTuple

import numpy as np

from .buffers import OK
from .rng import uniform

POISSON = 0
SPIKE_TIMES = 1
RECURRENT = 2
#: Status of a window whose spikes do not fit the spike queue (the caller enlarges it).
QUEUE_FULL = 2


class ProjectionTable(NamedTuple):
    """The projections' fields of the run's parameters (SynapticParams).

    Projection j maps source row r to the entries ``row_ptr[row_start[j] + r]`` to
    ``row_ptr[row_start[j] + r + 1]`` of ``target`` and ``weight``.
    """

    kind: np.ndarray
    group: np.ndarray
    delay: np.ndarray
    synapse: np.ndarray
    row_start: np.ndarray
    cursor: np.ndarray
    row_ptr: np.ndarray
    target: np.ndarray
    weight: np.ndarray


class SourceTable(NamedTuple):
    """The sources' fields of the run's parameters: Poisson group g holds sources
    ``poisson_start[g]`` to ``poisson_start[g + 1]``, spike-time group h the spikes
    ``times_start[h]`` to ``times_start[h + 1]`` (ascending in time, ties by index)."""

    poisson_start: np.ndarray
    poisson_lam: np.ndarray
    poisson_p0: np.ndarray
    poisson_key: np.ndarray
    times_start: np.ndarray
    times_index: np.ndarray
    times_time: np.ndarray


def projection_table(p):
    """The projection table of the run's parameters ``p``."""
    return ProjectionTable(
        p.proj_kind, p.proj_group, p.proj_delay, p.proj_synapse, p.proj_row_start,
        p.proj_cursor, p.row_ptr, p.target, p.weight,
    )  # fmt: skip


def source_table(p):
    """The source table of the run's parameters ``p``."""
    return SourceTable(
        p.poisson_start, p.poisson_lam, p.poisson_p0, p.poisson_key,
        p.times_start, p.times_index, p.times_time,
    )  # fmt: skip


def poisson_count(key, j, k, lam, p0):
    """Spikes of Poisson source j in step k: Poisson(lam) by inversion of one uniform.

    >>> from lifkit.engine._kernels.rng import seed_key
    >>> poisson_count(seed_key(1), 0, 0, 0.0, 1.0)
    0
    """
    u = uniform(key, j, k, 0)
    if u <= p0:
        return 0
    n = 0
    p = p0
    cumulative = p0
    while u > cumulative and p > 1e-18 * cumulative:
        n += 1
        p *= lam / n
        cumulative += p
    return n


def poisson_spike_time(key, j, k, m, dt):
    """Time (ms) of spike m (1-based) of Poisson source j in step k, uniform in the step."""
    return (k + uniform(key, j, k, m)) * dt


def _poisson_spikes(src, g, rows, delay, lo, hi, dt, out_time, out_row, pos, fill):
    """Count (fill False) or write the spikes of Poisson group g arriving in [lo, hi);
    sources without connections (``rows``: the projection's row pointers) are skipped."""
    first = src.poisson_start[g]
    key = src.poisson_key[g]
    k_lo = max(0, int(np.floor((lo - delay) / dt)) - 1)
    k_hi = int(np.floor((hi - delay) / dt)) + 2
    for j in range(src.poisson_start[g + 1] - first):
        if rows[j + 1] == rows[j]:
            continue
        lam = src.poisson_lam[first + j]
        p0 = src.poisson_p0[first + j]
        for k in range(k_lo, k_hi):
            n = poisson_count(key, j, k, lam, p0)
            for m in range(1, n + 1):
                arrival = poisson_spike_time(key, j, k, m, dt) + delay
                if lo <= arrival < hi:
                    if fill:
                        out_time[pos] = arrival
                        out_row[pos] = j
                    pos += 1
    return pos


def _first_arrival(times, start, stop, delay, lo):
    """First index in [start, stop) whose time + delay >= lo (times ascending)."""
    while start < stop:
        middle = (start + stop) // 2
        if times[middle] + delay < lo:
            start = middle + 1
        else:
            stop = middle
    return start


def _listed_spikes(src, h, delay, lo, hi, out_time, out_row, pos, fill):
    """Count or write the spikes of spike-time group h arriving in [lo, hi)."""
    stop = src.times_start[h + 1]
    c = _first_arrival(src.times_time, src.times_start[h], stop, delay, lo)
    while c < stop and src.times_time[c] + delay < hi:
        if fill:
            out_time[pos] = src.times_time[c] + delay
            out_row[pos] = src.times_index[c]
        pos += 1
        c += 1
    return pos


def _queued_spikes(
    cursor, delay, hi, queue_time, queue_neuron, queue_ptr, out_time, out_row, pos, fill
):
    """Count or write the queued spikes of the population arriving before hi, from the
    projection's cursor on; filling moves the cursor on."""
    at = 1 + cursor
    c = queue_ptr[at]
    tail = queue_ptr[0]
    while c < tail and queue_time[c] + delay < hi:
        if fill:
            out_time[pos] = queue_time[c] + delay
            out_row[pos] = queue_neuron[c]
        pos += 1
        c += 1
    if fill:
        queue_ptr[at] = c
    return pos


def _window_spikes(pr, src, ka, kb, dt, queue_time, queue_neuron, queue_ptr, out, fill):
    """Count (fill False) or write (into ``out`` = time, row, projection) the presynaptic
    spikes of every projection that arrive in steps [ka, kb)."""
    lo = ka * dt
    hi = kb * dt
    out_time, out_row, out_proj = out
    pos = 0
    for j in range(pr.kind.shape[0]):
        begin = pos
        kind = pr.kind[j]
        delay = pr.delay[j]
        group = pr.group[j]
        if kind == POISSON:
            rows = pr.row_ptr[pr.row_start[j] :]
            pos = _poisson_spikes(src, group, rows, delay, lo, hi, dt, out_time, out_row, pos, fill)
        elif kind == SPIKE_TIMES:
            pos = _listed_spikes(src, group, delay, lo, hi, out_time, out_row, pos, fill)
        else:
            pos = _queued_spikes(
                pr.cursor[j], delay, hi, queue_time, queue_neuron, queue_ptr,
                out_time, out_row, pos, fill,
            )  # fmt: skip
        if fill:
            for c in range(begin, pos):
                out_proj[c] = j
    return pos


def window_spikes(pr, src, ka, kb, dt, queue_time, queue_neuron, queue_ptr):
    """The presynaptic spikes of every projection arriving in steps [ka, kb): (arrival
    time, source row, projection, order), ``order`` ranking them by arrival time (ties
    in projection and source order). Moves the recurrent projections' cursors on."""
    empty_t = np.empty(0)
    empty_i = np.empty(0, dtype=np.int64)
    count = _window_spikes(
        pr, src, ka, kb, dt, queue_time, queue_neuron, queue_ptr,
        (empty_t, empty_i, empty_i), False,
    )  # fmt: skip
    spike_time = np.empty(count)
    spike_row = np.empty(count, dtype=np.int64)
    spike_proj = np.empty(count, dtype=np.int64)
    _window_spikes(
        pr, src, ka, kb, dt, queue_time, queue_neuron, queue_ptr,
        (spike_time, spike_row, spike_proj), True,
    )  # fmt: skip
    return spike_time, spike_row, spike_proj, stable_argsort(spike_time)


def window_events(pr, src, ka, kb, dt, span, ev_first, queue_time, queue_neuron, queue_ptr):
    """The synaptic events arriving in steps [ka, kb), grouped by target and time-sorted,
    in time proportional to their number (not to the neurons').

    ``span`` (2, n) and ``ev_first`` (n,) come in cleared (zeros and inf, see
    :func:`clear_events`) and go out filled for the targets: target i's events are the
    entries ``span[0, i]:span[1, i]``, ascending in time (ties in projection and source
    order), the first at ``ev_first[i]``. Returns (targets, ev_time, ev_synapse,
    ev_weight, ev_spike, spike_time, spike_synapse): the neurons with events (in the order
    first met), and the events; event e comes from spike ``ev_spike[e]`` of the
    window, which arrives at ``spike_time`` through synapse type ``spike_synapse``.
    """
    spike_time, spike_row, spike_proj, order = window_spikes(
        pr, src, ka, kb, dt, queue_time, queue_neuron, queue_ptr
    )
    count = spike_time.shape[0]
    total = 0
    for c in range(count):
        row = pr.row_start[spike_proj[c]] + spike_row[c]
        total += pr.row_ptr[row + 1] - pr.row_ptr[row]
    targets = np.empty(total, dtype=np.int64)
    n_targets = 0
    for c in range(count):  # count each target's events in span[1]
        row = pr.row_start[spike_proj[c]] + spike_row[c]
        for e in range(pr.row_ptr[row], pr.row_ptr[row + 1]):
            i = pr.target[e]
            if span[1, i] == 0:
                targets[n_targets] = i
                n_targets += 1
            span[1, i] += 1
    start = 0
    for u in range(n_targets):  # then set both rows to its start, span[1] the fill cursor
        i = targets[u]
        events = span[1, i]
        span[0, i] = start
        span[1, i] = start
        start += events
    ev_time = np.empty(total)
    ev_synapse = np.empty(total, dtype=np.int64)
    ev_weight = np.empty(total)
    ev_spike = np.empty(total, dtype=np.int64)
    arrival = np.empty(count)
    arrival_synapse = np.empty(count, dtype=np.int64)
    for rank in range(count):
        c = order[rank]
        j = spike_proj[c]
        synapse = pr.synapse[j]
        arrival[rank] = spike_time[c]
        arrival_synapse[rank] = synapse
        row = pr.row_start[j] + spike_row[c]
        for e in range(pr.row_ptr[row], pr.row_ptr[row + 1]):
            i = pr.target[e]
            at = span[1, i]
            ev_first[i] = min(ev_first[i], spike_time[c])
            ev_time[at] = spike_time[c]
            ev_synapse[at] = synapse
            ev_weight[at] = pr.weight[e]
            ev_spike[at] = rank
            span[1, i] = at + 1
    return (targets[:n_targets], ev_time, ev_synapse, ev_weight, ev_spike, arrival, arrival_synapse)


def clear_events(targets, span, ev_first):
    """Clear what :func:`window_events` filled for ``targets``."""
    for i in targets:
        span[0, i] = 0
        span[1, i] = 0
        ev_first[i] = np.inf


def enqueue_spikes(spikes, start, queue_time, queue_neuron, queue_ptr):
    """Append the spikes stored since ``start`` (per block) to the queue, time-sorted.

    Spikes every recurrent projection has delivered are dropped first when space runs
    out; returns OK, or QUEUE_FULL when the queue is still too small (the caller grows it
    and runs the chunk again). Within a window the spikes of each block are in neuron
    order, so the stable sort leaves ties in neuron order: the queue is sorted by
    (time, neuron) whatever the window and thread layout.
    """
    n_blocks = start.shape[0]
    new = 0
    for b in range(n_blocks):
        new += spikes.stored[b] - start[b]
    if new == 0:
        return OK
    tail = queue_ptr[0]
    if tail + new > queue_time.shape[0]:
        head = tail
        for c in range(1, queue_ptr.shape[0]):
            head = min(head, queue_ptr[c])
        for c in range(head, tail):
            queue_time[c - head] = queue_time[c]
            queue_neuron[c - head] = queue_neuron[c]
        for c in range(1, queue_ptr.shape[0]):
            queue_ptr[c] -= head
        tail -= head
        queue_ptr[0] = tail
        if tail + new > queue_time.shape[0]:
            return QUEUE_FULL
    times = np.empty(new)
    neurons = np.empty(new, dtype=np.int64)
    c = 0
    for b in range(n_blocks):
        for m in range(start[b], spikes.stored[b]):
            times[c] = spikes.time[b, m]
            neurons[c] = spikes.neuron[b, m]
            c += 1
    order = stable_argsort(times)
    for c in range(new):
        queue_time[tail + c] = times[order[c]]
        queue_neuron[tail + c] = neurons[order[c]]
    queue_ptr[0] = tail + new
    return OK


def poisson_trains(key, lam, p0, n_steps, dt):
    """Every spike of a Poisson group over steps [0, n_steps): (source, time) arrays,
    in (source, time) order; the same spikes a run draws (before any delay)."""
    total = 0
    for j in range(lam.shape[0]):
        for k in range(n_steps):
            total += poisson_count(key, j, k, lam[j], p0[j])
    index = np.empty(total, dtype=np.int64)
    time = np.empty(total)
    c = 0
    for j in range(lam.shape[0]):
        for k in range(n_steps):
            n = poisson_count(key, j, k, lam[j], p0[j])
            start = c
            for m in range(1, n + 1):
                index[c] = j
                time[c] = poisson_spike_time(key, j, k, m, dt)
                c += 1
            if n > 1:
                time[start:c] = np.sort(time[start:c])
    return index, time


def stable_argsort(values):
    """Indices that sort ``values`` ascending, ties kept in index order (insertion sort
    of runs of 32, then bottom-up merges).

    >>> stable_argsort(np.array([2.0, 1.0, 2.0, 0.5])).tolist()
    [3, 1, 0, 2]
    """
    n = values.shape[0]
    order = np.arange(n)
    run = 32
    for start in range(0, n, run):
        stop = min(n, start + run)
        for c in range(start + 1, stop):
            item = order[c]
            value = values[item]
            d = c
            while d > start and values[order[d - 1]] > value:
                order[d] = order[d - 1]
                d -= 1
            order[d] = item
    merged = np.empty(n, dtype=np.int64)
    width = run
    while width < n:
        for start in range(0, n, 2 * width):
            middle = min(n, start + width)
            stop = min(n, start + 2 * width)
            left, right, c = start, middle, start
            while left < middle and right < stop:
                if values[order[right]] < values[order[left]]:
                    merged[c] = order[right]
                    right += 1
                else:
                    merged[c] = order[left]
                    left += 1
                c += 1
            while left < middle:
                merged[c] = order[left]
                left += 1
                c += 1
            while right < stop:
                merged[c] = order[right]
                right += 1
                c += 1
        order, merged = merged, order
        width *= 2
    return order
