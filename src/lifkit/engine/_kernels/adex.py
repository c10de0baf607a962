"""The AdEx step kernel (plain Python in numba's nopython subset).

Works on x = v - E_L and y = R w (both mV). Between events, with alpha = a R,

    tau_m dx/dt = -x + Delta_T exp((x - x_T) / Delta_T) - y + u(s),
    tau_w dy/dt = alpha x - y,

and the drive u = R I linear within a step, u(s) = c + d s.

Scheme. A step that starts and ends below v_T + FAST_ARG Delta_T, where the exponential
term is either small or varies gently (local error estimate below FAST_TOL), is one
classical Runge-Kutta step (order 4) at the user's dt. Every other step -- the upswing,
a refractory period that ends, a step with a spike -- is integrated by embedded
Dormand-Prince 5(4) sub-steps with error control (ATOL, TTOL), which stop at the cut:

* in x up to v_T + Z_FORM_ARG Delta_T;
* from there on in z = exp(-(x - x_T)/Delta_T), in which the blow-up of x is a regular
  zero crossing (dz/dt -> -1/tau_m as z -> 0):

      tau_m Delta_T dz/dt = z (x + y - u) - Delta_T,   x = x_T - Delta_T ln z.

  The spike is where z reaches z_peak = exp(-(v_peak - v_T)/Delta_T), located in the
  sub-step that crosses it by Newton steps on trial lengths (``locate_cut``). When
  v_peak lies more than ARG_PEAK_MAX Delta_T above v_T, z_peak would underflow and the
  cut is taken at v_T + ARG_PEAK_MAX Delta_T, which the trajectory reaches less than
  tau_m exp(-ARG_PEAK_MAX) ms before v_peak.

No exponential is ever taken of an argument above ARG_CAP: in x the argument is capped
(a stage beyond the cap belongs to a sub-step that is rejected), and in z, x is bounded
by BEYOND_CUT Delta_T above the cut. White noise (intensity sigma, Brunel convention)
is an additive increment sigma sqrt((1 - exp(-2 h / tau_m)) / 2) N(0, 1) added to x at
the end of each spike-free stretch h of a step (the Ornstein-Uhlenbeck variance of the
leak; weak order 1).

Long steps. Where nothing can change from one step to the next but the state -- a
block of neurons whose drive is steady, without noise or recorded traces -- the block
advances STRETCH steps at a time (from step numbers that are multiples of STRETCH: the
engine's chunks start there). Each neuron takes one fast step over the whole stretch if
it allows it; otherwise fast steps over HALF steps; otherwise single steps as above. A
neuron's path does not depend on the other neurons of its block. A long step must also
stay below v_T + LONG_ARG Delta_T and keep the leak's error below LEAK_TOL.

The fast step evaluates its exponentials by polynomials (exp_vec, exp_near), not libm,
so that its loop over a block of neurons vectorises; there is no fast-math, so the
plain-Python and the compiled kernel give the same bits.
"""

import math
from typing import NamedTuple

import numpy as np

from .buffers import OK, SPIKE_BUFFER_FULL, store_spike
from .rng import normal

prange = range  # replaced by numba.prange in the parallel jitted copy
#: Inlined when compiled, so that the loop of fast steps over a block vectorises.
INLINE = ("exp_vec", "exp_near", "stage")

#: A fast (fixed-step RK4) step must keep (x - x_T)/Delta_T <= FAST_ARG at its ends, and
#: its local error estimate e1 (dt / tau_m) (u^4 + q^4) must stay below FAST_TOL mV, where
#: e1 = Delta_T e^{(x - x_T)/Delta_T} is the exponential term, u the largest change of
#: its exponent over a stage (at most 1) and q = dt e1 / (tau_m Delta_T) its stiffness.
#: The estimate lies well above the step's error, of order e1 (dt / tau_m) (u^5 + q^4) / 120;
#: these values make most of the slow approach to v_T + FAST_ARG Delta_T fast steps, and
#: keep spike times within a few us of the reference at dt = 0.1 ms.
FAST_ARG = 2.5
FAST_TOL = 1e-4
#: Long steps: STRETCH and HALF grid steps. RK4's local error on the linear part (the
#: leak and the adaptation) is about (h rho)^4 |change| / 120 for a step of h ms that
#: changes x or y by |change| mV, rho being the linear part's spectral radius; it must stay
#: below LEAK_TOL mV, a tenth of the error the FAST_TOL estimate lets through (it binds
#: at dt = 0.1 ms only for tau_m below about 2 ms). Below v_T + LONG_ARG Delta_T the
#: exponential term is at most e Delta_T; above it, a long step that passes the FAST_TOL
#: estimate is less accurate than single steps (the estimate is calibrated at one step),
#: so long steps stop there. With these values the spike times of
#: ``benchmarks/adex_population.py`` stay within 2e-6 ms of the reference at dt = 0.1 ms
#: (single steps alone: 2.8e-6 ms), and they do not improve at a finer dt: the long
#: steps' errors, not dt's, then set them.
STRETCH = 8
HALF = 4
LONG_ARG = 1.0
LEAK_TOL = 1e-7
#: The rows of ``constants``' table holding the largest x of a single and of a long step.
SINGLE_X_MAX = 6
LONG_X_MAX = 7
#: The rows of a level's neuron array (see ``pack``).
X, Y, REF, ALPHA, XT, DT, CS, DS = 0, 1, 2, 3, 4, 5, 6, 7
LEVEL_ROWS = 8
#: Error per Dormand-Prince sub-step: ATOL mV in x and y; in z see z_tolerance, which
#: bounds the error of the cut's time by TTOL ms. Both lie far below a fast step's error
#: near v_T + FAST_ARG Delta_T (about 2e-7 mV, or 1e-7 ms of spike time, at dt = 0.1 ms
#: for Brette & Gerstner 2005); a tighter TTOL would cost sub-steps and gain nothing there.
ATOL = 1e-9
TTOL = 1e-8
#: Sub-steps shorter than this (ms) are accepted whatever their error, so that a step
#: always completes.
H_MIN = 1e-12
#: Largest exponent evaluated; largest distance of the cut above v_T in units of Delta_T.
ARG_CAP = 50.0
ARG_PEAK_MAX = 700.0
#: In z, a stage may go past the cut by up to BEYOND_CUT Delta_T in x (z down to
#: z_peak exp(-BEYOND_CUT), at which it is held): the sub-step that crosses the cut sees
#: the smooth continuation of the upswing, so its error estimate stays of fifth order
#: and its length need not shrink to end just short of the cut.
BEYOND_CUT = 4.0
Z_BEYOND = math.exp(-BEYOND_CUT)
#: Sub-steps switch from x to z at v_T + Z_FORM_ARG Delta_T (or half-way to the cut);
#: an x sub-step must end at most 1 Delta_T above that (and half-way on to the cut).
Z_FORM_ARG = 2.0
#: The cut's last Newton step (ms) along a trial's end slope, after which theta is taken.
NEWTON_LAST = 1e-7

