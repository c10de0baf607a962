"""The exact LIF kernel with synaptic input (plain Python in numba's nopython subset).

Works on x = v - v_rest with the drive u = R I in mV. Each synapse type q of a run owns
state rows of every neuron; between events the synaptic drive decays in closed form:

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
coincide. Arrivals come at their exact times, split steps into segments and are taken
in time order. A threshold crossing inside a segment is found by safeguarded Newton on
the closed form, with x' = (u - x)/tau; when both ends of a segment are below threshold
an interior maximum is looked for only if x' changes sign from + to - and the bound
max x <= x0 + s max(0, U - x0)/tau (U an upper bound of u on the segment) allows a
crossing. Spikes reset x and start the refractory period as in the plain LIF kernel;
synaptic drives keep evolving (and keep receiving arrivals) while the neuron is
refractory. White noise is added as there, one exactly sampled increment per segment.
"""

import math
from typing import NamedTuple

import numpy as np

from .buffers import OK, SPIKE_BUFFER_FULL, store_spike
from .events import enqueue_spikes, projection_table, source_table, window_events
from .expdiff import dd1, dd2
from .lif import advance, crossing_time, noisy_crossing
from .rng import normal

prange = range  # replaced by numba.prange in the parallel jitted copy

DELTA = 0
EXPONENTIAL = 1
CASCADE = 2

#: Neuron-steps a window needs before its neurons are advanced by parallel threads:
#: waking them costs tens of microseconds, more than a small window's work.
PARALLEL_MIN_UPDATES = 16_384

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
    syn = np.zeros((nq, 8))
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
    return syn


def response_z(s, tau, tau_d):
    """x after s ms per unit of an exponentially decaying drive (tau_d) starting at 1."""
    return s / tau * dd1(-s / tau_d, -s / tau)


def response_y(s, tau, tau_d, tau_r):
    """x after s ms per unit of the cascade's y (feeding z), starting from x = z = 0."""
    return s * s / tau * dd2(-s / tau_r, -s / tau_d, -s / tau)


def step_responses(syn, tau, dt):
    """x gained over a full step by neuron i per unit z (column 2q) and per unit y
    (column 2q + 1) of synapse type q, for membrane time constants ``tau``."""
    nq = syn.shape[0]
    response = np.zeros((tau.shape[0], 2 * nq))
    for i in range(tau.shape[0]):
        for q in range(nq):
            kind = int(syn[q, KIND])
            if kind != DELTA:
                response[i, 2 * q] = response_z(dt, tau[i], syn[q, TAU_DECAY])
            if kind == CASCADE:
                response[i, 2 * q + 1] = response_y(dt, tau[i], syn[q, TAU_DECAY], syn[q, TAU_RISE])
    return response


def synaptic_drive(i, syn, state):
    """The total synaptic drive (mV; R I_syn) of neuron i now."""
    total = 0.0
    for q in range(syn.shape[0]):
        if int(syn[q, KIND]) != DELTA:
            total += state[i, int(syn[q, ROW])]
    return total


def advance_synapses(i, h, syn, state):
    """Let neuron i's synaptic states evolve over h ms."""
    for q in range(syn.shape[0]):
        kind = int(syn[q, KIND])
        if kind == DELTA:
            continue
        r = int(syn[q, ROW])
        tau_d = syn[q, TAU_DECAY]
        decay = math.exp(-h / tau_d)
        if kind == EXPONENTIAL:
            state[i, r] *= decay
        else:
            tau_r = syn[q, TAU_RISE]
            y = state[i, r + 1]
            state[i, r] = state[i, r] * decay + y * h * dd1(-h / tau_r, -h / tau_d)
            state[i, r + 1] = y * math.exp(-h / tau_r)


def synaptic_response(i, h, tau, syn, state):
    """x gained over h ms from neuron i's synaptic states at the segment start."""
    total = 0.0
    for q in range(syn.shape[0]):
        kind = int(syn[q, KIND])
        if kind == DELTA:
            continue
        r = int(syn[q, ROW])
        total += state[i, r] * response_z(h, tau, syn[q, TAU_DECAY])
        if kind == CASCADE:
            y = state[i, r + 1]
            if y != 0.0:
                total += y * response_y(h, tau, syn[q, TAU_DECAY], syn[q, TAU_RISE])
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
        z = state[i, r]
        if z < 0.0:
            z *= max(0.0, 1.0 - h / syn[q, TAU_DECAY])
        bound += z
        if kind == CASCADE:
            bound += h * max(state[i, r + 1], 0.0)
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
        z0 = state[i, r]
        tau_d = syn[q, TAU_DECAY]
        z = z0 * math.exp(-s / tau_d)
        x += z0 * response_z(s, tau, tau_d)
        slope = 0.0
        if kind == CASCADE:
            y0 = state[i, r + 1]
            tau_r = syn[q, TAU_RISE]
            z += y0 * s * dd1(-s / tau_r, -s / tau_d)
            x += y0 * response_y(s, tau, tau_d, tau_r)
            slope = y0 * math.exp(-s / tau_r)
        u += z
        du += slope - z / tau_d
    return x, u, du


