"""The LIF neuron under white noise: stationary rate and ISI CV (Siegert; Brunel 2000).

The membrane obeys, in the convention of Brunel (2000) that :class:`lifkit.WhiteNoise` uses,

    tau_m dv/dt = -(v - v_rest) + mu + sigma sqrt(tau_m) xi(t),     mu = R I,

with xi unit Gaussian white noise, threshold v_th, reset v_reset and refractory period t_ref.
With the reduced bounds ``y_th = (v_th - v_rest - mu)/sigma`` and ``y_r = (v_reset - v_rest -
mu)/sigma`` the mean first-passage time gives the stationary rate (Siegert 1951)

    1/nu = t_ref + tau_m sqrt(pi) ∫_{y_r}^{y_th} exp(u²) (1 + erf u) du,

and its variance the coefficient of variation of the interspike intervals (Brunel 2000)

    CV² = 2 pi (nu tau_m)² ∫_{y_r}^{y_th} exp(x²) ∫_{-∞}^{x} exp(y²) (1 + erf y)² dy dx.

The integrands overflow in double precision as soon as the bounds exceed ~26, so both are
evaluated in scaled forms: ``exp(u²)(1 + erf u) = erfcx(-u)`` below zero, the exp(u²) part
integrated in closed form with Dawson's function above zero, and every exponential factor
taken relative to the largest one. The rate is a fixed 64-point Gauss-Legendre rule in
``log(1 + w)`` (relative error ~1e-15 everywhere); the CV is one adaptive quadrature per
point after swapping the order of integration. At ``sigma = 0`` both reduce to the
deterministic :func:`lifkit.theory.firing_rate` (CV 0, or NaN for a silent neuron), and they
approach it continuously as sigma -> 0.

``mean`` is a current in nA, or a drive ``R I`` given as a voltage (``"18 mV"``); ``sigma``
is read the same way as :class:`lifkit.WhiteNoise` reads it: a voltage is sigma itself (mV),
a current (plain numbers are nA) is sigma / R.
"""

from __future__ import annotations

import itertools
import math
import warnings
from typing import Any

import numpy as np

from ..errors import ParameterError
from ..models import LIF
from .lif import _argument, _result, firing_rate

_NODES, _WEIGHTS = np.polynomial.legendre.leggauss(64)
_SQRT_PI = math.sqrt(math.pi)


def siegert_rate(model: LIF, mean: Any, sigma: Any) -> Any:
    """Stationary firing rate in Hz of a LIF neuron driven by white noise (Siegert formula).

    ``1/nu = t_ref + tau_m sqrt(pi) ∫_{y_r}^{y_th} exp(u²)(1 + erf u) du`` with
    ``y_th = (v_th - v_rest - R mean)/sigma_v`` and ``y_r = (v_reset - v_rest - R mean)/sigma_v``
    (Brunel 2000, eq. 21), times in ms, so nu = 1000/(1/nu) Hz.

    mean: nA, or a drive R I in mV (``"15 mV"``); sigma: noise as in :class:`lifkit.WhiteNoise`,
    a voltage sigma_v (mV) or a current sigma_v/R (nA), >= 0. Arrays broadcast with numpy's
    rules against each other and the model's per-neuron parameters.

    >>> model = LIF(tau_m=10, R=1, v_rest=0, v_reset=10, v_th=20, t_ref=2)
    >>> round(siegert_rate(model, "15 mV", "5 mV"), 3)  # Hz, subthreshold mean drive
    18.57
    >>> siegert_rate(model, "30 mV", [1e-6, 0.0]).round(4)  # sigma -> 0: 1000/(2 + 10 ln 2) Hz
    array([111.9636, 111.9636])
    """
    y_th, y_r, scale, noisy, mu = _bounds(model, mean, sigma)
    tau, t_ref = model.tau_m, model.t_ref
    m = np.maximum(y_th, 0.0)
    weight = np.exp(-(m**2))  # exp(-m²): every scaled quantity is relative to it
    denominator = t_ref * weight + tau * _SQRT_PI * _scaled_integral(y_th, y_r)
    rate = 1000.0 * weight / denominator
    if not np.all(noisy):
        rate = np.where(noisy, rate, firing_rate(model, mu / model.R))
    return _result(rate * np.ones_like(scale))