#: Smallest exponent exp_vec evaluates (exp(-40) = 4.2e-18).
EXP_FLOOR = -40.0

# Dormand & Prince (1980) RK5(4)7M: nodes, stages, 5th-order weights, error weights.
C2, C3, C4, C5 = 0.2, 0.3, 0.8, 8.0 / 9.0
A21 = 0.2
A31, A32 = 3.0 / 40.0, 9.0 / 40.0
A41, A42, A43 = 44.0 / 45.0, -56.0 / 15.0, 32.0 / 9.0
A51, A52, A53, A54 = 19372.0 / 6561.0, -25360.0 / 2187.0, 64448.0 / 6561.0, -212.0 / 729.0
A61, A62, A63 = 9017.0 / 3168.0, -355.0 / 33.0, 46732.0 / 5247.0
A64, A65 = 49.0 / 176.0, -5103.0 / 18656.0
B1, B3, B4, B5, B6 = 35.0 / 384.0, 500.0 / 1113.0, 125.0 / 192.0, -2187.0 / 6784.0, 11.0 / 84.0
E1, E3, E4 = -71.0 / 57600.0, 71.0 / 16695.0, -71.0 / 1920.0
E5, E6, E7 = 17253.0 / 339200.0, -22.0 / 525.0, 1.0 / 40.0


class AdExParams(NamedTuple):
    """Per-neuron constants, each a float64 array of length n_neurons."""

    tau_m: np.ndarray  # ms
    R: np.ndarray  # MΩ
    E_L: np.ndarray  # mV
    x_reset: np.ndarray  # v_reset - E_L, mV
    x_T: np.ndarray  # v_T - E_L, mV
    Delta_T: np.ndarray  # mV
    arg_peak: np.ndarray  # min((v_peak - v_T) / Delta_T, ARG_PEAK_MAX)
    t_ref: np.ndarray  # ms
    alpha: np.ndarray  # a R
    tau_w: np.ndarray  # ms
    jump: np.ndarray  # R b, mV
    sigma: np.ndarray  # white-noise intensity, mV (Brunel convention)


def rhs(in_z, v, y, u, m):
    """(dv/dt, dy/dt) with v = x (in_z False) or v = z (in_z True).

    ``m`` holds (1/tau_m, 1/tau_w, alpha, x_T, Delta_T, 1/Delta_T, z_floor): reciprocals,
    as a division would lengthen each stage's chain of dependent operations, and the
    smallest z taken (see BEYOND_CUT).
    """
    inv_tau_m, inv_tau_w, alpha, x_T, delta_t, inv_delta, z_floor = m
    if in_z:
        x = x_T - delta_t * math.log(max(v, z_floor))
        return (v * (x + y - u) - delta_t) * (inv_delta * inv_tau_m), (alpha * x - y) * inv_tau_w
    e = math.exp(min((v - x_T) * inv_delta, ARG_CAP))
    return (delta_t * e - v - y + u) * inv_tau_m, (alpha * v - y) * inv_tau_w


def dp5(in_z, v, y, k1v, k1y, h, c, d, m):
    """One Dormand-Prince step of length h from (v, y), where the slopes are (k1v, k1y),
    under the drive c + d s (``m`` as in ``rhs``).

    Returns (v1, y1, error estimate of v, error estimate of y, slopes at (v1, y1)): the
    last stage is the slope at the end (first same as last), the next step's first.
    """
    k2v, k2y = rhs(
        in_z,
        v + h * A21 * k1v,
        y + h * A21 * k1y,
        c + d * C2 * h,
        m,
    )
    k3v, k3y = rhs(
        in_z,
        v + h * (A31 * k1v + A32 * k2v),
        y + h * (A31 * k1y + A32 * k2y),
        c + d * C3 * h,
        m,
    )
    k4v, k4y = rhs(
        in_z,
        v + h * (A41 * k1v + A42 * k2v + A43 * k3v),
        y + h * (A41 * k1y + A42 * k2y + A43 * k3y),
        c + d * C4 * h,
        m,
    )
    k5v, k5y = rhs(
        in_z,
        v + h * (A51 * k1v + A52 * k2v + A53 * k3v + A54 * k4v),
        y + h * (A51 * k1y + A52 * k2y + A53 * k3y + A54 * k4y),
        c + d * C5 * h,
        m,
    )
    k6v, k6y = rhs(
        in_z,
        v + h * (A61 * k1v + A62 * k2v + A63 * k3v + A64 * k4v + A65 * k5v),
        y + h * (A61 * k1y + A62 * k2y + A63 * k3y + A64 * k4y + A65 * k5y),
        c + d * h,
        m,
    )
    v1 = v + h * (B1 * k1v + B3 * k3v + B4 * k4v + B5 * k5v + B6 * k6v)
    y1 = y + h * (B1 * k1y + B3 * k3y + B4 * k4y + B5 * k5y + B6 * k6y)
    k7v, k7y = rhs(in_z, v1, y1, c + d * h, m)
    err_v = h * (E1 * k1v + E3 * k3v + E4 * k4v + E5 * k5v + E6 * k6v + E7 * k7v)
    err_y = h * (E1 * k1y + E3 * k3y + E4 * k4y + E5 * k5y + E6 * k6y + E7 * k7y)
    return v1, y1, err_v, err_y, k7v, k7y


