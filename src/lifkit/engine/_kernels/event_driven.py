"""The synaptic kernel that skips quiet steps (plain Python in numba's nopython subset).

For runs whose neurons share tau_m and have a constant drive, no noise and only
exponential and delta synapses, a neuron between two arrivals follows a closed form, and
a bound tells how long it surely stays below threshold. So a neuron is touched only at a
step with an arrival or when that bound expires (counted from the end of its refractory
period), and at every step when it is recorded. The steps in between are skipped and
caught up at the next touch in one exact jump: over j whole steps without arrivals,

    x -> a + (x - a) e^{-j dt/tau} + sum_q c_q (j dt/tau) exp[-j dt/tau_q, -j dt/tau],
    c_q -> c_q e^{-j dt/tau_q},

read from a table of j (x held at the reset while refractory; when the refractory
period ended in between, x starts from the reset then, in closed form). A touched step
is taken as :func:`~.synaptic.fast_block` takes a simple step, with the same operations
in the same order (the arrivals' effects summed per neuron as the step's spikes are
delivered, in arrival order), and any other step by :func:`~.synaptic.slow_block`, so
arrivals, crossings and refractory ends are exact as in the synaptic kernel.

A step touches about one neuron in twenty in a network like CUBA, each at a random place,
so what a touch reads and writes sits in one row of ``hot`` (neuron-major): the state
(x, end of refractoriness, the synaptic drives c_q, the step the state is at), the
constants a step reads and the sums of the step's arrivals. ``due[i]`` is the step
neuron i must be touched at, arrivals or not. Both are the run's state; a step touches
its neurons in an order fixed by the run's history (arrival targets as the spikes reach
them, then the neurons due, by index), so a run does not depend on windows or chunks.
Blocks are not advanced in parallel: the steps left are too few to share.
"""

import math

import numpy as np

from .buffers import OK
from .events import enqueue_spikes, projection_table, source_table, window_spikes
from .lif import crossing_time
from .synaptic import (
    BOUND_DT,
    DECAY,
    DECAY_DT,
    DELTA,
    OFFSET,
    R_M,
    TAU_DECAY,
    THETA,
    V_REST,
    X_RESET,
    exp_response,
    neuron_table,
    response_z,
    slow_block,
    step_responses,
    synapse_table,
)

#: Steps a neuron may be skipped at once (the length of the catch-up table).
MAX_SKIP = 1024
#: Compiled into their callers (see jit): a call of a function that takes arrays costs
#: reference counting, and these are called once per touched neuron.
INLINE = ("next_due", "touch")

#: Neurons whose due steps are checked together (one vectorised test per group).
DUE_GROUP = 64

# Columns of ``hot`` (one row per neuron).
X = 0  # x = v - v_rest (mV) at step LAST
R_END = 1  # end of the refractory period (ms)
A = 2  # the constant drive (mV), copied from the neuron table at each chunk's start
THETA_X = 3  # v_th - v_rest (mV), likewise
RESET_X = 4  # v_reset - v_rest (mV), likewise
STAMP = 5  # the last step that touched the neuron (-1: none yet)
LAST = 6  # the step the state is at
COUNT = 7  # the arrivals of step STAMP and their effects on:
BOUND_IN = 8  # the upper bound of the drive (inf: a delta arrival)
X_IN = 9  # x at the step's end
ADDED = 10  # c_0 and c_1 at the step's end (columns ADDED, ADDED + 1)
C = 12  # columns C, C + 1: the drives c_0, c_1 (mV) of the exponential types at LAST
COLUMNS = 14

#: Exponential synapse types a run may have (each gets a slot: columns C + u, ADDED + u).
SLOTS = 2


def initial_state(x):
    """``hot`` and ``due`` of a run that starts at x (mV, v - v_rest): every neuron at
    step 0, not refractory, silent synapses, due at once.

    >>> hot, due = initial_state(np.array([-5.0, -1.0]))
    >>> hot.shape, hot[:, X].tolist(), due.tolist()
    ((2, 14), [-5.0, -1.0], [0.0, 0.0])
    """
    hot = np.zeros((x.size, COLUMNS))
    hot[:, X] = x
    hot[:, R_END] = -np.inf
    hot[:, STAMP] = -1.0
    return hot, np.zeros(x.size)


def slots(kinds):
    """The slot of each synapse type (-1: delta) and the type of each slot (-1: none; a
    run with one exponential type leaves slot 1 silent, its drive zero throughout)."""
    slot = np.full(kinds.shape[0], -1, dtype=np.int64)
    types = np.full(SLOTS, -1, dtype=np.int64)
    used = 0
    for q in range(kinds.shape[0]):
        if kinds[q] != DELTA:
            slot[q] = used
            types[used] = q
            used += 1
    return slot, types


