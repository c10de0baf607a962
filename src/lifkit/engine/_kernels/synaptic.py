"""The exact LIF kernel with synaptic input (plain Python in numba's nopython subset).

Works on x = v - v_rest with the drive u = R I in mV. Each synapse type q of a run owns
state rows (one column per neuron); between events the synaptic drive decays in closed form:

- exponential (tau_s): one row c, c(s) = c e^{-s/tau_s}; an arrival adds w;
- cascade (tau_r <= tau_d; alpha when equal): rows z (the drive) and y, with
  y' = -y/tau_r and z' = -z/tau_d + y, so z(s) = z e^{-s/tau_d} + y s exp[-s/tau_r, -s/tau_d];
  an arrival adds ``norm * w`` to y (norm makes the peak of z equal w);
- delta: no state; an arrival makes v jump by w, unless the neuron is refractory.

Over a segment of length s without arrivals the membrane, tau x' = -x + a + b r + sum of
the synaptic drives, is then exactly

    x(s) = x_LIF(s) + sum_exp c (s/tau) exp[-s/tau_s, -s/tau]
           + sum_cascade [z (s/tau) exp[-s/tau_d, -s/tau]
                          + y (s^2/tau) exp[-s/tau_r, -s/tau_d, -s/tau]]

with the divided differences of :mod:`.expdiff`, finite and exact when time constants
coincide. Arrivals come at their exact times. A step in which no threshold crossing is
possible is advanced whole, by superposition: the step without arrivals plus the sum of
the arrivals' own responses over the rest of the step, which the arrivals of one spike
share when every neuron has the same tau (:func:`arrival_table`). Such steps are taken by
:func:`fast_block`, neuron by neuron, and the first step of a window by a loop that
vectorises across neurons: :func:`quiet_exponential` (a constant drive and one or two
exponential synapse types; it takes steps with arrivals too) or :func:`quiet_step` (the
neurons without arrivals). Any other step is cut into segments at its arrivals
(:func:`step_by_segments`). (Runs whose neurons share tau_m under a constant drive,
without noise and with delta and at most two exponential synapse types skip each
neuron's quiet steps instead, :mod:`.event_driven`, and take the others with these
functions.) A threshold crossing inside a segment is found by safeguarded Newton on the
closed form, with x' = (u - x)/tau; when both ends of a segment are below threshold an
interior maximum is looked for only if x' changes sign from + to - and the bound
max x <= x0 + s max(0, U - x0)/tau (U an upper bound of u on the segment) allows a
crossing. Spikes reset x and start the refractory period as in the plain LIF kernel;
synaptic drives keep evolving (and keep receiving arrivals) while the neuron is
refractory. White noise is added as there, one exactly sampled increment per segment.
Which way a step goes depends only on the neuron's state at its start, so results do not
depend on windows, chunks or threads.
"""

import math
from typing import NamedTuple

import numpy as np

from .buffers import OK, SPIKE_BUFFER_FULL, store_spike
from .events import (
    clear_events,
    enqueue_spikes,
    projection_table,
    source_table,
    window_events,
)
from .expdiff import dd1, dd2
from .lif import advance, crossing_time, noisy_crossing
from .rng import normal

prange = range  # replaced by numba.prange in the parallel jitted copy

DELTA = 0
EXPONENTIAL = 1
CASCADE = 2

#: Neuron-steps a window needs before its neurons are advanced by parallel threads:
#: waking them costs tens of microseconds (far more on a loaded machine), more than a
#: window of a few thousand neuron-steps takes (CUBA's one-step windows run serially).
PARALLEL_MIN_UPDATES = 32768

#: Compiled into their callers (see jit): each call of a function that takes arrays costs
#: reference counting, and these are called once per block and window.
INLINE = ("quiet_step", "quiet_exponential", "deciding_views", "quiet_decision")

# Rows of the neuron table (see neuron_table).
TAU_M = 0
THETA = 1
X_RESET = 2
SIGMA = 3
DECAY = 4
OFFSET = 5
V_REST = 6
R_M = 7
INV_TAU = 8
T_REF = 9
NOISE_SD = 10

# Columns of the synapse table ``syn`` the helpers read (one row per synapse type; a
# single array, since every array passed to a helper costs reference counting).
KIND = 0
ROW = 1  # first state row: z (then y for a cascade)
TAU_DECAY = 2  # ms: tau_s (exponential) or tau_d (cascade)
TAU_RISE = 3  # ms: tau_r (cascade)
NORM = 4  # 1/ms: y added per unit weight by a cascade arrival
DECAY_DT = 5  # e^{-dt/tau_decay}
RISE_DT = 6  # e^{-dt/tau_rise}
GAIN_DT = 7  # dt exp[-dt/tau_rise, -dt/tau_decay]: z gained over dt per unit y
BOUND_DT = 8  # max(0, 1 - dt/tau_decay) <= e^{-dt/tau_decay}: bounds a decaying negative z


class SynapticParams(NamedTuple):
    """Everything the synaptic kernel reads, flat (numba's parallel loops take flat
    named tuples only): the LIF constants, the synapse types, the projections' tables and
    the sources (see :mod:`.events` for the layout of the last two)."""

    tau: np.ndarray  # (n,) ms; the LIF fields as in LIFParams
    R: np.ndarray  # (n,) MΩ
    v_rest: np.ndarray  # (n,) mV
    v_reset: np.ndarray  # (n,) mV
    v_th: np.ndarray  # (n,) mV
    t_ref: np.ndarray  # (n,) ms
    decay: np.ndarray  # (n,) exp(-dt/tau)
    sigma: np.ndarray  # (n,) white-noise intensity, mV
    noise_sd: np.ndarray  # (n,) OU increment SD over one dt
    syn_kind: np.ndarray  # (Q,) DELTA, EXPONENTIAL or CASCADE
    syn_row: np.ndarray  # (Q,) first state row (z, then y for a cascade); -1 for delta
    syn_tau_decay: np.ndarray  # (Q,) ms: tau_s (exponential) or tau_d (cascade)
    syn_tau_rise: np.ndarray  # (Q,) ms: tau_r (cascade; equal to tau_decay for alpha)
    syn_norm: np.ndarray  # (Q,) 1/ms: y added per unit weight by a cascade arrival
    proj_kind: np.ndarray  # (P,) POISSON, SPIKE_TIMES or RECURRENT
    proj_group: np.ndarray  # (P,) Poisson or spike-time group of the source
    proj_delay: np.ndarray  # (P,) ms
    proj_synapse: np.ndarray  # (P,) synapse type
    proj_row_start: np.ndarray  # (P,) first row pointer of the projection
    proj_cursor: np.ndarray  # (P,) queue cursor of a recurrent projection, else -1
    row_ptr: np.ndarray  # int64 row pointers (absolute indices into target, weight)
    target: np.ndarray  # int64 target neuron of each connection
    weight: np.ndarray  # mV: the drive R w of a current kernel, the jump of a delta one
    poisson_start: np.ndarray  # (G + 1,) int64
    poisson_lam: np.ndarray  # rate * dt of each Poisson source
    poisson_p0: np.ndarray  # exp(-rate * dt)
    poisson_key: np.ndarray  # (G,) int64 RNG key of each group
    times_start: np.ndarray  # (H + 1,) int64
    times_index: np.ndarray  # int64 source of each listed spike
    times_time: np.ndarray  # ms
    window: int  # steps per window of events (<= the shortest recurrent delay)
    recurrent: bool  # whether a projection reads the queue of the population's spikes