def exp_vec(x):
    """exp(x) for EXP_FLOOR <= x <= 2 by arithmetic alone, so that a loop calling it
    vectorises: the Taylor polynomial of degree 10 of exp(x / 256), squared 8 times.

    Relative error below 1e-12 (the squarings multiply the polynomial's rounding by 256).
    Arguments below EXP_FLOOR are raised to it: the exponential term is then below
    4e-18 Delta_T, far under the rounding of any membrane potential it is added to.
    """
    u = max(x, EXP_FLOOR) * (1.0 / 256.0)
    u2 = u * u
    u4 = u2 * u2
    low = ((1.0 + u) + u2 * (0.5 + u * (1.0 / 6.0))) + u4 * (
        (1.0 / 24.0 + u * (1.0 / 120.0)) + u2 * (1.0 / 720.0 + u * (1.0 / 5040.0))
    )
    high = (1.0 / 40320.0 + u * (1.0 / 362880.0)) + u2 * (1.0 / 3628800.0)
    e = low + (u4 * u4) * high
    e = e * e  # written out: a loop here would keep the caller's loop from vectorising
    e = e * e
    e = e * e
    e = e * e
    e = e * e
    e = e * e
    e = e * e
    return e * e


def exp_near(u):
    """exp(u) to fourth order, 1 + u + u^2/2 + u^3/6 + u^4/24, for the stages of a fast step.

    Its relative error u^5/120 perturbs the stage's exponential term e1 by e1 u^5 / 120,
    so a step changes by at most e1 u^5 dt / (120 tau_m): no more than the step's own
    error estimate allows (FAST_TOL), and of fifth order in dt like RK4's local error.
    """
    u2 = u * u
    return (1.0 + u) + u2 * ((0.5 + u * (1.0 / 6.0)) + u2 * (1.0 / 24.0))


def stage(x, y, e1, kx, ky, step, drive, inv_tau_m, inv_tau_w, alpha, inv_delta):
    """A later RK4 stage: the slopes at (x + step kx, y + step ky) under the drive
    ``drive``, and |u|, the change of (x - x_T)/Delta_T it assumes.

    The exponential term there is e1 exp_near(u), with u clipped to [-1, 1] so that a
    stage of a step that will be declined stays finite.
    """
    dx = step * kx
    u = dx * inv_delta
    x_s = x + dx
    y_s = y + step * ky
    kx_s = (e1 * exp_near(min(max(u, -1.0), 1.0)) - x_s - y_s + drive) * inv_tau_m
    return kx_s, (alpha * x_s - y_s) * inv_tau_w, abs(u)


def integrate(x, y, s, s_end, c, d, tau_m, tau_w, alpha, x_T, delta_t, arg_peak):
    """Integrate from s to s_end (ms into the step) with error control, stopping at a cut.

    Returns (x, y, s_stop, spiked): the state at s_stop, which is s_end or the cut.
    The sub-steps carry their variable v (x, or z above v_T + arg_z Delta_T) and its
    slopes from one to the next, so that neither is taken again. The step-size control
    is predictive (Gustafsson 1994): in the upswing the error of a sub-step of a given
    length grows from one sub-step to the next, which a controller that looks only at
    the last error follows with a declined sub-step after each accepted one.
    """
    z_peak = math.exp(-arg_peak)
    m = (1.0 / tau_m, 1.0 / tau_w, alpha, x_T, delta_t, 1.0 / delta_t, z_peak * Z_BEYOND)
    arg_z = min(Z_FORM_ARG, 0.5 * arg_peak)
    x_form_max = min(arg_z + 1.0, 0.5 * (arg_z + arg_peak))
    in_z = x >= x_T + arg_z * delta_t
    v = math.exp(-(x - x_T) / delta_t) if in_z else x
    kv, ky = rhs(in_z, v, y, c + d * s, m)
    h = s_end - s
    h_last = 0.0  # the last accepted sub-step and its error^(-1/5), for the prediction
    r_last = 1.0
    while True:
        h = min(h, s_end - s)
        c_s = c + d * s
        v1, y1, err_v, err_y, kv1, ky1 = dp5(in_z, v, y, kv, ky, h, c_s, d, m)
        if in_z:
            tol_z = z_tolerance(x + y - c_s, tau_m, delta_t)
            err = max(abs(err_v) / tol_z, abs(err_y) / ATOL)
            accept = err <= 1.0 or h <= H_MIN
            if accept and v1 <= z_peak:
                theta, y_cut = locate_cut(v, y, kv, ky, h, v1, kv1, z_peak, c_s, d, m)
                return x_T + arg_peak * delta_t, y_cut, s + theta, True
        else:
            if (v1 - x_T) / delta_t > x_form_max:  # too far up: retry shorter, then go to z
                h = 0.5 * h
                continue
            err = max(abs(err_v), abs(err_y)) / ATOL
            accept = err <= 1.0 or h <= H_MIN
        if accept:
            x = x_T - delta_t * math.log(v1) if in_z else v1
            v = v1
            y = y1
            kv = kv1
            ky = ky1
            if h >= s_end - s:
                break
            s = s + h
            if in_z != (x >= x_T + arg_z * delta_t):  # crossed v_T + arg_z Delta_T
                in_z = not in_z
                v = math.exp(-(x - x_T) / delta_t) if in_z else x
                kv, ky = rhs(in_z, v, y, c + d * s, m)
        r = (err + 1e-30) ** -0.2
        grow = 0.9 * r
        if not accept:
            grow = min(grow, 1.0)
        else:
            if h_last > 0.0:  # 0.9 (h / h_last) (err_last / err^2)^(1/5)
                grow = grow * min(1.0, (h / h_last) * (r / r_last))
            h_last = h
            r_last = r
        h = h * min(5.0, max(0.2, grow))
    return x, y, s_end, False