def catch_up_table(syn, types, tau, dt):
    """Row 0: e^{-j dt/tau}; rows 1 + 2u and 2 + 2u: e^{-j dt/tau_q} and the x gained per
    unit drive c_q, (j dt/tau) exp[-j dt/tau_q, -j dt/tau], of the type q in slot u (zero
    for an empty slot), for j = 0 .. MAX_SKIP."""
    table = np.zeros((1 + 2 * SLOTS, MAX_SKIP + 1))
    for j in range(MAX_SKIP + 1):
        s = j * dt
        table[0, j] = math.exp(-s / tau)
        for u in range(SLOTS):
            if types[u] >= 0:
                tau_q = syn[types[u], TAU_DECAY]
                table[1 + 2 * u, j] = math.exp(-s / tau_q)
                table[2 + 2 * u, j] = response_z(s, tau, tau_q)
    return table


def next_due(k, dt, tau, hot, i, recorded):
    """The step neuron i (its ``hot`` row), at the start of step k, must be touched at if
    no arrival comes first: k when it is recorded, else the last whole step before x
    could reach theta. Without arrivals the drive stays below U = a + the positive c_u,
    so from x0 (x now, or the reset when the refractory period ends) x(s) <= x0 + s
    max(0, U - x0)/tau."""
    if recorded:
        return k
    t = k * dt
    r_end = hot[i, R_END]
    held = r_end > t
    x = hot[i, RESET_X] if held else hot[i, X]
    theta = hot[i, THETA_X]
    bound = hot[i, A] + max(hot[i, C], 0.0) + max(hot[i, C + 1], 0.0)
    if x >= theta:
        return k
    if bound <= x:
        return k + MAX_SKIP
    wait = (r_end - t) if held else 0.0  # ms before x moves
    safe = (wait + (theta - x) * tau / (bound - x)) * (1.0 / dt)  # steps (one division)
    return k + max(0, int(min(safe, MAX_SKIP + 1.0)) - 1)


def touch(i, k, hot, touched, n_touched):
    """List neuron i as touched by step k, with no arrivals yet (their sums zeroed);
    returns the new count."""
    hot[i, STAMP] = k
    hot[i, COUNT] = 0.0
    hot[i, BOUND_IN] = 0.0
    hot[i, X_IN] = 0.0
    hot[i, ADDED] = 0.0
    hot[i, ADDED + 1] = 0.0
    touched[n_touched] = i
    return n_touched + 1


def deliver(k, dt, tau, pr, src, queue_time, queue_neuron, queue_ptr, syn, slot, hot, touched):
    """Deliver the spikes arriving in step k: sum their effects per target in ``hot``
    (a target's first arrival touches it). Returns how many neurons it touched and the
    spikes (as :func:`~.events.window_spikes` gives them)."""
    t1 = (k + 1) * dt
    spikes = window_spikes(pr, src, k, k + 1, dt, queue_time, queue_neuron, queue_ptr)
    spike_time, spike_row, spike_proj, order = spikes
    n_touched = 0
    for rank in range(spike_time.shape[0]):
        c = order[rank]
        j = spike_proj[c]
        q = pr.synapse[j]
        u = slot[q]
        remaining, response = 0.0, 0.0
        if u >= 0:
            remaining, response = exp_response(t1 - spike_time[c], tau, syn[q, TAU_DECAY])
        row = pr.row_start[j] + spike_row[c]
        for f in range(pr.row_ptr[row], pr.row_ptr[row + 1]):
            i = pr.target[f]
            w = pr.weight[f]
            if hot[i, STAMP] != k:
                n_touched = touch(i, k, hot, touched, n_touched)
            hot[i, COUNT] += 1.0
            if u < 0:  # a delta arrival: a jump of v
                hot[i, BOUND_IN] = math.inf
            else:
                hot[i, BOUND_IN] += max(w, 0.0)
                hot[i, ADDED + u] += w * remaining
                hot[i, X_IN] += w * response
    return n_touched, spikes


def touch_due(k, due, hot, touched, n_touched):
    """Touch the neurons due at step k that no arrival touched; returns the new count."""
    n = due.shape[0]
    for g in range(0, n, DUE_GROUP):
        stop = min(n, g + DUE_GROUP)
        count = 0
        for i in range(g, stop):
            count += 1 if due[i] <= k else 0
        if count > 0:
            for i in range(g, stop):
                if due[i] <= k and hot[i, STAMP] != k:
                    n_touched = touch(i, k, hot, touched, n_touched)
    return n_touched