def synapse_table(p, dt):
    """The synapse table of the run's parameters ``p`` for steps of dt ms."""
    nq = p.syn_kind.shape[0]
    syn = np.zeros((nq, 9))
    for q in range(nq):
        syn[q, KIND] = p.syn_kind[q]
        syn[q, ROW] = p.syn_row[q]
        syn[q, TAU_DECAY] = p.syn_tau_decay[q]
        syn[q, TAU_RISE] = p.syn_tau_rise[q]
        syn[q, NORM] = p.syn_norm[q]
        if p.syn_kind[q] != DELTA:
            syn[q, DECAY_DT] = math.exp(-dt / p.syn_tau_decay[q])
            syn[q, RISE_DT] = math.exp(-dt / p.syn_tau_rise[q])
            syn[q, GAIN_DT] = dt * dd1(-dt / p.syn_tau_rise[q], -dt / p.syn_tau_decay[q])
            syn[q, BOUND_DT] = max(0.0, 1.0 - dt / p.syn_tau_decay[q])
    return syn


def neuron_table(p, drive):
    """The per-neuron constants a step reads, one row per constant and one column per
    neuron (contiguous across neurons, so a block's steps vectorise): rows TAU_M,
    THETA = v_th - v_rest, X_RESET = v_reset - v_rest, SIGMA, DECAY = e^{-dt/tau_m},
    OFFSET (the constant drive, mV), V_REST, R_M (MΩ), INV_TAU = 1/tau_m, T_REF (ms) and
    NOISE_SD (the white noise's SD over one step)."""
    n = p.tau.shape[0]
    neurons = np.zeros((11, n))
    for i in range(n):
        neurons[TAU_M, i] = p.tau[i]
        neurons[THETA, i] = p.v_th[i] - p.v_rest[i]
        neurons[X_RESET, i] = p.v_reset[i] - p.v_rest[i]
        neurons[SIGMA, i] = p.sigma[i]
        neurons[DECAY, i] = p.decay[i]
        neurons[OFFSET, i] = drive.offset[i]
        neurons[V_REST, i] = p.v_rest[i]
        neurons[R_M, i] = p.R[i]
        neurons[INV_TAU, i] = 1.0 / p.tau[i]
        neurons[T_REF, i] = p.t_ref[i]
        neurons[NOISE_SD, i] = p.noise_sd[i]
    return neurons


def response_z(s, tau, tau_d):
    """x after s ms per unit of an exponentially decaying drive (tau_d) starting at 1."""
    return s / tau * dd1(-s / tau_d, -s / tau)


def response_y(s, tau, tau_d, tau_r):
    """x after s ms per unit of the cascade's y (feeding z), starting from x = z = 0."""
    return s * s / tau * dd2(-s / tau_r, -s / tau_d, -s / tau)


def step_responses(syn, tau, dt):
    """x gained over a full step by neuron i (column i) per unit z (row 2q) and per unit
    y (row 2q + 1) of synapse type q, for membrane time constants ``tau``."""
    nq = syn.shape[0]
    response = np.zeros((2 * nq, tau.shape[0]))
    for i in range(tau.shape[0]):
        for q in range(nq):
            kind = int(syn[q, KIND])
            if kind != DELTA:
                response[2 * q, i] = response_z(dt, tau[i], syn[q, TAU_DECAY])
            if kind == CASCADE:
                response[2 * q + 1, i] = response_y(dt, tau[i], syn[q, TAU_DECAY], syn[q, TAU_RISE])
    return response


def synaptic_drive(i, syn, state):
    """The total synaptic drive (mV; R I_syn) of neuron i now."""
    total = 0.0
    for q in range(syn.shape[0]):
        if int(syn[q, KIND]) != DELTA:
            total += state[int(syn[q, ROW]), i]
    return total


def advance_synapses(i, h, syn, state, full):
    """Let neuron i's synaptic states evolve over h ms (``full``: h is dt)."""
    for q in range(syn.shape[0]):
        kind = int(syn[q, KIND])
        if kind == DELTA:
            continue
        r = int(syn[q, ROW])
        tau_d = syn[q, TAU_DECAY]
        decay = syn[q, DECAY_DT] if full else math.exp(-h / tau_d)
        if kind == EXPONENTIAL:
            state[r, i] *= decay
        else:
            tau_r = syn[q, TAU_RISE]
            y = state[r + 1, i]
            gain = syn[q, GAIN_DT] if full else h * dd1(-h / tau_r, -h / tau_d)
            state[r, i] = state[r, i] * decay + y * gain
            state[r + 1, i] = y * (syn[q, RISE_DT] if full else math.exp(-h / tau_r))


def synaptic_response(i, h, tau, syn, state, full, response_dt):
    """x gained over h ms from neuron i's synaptic states at the segment start
    (``full``: h is dt, read ``response_dt``)."""
    total = 0.0
    for q in range(syn.shape[0]):
        kind = int(syn[q, KIND])
        if kind == DELTA:
            continue
        r = int(syn[q, ROW])
        z = state[r, i]
        total += z * (response_dt[2 * q, i] if full else response_z(h, tau, syn[q, TAU_DECAY]))
        if kind == CASCADE:
            y = state[r + 1, i]
            if y != 0.0 and full:
                total += y * response_dt[2 * q + 1, i]
            elif y != 0.0:
                total += y * response_y(h, tau, syn[q, TAU_DECAY], syn[q, TAU_RISE])
    return total