def z_tolerance(gap, tau_m, delta_t):
    """Error allowed per sub-step in z, where x + y - u = gap.

    ATOL / Delta_T bounds the error of x = x_T - Delta_T ln z by ATOL / z; TTOL / tau_m
    keeps the cut's time to TTOL (|dz/dt| >= 1/tau_m near it); and a tenth of
    Delta_T / |gap|, the distance of z's
    attractor -Delta_T / gap from 0, stops an explicit step at its stability limit from
    hovering above the cut when the upswing is stiff (tiny Delta_T).
    """
    tol = min(ATOL / delta_t, TTOL / tau_m)
    if gap != 0.0:
        tol = min(tol, 0.1 * delta_t / abs(gap))
    return tol


def locate_cut(z, y, kz, ky, h, z_hi, kz_hi, z_peak, c, d, m):
    """(theta, y(theta)) with z(theta) = z_peak in (0, h], from the Dormand-Prince step of
    each trial length from (z, y), where the slopes are (kz, ky); z_hi <= z_peak ends the
    step of length h, with the slope kz_hi there.

    The first trial is the root of the step's cubic Hermite interpolant. From each trial
    a Newton step follows along the trial's end slope (its last stage); once that moves
    theta by at most NEWTON_LAST ms, theta and y are moved along it and returned (the
    neglected quadratic term is far below TTOL). Otherwise the Newton step gives the next
    trial, or the bisection of the bracket when it leaves the bracket.
    """
    lo = 0.0
    hi = h
    theta = hermite_root(z - z_peak, kz, z_hi - z_peak, kz_hi, h)
    for _ in range(100):
        z_t, y_t, _, _, kz_t, ky_t = dp5(True, z, y, kz, ky, theta, c, d, m)
        if z_t > z_peak:
            lo = theta
        else:
            hi = theta
        following = lo  # no Newton step where z does not fall: bisect
        if kz_t < 0.0:
            step = (z_peak - z_t) / kz_t
            if abs(step) <= NEWTON_LAST:
                return min(max(theta + step, lo), hi), y_t + step * ky_t
            following = theta + step
        if hi - lo <= 1e-14 * (1.0 + hi):
            return theta, y_t
        theta = following if lo < following < hi else 0.5 * (lo + hi)
    return theta, y_t  # not reached: bisection shrinks the bracket below 1e-14 long before


def hermite_root(g0, k0, g1, k1, h):
    """The root in (0, h] of the cubic with values g0 > 0 >= g1 and slopes k0, k1 at 0
    and h: Newton steps from the chord's root, kept inside the bracket (else bisection),
    at most 8 of them (the root is the cut search's first trial, which need not be exact).
    """
    lo = 0.0
    hi = h
    theta = h * g0 / (g0 - g1)
    for _ in range(8):
        t = theta / h
        t2 = t * t
        t3 = t2 * t
        g = g0 * (2.0 * t3 - 3.0 * t2 + 1.0) + g1 * (3.0 * t2 - 2.0 * t3)
        g += h * (k0 * (t3 - 2.0 * t2 + t) + k1 * (t3 - t2))
        slope = (g0 - g1) * (6.0 * t2 - 6.0 * t) / h + k0 * (3.0 * t2 - 4.0 * t + 1.0)
        slope += k1 * (3.0 * t2 - 2.0 * t)
        if g > 0.0:
            lo = theta
        else:
            hi = theta
        following = lo  # no Newton step where the cubic does not fall: bisect
        if slope < 0.0:
            step = -g / slope
            if abs(step) <= 1e-14 * h:
                return min(max(theta + step, lo), hi)
            following = theta + step
        theta = following if lo < following < hi else 0.5 * (lo + hi)
    return theta


def relax(y, y_inf, h, tau_w):
    """y after h ms of tau_w dy/dt = y_inf - y (the adaptation while v is clamped)."""
    return y_inf + (y - y_inf) * math.exp(-h / tau_w)


def noise_kick(x, h, sigma, tau_m, key, g, k, segment):
    """x plus the white-noise increment of a stretch of h ms."""
    sd = sigma * math.sqrt(-0.5 * math.expm1(-2.0 * h / tau_m))
    return x + sd * normal(key, g, k, 2 * segment)


