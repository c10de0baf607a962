"""The exact LIF step kernel (plain Python in numba's nopython subset).

Works on x = v - v_rest. Within a step of length dt the drive u = R*I is linear,
u(s) = a + b s, so between events

    x(s) = a + b (s - tau) + (x0 - a + b tau) exp(-s / tau)        (exact)

plus, with white noise of intensity sigma, an exactly sampled Ornstein-Uhlenbeck
increment. Threshold crossings are located inside the step (closed form for b = 0,
safeguarded Newton otherwise); refractory periods end at their exact time.
"""

import math
from typing import NamedTuple

import numpy as np

from .buffers import OK, SPIKE_BUFFER_FULL, store_spike
from .rng import normal, uniform

prange = range  # replaced by numba.prange in the parallel jitted copy


class LIFParams(NamedTuple):
    """Per-neuron constants, each a float64 array of length n_neurons."""

    tau: np.ndarray  # ms
    R: np.ndarray  # MΩ
    v_rest: np.ndarray  # mV
    v_reset: np.ndarray  # mV
    v_th: np.ndarray  # mV
    t_ref: np.ndarray  # ms
    decay: np.ndarray  # exp(-dt/tau)
    sigma: np.ndarray  # white-noise intensity, mV (Brunel convention)
    noise_sd: np.ndarray  # sigma * sqrt((1 - decay**2) / 2): OU increment SD over one dt
    closed_form: np.ndarray  # bool: the neuron's spikes are computed without steps (skip it)


def advance(x0, a, b, tau, h, decay):
    """x after h ms from x0 under drive a + b s, with decay = exp(-h / tau)."""
    return a + b * (h - tau) + (x0 - a + b * tau) * decay


def crossing_time(x0, x_end, a, b, tau, h, theta):
    """First s in (0, h] where the noise-free x(s) reaches theta, or -1.0 if none.

    x(s) = a + b (s - tau) + C exp(-s/tau) has at most one extremum, at
    s* = tau ln(C / (b tau)), so the first crossing lies in a bracket where x is monotone.
    """
    c = x0 - a + b * tau
    if b == 0.0:
        if x_end < theta or a <= theta:
            return -1.0
        return min(h, tau * math.log((a - x0) / (a - theta)))
    lo = 0.0
    hi = h
    if c * b > 0.0:
        s_star = tau * math.log(c / (b * tau))
        if 0.0 < s_star < h:
            if c < 0.0:  # interior maximum
                if a + b * s_star < theta:
                    return -1.0
                hi = s_star
            elif x_end >= theta:  # interior minimum: crossing after it
                lo = s_star
    if hi == h and x_end < theta:
        return -1.0
    return _solve_monotone(lo, hi, a, b, c, tau, theta)


def _solve_monotone(lo, hi, a, b, c, tau, theta):
    """Root of x(s) = theta on [lo, hi] where x is monotone increasing (Newton + bisection)."""
    s = 0.5 * (lo + hi)
    for _ in range(100):
        e = math.exp(-s / tau)
        f = a + b * (s - tau) + c * e - theta
        if f > 0.0:
            hi = s
        else:
            lo = s
        slope = b - c * e / tau
        step = f / slope if slope > 0.0 else 0.0
        candidate = s - step
        if not (lo < candidate < hi):
            candidate = 0.5 * (lo + hi)
        if abs(candidate - s) <= 1e-15 * (1.0 + abs(s)) or hi - lo <= 1e-15 * (1.0 + hi):
            return candidate
        s = candidate
    return s