def drive_at(i, h, syn, state):
    """The synaptic drive of neuron i h ms after the segment start (mV)."""
    total = 0.0
    for q in range(syn.shape[0]):
        kind = int(syn[q, KIND])
        if kind == DELTA:
            continue
        r = int(syn[q, ROW])
        tau_d = syn[q, TAU_DECAY]
        total += state[r, i] * math.exp(-h / tau_d)
        if kind == CASCADE:
            total += state[r + 1, i] * h * dd1(-h / syn[q, TAU_RISE], -h / tau_d)
    return total


def might_cross(i, x0, a, b, tau, h, theta, syn, state):
    """False when x provably stays below theta over the next h ms (x0 < theta).

    x(s) <= x0 + s max(0, U - x0)/tau, with U an upper bound of the drive on the segment:
    e^{-r} >= 1 - r bounds decaying negative parts, and a cascade's z(s) <= z + s max(y, 0).
    """
    bound = a + max(0.0, b * h)
    for q in range(syn.shape[0]):
        kind = int(syn[q, KIND])
        if kind == DELTA:
            continue
        r = int(syn[q, ROW])
        z = state[r, i]
        if z < 0.0:
            z *= max(0.0, 1.0 - h / syn[q, TAU_DECAY])
        bound += z
        if kind == CASCADE:
            bound += h * max(state[r + 1, i], 0.0)
    return x0 + h * max(0.0, bound - x0) / tau >= theta


def segment_at(i, s, x0, a, b, tau, syn, state):
    """(x, u, u') at s ms into a segment that starts from x0 and the current states.

    u is the total drive (mV) and u' its slope (mV/ms); x' = (u - x)/tau.
    """
    x = advance(x0, a, b, tau, s, math.exp(-s / tau))
    u = a + b * s
    du = b
    for q in range(syn.shape[0]):
        kind = int(syn[q, KIND])
        if kind == DELTA:
            continue
        r = int(syn[q, ROW])
        z0 = state[r, i]
        tau_d = syn[q, TAU_DECAY]
        z = z0 * math.exp(-s / tau_d)
        x += z0 * response_z(s, tau, tau_d)
        slope = 0.0
        if kind == CASCADE:
            y0 = state[r + 1, i]
            tau_r = syn[q, TAU_RISE]
            z += y0 * s * dd1(-s / tau_r, -s / tau_d)
            x += y0 * response_y(s, tau, tau_d, tau_r)
            slope = y0 * math.exp(-s / tau_r)
        u += z
        du += slope - z / tau_d
    return x, u, du


def solve_threshold(lo, hi, f_lo, f_hi, i, x0, a, b, tau, theta, syn, state):
    """s in [lo, hi] with x(s) = theta, given x(lo) < theta <= x(hi): Newton + bisection.
    Newton converges quadratically, so once its step is 1e-13 ms the next one is far below
    the rounding of x (smaller steps, or bisection after an exact hit, only chase it)."""
    s = lo + (hi - lo) * (-f_lo) / (f_hi - f_lo)
    if not (lo < s < hi):
        s = 0.5 * (lo + hi)
    for _ in range(100):
        x, u, _du = segment_at(i, s, x0, a, b, tau, syn, state)
        f = x - theta
        if f == 0.0:
            return s
        if f > 0.0:
            hi = s
        else:
            lo = s
        slope = (u - x) / tau
        candidate = s - f / slope if slope > 0.0 else 0.5 * (lo + hi)
        if not (lo < candidate < hi):
            candidate = 0.5 * (lo + hi)
        if abs(candidate - s) <= 1e-13 * (1.0 + abs(s)) or hi - lo <= 1e-15 * (1.0 + hi):
            return candidate
        s = candidate
    return s


def peak_time(lo, hi, i, x0, a, b, tau, syn, state):
    """The s in (lo, hi) where x' = 0, given x'(lo) > 0 > x'(hi): Newton + bisection."""
    s = 0.5 * (lo + hi)
    for _ in range(100):
        x, u, du = segment_at(i, s, x0, a, b, tau, syn, state)
        g = u - x  # tau x'
        if g > 0.0:
            lo = s
        else:
            hi = s
        slope = du - g / tau  # tau x''
        candidate = s - g / slope if slope < 0.0 else 0.5 * (lo + hi)
        if not (lo < candidate < hi):
            candidate = 0.5 * (lo + hi)
        if abs(candidate - s) <= 1e-13 * (1.0 + abs(s)) or hi - lo <= 1e-13 * (1.0 + hi):
            return candidate
        s = candidate
    return s


def synaptic_crossing(i, x0, x_end, a, b, tau, h, theta, syn, state):
    """First s in (0, h] where x reaches theta in a noise-free segment, or -1.0.

    With x(h) >= theta the root is bracketed; otherwise x may still touch theta at an
    interior maximum, which needs x'(0) > 0 > x'(h) and a failed :func:`might_cross`.
    """
    if x_end >= theta:
        return solve_threshold(
            0.0, h, x0 - theta, x_end - theta, i, x0, a, b, tau, theta, syn, state
        )
    if not might_cross(i, x0, a, b, tau, h, theta, syn, state):
        return -1.0
    if a + synaptic_drive(i, syn, state) <= x0:  # x'(0) <= 0
        return -1.0
    if a + b * h + drive_at(i, h, syn, state) >= x_end:  # x'(h) >= 0: no maximum inside
        return -1.0
    s_max = peak_time(0.0, h, i, x0, a, b, tau, syn, state)
    x_max, _u, _du = segment_at(i, s_max, x0, a, b, tau, syn, state)
    if x_max < theta:
        return -1.0
    return solve_threshold(
        0.0, s_max, x0 - theta, x_max - theta, i, x0, a, b, tau, theta, syn, state
    )


def exp_response(h, tau, tau_s):
    """(e^{-h/tau_s}, x after h ms per unit drive decaying with tau_s): the second is
    (h/tau) exp[-h/tau_s, -h/tau]; both from one exp and one expm1."""
    lo = -h / tau_s
    hi = -h / tau
    if lo > hi:
        lo, hi = hi, lo
    top = math.exp(hi)
    gap = lo - hi  # <= 0
    m = math.expm1(gap)
    phi = 1.0 if gap == 0.0 else m / gap
    decay = top if tau_s >= tau else top * (1.0 + m)
    return decay, h / tau * top * phi


