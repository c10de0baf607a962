"""The AdEx kernel's cut search against independent roots: numpy's polynomial roots and
scipy's brentq."""

import math

import numpy as np
import pytest
from scipy.optimize import brentq

from lifkit.engine._kernels import adex


@pytest.mark.parametrize(
    ("g0", "k0", "g1", "k1", "h"),
    [
        (1.0, -2.0, -1.0, -2.0, 1.0),  # a straight line: the chord's root is exact
        (0.3, -0.1, -0.05, -4.0, 0.1),  # steepening: the chord overshoots
        (2e-3, -0.1, -1e-4, -0.102, 0.02),  # an upswing sub-step in z
        (0.5, 1.0, -0.2, -6.0, 0.5),  # rising at first: the root is not where the chord says
    ],
)
def test_hermite_root_is_the_cubics_root_in_the_step(g0, k0, g1, k1, h):
    """The cubic with values g0, g1 and slopes k0, k1 at 0 and h, in monomial form."""
    a3 = (h * (k0 + k1) + 2.0 * (g0 - g1)) / h**3
    a2 = (3.0 * (g1 - g0) - h * (2.0 * k0 + k1)) / h**2
    roots = np.roots([a3, a2, k0, g0])  # leading zero coefficients are dropped
    inside = [r.real for r in roots if abs(r.imag) < 1e-12 and 0.0 < r.real <= h * (1 + 1e-12)]
    assert len(inside) == 1
    assert adex.hermite_root(g0, k0, g1, k1, h) == pytest.approx(inside[0], rel=0, abs=1e-13 * h)


def test_locate_cut_agrees_with_brentq_on_the_steps_end():
    """The cut's time is the length at which the Dormand-Prince step from (z, y) ends on
    z_peak: brentq on that step's end as a function of its length is the independent
    root (the same integrator, so the test checks the search, not the integrator), and
    y is that step's y there."""
    tau_m, tau_w, alpha, x_T, delta_t = 10.0, 100.0, 0.0, 20.0, 2.0
    z_peak = math.exp(-5.0)
    m = (1.0 / tau_m, 1.0 / tau_w, alpha, x_T, delta_t, 1.0 / delta_t, z_peak * adex.Z_BEYOND)
    z, y, u = 0.012, 1.0, 30.0
    kz, ky = adex.rhs(True, z, y, u, m)
    h = 0.08
    z_hi, _, _, _, kz_hi, _ = adex.dp5(True, z, y, kz, ky, h, u, 0.0, m)
    assert z_hi < z_peak < z

    def miss(theta):
        return adex.dp5(True, z, y, kz, ky, theta, u, 0.0, m)[0] - z_peak

    expected = brentq(miss, 1e-9, h, xtol=1e-16, rtol=1e-15)
    theta, y_cut = adex.locate_cut(z, y, kz, ky, h, z_hi, kz_hi, z_peak, u, 0.0, m)
    assert theta == pytest.approx(expected, rel=0, abs=1e-12)
    y_expected = adex.dp5(True, z, y, kz, ky, expected, u, 0.0, m)[1]
    assert y_cut == pytest.approx(y_expected, rel=0, abs=1e-12)
