"""The exact adaptive-LIF step kernel (plain Python in numba's nopython subset).

Works on x = v - E_L and y = R w (both mV). Between events, with alpha = a R,

    tau_m dx/dt = -x - y + u(s),        tau_w dy/dt = alpha x - y,

and the drive u = R I linear within a step, u(s) = c + d s. With z = (x, y) this is
z' = A z + f(s), and its exact solution is

    z(s) = p0 + p1 s + Phi(s) (z0 - p0),

where p0 + p1 s is the particular solution (A is invertible because a > -g_L) and

    Phi(s) = exp(A s) = e^{m s} [C(s) I + S(s) B],   m = tr(A) / 2,   B = A - m I,

with B^2 = delta I, and (C, S) = (cosh(r s), sinh(r s)/r) for delta = r^2 > 0,
(cos(r s), sin(r s)/r) for delta = -r^2 < 0, and (1, s) for delta = 0. White noise
adds the exactly sampled increment of this two-dimensional Ornstein-Uhlenbeck process,
whose covariance over h is Sigma(h) = Sigma_inf - Phi(h) Sigma_inf Phi(h)^T. Threshold
crossings are located inside the step (bracketed Newton on the closed form; Brownian
bridge under noise, as for the LIF); refractory periods end at their exact time.
"""

import math
from typing import NamedTuple

import numpy as np

from .buffers import OK, SPIKE_BUFFER_FULL, store_spike
from .rng import normal, uniform

prange = range  # replaced by numba.prange in the parallel jitted copy

#: Stream of the adaptation's normal draw in segment j is W_STREAM + j (the membrane's
#: normal uses 2 j and the bridge's uniform 2 j + 1, as in the LIF kernel).
W_STREAM = 1 << 20


class ALIFParams(NamedTuple):
    """Per-neuron constants, each a float64 array of length n_neurons."""

    tau_m: np.ndarray  # ms
    R: np.ndarray  # MΩ
    E_L: np.ndarray  # mV
    x_reset: np.ndarray  # v_reset - E_L, mV
    theta: np.ndarray  # v_th - E_L, mV
    t_ref: np.ndarray  # ms
    alpha: np.ndarray  # a R
    tau_w: np.ndarray  # ms
    jump: np.ndarray  # R b, mV
    sigma: np.ndarray  # white-noise intensity, mV (Brunel convention)
    m: np.ndarray  # tr(A) / 2, 1/ms
    kappa: np.ndarray  # B[0, 0] = (1/tau_w - 1/tau_m) / 2, 1/ms
    delta: np.ndarray  # B^2 / I, 1/ms^2
    sxx: np.ndarray  # stationary noise covariance Sigma_inf, mV^2
    sxy: np.ndarray
    syy: np.ndarray


def propagator(h, m, delta):
    """(e^{m h} C(h), e^{m h} S(h)); Phi(h) = ec I + es B. Never overflows (m < 0)."""
    if delta > 0.0:
        r = math.sqrt(delta)
        if r * h < 1.0:
            e = math.exp(m * h)
            return e * math.cosh(r * h), e * math.sinh(r * h) / r
        up = math.exp((m + r) * h)
        down = math.exp((m - r) * h)
        return 0.5 * (up + down), 0.5 * (up - down) / r
    if delta < 0.0:
        r = math.sqrt(-delta)
        e = math.exp(m * h)
        return e * math.cos(r * h), e * math.sin(r * h) / r
    e = math.exp(m * h)
    return e, h * e


def particular(alpha, tau_m, tau_w):
    """(q, r_x, r_y): under the drive c + d s the particular solution is
    p0 = (q c + r_x d, alpha (q c - r_y d)), p1 = (q d, alpha q d), q = 1 / (1 + alpha)."""
    q = 1.0 / (1.0 + alpha)
    return q, q * q * (alpha * tau_w - tau_m), q * q * (tau_m + tau_w)


def x_at(s, ex, gx, p0x, p1x, m, delta):
    """x(s) and dx/ds(s) of the noise-free solution (ex, gx: components of z0 - p0, B(z0 - p0))."""
    ec, es = propagator(s, m, delta)
    x = p0x + p1x * s + ec * ex + es * gx
    slope = p1x + (m * ec + delta * es) * ex + (ec + m * es) * gx
    return x, slope