def arrival_response(h, tau, kind, tau_d, tau_r):
    """An arrival's effect per unit weight h ms before the step's end, as three numbers:
    exponential: (its drive then, x gained); cascade: (z then, y then, x gained), per
    unit y added."""
    if kind == EXPONENTIAL:
        remaining, response = exp_response(h, tau, tau_d)
        return remaining, response, 0.0
    return h * dd1(-h / tau_r, -h / tau_d), math.exp(-h / tau_r), response_y(h, tau, tau_d, tau_r)


def arrival_table(ka, dt, tau, syn, spike_time, spike_synapse):
    """:func:`arrival_response` of each spike of a window that starts at step ka, for
    neurons of membrane time constant tau (columns: spikes), over the rest of the step it
    arrives in; the arrivals of one spike share it when every neuron has that tau."""
    table = np.zeros((3, spike_time.shape[0]))
    for c in range(spike_time.shape[0]):
        q = spike_synapse[c]
        kind = int(syn[q, KIND])
        if kind == DELTA:
            continue
        k = ka
        while spike_time[c] >= (k + 1) * dt:  # the step fast_block takes it in
            k += 1
        h = (k + 1) * dt - spike_time[c]
        first, second, third = arrival_response(h, tau, kind, syn[q, TAU_DECAY], syn[q, TAU_RISE])
        table[0, c] = first
        table[1, c] = second
        table[2, c] = third
    return table


def step_by_segments(
    i, k, dt, x, r_end, cur, last, a, b, tau, theta, x_reset, t_ref, sigma, noise_sd,
    decay_dt, key, g, block, ev_time, ev_synapse, ev_weight, syn, response_dt, spikes, state,
):  # fmt: skip
    """Advance neuron i over step k segment by segment: cut at its arrivals, refractory
    end and spikes. Returns (status, x, end of refractoriness, index of the next event).

    Each noise-free segment is integrated in closed form and searched for a threshold
    crossing by :func:`synaptic_crossing` (or the plain LIF's ``crossing_time`` while the
    synapses are silent); with noise, each segment draws its exact Ornstein-Uhlenbeck
    increment (streams 2j and 2j + 1 of segment j) and crossings are bridged as in the
    LIF kernel. ``g`` is the neuron's global index, which keys its noise.
    """
    n_rows = state.shape[0]
    t0 = k * dt
    t1 = (k + 1) * dt
    s = 0.0
    segment = 0
    while True:
        arrival = cur < last and ev_time[cur] < t1
        s_next = max(s, ev_time[cur] - t0) if arrival else dt
        while s < s_next:
            full = s == 0.0 and not arrival
            active = False
            for r in range(n_rows):
                if state[r, i] != 0.0:
                    active = True
            ref_s = r_end - t0
            if ref_s > s:  # refractory: v held, synapses evolve
                x = x_reset
                stop_at = min(ref_s, s_next)
                if active:
                    advance_synapses(i, stop_at - s, syn, state, full and ref_s >= dt)
                s = stop_at
                continue
            h = s_next - s
            a_s = a + b * s
            decay = decay_dt if full else math.exp(-h / tau)
            x_end = advance(x, a_s, b, tau, h, decay)
            if active:
                x_end += synaptic_response(i, h, tau, syn, state, full, response_dt)
            if sigma > 0.0:
                sd = noise_sd if full else sigma * math.sqrt(0.5 * (1.0 - decay**2))
                x_end += sd * normal(key, g, k, 2 * segment)
                s_cross = noisy_crossing(x, x_end, h, sd, theta, key, g, k, 2 * segment + 1)
            elif active:
                s_cross = synaptic_crossing(i, x, x_end, a_s, b, tau, h, theta, syn, state)
            else:
                s_cross = crossing_time(x, x_end, a_s, b, tau, h, theta)
            segment += 1
            if s_cross < 0.0:  # the segment ends at s_next
                x = x_end
                if active:
                    advance_synapses(i, h, syn, state, full)
                s = s_next
                continue
            t_spike = t0 + s + s_cross
            if store_spike(spikes, block, i, t_spike) != OK:
                return SPIKE_BUFFER_FULL, x, r_end, cur
            if active:
                advance_synapses(i, s_cross, syn, state, False)
            x = x_reset
            r_end = t_spike + t_ref
            s = min(s + s_cross, s_next)
        if not arrival:
            break
        q = ev_synapse[cur]
        w = ev_weight[cur]
        kind = int(syn[q, KIND])
        if kind == DELTA:
            if not r_end - t0 > s:
                x += w
                if x >= theta:
                    if store_spike(spikes, block, i, ev_time[cur]) != OK:
                        return SPIKE_BUFFER_FULL, x, r_end, cur
                    x = x_reset
                    r_end = ev_time[cur] + t_ref
        elif kind == EXPONENTIAL:
            state[int(syn[q, ROW]), i] += w
        else:
            state[int(syn[q, ROW]) + 1, i] += w * syn[q, NORM]
        cur += 1
    return OK, x, r_end, cur