def quiet_steps(
    k, dt, tau, n_touched, touched, hot, due, slot_tau, slot_step, table, decay_dt, neurons,
    rec, slow,
):  # fmt: skip
    """Catch the ``touched`` neurons up to step k and take the step for those whose step
    is simple (see :func:`~.synaptic.fast_block`) as fast_block would, and set when they
    are due next; list the others in ``slow``; returns how many. ``slot_tau`` holds each
    slot's tau_q (ms); ``slot_step`` its BOUND_DT, DECAY_DT (see :mod:`.synaptic`) and x
    gained over dt per unit c (rows), as scalars here."""
    t0 = k * dt
    t1 = (k + 1) * dt
    inv_tau = 1.0 / tau
    tau0, tau1 = slot_tau[0], slot_tau[1]
    low0, low1 = slot_step[0, 0], slot_step[0, 1]
    decay0, decay1 = slot_step[1, 0], slot_step[1, 1]
    response0, response1 = slot_step[2, 0], slot_step[2, 1]
    recorded = rec.slot
    traces = rec.traces
    sample = k // rec.stride - rec.first_sample if k % rec.stride == 0 else -1
    n_slow = 0
    for m in range(n_touched):
        i = touched[m]
        x = hot[i, X]
        r_end = hot[i, R_END]
        a = hot[i, A]
        z0 = hot[i, C]
        z1 = hot[i, C + 1]
        last = int(hot[i, LAST])
        j = k - last
        if j > 0:  # the steps skipped since the last touch, without arrivals
            if r_end <= last * dt:  # refractory at no point
                x = a + (x - a) * table[0, j] + z0 * table[2, j] + z1 * table[4, j]
            elif r_end < t0:  # free for the last s ms, from the reset
                s = t0 - r_end
                x = a + (x - a) * math.exp(-s / tau)
                x += z0 * math.exp((s - j * dt) / tau0) * response_z(s, tau, tau0)
                x += z1 * math.exp((s - j * dt) / tau1) * response_z(s, tau, tau1)
            z0 *= table[1, j]
            z1 *= table[3, j]
            hot[i, X] = x  # the slow path starts from here; both paths set LAST
            hot[i, C] = z0
            hot[i, C + 1] = z1
        refractory = r_end >= t1
        if r_end > t0 and not refractory:  # the refractory period ends inside the step
            slow[n_slow] = i
            n_slow += 1
            continue
        theta = hot[i, THETA_X]
        x_end = hot[i, RESET_X] if refractory else a + (x - a) * decay_dt
        bound = a
        bound += z0 if z0 >= 0.0 else z0 * low0
        bound += z1 if z1 >= 0.0 else z1 * low1
        if not refractory:
            x_end += z0 * response0
            x_end += z1 * response1
        end0 = z0 * decay0
        end1 = z1 * decay1
        arrived = hot[i, COUNT] > 0.0
        if arrived:
            bound += hot[i, BOUND_IN]
            end0 += hot[i, ADDED]
            end1 += hot[i, ADDED + 1]
            if not refractory:
                x_end += hot[i, X_IN]
        if not refractory and not (
            x_end < theta and x + dt * max(0.0, bound - x) * inv_tau < theta
        ):
            silent = not arrived and z0 == 0.0 and z1 == 0.0
            if not silent or crossing_time(x, x_end, a, 0.0, tau, dt, theta) >= 0.0:
                slow[n_slow] = i
                n_slow += 1
                continue
        column = recorded[i]
        if column >= 0 and sample >= 0:  # the step's start
            traces[0, sample, column] = x + neurons[V_REST, i]
            traces[1, sample, column] = a / neurons[R_M, i]
            traces[2, sample, column] = (z0 + z1) / neurons[R_M, i]
        hot[i, C] = end0
        hot[i, C + 1] = end1
        hot[i, X] = x_end
        hot[i, LAST] = k + 1
        due[i] = next_due(k + 1, dt, tau, hot, i, column >= 0)
    return n_slow