def solve_threshold(lo, hi, f_lo, f_hi, i, x0, a, b, tau, theta, syn, state):
    """s in [lo, hi] with x(s) = theta, given x(lo) < theta <= x(hi): Newton + bisection."""
    s = lo + (hi - lo) * (-f_lo) / (f_hi - f_lo)
    if not (lo < s < hi):
        s = 0.5 * (lo + hi)
    for _ in range(100):
        x, u, _du = segment_at(i, s, x0, a, b, tau, syn, state)
        f = x - theta
        if f >= 0.0:
            hi = s
        else:
            lo = s
        slope = (u - x) / tau
        candidate = s - f / slope if slope > 0.0 else 0.5 * (lo + hi)
        if not (lo < candidate < hi):
            candidate = 0.5 * (lo + hi)
        if abs(candidate - s) <= 1e-15 * (1.0 + abs(s)) or hi - lo <= 1e-15 * (1.0 + hi):
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
    _x, u_end, _du = segment_at(i, h, x0, a, b, tau, syn, state)
    if u_end >= x_end:  # x'(h) >= 0: no maximum inside
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


def superposed_step(
    i, x, a, b, tau, theta, dt, t0, t1, decay, cur, last, ev_time, ev_synapse, ev_weight,
    kinds, rows, syn, state, response_dt, extra,
):  # fmt: skip
    """Advance neuron i over a full step with arrivals by superposition, when no
    threshold crossing is possible. Returns (index after the step's events, x at the
    step's end), or (``cur``, x) with nothing done when the step needs the
    segment-by-segment treatment.

    The system is linear, so the state at the step's end is that of the step without
    arrivals plus, for each arrival at s_e, its own response over dt - s_e. No crossing
    happens if x0 + dt max(0, U - x0)/tau < theta and x(dt) < theta, where U bounds the
    drive over the step including every arrival (see :func:`might_cross`). Delta arrivals
    always take the segment path. ``extra`` (one value per state row) collects the
    arrivals' contributions to the states before they are committed.
    """
    bound = a + max(0.0, b * dt)
    x_end = advance(x, a, b, tau, dt, decay)
    for q in range(kinds.shape[0]):
        kind = kinds[q]
        if kind == DELTA:
            continue
        r = rows[q]
        z = state[i, r]
        extra[r] = 0.0
        x_end += z * response_dt[i, 2 * q]
        bound += z if z >= 0.0 else z * max(0.0, 1.0 - dt / syn[q, TAU_DECAY])
        if kind == CASCADE:
            y = state[i, r + 1]
            extra[r + 1] = 0.0
            x_end += y * response_dt[i, 2 * q + 1]
            bound += dt * max(y, 0.0)
    after = cur
    while after < last and ev_time[after] < t1:
        q = ev_synapse[after]
        kind = kinds[q]
        if kind == DELTA:
            return cur, x
        w = ev_weight[after]
        bound += max(w, 0.0) if kind == EXPONENTIAL else dt * max(w * syn[q, NORM], 0.0)
        after += 1
    if x + dt * max(0.0, bound - x) / tau >= theta:
        return cur, x
    for c in range(cur, after):  # each arrival's own response over the rest of the step
        h = t1 - ev_time[c]
        q = ev_synapse[c]
        r = rows[q]
        tau_d = syn[q, TAU_DECAY]
        if kinds[q] == EXPONENTIAL:
            remaining, response = exp_response(h, tau, tau_d)
            x_end += ev_weight[c] * response
            extra[r] += ev_weight[c] * remaining
        else:
            tau_r = syn[q, TAU_RISE]
            y = ev_weight[c] * syn[q, NORM]
            x_end += y * response_y(h, tau, tau_d, tau_r)
            extra[r] += y * h * dd1(-h / tau_r, -h / tau_d)
            extra[r + 1] += y * math.exp(-h / tau_r)
    if x_end >= theta:
        return cur, x
    for q in range(kinds.shape[0]):  # commit: the step without arrivals plus the extra
        kind = kinds[q]
        r = rows[q]
        if kind == EXPONENTIAL:
            state[i, r] = state[i, r] * syn[q, DECAY_DT] + extra[r]
        elif kind == CASCADE:
            y = state[i, r + 1]
            state[i, r] = state[i, r] * syn[q, DECAY_DT] + y * syn[q, GAIN_DT] + extra[r]
            state[i, r + 1] = y * syn[q, RISE_DT] + extra[r + 1]
    return after, x_end