def run_neurons(
    i0, i1, k0, k1, dt, key, neuron_offset, p, drive, x_state, ref_end, rec, spikes, block
):
    """Advance neurons [i0, i1) over steps [k0, k1); returns OK or SPIKE_BUFFER_FULL.

    Neuron i's noise is that of neuron ``neuron_offset + i`` of the whole population.
    ``x_state`` holds v - v_rest (kept relative so that chunking never re-rounds it).

    One call runs a whole block: a numba call costs a reference-count update per array
    argument, which would rival the work of a short chunk if paid per neuron. Per-neuron
    constants are read once, and a drive without waveforms or sampled input (constant
    within the run) skips the per-step drive arithmetic; the values computed are the same.
    """
    n_waves = drive.gain.shape[0]
    has_sampled = drive.sampled.shape[0] > 0
    constant_drive = n_waves == 0 and not has_sampled
    for i in range(i0, i1):
        if p.closed_form[i]:
            continue
        tau = p.tau[i]
        v_rest = p.v_rest[i]
        theta = p.v_th[i] - v_rest
        x_reset = p.v_reset[i] - v_rest
        t_ref = p.t_ref[i]
        decay_dt = p.decay[i]
        sigma = p.sigma[i]
        noise_sd = p.noise_sd[i]
        g = neuron_offset + i  # the neuron's global index keys its noise
        x = x_state[i]
        r_end = ref_end[i]
        slot = rec.slot[i]
        offset = drive.offset[i]
        a = offset
        b = (offset - offset) / dt
        for k in range(k0, k1):
            t0 = k * dt
            if not constant_drive:
                a = offset
                e = offset
                for j in range(n_waves):
                    a += drive.gain[j, i] * drive.wave_start[j, k]
                    e += drive.gain[j, i] * drive.wave_end[j, k]
                if has_sampled:
                    a += drive.sampled[k, i]
                    e += drive.sampled[k, i]
                b = (e - a) / dt
            if slot >= 0 and k % rec.stride == 0:
                sample = k // rec.stride - rec.first_sample
                rec.traces[0, sample, slot] = x + v_rest
                rec.traces[1, sample, slot] = a / p.R[i]
            s = 0.0
            if r_end > t0:
                x = x_reset
                if r_end >= t0 + dt:
                    continue
                s = r_end - t0
            segment = 0
            while True:
                h = dt - s
                a_s = a + b * s
                decay = decay_dt if s == 0.0 else math.exp(-h / tau)
                x_end = advance(x, a_s, b, tau, h, decay)
                if sigma > 0.0:
                    sd = noise_sd if s == 0.0 else sigma * math.sqrt(0.5 * (1.0 - decay * decay))
                    x_end += sd * normal(key, g, k, 2 * segment)
                    s_cross = noisy_crossing(x, x_end, h, sd, theta, key, g, k, 2 * segment + 1)
                else:
                    s_cross = crossing_time(x, x_end, a_s, b, tau, h, theta)
                if s_cross < 0.0:
                    x = x_end
                    break
                t_spike = t0 + s + s_cross
                if store_spike(spikes, block, i, t_spike) != OK:
                    return SPIKE_BUFFER_FULL
                x = x_reset
                r_end = t_spike + t_ref
                if r_end >= t0 + dt:
                    break
                s = max(r_end - t0, s + s_cross)
                segment += 1
        x_state[i] = x
        ref_end[i] = r_end
    return OK


def noisy_crossing(x0, x_end, h, sd, theta, key, i, k, stream):
    """Crossing time within a noisy segment, or -1.0.

    A crossing is certain when x_end >= theta (time by linear interpolation); otherwise
    the path may still have crossed between the samples: for a Brownian bridge between
    x0 and x_end with variance sd² over the segment that happens with probability
    exp(-2 (theta - x0)(theta - x_end) / sd²).
    """
    if x_end >= theta:
        return h * (theta - x0) / (x_end - x0)
    gap0 = theta - x0
    gap1 = theta - x_end
    if sd <= 0.0 or gap0 * gap1 > 20.0 * sd * sd:
        return -1.0
    if uniform(key, i, k, stream) < math.exp(-2.0 * gap0 * gap1 / (sd * sd)):
        return h * gap0 / (gap0 + gap1)
    return -1.0


def run_chunk(k0, k1, dt, key, neuron_offset, block, p, drive, x_state, ref_end, rec, spikes):
    """Advance every neuron over steps [k0, k1), blocks of ``block`` neurons in parallel.

    Neuron i draws the noise of neuron ``neuron_offset + i`` (the global index of a
    population split into parts), so a part reproduces its neurons' spikes exactly.

    Returns OK, or SPIKE_BUFFER_FULL when a block's spike buffer overflowed (the caller
    restores the state and runs the chunk again with larger buffers).
    """
    n = x_state.shape[0]
    n_blocks = (n + block - 1) // block
    status = np.zeros(n_blocks, dtype=np.int64)
    for bi in prange(n_blocks):
        i0 = bi * block
        i1 = min(n, i0 + block)
        status[bi] = run_neurons(
            i0, i1, k0, k1, dt, key, neuron_offset, p, drive, x_state, ref_end, rec, spikes, bi
        )
    return SPIKE_BUFFER_FULL if status.max() > 0 else OK