def crossing_time(x1, slope0, slope1, h, ex, gx, p0x, p1x, m, delta, theta):
    """First s in (0, h] where the noise-free x(s) reaches theta, or -1.0 if none.

    ``slope0`` and ``slope1`` are dx/ds at both ends. Assumes at most one extremum of x
    within the step (exact when the eigen-frequencies of A are slow against 1/h); an
    interior maximum is found by bisection on dx/ds.
    """
    hi = h
    if x1 < theta:
        if slope0 <= 0.0 or slope1 >= 0.0:
            return -1.0
        lo = 0.0
        for _ in range(200):
            mid = 0.5 * (lo + hi)
            if x_at(mid, ex, gx, p0x, p1x, m, delta)[1] > 0.0:
                lo = mid
            else:
                hi = mid
            if hi - lo <= 1e-15 * (1.0 + hi):
                break
        if x_at(hi, ex, gx, p0x, p1x, m, delta)[0] < theta:
            return -1.0
    return solve_rising(0.0, hi, ex, gx, p0x, p1x, m, delta, theta)


def solve_rising(lo, hi, ex, gx, p0x, p1x, m, delta, theta):
    """Root of x(s) = theta on [lo, hi] with x(lo) < theta <= x(hi) (Newton + bisection)."""
    s = hi
    for _ in range(100):
        x, slope = x_at(s, ex, gx, p0x, p1x, m, delta)
        f = x - theta
        if f >= 0.0:
            hi = s
        else:
            lo = s
        candidate = s - f / slope if slope > 0.0 else 0.5 * (lo + hi)
        if not (lo < candidate < hi):
            candidate = 0.5 * (lo + hi)
        if abs(candidate - s) <= 1e-15 * (1.0 + abs(s)) or hi - lo <= 1e-15 * (1.0 + hi):
            return hi if f >= 0.0 else candidate
        s = candidate
    return hi


def noise_factor(ec, es, p, i):
    """Cholesky factor (l11, l21, l22) of the noise covariance over a segment with Phi = ec, es."""
    tau_m = p.tau_m[i]
    f11 = ec + p.kappa[i] * es
    f12 = -es / tau_m
    f21 = p.alpha[i] / p.tau_w[i] * es
    f22 = ec - p.kappa[i] * es
    sxx = p.sxx[i]
    sxy = p.sxy[i]
    syy = p.syy[i]
    cxx = sxx - (f11 * f11 * sxx + 2.0 * f11 * f12 * sxy + f12 * f12 * syy)
    cxy = sxy - (f11 * f21 * sxx + (f11 * f22 + f12 * f21) * sxy + f12 * f22 * syy)
    cyy = syy - (f21 * f21 * sxx + 2.0 * f21 * f22 * sxy + f22 * f22 * syy)
    l11 = math.sqrt(max(cxx, 0.0))
    l21 = cxy / l11 if l11 > 0.0 else 0.0
    l22 = math.sqrt(max(cyy - l21 * l21, 0.0))
    return l11, l21, l22


def noisy_crossing(x0, x_end, h, sd, theta, key, g, k, stream):
    """Crossing time within a noisy segment, or -1.0 (Brownian bridge, as the LIF kernel).

    A crossing is certain when x_end >= theta (time by linear interpolation); otherwise
    the path crossed between the samples with probability exp(-2 gap0 gap1 / sd^2).
    """
    if x_end >= theta:
        return h * (theta - x0) / (x_end - x0)
    gap0 = theta - x0
    gap1 = theta - x_end
    if sd <= 0.0 or gap0 * gap1 > 20.0 * sd * sd:
        return -1.0
    if uniform(key, g, k, stream) < math.exp(-2.0 * gap0 * gap1 / (sd * sd)):
        return h * gap0 / (gap0 + gap1)
    return -1.0


def relax(y, y_inf, h, tau_w):
    """y after h ms of tau_w dy/dt = y_inf - y (the adaptation while v is clamped)."""
    return y_inf + (y - y_inf) * math.exp(-h / tau_w)