def advance(x, y, r_end, s, t0, dt, c, d, q, key, g, k, segment):
    """Advance from s ms into step k to its end or to the next spike, whichever is first.

    ``q`` holds the neuron's constants (tau_m, tau_w, alpha, x_T, Delta_T, arg_peak,
    x_reset, t_ref, jump, sigma). Returns (x, y, r_end, s, t_spike): after a spike at
    t_spike the state is reset and s is the spike's time in the step; t_spike is -1.0
    when the step ended without one.
    """
    tau_m, tau_w, alpha, x_T, delta_t, arg_peak, x_reset, t_ref, jump, sigma = q
    if r_end > t0 + s:
        hold = min(r_end - t0, dt)
        y = relax(y, alpha * x_reset, hold - s, tau_w)
        x = x_reset
        s = hold
        if s >= dt:
            return x, y, r_end, dt, -1.0
    x, y, s_stop, spiked = integrate(x, y, s, dt, c, d, tau_m, tau_w, alpha, x_T, delta_t, arg_peak)
    if not spiked:
        if sigma > 0.0:
            x = noise_kick(x, dt - s, sigma, tau_m, key, g, k, segment)
        if x < x_T + arg_peak * delta_t:
            return x, y, r_end, dt, -1.0
        s_stop = dt
    t_spike = t0 + s_stop
    return x_reset, y + jump, t_spike + t_ref, s_stop, t_spike


def advance_step(i, k, t0, dt, c, d, key, g, p, xs, ys, ref_end, spikes, block):
    """Step k of neuron i by ``advance``, storing its spikes; OK or SPIKE_BUFFER_FULL."""
    q = (
        p.tau_m[i],
        p.tau_w[i],
        p.alpha[i],
        p.x_T[i],
        p.Delta_T[i],
        p.arg_peak[i],
        p.x_reset[i],
        p.t_ref[i],
        p.jump[i],
        p.sigma[i],
    )
    x = xs[i]
    y = ys[i]
    r_end = ref_end[i]
    s = 0.0
    segment = 0
    while s < dt:
        x, y, r_end, s, t_spike = advance(x, y, r_end, s, t0, dt, c, d, q, key, g, k, segment)
        if t_spike < 0.0:
            break
        if store_spike(spikes, block, i, t_spike) != OK:
            return SPIKE_BUFFER_FULL
        segment += 1
    xs[i] = x
    ys[i] = y
    ref_end[i] = r_end
    return OK


def constants(lo, nb, p):
    """Rows 1/tau_m, 1/tau_w, 1/Delta_T, arg_max, x_cut, noise-free (1.0 or 0.0), x_max,
    x_long_max and rho of neurons [lo, lo + nb): arg_max bounds a fast step's exponent and
    x_max = x_T + arg_max Delta_T its x, x_long_max a long step's x, x_cut is the cut and
    rho the spectral radius of the linear part (``leak_rate``)."""
    table = np.empty((9, nb))
    for j in range(nb):
        i = lo + j
        table[0, j] = 1.0 / p.tau_m[i]
        table[1, j] = 1.0 / p.tau_w[i]
        table[2, j] = 1.0 / p.Delta_T[i]
        table[3, j] = min(FAST_ARG, 0.5 * p.arg_peak[i])
        table[4, j] = p.x_T[i] + p.arg_peak[i] * p.Delta_T[i]
        table[5, j] = 1.0 if p.sigma[i] == 0.0 else 0.0
        table[SINGLE_X_MAX, j] = p.x_T[i] + table[3, j] * p.Delta_T[i]
        table[LONG_X_MAX, j] = p.x_T[i] + min(LONG_ARG, table[3, j]) * p.Delta_T[i]
        table[8, j] = leak_rate(p.tau_m[i], p.tau_w[i], p.alpha[i])
    return table


def leak_rate(tau_m, tau_w, alpha):
    """The spectral radius (1/ms) of the linear part, d(x, y)/dt = A (x, y) with
    A = [[-1/tau_m, -1/tau_m], [alpha/tau_w, -1/tau_w]].

    >>> round(leak_rate(10.0, 100.0, 0.0), 12)  # uncoupled: the faster rate
    0.1
    """
    trace = 1.0 / tau_m + 1.0 / tau_w  # minus the trace
    det = (1.0 + alpha) / (tau_m * tau_w)
    disc = trace * trace - 4.0 * det
    if disc < 0.0:  # a complex pair, both of modulus sqrt(det)
        return math.sqrt(det)
    return 0.5 * (trace + math.sqrt(disc))


def drive_pass(k, inv_dt, drive, lo, hi, cs, es, ds):
    """The drive of neurons [lo, hi) over step k: cs at its start, es at its end (mV) and
    ds = (es - cs) / dt, summed in the order of the ``Drive`` docstring, in loops over
    the block that vectorise."""
    offset = drive.offset[lo:hi]
    for j in range(hi - lo):
        cs[j] = offset[j]
        es[j] = offset[j]
    for w in range(drive.gain.shape[0]):
        gain = drive.gain[w, lo:hi]
        start = drive.wave_start[w, k]
        end = drive.wave_end[w, k]
        for j in range(hi - lo):
            cs[j] += gain[j] * start
            es[j] += gain[j] * end
    if drive.sampled.shape[0] > 0:
        sampled = drive.sampled[k, lo:hi]
        for j in range(hi - lo):
            cs[j] += sampled[j]
            es[j] += sampled[j]
    for j in range(hi - lo):
        ds[j] = (es[j] - cs[j]) * inv_dt