def fast_block(
    n_todo, todo, kb, dt, x_state, ref_end, state, span, ev_time, ev_synapse, ev_weight,
    ev_spike, arrivals, shared, kinds, rows, syn, neurons, response_dt, end, drive, rec,
):  # fmt: skip
    """Advance the ``n_todo`` neurons listed in ``todo`` (rows: neuron, step, next event)
    up to step kb as far as every step is simple; returns how many were held back at a
    step that is not, listed again (in place) in ``todo`` for :func:`slow_block`.

    Simple steps are noise-free and either wholly refractory (v held at v_reset, the
    synapses evolve; arrivals add to them, delta arrivals are lost) or begin outside the
    refractory period with no crossing possible. Such a step is advanced whole by
    superposition: the system is linear, so its end is that of the step without arrivals
    plus the sum of the arrivals' own responses, over dt - s_e for an arrival at s_e (read
    from the spike's column of ``arrivals`` when ``shared``, see :func:`arrival_table`,
    else computed; the sums are kept in ``end[n_rows:]``). No crossing
    is possible when x(dt) < theta and x0 + dt max(0, U - x0)/tau < theta, with U an upper
    bound of the drive over the step, arrivals included (see :func:`might_cross`), or,
    with silent synapses and no arrival, when the plain LIF's ``crossing_time`` finds
    none. This loop calls no function that takes arrays: such a call, even on a branch
    never taken, costs more than the step.
    """
    n_types = kinds.shape[0]
    n_rows = state.shape[0]
    n_waves = drive.gain.shape[0]
    has_sampled = drive.sampled.shape[0] > 0
    n_held = 0
    for m in range(n_todo):
        i = todo[0, m]
        tau = neurons[TAU_M, i]
        theta = neurons[THETA, i]
        x_reset = neurons[X_RESET, i]
        decay_dt = neurons[DECAY, i]
        x = x_state[i]
        r_end = ref_end[i]
        slot = rec.slot[i]
        cur = todo[2, m]
        last = span[1, i]
        k = todo[1, m]
        if neurons[SIGMA, i] > 0.0:
            k = -k - 1  # noise: every step takes the segment path
        while 0 <= k < kb:
            t0 = k * dt
            t1 = (k + 1) * dt
            a = neurons[OFFSET, i]
            e = a
            for j in range(n_waves):
                a += drive.gain[j, i] * drive.wave_start[j, k]
                e += drive.gain[j, i] * drive.wave_end[j, k]
            if has_sampled:
                a += drive.sampled[k, i]
                e += drive.sampled[k, i]
            b = (e - a) / dt
            refractory = r_end >= t1
            if r_end > t0 and not refractory:
                break  # the refractory period ends inside the step
            x_end = x_reset
            if not refractory:
                x_end = advance(x, a, b, tau, dt, decay_dt)
            bound = a + max(0.0, b * dt)
            drive_now = 0.0
            for q in range(n_types):
                kind = kinds[q]
                if kind == DELTA:
                    continue
                r = rows[q]
                z = state[r, i]
                drive_now += z
                bound += z if z >= 0.0 else z * syn[q, BOUND_DT]
                end[r] = z * syn[q, DECAY_DT]
                if not refractory:
                    x_end += z * response_dt[2 * q, i]
                if kind == CASCADE:
                    y = state[r + 1, i]
                    bound += dt * max(y, 0.0)
                    end[r] += y * syn[q, GAIN_DT]
                    end[r + 1] = y * syn[q, RISE_DT]
                    if not refractory:
                        x_end += y * response_dt[2 * q + 1, i]
            after = cur  # the arrivals' summed effects: drive bound, x, states
            bound_in = 0.0
            x_in = 0.0
            for r in range(n_rows):
                end[n_rows + r] = 0.0
            while after < last and ev_time[after] < t1:
                q = ev_synapse[after]
                kind = kinds[q]
                w = ev_weight[after]
                after += 1
                if kind == DELTA:
                    if not refractory:
                        bound_in = math.inf  # a jump of v: the segment path
                    continue  # else lost
                if shared:
                    first = arrivals[0, ev_spike[after - 1]]
                    second = arrivals[1, ev_spike[after - 1]]
                    third = arrivals[2, ev_spike[after - 1]]
                else:
                    first, second, third = arrival_response(
                        t1 - ev_time[after - 1], tau, kind, syn[q, TAU_DECAY], syn[q, TAU_RISE]
                    )
                r = rows[q]
                if kind == EXPONENTIAL:
                    bound_in += max(w, 0.0)
                    end[n_rows + r] += w * first
                    x_in += w * second
                else:
                    y = w * syn[q, NORM]
                    bound_in += dt * max(y, 0.0)
                    end[n_rows + r] += y * first
                    end[n_rows + r + 1] += y * second
                    x_in += y * third
            if after > cur:
                bound += bound_in
                for r in range(n_rows):
                    end[r] += end[n_rows + r]
                if not refractory:
                    x_end += x_in
            if not refractory and not (
                x_end < theta and x + dt * max(0.0, bound - x) * neurons[INV_TAU, i] < theta
            ):
                silent = after == cur
                for r in range(n_rows):
                    silent = silent and state[r, i] == 0.0
                if not silent or crossing_time(x, x_end, a, b, tau, dt, theta) >= 0.0:
                    break
            if slot >= 0 and k % rec.stride == 0:  # record the step's start
                sample = k // rec.stride - rec.first_sample
                rec.traces[0, sample, slot] = x + neurons[V_REST, i]
                rec.traces[1, sample, slot] = a / neurons[R_M, i]
                rec.traces[2, sample, slot] = drive_now / neurons[R_M, i]
            for r in range(n_rows):
                state[r, i] = end[r]
            x = x_end
            cur = after
            k += 1
        x_state[i] = x
        if k < kb:  # held back at step k (k < 0: noise, from step -k - 1)
            todo[0, n_held] = i
            todo[1, n_held] = k if k >= 0 else -k - 1
            todo[2, n_held] = cur
            n_held += 1
    return n_held


def slow_block(
    size, n_todo, todo, kb, dt, key, neuron_offset, drive, x_state, ref_end, state, span,
    ev_time, ev_synapse, ev_weight, syn, neurons, response_dt, rec, spikes,
):  # fmt: skip
    """Advance each of the ``n_todo`` neurons listed in ``todo`` (rows: neuron, step, next
    event) by its one step cut into segments (:func:`step_by_segments`); a neuron with
    noise is taken to step kb. Returns (status, how many neurons remain before kb, listed
    again in place in ``todo``); status is OK or SPIKE_BUFFER_FULL. Neuron i's spikes go
    to block i // size, its noise is keyed by its global index ``neuron_offset + i``.
    """
    n_waves = drive.gain.shape[0]
    has_sampled = drive.sampled.shape[0] > 0
    n_left = 0
    for m in range(n_todo):
        i = todo[0, m]
        k = todo[1, m]
        cur = todo[2, m]
        sigma = neurons[SIGMA, i]
        x = x_state[i]
        r_end = ref_end[i]
        stop = kb if sigma > 0.0 else k + 1
        while k < stop:
            a = neurons[OFFSET, i]
            e = a
            for j in range(n_waves):
                a += drive.gain[j, i] * drive.wave_start[j, k]
                e += drive.gain[j, i] * drive.wave_end[j, k]
            if has_sampled:
                a += drive.sampled[k, i]
                e += drive.sampled[k, i]
            slot = rec.slot[i]
            if slot >= 0 and k % rec.stride == 0:
                sample = k // rec.stride - rec.first_sample
                rec.traces[0, sample, slot] = x + neurons[V_REST, i]
                rec.traces[1, sample, slot] = a / neurons[R_M, i]
                rec.traces[2, sample, slot] = synaptic_drive(i, syn, state) / neurons[R_M, i]
            status, x, r_end, cur = step_by_segments(
                i, k, dt, x, r_end, cur, span[1, i], a, (e - a) / dt, neurons[TAU_M, i],
                neurons[THETA, i], neurons[X_RESET, i], neurons[T_REF, i], sigma,
                neurons[NOISE_SD, i], neurons[DECAY, i], key, neuron_offset + i, i // size,
                ev_time, ev_synapse, ev_weight, syn, response_dt, spikes, state,
            )  # fmt: skip
            if status != OK:
                return status, 0
            k += 1
        x_state[i] = x
        ref_end[i] = r_end
        if k < kb:
            todo[0, n_left] = i
            todo[1, n_left] = k
            todo[2, n_left] = cur
            n_left += 1
    return OK, n_left