def run_neuron(i, k0, k1, dt, key, g, p, drive, xs, ys, ref_end, rec, spikes, block):
    """Advance neuron i over steps [k0, k1); returns OK or SPIKE_BUFFER_FULL.

    ``g`` is the neuron's index in the whole population, which keys its noise.
    """
    tau_m = p.tau_m[i]
    tau_w = p.tau_w[i]
    alpha = p.alpha[i]
    m = p.m[i]
    kappa = p.kappa[i]
    delta = p.delta[i]
    theta = p.theta[i]
    x_reset = p.x_reset[i]
    sigma = p.sigma[i]
    inv_dt = 1.0 / dt
    inv_tau_m = 1.0 / tau_m
    coupling = alpha / tau_w
    q, r_x, r_y = particular(alpha, tau_m, tau_w)
    ec_dt, es_dt = propagator(dt, m, delta)
    l11_dt, l21_dt, l22_dt = noise_factor(ec_dt, es_dt, p, i)
    x = xs[i]
    y = ys[i]
    r_end = ref_end[i]
    slot = rec.slot[i]
    for k in range(k0, k1):
        t0 = k * dt
        c = drive.offset[i]
        e = c
        for j in range(drive.gain.shape[0]):
            c += drive.gain[j, i] * drive.wave_start[j, k]
            e += drive.gain[j, i] * drive.wave_end[j, k]
        if drive.sampled.shape[0] > 0:
            c += drive.sampled[k, i]
            e += drive.sampled[k, i]
        if slot >= 0 and k % rec.stride == 0:
            sample = k // rec.stride - rec.first_sample
            rec.traces[0, sample, slot] = x + p.E_L[i]
            rec.traces[1, sample, slot] = c / p.R[i]
            rec.traces[2, sample, slot] = y / p.R[i]
        d = (e - c) * inv_dt
        s = 0.0
        if r_end > t0:
            y = relax(y, alpha * x_reset, min(r_end - t0, dt), tau_w)
            x = x_reset
            if r_end >= t0 + dt:
                continue
            s = r_end - t0
        segment = 0
        while True:
            h = dt - s
            if s == 0.0:
                ec = ec_dt
                es = es_dt
            else:
                ec, es = propagator(h, m, delta)
            c_s = c + d * s
            p0x = q * c_s + r_x * d
            p0y = alpha * (q * c_s - r_y * d)
            p1x = q * d
            p1y = alpha * p1x
            ex = x - p0x
            ey = y - p0y
            gx = kappa * ex - ey * inv_tau_m
            gy = coupling * ex - kappa * ey
            x1 = p0x + p1x * h + ec * ex + es * gx
            y1 = p0y + p1y * h + ec * ey + es * gy
            y_cross = y1
            if sigma > 0.0:
                if s == 0.0:
                    l11 = l11_dt
                    l21 = l21_dt
                    l22 = l22_dt
                else:
                    l11, l21, l22 = noise_factor(ec, es, p, i)
                n1 = normal(key, g, k, 2 * segment)
                x1 += l11 * n1
                y1 += l21 * n1 + l22 * normal(key, g, k, W_STREAM + segment)
                s_cross = noisy_crossing(x, x1, h, l11, theta, key, g, k, 2 * segment + 1)
                y_cross = y + (y1 - y) * (s_cross / h)
            else:
                slope0 = (c_s - x - y) * inv_tau_m
                slope1 = (c + d * dt - x1 - y1) * inv_tau_m
                s_cross = crossing_time(x1, slope0, slope1, h, ex, gx, p0x, p1x, m, delta, theta)
                if s_cross >= 0.0:
                    ec, es = propagator(s_cross, m, delta)
                    y_cross = p0y + p1y * s_cross + ec * ey + es * gy
            if s_cross < 0.0:
                x = x1
                y = y1
                break
            t_spike = t0 + s + s_cross
            if store_spike(spikes, block, i, t_spike) != OK:
                return SPIKE_BUFFER_FULL
            x = x_reset
            y = y_cross + p.jump[i]
            r_end = t_spike + p.t_ref[i]
            y = relax(y, alpha * x_reset, min(r_end, t0 + dt) - t_spike, tau_w)
            if r_end >= t0 + dt:
                break
            s = max(r_end - t0, s + s_cross)
            segment += 1
    xs[i] = x
    ys[i] = y
    ref_end[i] = r_end
    return OK


def run_chunk(k0, k1, dt, key, neuron_offset, block, p, drive, xs, ys, ref_end, rec, spikes):
    """Advance every neuron over steps [k0, k1), blocks of ``block`` neurons in parallel.

    Neuron i draws the noise of neuron ``neuron_offset + i``. Returns OK, or
    SPIKE_BUFFER_FULL when a block's spike buffer overflowed (the caller restores the
    state and runs the chunk again with larger buffers).
    """
    n = xs.shape[0]
    n_blocks = (n + block - 1) // block
    status = np.zeros(n_blocks, dtype=np.int64)
    for bi in prange(n_blocks):
        for i in range(bi * block, min(n, (bi + 1) * block)):
            g = neuron_offset + i
            if run_neuron(i, k0, k1, dt, key, g, p, drive, xs, ys, ref_end, rec, spikes, bi) != OK:
                status[bi] = SPIKE_BUFFER_FULL
                break
    return SPIKE_BUFFER_FULL if status.max() > 0 else OK