def run_block(
    block, first, stop, ka, kb, dt, key, neuron_offset, p, drive, x_state, ref_end, state,
    ev_ptr, ev_time, ev_synapse, ev_weight, syn, response_dt, scratch, rec, spikes,
):  # fmt: skip
    """Advance neurons [first, stop) of block ``block`` over steps [ka, kb) with their
    events; returns OK or SPIKE_BUFFER_FULL.

    Neuron i's noise is keyed by its global index ``neuron_offset + i``; the events are
    those of :func:`window_events`, ``syn`` the :func:`synapse_table`, ``response_dt``
    the :func:`step_responses` and ``scratch[block]`` the block's working row. One call
    per block (numba's parallel loops take flat arguments, hence the long list); a full
    step without arrivals, the common case, is written out here rather than in helpers,
    which cost more than the step itself, and a step with arrivals but no possible
    crossing is advanced by :func:`superposed_step`.
    """
    n_types = syn.shape[0]
    n_rows = state.shape[1]
    n_waves = drive.gain.shape[0]
    has_sampled = drive.sampled.shape[0] > 0
    for i in range(first, stop):
        tau = p.tau[i]
        theta = p.v_th[i] - p.v_rest[i]
        x_reset = p.v_reset[i] - p.v_rest[i]
        sigma = p.sigma[i]
        x = x_state[i]
        r_end = ref_end[i]
        slot = rec.slot[i]
        cur = ev_ptr[i]
        last = ev_ptr[i + 1]
        for k in range(ka, kb):
            t0 = k * dt
            t1 = (k + 1) * dt
            a = drive.offset[i]
            e = a
            for j in range(n_waves):
                a += drive.gain[j, i] * drive.wave_start[j, k]
                e += drive.gain[j, i] * drive.wave_end[j, k]
            if has_sampled:
                a += drive.sampled[k, i]
                e += drive.sampled[k, i]
            if slot >= 0 and k % rec.stride == 0:
                sample = k // rec.stride - rec.first_sample
                rec.traces[0, sample, slot] = x + p.v_rest[i]
                rec.traces[1, sample, slot] = a / p.R[i]
                rec.traces[2, sample, slot] = synaptic_drive(i, syn, state) / p.R[i]
            b = (e - a) / dt
            if sigma == 0.0 and r_end <= t0 and cur < last and ev_time[cur] < t1:
                after, x_after = superposed_step(
                    i, x, a, b, tau, theta, dt, t0, t1, p.decay[i], cur, last,
                    ev_time, ev_synapse, ev_weight, p.syn_kind, p.syn_row, syn, state,
                    response_dt, scratch[block],
                )  # fmt: skip
                if after > cur:  # done: x and the states are at the step's end
                    x = x_after
                    cur = after
                    continue
            s = 0.0
            segment = 0
            while True:
                arrival = cur < last and ev_time[cur] < t1
                s_next = max(s, ev_time[cur] - t0) if arrival else dt
                while s < s_next:
                    full = s == 0.0 and not arrival
                    active = False
                    for r in range(n_rows):
                        if state[i, r] != 0.0:
                            active = True
                    ref_s = r_end - t0
                    if ref_s > s:  # refractory: v held, synapses evolve
                        x = x_reset
                        if ref_s < s_next:
                            if active:
                                advance_synapses(i, ref_s - s, syn, state)
                            s = ref_s
                            continue
                        s_cross = -1.0
                        x_end = x_reset
                    else:
                        h = s_next - s
                        a_s = a + b * s
                        decay = p.decay[i] if full else math.exp(-h / tau)
                        x_end = advance(x, a_s, b, tau, h, decay)
                        bound = a_s + max(0.0, b * h)  # of the drive over the segment
                        if active and full:
                            for q in range(n_types):
                                kind = int(syn[q, KIND])
                                if kind != DELTA:
                                    r = int(syn[q, ROW])
                                    z = state[i, r]
                                    x_end += z * response_dt[i, 2 * q]
                                    if z < 0.0:
                                        z *= max(0.0, 1.0 - dt / syn[q, TAU_DECAY])
                                    bound += z
                                    if kind == CASCADE:
                                        y = state[i, r + 1]
                                        x_end += y * response_dt[i, 2 * q + 1]
                                        bound += dt * max(y, 0.0)
                        elif active:
                            x_end += synaptic_response(i, h, tau, syn, state)
                        if sigma > 0.0:
                            sd = (
                                p.noise_sd[i]
                                if full
                                else sigma * math.sqrt(0.5 * (1.0 - decay * decay))
                            )
                            g = neuron_offset + i
                            x_end += sd * normal(key, g, k, 2 * segment)
                            s_cross = noisy_crossing(
                                x, x_end, h, sd, theta, key, g, k, 2 * segment + 1
                            )
                        elif not active:
                            s_cross = crossing_time(x, x_end, a_s, b, tau, h, theta)
                        elif full and x_end < theta and x + h * max(0.0, bound - x) / tau < theta:
                            s_cross = -1.0  # the bound of might_cross, written out
                        else:
                            s_cross = synaptic_crossing(
                                i, x, x_end, a_s, b, tau, h, theta, syn, state
                            )
                        segment += 1
                    if s_cross < 0.0:  # the segment ends at s_next
                        x = x_end
                        if active and full:
                            for q in range(n_types):
                                kind = int(syn[q, KIND])
                                r = int(syn[q, ROW])
                                if kind == EXPONENTIAL:
                                    state[i, r] *= syn[q, DECAY_DT]
                                elif kind == CASCADE:
                                    y = state[i, r + 1]
                                    state[i, r] = (
                                        state[i, r] * syn[q, DECAY_DT] + y * syn[q, GAIN_DT]
                                    )
                                    state[i, r + 1] = y * syn[q, RISE_DT]
                        elif active:
                            advance_synapses(i, s_next - s, syn, state)
                        s = s_next
                        continue
                    t_spike = t0 + s + s_cross
                    if store_spike(spikes, block, i, t_spike) != OK:
                        return SPIKE_BUFFER_FULL
                    if active:
                        advance_synapses(i, s_cross, syn, state)
                    x = x_reset
                    r_end = t_spike + p.t_ref[i]
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
                                return SPIKE_BUFFER_FULL
                            x = x_reset
                            r_end = ev_time[cur] + p.t_ref[i]
                elif kind == EXPONENTIAL:
                    state[i, int(syn[q, ROW])] += w
                else:
                    state[i, int(syn[q, ROW]) + 1] += w * syn[q, NORM]
                cur += 1
        x_state[i] = x
        ref_end[i] = r_end
    return OK