# Rows of a block's working array ``work`` (see quiet_step; quiet_exponential keeps the
# sums of the arrivals' effects in the first four).
W_A = 0  # drive at the step's start
W_B = 1  # drive slope
W_X = 2  # x at the step's end without arrivals
W_BOUND = 3  # upper bound of the drive over the step
W_LEFT = 4  # 1.0: the step is left to fast_block / slow_block
N_WORK = 5


def deciding_views(first, stop, k, ev_first, neurons, rec):
    """What decides whether the neurons [first, stop) are quiet over step k: whether
    the step is recorded, and views of their recording slots, first arrival times and
    constants SIGMA, THETA, INV_TAU and X_RESET."""
    return (
        k % rec.stride == 0,
        rec.slot[first:stop],
        ev_first[first:stop],
        neurons[SIGMA, first:stop],
        neurons[THETA, first:stop],
        neurons[INV_TAU, first:stop],
        neurons[X_RESET, first:stop],
    )


def quiet_decision(x0, x_end, bound, r_end, theta, inv_tau, x_reset, busy, t0, t1, dt):
    """(done, x): whether a neuron that is not ``busy`` is done with a step from x0 in one
    piece -- refractory throughout, or outside the refractory period with no crossing
    possible (x_end < theta and the bound of :func:`fast_block`, ``bound`` the drive's
    upper bound) -- and its x after the step if so, else x0. &, | and ~ and selects only,
    so that the calling loop vectorises."""
    refractory = r_end >= t1
    rise = dt * max(0.0, bound - x0) * inv_tau
    quiet = (r_end <= t0) & (x_end < theta) & (x0 + rise < theta)
    done = ~busy & (refractory | quiet)
    x_new = x_reset if refractory else x_end
    return done, x_new if done else x0


def quiet_step(
    first, stop, k, dt, x_state, ref_end, state, ev_first, kinds, rows, syn, neurons,
    response_dt, drive, rec, work,
):  # fmt: skip
    """Advance each neuron of [first, stop) over step k, the first of its window, when
    the step has no arrival (``ev_first``: each neuron's first arrival time), is not
    recorded and is simple (see :func:`fast_block`), with the very operations of
    fast_block, so bit for bit as it would; the other neurons are marked in
    ``work[W_LEFT]`` and counted (the return value). Written as loops over contiguous
    views of the block, without calls, and with branches only where they become selects
    (values loaded before the select), so that they vectorise.
    """
    n_types = kinds.shape[0]
    count = stop - first
    t0 = k * dt
    t1 = (k + 1) * dt
    a = work[W_A, :count]
    b = work[W_B, :count]
    x_end = work[W_X, :count]
    bound = work[W_BOUND, :count]
    left = work[W_LEFT, :count]
    x = x_state[first:stop]
    r_end = ref_end[first:stop]
    offset = neurons[OFFSET, first:stop]
    for m in range(count):
        a[m] = offset[m]
        b[m] = offset[m]  # the drive at the step's end, until the slope replaces it
    for j in range(drive.gain.shape[0]):
        w_start = drive.wave_start[j, k]
        w_end = drive.wave_end[j, k]
        gain = drive.gain[j, first:stop]
        for m in range(count):
            a[m] += gain[m] * w_start
            b[m] += gain[m] * w_end
    if drive.sampled.shape[0] > 0:
        sampled = drive.sampled[k, first:stop]
        for m in range(count):
            a[m] += sampled[m]
            b[m] += sampled[m]
    for m in range(count):
        b[m] = (b[m] - a[m]) / dt
    tau = neurons[TAU_M, first:stop]
    decay = neurons[DECAY, first:stop]
    for m in range(count):
        x_end[m] = advance(x[m], a[m], b[m], tau[m], dt, decay[m])
        bound[m] = a[m] + max(0.0, b[m] * dt)
    for q in range(n_types):
        kind = kinds[q]
        if kind == DELTA:
            continue
        low = syn[q, BOUND_DT]
        z = state[rows[q], first:stop]
        response = response_dt[2 * q, first:stop]
        for m in range(count):
            bound[m] += z[m] if z[m] >= 0.0 else z[m] * low
            x_end[m] += z[m] * response[m]
        if kind == CASCADE:
            y = state[rows[q] + 1, first:stop]
            response = response_dt[2 * q + 1, first:stop]
            for m in range(count):
                bound[m] += dt * max(y[m], 0.0)
                x_end[m] += y[m] * response[m]
    recorded, slot, arrival, sigma, theta, inv_tau, x_reset = deciding_views(
        first, stop, k, ev_first, neurons, rec
    )
    n_left = 0
    for m in range(count):  # &, | and ~, not and / or / not, loads outside selects
        busy = (sigma[m] > 0.0) | (recorded & (slot[m] >= 0)) | (arrival[m] < t1)
        done, x[m] = quiet_decision(
            x[m], x_end[m], bound[m], r_end[m], theta[m], inv_tau[m], x_reset[m], busy, t0, t1, dt
        )
        left[m] = 0.0 if done else 1.0
        n_left += 0 if done else 1
    for q in range(n_types):
        kind = kinds[q]
        if kind == DELTA:
            continue
        z = state[rows[q], first:stop]
        z_decay = syn[q, DECAY_DT]
        if kind == EXPONENTIAL:
            for m in range(count):
                z[m] = z[m] if left[m] != 0.0 else z[m] * z_decay
        else:
            y = state[rows[q] + 1, first:stop]
            gain_dt = syn[q, GAIN_DT]
            rise_dt = syn[q, RISE_DT]
            for m in range(count):
                z_m = z[m]
                y_m = y[m]
                z[m] = z_m if left[m] != 0.0 else z_m * z_decay + y_m * gain_dt
                y[m] = y_m if left[m] != 0.0 else y_m * rise_dt
    return n_left