def slow_steps(
    k, dt, tau, key, neuron_offset, block, n_slow, slow, hot, due, types, pr, arriving, p,
    drive, syn, neurons, response_dt, scratch, todo, rec, spikes,
):  # fmt: skip
    """Take step k for the ``n_slow`` neurons listed in ``slow`` with
    :func:`~.synaptic.slow_block`, on copies of their state in ``scratch`` (x, end of
    refractoriness, synaptic state rows, event spans, the step that listed each neuron
    last), and set when they are due next; returns OK or SPIKE_BUFFER_FULL. ``types``
    are the slots' synapse types, ``arriving`` the step's spikes (see :func:`deliver`);
    ``todo`` is slow_block's list."""
    x_state, ref_end, state, span, listed = scratch
    spike_time, spike_row, spike_proj, order = arriving
    start = 0
    for u in range(n_slow):
        i = slow[u]
        x_state[i] = hot[i, X]
        ref_end[i] = hot[i, R_END]
        for v in range(SLOTS):
            if types[v] >= 0:
                state[p.syn_row[types[v]], i] = hot[i, C + v]
        listed[i] = k
        span[0, i] = start
        span[1, i] = start
        todo[0, u] = i
        todo[1, u] = k
        todo[2, u] = start
        start += int(hot[i, COUNT])
    slow_time = np.empty(start)
    slow_synapse = np.empty(start, dtype=np.int64)
    slow_weight = np.empty(start)
    for rank in range(spike_time.shape[0]):  # their events, in arrival order
        c = order[rank]
        j = spike_proj[c]
        row = pr.row_start[j] + spike_row[c]
        for f in range(pr.row_ptr[row], pr.row_ptr[row + 1]):
            i = pr.target[f]
            if listed[i] == k:
                e = span[1, i]
                slow_time[e] = spike_time[c]
                slow_synapse[e] = pr.synapse[j]
                slow_weight[e] = pr.weight[f]
                span[1, i] = e + 1
    status, _ = slow_block(
        block, n_slow, todo, k + 1, dt, key, neuron_offset, drive, x_state, ref_end, state,
        span, slow_time, slow_synapse, slow_weight, syn, neurons, response_dt, rec, spikes,
    )  # fmt: skip
    for u in range(n_slow):
        i = slow[u]
        hot[i, X] = x_state[i]
        hot[i, R_END] = ref_end[i]
        hot[i, LAST] = k + 1
        for v in range(SLOTS):
            if types[v] >= 0:
                hot[i, C + v] = state[p.syn_row[types[v]], i]
        due[i] = next_due(k + 1, dt, tau, hot, i, rec.slot[i] >= 0)
    return status


def run_chunk(
    k0, k1, dt, key, neuron_offset, block, p, drive,
    hot, due, queue_time, queue_neuron, queue_ptr, rec, spikes,
):  # fmt: skip
    """Advance every neuron over steps [k0, k1), step by step: deliver the step's spikes,
    touch the neurons due, take the touched neurons' step (simple ones here, others by
    the segment path), set when each is due next, and queue the step's spikes for the
    recurrent projections. Returns OK, SPIKE_BUFFER_FULL or QUEUE_FULL as the synaptic
    kernel's ``run_chunk`` does."""
    n = hot.shape[0]
    n_blocks = (n + block - 1) // block
    tau = p.tau[0]
    syn = synapse_table(p, dt)
    neurons = neuron_table(p, drive)
    for i in range(n):
        hot[i, A] = neurons[OFFSET, i]
        hot[i, THETA_X] = neurons[THETA, i]
        hot[i, RESET_X] = neurons[X_RESET, i]
    response_dt = step_responses(syn, p.tau, dt)
    slot, types = slots(p.syn_kind)
    slot_tau = np.ones(SLOTS)
    slot_step = np.zeros((3, SLOTS))
    for u in range(SLOTS):
        if types[u] >= 0:
            slot_tau[u] = syn[types[u], TAU_DECAY]
            slot_step[0, u] = syn[types[u], BOUND_DT]
            slot_step[1, u] = syn[types[u], DECAY_DT]
            slot_step[2, u] = response_dt[2 * types[u], 0]
    table = catch_up_table(syn, types, tau, dt)
    decay_dt = neurons[DECAY, 0]  # one tau_m: one e^{-dt/tau}
    pr = projection_table(p)
    src = source_table(p)
    n_rows = 0
    for q in range(p.syn_row.shape[0]):
        n_rows = max(n_rows, p.syn_row[q] + 1)
    scratch = (
        np.zeros(n),
        np.zeros(n),
        np.zeros((n_rows, n)),
        np.zeros((2, n), dtype=np.int64),
        np.full(n, -1, dtype=np.int64),
    )
    touched = np.zeros(n, dtype=np.int64)
    slow = np.zeros(n, dtype=np.int64)
    todo = np.zeros((3, n), dtype=np.int64)
    start = np.zeros(n_blocks, dtype=np.int64)
    for k in range(k0, k1):
        for b in range(n_blocks):
            start[b] = spikes.stored[b]
        n_touched, arriving = deliver(
            k, dt, tau, pr, src, queue_time, queue_neuron, queue_ptr, syn, slot, hot, touched
        )
        n_touched = touch_due(k, due, hot, touched, n_touched)
        n_slow = quiet_steps(
            k, dt, tau, n_touched, touched, hot, due, slot_tau, slot_step, table, decay_dt,
            neurons, rec, slow,
        )  # fmt: skip
        if n_slow > 0:
            status = slow_steps(
                k, dt, tau, key, neuron_offset, block, n_slow, slow, hot, due, types, pr,
                arriving, p, drive, syn, neurons, response_dt, scratch, todo, rec, spikes,
            )  # fmt: skip
            if status != OK:
                return status
        if p.recurrent:
            queued = enqueue_spikes(spikes, start, queue_time, queue_neuron, queue_ptr)
            if queued != OK:
                return queued
    return OK