def fast_pass(t0, h, alpha, x_T, delta_t, xs, ys, ref_end, cs, ds, table, work, todo, x_max_row):
    """The fast step of h ms from t0 of neurons whose arrays (a block's, or a level's, see
    ``stretch``) are given, kept at once for noise-free neurons; todo[j] says what is
    left: 0 nothing, 1 the noise of the fast step (x, y) = (work[10, j], work[11, j]),
    2 the whole step by ``advance``. Its x stays below row ``x_max_row`` of ``table``.

    The step is classical RK4. The exponential term e1 = Delta_T e^{(x - x_T)/Delta_T}
    is taken at the start by exp_vec; at the later stages it is e1 exp_near(u), u the
    stage's change of (x - x_T)/Delta_T (``stage``). The step is declined when a stage
    changes that exponent by more than 1, its local error estimate (see FAST_TOL) is too
    large, it starts or would end above x_max, or the neuron is refractory.

    Every array is the block's own view, indexed from 0; ``work`` (14 rows) holds the
    stages and the steps. One loop per stage, without calls or branches (hence & rather
    than ``and``): the compiler vectorises each, and the short loops keep the processor
    busy where one long loop would wait on each neuron's chain of dependent operations.
    No loop stores either a new value or the one it read back in place, as that compiles
    to masked stores, several times slower: each stage's spread has its own row, and the
    new state goes to ``work`` and is then copied. So does todo, as a float: turning the
    comparisons' masks into bytes in the long last loop costs more than converting the
    floats in the copying loop.
    """
    n = xs.shape[0]
    half = 0.5 * h
    for j in range(n):
        x = xs[j]
        y = ys[j]
        e1 = delta_t[j] * exp_vec(min((x - x_T[j]) * table[2, j], table[3, j]))
        work[0, j] = e1
        work[1, j] = (e1 - x - y + cs[j]) * table[0, j]
        work[2, j] = (alpha[j] * x - y) * table[1, j]
    for j in range(n):
        work[3, j], work[4, j], work[7, j] = stage(
            xs[j],
            ys[j],
            work[0, j],
            work[1, j],
            work[2, j],
            half,
            cs[j] + half * ds[j],
            table[0, j],
            table[1, j],
            alpha[j],
            table[2, j],
        )
    for j in range(n):
        work[5, j], work[6, j], work[12, j] = stage(
            xs[j],
            ys[j],
            work[0, j],
            work[3, j],
            work[4, j],
            half,
            cs[j] + half * ds[j],
            table[0, j],
            table[1, j],
            alpha[j],
            table[2, j],
        )
    h6 = h * (1.0 / 6.0)
    for j in range(n):
        x = xs[j]
        y = ys[j]
        e1 = work[0, j]
        k4x, k4y, spread = stage(
            x,
            y,
            e1,
            work[5, j],
            work[6, j],
            h,
            cs[j] + h * ds[j],
            table[0, j],
            table[1, j],
            alpha[j],
            table[2, j],
        )
        x1 = x + h6 * (work[1, j] + 2.0 * (work[3, j] + work[5, j]) + k4x)
        y1 = y + h6 * (work[2, j] + 2.0 * (work[4, j] + work[6, j]) + k4y)
        spread = max(max(work[7, j], work[12, j]), spread)
        g = h * e1 * table[0, j]  # the exponential term's change of x over the step
        stiff = g * table[2, j]  # h times the exponential term's Jacobian
        spread2 = spread * spread
        stiff2 = stiff * stiff
        estimate = g * (spread2 * spread2 + stiff2 * stiff2)
        leak = h * table[8, j]
        leak2 = leak * leak
        leak_error = max(abs(x1 - x), abs(y1 - y)) * (leak2 * leak2)  # 120 times
        x_max = table[x_max_row, j]
        ok = (spread <= 1.0) & (estimate <= FAST_TOL) & (x1 <= x_max) & (x <= x_max)
        ok = ok & (leak_error <= 120.0 * LEAK_TOL)
        ok = ok & (ref_end[j] <= t0)
        keep = ok & (table[5, j] == 1.0)
        work[8, j] = x1 if keep else x
        work[9, j] = y1 if keep else y
        work[10, j] = x1
        work[11, j] = y1
        work[13, j] = 0.0 if keep else (1.0 if ok else 2.0)
    for j in range(n):
        xs[j] = work[8, j]
        ys[j] = work[9, j]
        todo[j] = int(work[13, j])


def interleave_stride(n):
    """The stride s, coprime to n and near n (sqrt(5) - 1) / 2, of the order in which the
    parallel loop takes the blocks: the it-th is block (it s) mod n.

    A parallel loop gives each thread a contiguous run of it, so each thread gets blocks
    spread evenly over the population (neighbouring neurons tend to cost alike, as along
    a ramp of currents, where the upper half spikes and the lower half does not).
    """
    s = max(1, int(0.6180339887 * n))
    while math.gcd(s, n) != 1:
        s += 1
    return s