def exponential_types(syn, drive):
    """The exponential synapse types, ascending, when there are one or two, the others
    are delta and the drive is constant (:func:`quiet_exponential` then takes the
    window's first steps); else none."""
    listed = np.zeros(2, dtype=np.int64)
    count = 0
    for q in range(syn.shape[0]):
        kind = int(syn[q, KIND])
        if kind == CASCADE or (kind == EXPONENTIAL and count == 2):
            return listed[:0]
        if kind == EXPONENTIAL:
            listed[count] = q
            count += 1
    if drive.gain.shape[0] > 0 or drive.sampled.shape[0] > 0:
        return listed[:0]
    return listed[:count]


def quiet_exponential(
    first, stop, k, dt, x_state, ref_end, state, span, ev_first, targets, ev_time,
    ev_synapse, ev_weight, ev_spike, arrivals, shared, types, syn, neurons, response_dt, rec,
    work,
):  # fmt: skip
    """:func:`quiet_step` in one loop, for a constant drive (b = 0) and the one or two
    exponential synapse ``types`` (see :func:`exponential_types`), which also takes the
    steps with arrivals: their summed effects (on the drive bound, x and each state, as
    :func:`fast_block` sums them) are gathered first, for the block's ``targets`` (its
    neurons with events in the window). The same operations in the same order as
    fast_block, so the same bits. Returns how many neurons it leaves.
    """
    count = stop - first
    t0 = k * dt
    t1 = (k + 1) * dt
    two = types.shape[0] == 2
    q0 = types[0]
    q1 = types[types.shape[0] - 1]
    added0 = work[W_A, :count]
    added1 = work[W_B, :count]
    x_in = work[W_X, :count]
    bound_in = work[W_BOUND, :count]
    left = work[W_LEFT, :count]
    for i in targets:  # the arrivals' sums (only read where ev_first < t1)
        m = i - first
        if ev_first[i] >= t1:
            continue
        added0[m] = 0.0
        added1[m] = 0.0
        x_in[m] = 0.0
        bound_in[m] = 0.0
        c = span[0, i]
        while c < span[1, i] and ev_time[c] < t1:
            q = ev_synapse[c]
            w = ev_weight[c]
            if int(syn[q, KIND]) == DELTA:
                bound_in[m] = math.inf  # a jump of v: not quiet unless refractory
            else:
                if shared:
                    response_in = arrivals[0, ev_spike[c]]
                    response = arrivals[1, ev_spike[c]]
                else:
                    response_in, response, _ = arrival_response(
                        t1 - ev_time[c], neurons[TAU_M, i], EXPONENTIAL, syn[q, TAU_DECAY], 0.0
                    )
                bound_in[m] += max(w, 0.0)
                if q == q0:
                    added0[m] += w * response_in
                else:
                    added1[m] += w * response_in
                x_in[m] += w * response
            c += 1
    low0 = syn[q0, BOUND_DT]
    low1 = syn[q1, BOUND_DT]
    decay0 = syn[q0, DECAY_DT]
    decay1 = syn[q1, DECAY_DT]
    z0 = state[int(syn[q0, ROW]), first:stop]
    z1 = state[int(syn[q1, ROW]), first:stop]
    response0 = response_dt[2 * q0, first:stop]
    response1 = response_dt[2 * q1, first:stop]
    x = x_state[first:stop]
    r_end = ref_end[first:stop]
    offset = neurons[OFFSET, first:stop]
    tau = neurons[TAU_M, first:stop]
    decay = neurons[DECAY, first:stop]
    recorded, slot, arrival, sigma, theta, inv_tau, x_reset = deciding_views(
        first, stop, k, ev_first, neurons, rec
    )
    n_left = 0
    for m in range(count):  # every load unconditional, selects only: the loop vectorises
        a = offset[m]
        x0 = x[m]
        za = z0[m]
        zb = z1[m]
        bound_in_m = bound_in[m]
        x_in_m = x_in[m]
        added0_m = added0[m]
        added1_m = added1[m]
        x_end = advance(x0, a, 0.0, tau[m], dt, decay[m])
        bound = a + max(0.0, 0.0 * dt)
        bound += za if za >= 0.0 else za * low0
        x_end += za * response0[m]
        bound_two = bound + (zb if zb >= 0.0 else zb * low1)
        x_end_two = x_end + zb * response1[m]
        bound = bound_two if two else bound
        x_end = x_end_two if two else x_end
        end0 = za * decay0
        end1 = zb * decay1
        arrived = arrival[m] < t1
        bound = bound + bound_in_m if arrived else bound
        x_end = x_end + x_in_m if arrived else x_end
        end0 = end0 + added0_m if arrived else end0
        end1 = end1 + added1_m if arrived else end1
        busy = (sigma[m] > 0.0) | (recorded & (slot[m] >= 0))
        done, x[m] = quiet_decision(
            x0, x_end, bound, r_end[m], theta[m], inv_tau[m], x_reset[m], busy, t0, t1, dt
        )
        left[m] = 0.0 if done else 1.0
        n_left += 0 if done else 1
        z1[m] = end1 if done & two else zb  # first: z1 is z0 with one type
        z0[m] = end0 if done else za
    return n_left