def siegert_cv(model: LIF, mean: Any, sigma: Any) -> Any:
    """Coefficient of variation of the interspike intervals of a LIF neuron under white noise.

    ``CV² = 2 pi (nu tau_m)² ∫_{y_r}^{y_th} exp(x²) ∫_{-∞}^x exp(y²)(1 + erf y)² dy dx``
    (Brunel 2000, appendix A), with nu the :func:`siegert_rate` and the bounds as there.
    The refractory period shortens every interval equally: it lowers the CV but adds no
    variance. Dimensionless; 0 for sigma = 0 above rheobase, NaN for a silent neuron.

    mean, sigma: as in :func:`siegert_rate`.

    >>> model = LIF(tau_m=10, R=1, v_rest=0, v_reset=10, v_th=20, t_ref=2)
    >>> round(siegert_cv(model, "15 mV", "5 mV"), 4)  # irregular, subthreshold
    0.7996
    >>> round(siegert_cv(model, "0 mV", "2 mV"), 4)  # rare escapes: Poisson-like
    1.0
    """
    y_th, y_r, scale, noisy, mu = _bounds(model, mean, sigma)
    tau, t_ref = model.tau_m, model.t_ref
    m = np.maximum(y_th, 0.0)
    denominator = t_ref * np.exp(-(m**2)) + tau * _SQRT_PI * _scaled_integral(y_th, y_r)
    variance = np.vectorize(_scaled_variance, otypes=[float])(y_th, y_r)
    cv = np.sqrt(2.0 * np.pi * variance) * tau / denominator
    if not np.all(noisy):
        silent = firing_rate(model, mu / model.R) == 0.0
        cv = np.where(noisy, cv, np.where(silent, np.nan, 0.0))
    return _result(cv * np.ones_like(scale))


def _bounds(model: LIF, mean: Any, sigma: Any) -> tuple[Any, ...]:
    """Reduced bounds (y_th, y_r), a broadcast template, the noisy mask and the drive mu (mV)."""
    current = _argument(model, mean, "mean", "current")
    noise = _argument(model, sigma, "sigma", "current")  # a voltage reads as sigma_v / R
    if np.any(np.asarray(noise) < 0):
        raise ParameterError("sigma", sigma, "must be >= 0")
    mu = model.R * current
    sigma_v = model.R * noise
    noisy = sigma_v > 0
    safe = np.where(noisy, sigma_v, 1.0)  # silent lanes take the deterministic branch
    y_th = np.where(noisy, (model.v_th - model.v_rest - mu) / safe, 0.0)
    y_r = np.where(noisy, (model.v_reset - model.v_rest - mu) / safe, -1.0)
    template = np.zeros(np.broadcast_shapes(np.shape(y_th), model.tau_m.shape, model.t_ref.shape))
    return y_th, y_r, template, noisy, mu


def _scaled_integral(y_th: Any, y_r: Any) -> np.ndarray:
    """``exp(-m²) ∫_{y_r}^{y_th} erfcx(-u) du`` with ``m = max(y_th, 0)``; never overflows.

    Below zero the integrand is erfcx(|u|) <= 1. Above zero it is
    ``2 exp(u²) - erfcx(u)``, whose first part integrates to Dawson's function:
    ``∫_a^b exp(u²) du = exp(b²) D(b) - exp(a²) D(a)``.
    """
    from scipy.special import dawsn  # lazy: importing lifkit must not import scipy

    m = np.maximum(y_th, 0.0)
    negative = _erfcx_integral(np.maximum(-y_th, 0.0), np.maximum(-y_r, 0.0))
    a = np.maximum(y_r, 0.0)
    positive = 2.0 * (dawsn(m) - np.exp(a**2 - m**2) * dawsn(a)) - np.exp(-(m**2)) * (
        _erfcx_integral(a, m)
    )
    return np.exp(-(m**2)) * negative + positive