def run_chunk(
    k0, k1, dt, key, neuron_offset, block, p, drive,
    x_state, ref_end, state, queue_time, queue_neuron, queue_ptr, rec, spikes,
):  # fmt: skip
    """Advance every neuron over steps [k0, k1), window by window.

    For each window of at most ``p.window`` steps: build its events (serial), advance
    the neurons in blocks of ``block`` (parallel), then queue the window's spikes for the
    recurrent projections. Returns OK, SPIKE_BUFFER_FULL (a block's spike buffer
    overflowed) or QUEUE_FULL (the spike queue did); the caller restores the state,
    enlarges the buffer and runs the chunk again.
    """
    n = x_state.shape[0]
    n_blocks = (n + block - 1) // block
    syn = synapse_table(p, dt)
    response_dt = step_responses(syn, p.tau, dt)
    tables = projection_table(p)
    sources = source_table(p)
    status = np.zeros(n_blocks, dtype=np.int64)
    start = np.zeros(n_blocks, dtype=np.int64)
    scratch = np.zeros((n_blocks, state.shape[1]))
    ka = k0
    while ka < k1:
        kb = min(k1, ka + p.window)
        ev_ptr, ev_time, ev_synapse, ev_weight = window_events(
            tables, sources, ka, kb, dt, n, queue_time, queue_neuron, queue_ptr
        )
        for bi in range(n_blocks):
            start[bi] = spikes.stored[bi]
        if n * (kb - ka) >= PARALLEL_MIN_UPDATES:
            for bi in prange(n_blocks):
                status[bi] = run_block(
                    bi, bi * block, min(n, (bi + 1) * block), ka, kb, dt, key,
                    neuron_offset, p, drive, x_state, ref_end, state, ev_ptr, ev_time,
                    ev_synapse, ev_weight, syn, response_dt, scratch, rec, spikes,
                )  # fmt: skip
        else:  # too little work to pay for waking the threads
            for bi in range(n_blocks):
                status[bi] = run_block(
                    bi, bi * block, min(n, (bi + 1) * block), ka, kb, dt, key,
                    neuron_offset, p, drive, x_state, ref_end, state, ev_ptr, ev_time,
                    ev_synapse, ev_weight, syn, response_dt, scratch, rec, spikes,
                )  # fmt: skip
        for bi in range(n_blocks):  # a loop: an array reduction would be a parallel region
            if status[bi] != OK:
                return SPIKE_BUFFER_FULL
        if p.recurrent:
            queued = enqueue_spikes(spikes, start, queue_time, queue_neuron, queue_ptr)
            if queued != OK:
                return queued
        ka = kb
    return OK