def targets_by_block(targets, block, n_blocks):
    """The window's ``targets`` grouped by blocks of ``block`` neurons, with pointers:
    block b's are ``grouped[ptr[b]:ptr[b + 1]]`` (in the order they came)."""
    ptr = np.zeros(n_blocks + 1, dtype=np.int64)
    for i in targets:
        ptr[i // block + 1] += 1
    for b in range(n_blocks):
        ptr[b + 1] += ptr[b]
    grouped = np.empty_like(targets)
    cursor = ptr[:n_blocks].copy()
    for i in targets:
        grouped[cursor[i // block]] = i
        cursor[i // block] += 1
    return grouped, ptr


def advance_blocks(
    b0, b1, size, ka, kb, dt, key, neuron_offset, p, drive, x_state, ref_end, state, span,
    ev_first, targets, target_ptr, ev_time, ev_synapse, ev_weight, ev_spike, arrivals,
    shared, syn, neurons, response_dt, types, end, todo, work, rec, spikes,
):  # fmt: skip
    """Advance the neurons of blocks [b0, b1) (``size`` neurons each) over steps [ka, kb);
    returns OK or SPIKE_BUFFER_FULL.

    The window's first step goes to :func:`quiet_exponential` (with ``types``, see
    :func:`exponential_types`) or :func:`quiet_step`, block by block; the steps they
    leave, and the rest of the window, go to :func:`fast_block` while they are simple and
    to :func:`slow_block`, one at a time, when they are not. These take a step the same
    way, so which way a step is taken depends only on the neuron's state at its start,
    never on windows, chunks or threads. Block b's neurons with events in the window are
    ``targets[target_ptr[b]:target_ptr[b + 1]]``; neuron i's events are
    ``span[0, i]:span[1, i]``. ``end``, ``todo`` and ``work`` are working arrays
    (states at a step's end, then the arrivals' sums; the list of neurons to advance, one
    column per neuron of the blocks; quiet_step's).
    """
    n = x_state.shape[0]
    n_todo = 0
    for bi in range(b0, b1):
        first = bi * size
        stop = min(n, first + size)
        if types.shape[0] > 0:
            n_left = quiet_exponential(
                first, stop, ka, dt, x_state, ref_end, state, span, ev_first,
                targets[target_ptr[bi] : target_ptr[bi + 1]], ev_time, ev_synapse, ev_weight,
                ev_spike, arrivals, shared, types, syn, neurons, response_dt, rec, work,
            )  # fmt: skip
        else:
            n_left = quiet_step(
                first, stop, ka, dt, x_state, ref_end, state, ev_first, p.syn_kind,
                p.syn_row, syn, neurons, response_dt, drive, rec, work,
            )  # fmt: skip
        if n_left == 0 and ka + 1 == kb:
            continue  # the block is done with the window
        for m in range(stop - first):  # no branch: every neuron written, those left kept
            k = ka if work[W_LEFT, m] != 0.0 else ka + 1
            todo[0, n_todo] = first + m
            todo[1, n_todo] = k
            n_todo += 1 if k < kb else 0
    t1 = (ka + 1) * dt
    for m in range(n_todo):  # the next event: past step ka's arrivals once it is taken
        i = todo[0, m]
        c = span[0, i]
        while todo[1, m] > ka and c < span[1, i] and ev_time[c] < t1:
            c += 1
        todo[2, m] = c
    while n_todo > 0:
        n_todo = fast_block(
            n_todo, todo, kb, dt, x_state, ref_end, state, span, ev_time, ev_synapse,
            ev_weight, ev_spike, arrivals, shared, p.syn_kind, p.syn_row, syn, neurons,
            response_dt, end, drive, rec,
        )  # fmt: skip
        if n_todo == 0:
            break
        status, n_todo = slow_block(
            size, n_todo, todo, kb, dt, key, neuron_offset, drive, x_state, ref_end, state,
            span, ev_time, ev_synapse, ev_weight, syn, neurons, response_dt, rec, spikes,
        )  # fmt: skip
        if status != OK:
            return status
    return OK


def run_chunk(
    k0, k1, dt, key, neuron_offset, block, p, drive,
    x_state, ref_end, state, queue_time, queue_neuron, queue_ptr, rec, spikes,
):  # fmt: skip
    """Advance every neuron over steps [k0, k1), window by window.

    For each window of at most ``p.window`` steps: build its events (serial), advance
    the neurons in blocks of ``block`` (in parallel when the window has at least
    PARALLEL_MIN_UPDATES neuron-steps), then queue the window's spikes for the
    recurrent projections. Returns OK, SPIKE_BUFFER_FULL (a block's spike buffer
    overflowed) or QUEUE_FULL (the spike queue did); the caller restores the state,
    enlarges the buffer and runs the chunk again.
    """
    n = x_state.shape[0]
    n_blocks = (n + block - 1) // block
    syn = synapse_table(p, dt)
    neurons = neuron_table(p, drive)
    response_dt = step_responses(syn, p.tau, dt)
    types = exponential_types(syn, drive)
    tables = projection_table(p)
    sources = source_table(p)
    status = np.zeros(n_blocks, dtype=np.int64)
    start = np.zeros(n_blocks, dtype=np.int64)
    # One working row per block (states at a step's end, then the arrivals' sums), 128
    # bytes apart: blocks on different threads must not write to the same cache line.
    scratch = np.zeros((n_blocks, 2 * state.shape[0] + 16))
    todo = np.zeros((3, n_blocks * block), dtype=np.int64)  # each block's list of neurons
    work = np.zeros((n_blocks, N_WORK, block))
    span = np.zeros((2, n), dtype=np.int64)  # each neuron's events in a window
    ev_first = np.full(n, np.inf)  # and the first one's time
    shared = n > 0  # every neuron has the same tau_m: arrivals share their responses
    no_table = np.zeros((3, 0))
    for i in range(n):
        shared = shared and p.tau[i] == p.tau[0]
    ka = k0
    while ka < k1:
        kb = min(k1, ka + p.window)
        targets, ev_time, ev_synapse, ev_weight, ev_spike, spike_time, spike_synapse = (
            window_events(
                tables, sources, ka, kb, dt, span, ev_first, queue_time, queue_neuron, queue_ptr
            )
        )
        grouped, target_ptr = targets_by_block(targets, block, n_blocks)
        arrivals = no_table
        if shared:
            arrivals = arrival_table(ka, dt, p.tau[0], syn, spike_time, spike_synapse)
        for bi in range(n_blocks):
            start[bi] = spikes.stored[bi]
        if n * (kb - ka) >= PARALLEL_MIN_UPDATES:
            for bi in prange(n_blocks):
                status[bi] = advance_blocks(
                    bi, bi + 1, block, ka, kb, dt, key, neuron_offset, p, drive, x_state,
                    ref_end, state, span, ev_first, grouped, target_ptr, ev_time, ev_synapse,
                    ev_weight, ev_spike, arrivals, shared, syn, neurons, response_dt, types,
                    scratch[bi], todo[:, bi * block :], work[bi], rec, spikes,
                )  # fmt: skip
        else:  # too little work to pay for waking the threads: every block at once
            status[0] = advance_blocks(
                0, n_blocks, block, ka, kb, dt, key, neuron_offset, p, drive, x_state,
                ref_end, state, span, ev_first, grouped, target_ptr, ev_time, ev_synapse,
                ev_weight, ev_spike, arrivals, shared, syn, neurons, response_dt, types,
                scratch[0], todo, work[0], rec, spikes,
            )  # fmt: skip
        clear_events(targets, span, ev_first)
        for bi in range(n_blocks):  # a loop: an array reduction would be a parallel region
            if status[bi] != OK:
                return SPIKE_BUFFER_FULL
        if p.recurrent:
            queued = enqueue_spikes(spikes, start, queue_time, queue_neuron, queue_ptr)
            if queued != OK:
                return queued
        ka = kb
    return OK