def run_chunk(k0, k1, dt, key, neuron_offset, block, p, drive, xs, ys, ref_end, rec, spikes):
    """Advance every neuron over steps [k0, k1), blocks of ``block`` neurons in parallel
    (in the order of ``interleave_stride``).

    Under a steady drive (the same every step: no waveforms or sampled input), a block
    with a neuron that is neither noisy nor recorded advances by ``stretch`` where a
    stretch of STRETCH steps starting at a multiple of STRETCH fits in [k0, k1);
    otherwise by ``single_step``, after the drive (at the first step only when it is
    steady) and the recorded traces.
    Neuron i draws the noise of neuron ``neuron_offset + i``. Returns OK, or
    SPIKE_BUFFER_FULL when a block's spike buffer overflowed (the caller restores the
    state and runs the chunk again with larger buffers).
    """
    n = xs.shape[0]
    n_blocks = (n + block - 1) // block
    inv_dt = 1.0 / dt
    status = np.zeros(n_blocks, dtype=np.int64)
    stride = interleave_stride(n_blocks)
    steady = drive.gain.shape[0] == 0 and drive.sampled.shape[0] == 0  # the same every step
    for it in prange(n_blocks):
        bi = it * stride % n_blocks
        lo = bi * block
        hi = min(n, lo + block)
        nb = hi - lo
        table = constants(lo, nb, p)
        recorded = np.flatnonzero(rec.slot[lo:hi] >= 0)
        cs = np.empty(nb)
        es = np.empty(nb)
        ds = np.empty(nb)
        todo = np.zeros(-(-nb // 8) * 8, dtype=np.int8)
        work = np.empty((14, nb))
        single_only = np.zeros(nb, dtype=np.int8)
        for j in range(nb):
            single_only[j] = table[5, j] == 0.0 or rec.slot[lo + j] >= 0
        long_steps = steady and single_only.min() == 0
        w = stretch_arrays(nb if long_steps else 0, table.shape[0], single_only)
        context = (dt, key, neuron_offset, lo, p, xs, ys, ref_end, cs, ds, table, spikes, bi)
        if steady:
            drive_pass(k0, inv_dt, drive, lo, hi, cs, es, ds)
        k = k0
        while k < k1:
            if long_steps and k % STRETCH == 0 and k + STRETCH <= k1:
                status[bi] = stretch(k, context, rec, w)
                k += STRETCH
            else:
                if not steady:
                    drive_pass(k, inv_dt, drive, lo, hi, cs, es, ds)
                if k % rec.stride == 0:
                    sample = k // rec.stride - rec.first_sample
                    for j in recorded:
                        i = lo + j
                        rec.traces[0, sample, rec.slot[i]] = xs[i] + p.E_L[i]
                        rec.traces[1, sample, rec.slot[i]] = cs[j] / p.R[i]
                        rec.traces[2, sample, rec.slot[i]] = ys[i] / p.R[i]
                status[bi] = single_step(k, context, work, todo)
                k += 1
            if status[bi] != OK:
                break
    return SPIKE_BUFFER_FULL if status.max() > 0 else OK


def single_step(k, context, work, todo):
    """Step k of a block; OK or SPIKE_BUFFER_FULL. ``context`` is (dt, key,
    neuron_offset, lo, p, xs, ys, ref_end, cs, ds, table, spikes, bi): the block is
    neurons [lo, lo + len(cs)), bi its spike buffer.

    Two passes: the RK4 fast step of every neuron, kept at once where it applies to a
    noise-free neuron (loops without calls, which the compiler vectorises); then the
    rest: the noise of a kept fast step, or ``advance`` for a refractory neuron or a
    declined step. That pass reads ``todo`` eight neurons (one int64) at a time, so that
    it skips quickly over the neurons with nothing left.
    """
    dt, key, neuron_offset, lo, p, xs, ys, ref_end, cs, ds, table, spikes, bi = context
    nb = cs.shape[0]
    hi = lo + nb
    t0 = k * dt
    block_pass(t0, dt, lo, p, xs, ys, ref_end[lo:hi], cs, ds, table, work, todo, SINGLE_X_MAX)
    todo_words = todo.view(np.int64)
    for w in range(todo_words.shape[0]):
        if todo_words[w] == 0:  # eight neurons with nothing left
            continue
        for j in range(8 * w, min(8 * w + 8, nb)):
            if todo[j] == 0:
                continue
            i = lo + j
            g = neuron_offset + i
            if todo[j] == 1:
                x1 = noise_kick(work[10, j], dt, p.sigma[i], p.tau_m[i], key, g, k, 0)
                if x1 < table[4, j]:
                    xs[i] = x1
                    ys[i] = work[11, j]
                    continue
            if (
                advance_step(i, k, t0, dt, cs[j], ds[j], key, g, p, xs, ys, ref_end, spikes, bi)
                != OK
            ):
                return SPIKE_BUFFER_FULL
    return OK


def stretch(k, context, rec, w):
    """Steps [k, k + STRETCH) of a block [lo, lo + len(cs)) under a steady drive, by long
    steps where they apply; OK or SPIKE_BUFFER_FULL. ``context`` is as for
    ``single_step``; ``w`` holds the work arrays (``stretch_arrays``).

    Neurons flagged in ``w.single_only`` (recorded, or noisy) take single steps
    throughout, exactly as in ``single_step``. Every other neuron takes the fast step over
    the whole stretch; where that is declined, fast steps over HALF steps; where those
    are declined, single steps. The long passes run over the whole block, the neurons not
    concerned masked by an infinite refractory end in ``w.long_ref``; the single level
    packs its neurons into ``w.singles`` (``pack``) so that its passes run over just them.
    Each neuron's path depends on its own state (and flags) alone.
    """
    dt, key, neuron_offset, lo, p, xs, ys, ref_end, cs, ds, table, spikes, bi = context
    nb = cs.shape[0]
    hi = lo + nb
    x_b, y_b, ref_b = xs[lo:hi], ys[lo:hi], ref_end[lo:hi]
    alpha_b, x_T_b, delta_t_b = p.alpha[lo:hi], p.x_T[lo:hi], p.Delta_T[lo:hi]
    todo, done = w.todo, w.done
    for j in range(nb):
        done[j] = False
    long_pass(k * dt, STRETCH * dt, lo, p, xs, ys, ref_end, cs, ds, table, w)
    left = 0
    for j in range(nb):
        done[j] = todo[j] == 0
        left += todo[j] != 0
    if left == 0:
        return OK
    singles = w.singles
    for kh in range(k, k + STRETCH, HALF):
        long_pass(kh * dt, HALF * dt, lo, p, xs, ys, ref_end, cs, ds, table, w)
        m = pack(
            todo,
            done,
            nb,
            x_b,
            y_b,
            ref_b,
            alpha_b,
            x_T_b,
            delta_t_b,
            cs,
            ds,
            table,
            singles,
            w.single_table,
            w.places,
        )
        for ks in range(kh, kh + HALF):
            if m == 0:
                break
            if ks % rec.stride == 0:
                sample = ks // rec.stride - rec.first_sample
                for q in range(m):
                    i = lo + w.places[q]
                    if rec.slot[i] >= 0:
                        rec.traces[0, sample, rec.slot[i]] = singles[X, q] + p.E_L[i]
                        rec.traces[1, sample, rec.slot[i]] = singles[CS, q] / p.R[i]
                        rec.traces[2, sample, rec.slot[i]] = singles[Y, q] / p.R[i]
            fast_pass(
                ks * dt,
                dt,
                singles[ALPHA, :m],
                singles[XT, :m],
                singles[DT, :m],
                singles[X, :m],
                singles[Y, :m],
                singles[REF, :m],
                singles[CS, :m],
                singles[DS, :m],
                w.single_table,
                w.single_work,
                w.single_todo,
                SINGLE_X_MAX,
            )
            for q in range(m):
                if w.single_todo[q] == 0:
                    continue
                j = w.places[q]
                i = lo + j
                g = neuron_offset + i
                if w.single_todo[q] == 1:
                    x1 = noise_kick(w.single_work[10, q], dt, p.sigma[i], p.tau_m[i], key, g, ks, 0)
                    if x1 < w.single_table[4, q]:
                        singles[X, q] = x1
                        singles[Y, q] = w.single_work[11, q]
                        continue
                xs[i] = singles[X, q]
                ys[i] = singles[Y, q]
                if (
                    advance_step(
                        i, ks, ks * dt, dt, cs[j], ds[j], key, g, p, xs, ys, ref_end, spikes, bi
                    )
                    != OK
                ):
                    return SPIKE_BUFFER_FULL
                singles[X, q] = xs[i]
                singles[Y, q] = ys[i]
                singles[REF, q] = ref_end[i]
        unpack(singles, w.places, m, x_b, y_b, ref_b)
    return OK


def long_pass(t0, h, lo, p, xs, ys, ref_end, cs, ds, table, w):
    """The fast pass of h ms from t0 over the block [lo, lo + len(cs)), kept up to
    x_long_max, for its neurons neither done nor single-only: the others get an infinite
    refractory end in ``w.long_ref``, which the pass reads in place of ``ref_end``."""
    for j in range(cs.shape[0]):
        w.long_ref[j] = np.inf if w.done[j] or w.single_only[j] else ref_end[lo + j]
    block_pass(t0, h, lo, p, xs, ys, w.long_ref, cs, ds, table, w.work, w.todo, LONG_X_MAX)


def block_pass(t0, h, lo, p, xs, ys, ref, cs, ds, table, work, todo, x_max_row):
    """``fast_pass`` over the block [lo, lo + len(cs)), ``ref`` being its refractory ends."""
    hi = lo + cs.shape[0]
    fast_pass(
        t0,
        h,
        p.alpha[lo:hi],
        p.x_T[lo:hi],
        p.Delta_T[lo:hi],
        xs[lo:hi],
        ys[lo:hi],
        ref,
        cs,
        ds,
        table,
        work,
        todo,
        x_max_row,
    )


class StretchArrays(NamedTuple):
    """The work arrays of ``stretch`` for a block of nb neurons."""

    single_only: np.ndarray  # int8: 1 for a neuron that takes single steps throughout
    todo: np.ndarray  # int8, the long passes' todo
    done: np.ndarray  # bool: the stretch's fast step was kept
    long_ref: np.ndarray  # ms, ref_end with the neurons a long pass skips set to inf
    work: np.ndarray  # (14, nb), the long passes' work
    singles: np.ndarray  # (LEVEL_ROWS, nb), the single level's neurons (see ``pack``)
    single_table: np.ndarray  # their rows of ``constants``' table
    single_work: np.ndarray  # (14, nb)
    single_todo: np.ndarray  # int8
    places: np.ndarray  # int64: their places in the block (see ``pack``)


def stretch_arrays(nb, rows, single_only):
    """Fresh ``StretchArrays`` for nb neurons, ``rows`` rows in ``constants``' table."""
    return StretchArrays(
        single_only,
        np.zeros(nb, dtype=np.int8),
        np.zeros(nb, dtype=np.bool_),
        np.empty(nb),
        np.empty((14, nb)),
        np.empty((LEVEL_ROWS, nb)),
        np.empty((rows, nb)),
        np.empty((14, nb)),
        np.zeros(nb, dtype=np.int8),
        np.empty(nb, dtype=np.int64),
    )


def pack(todo, done, n, x, y, ref, alpha, x_T, delta_t, cs, ds, table, level, level_table, index):
    """Copy the neurons j < n with todo[j] != 0 and not done[j] into the first columns of
    ``level`` (rows X, Y, REF, ALPHA, XT, DT, CS, DS) and ``level_table``, j into
    ``index``; their number."""
    m = 0
    for j in range(n):
        if todo[j] == 0 or done[j]:
            continue
        index[m] = j
        level[X, m] = x[j]
        level[Y, m] = y[j]
        level[REF, m] = ref[j]
        level[ALPHA, m] = alpha[j]
        level[XT, m] = x_T[j]
        level[DT, m] = delta_t[j]
        level[CS, m] = cs[j]
        level[DS, m] = ds[j]
        for r in range(level_table.shape[0]):
            level_table[r, m] = table[r, j]
        m += 1
    return m


def unpack(level, index, m, x, y, ref):
    """Copy the states of the first m neurons of ``level`` back to x, y and ref at ``index``."""
    for q in range(m):
        j = index[q]
        x[j] = level[X, q]
        y[j] = level[Y, q]
        ref[j] = level[REF, q]