def _erfcx_integral(lo: Any, hi: Any) -> np.ndarray:
    """``∫_lo^hi erfcx(w) dw`` for 0 <= lo <= hi, by Gauss-Legendre in ``s = log(1 + w)``.

    erfcx(w) ~ 1/(sqrt(pi) w) for large w, so the integrand ``erfcx(e^s - 1) e^s`` tends to a
    constant and 64 nodes give full double precision for any hi up to 1e12 and beyond.
    """
    from scipy.special import erfcx

    s0, s1 = np.log1p(np.asarray(lo, dtype=float)), np.log1p(np.asarray(hi, dtype=float))
    half = 0.5 * (s1 - s0)[..., None]
    s = 0.5 * (s1 + s0)[..., None] + half * _NODES
    return np.sum(_WEIGHTS * erfcx(np.expm1(s)) * np.exp(s), axis=-1) * half[..., 0]


def _scaled_variance(y_th: float, y_r: float) -> float:
    """``exp(-2 m²) ∫_{y_r}^{y_th} exp(x²) ∫_{-∞}^x exp(y²)(1 + erf y)² dy dx``, m = max(y_th, 0).

    Swapping the order and integrating x in closed form (``∫ exp(x²) dx = exp(x²) D(x)``)
    leaves one integral over y <= y_th; every exponent in its scaled integrand is <= 0.
    """
    from scipy.integrate import IntegrationWarning, quad
    from scipy.special import dawsn, erf, erfcx

    m2 = max(y_th, 0.0) ** 2
    d_th = float(dawsn(y_th))

    def integrand(y: float) -> float:
        positive = max(y, 0.0)
        q = 1.0 + float(erf(y)) if y > 0 else float(erfcx(-y))  # exp(-y₊²) erfc(-y)
        zeta = max(y, y_r)
        lift = 2.0 * positive * positive - y * y - 2.0 * m2
        first = d_th * math.exp(y_th * y_th + lift)
        second = float(dawsn(zeta)) * math.exp(zeta * zeta + lift)
        return q * q * (first - second)

    panels = _panels(y_th, y_r)
    with warnings.catch_warnings():
        # A panel that contributes nothing cannot meet a relative tolerance; the absolute
        # one, set from a rough first pass, is what matters.
        warnings.simplefilter("ignore", IntegrationWarning)
        rough = sum(abs(quad(integrand, lo, hi, epsrel=1e-4, limit=50)[0]) for lo, hi in panels)
        return sum(
            quad(integrand, lo, hi, epsabs=1e-13 * rough, epsrel=1e-11, limit=200)[0]
            for lo, hi in panels
        )


def _panels(y_th: float, y_r: float) -> list[tuple[float, float]]:
    """Sub-intervals of (-inf, y_th] that resolve the integrand's features for quad.

    Near a bound y the exponentials decay like exp(-2|y| d) with the distance d, so the
    breakpoints step away geometrically in units of 1/(1 + 2|y|) until that is ~exp(-32);
    between two negative bounds far apart the integrand falls like 1/|y|³, so the
    breakpoints are geometric in y there too.
    """
    points = {y_r, y_th}
    for y in (y_r, y_th):
        width = 1.0 / (1.0 + 2.0 * abs(y))
        points.update(y + sign * k * width for k in (0.5, 1, 2, 4, 8, 16, 32) for sign in (-1, 1))
    if y_th < 0:
        y = 2.0 * y_th
        while y > y_r:
            points.add(y)
            y *= 2.0
    inside = sorted(p for p in points if p <= y_th)
    tail_start = min(inside)
    panels = [(-np.inf, tail_start)]
    panels += [(lo, hi) for lo, hi in itertools.pairwise(inside) if hi > lo]
    return panels
