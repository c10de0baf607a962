"""Divided differences of the exponential (plain Python in numba's nopython subset).

The membrane's response to a synaptic current is a convolution of exponentials, and every
such convolution is a divided difference of exp (Hermite-Genocchi): over a segment of
length s,

    int_0^s e^{-(s-r)/tau} e^{-r/tau_1} dr = s exp[-s/tau_1, -s/tau],
    iint_{0<q<r<s} e^{-(s-r)/tau} e^{-(r-q)/tau_2} e^{-q/tau_1} dq dr
        = s^2 exp[-s/tau_1, -s/tau_2, -s/tau].

Written this way the responses stay exact and finite when time constants coincide
(``exp[z, z] = e^z``, ``exp[z, z, z] = e^z / 2``): the alpha synapse is the confluent
case of the bi-exponential, and a synaptic time constant equal to the membrane's (the
Orhan note's Figure 3 uses both 10 ms) needs no special branch.

>>> import math
>>> abs(dd1(-0.3, -0.1) - (math.exp(-0.3) - math.exp(-0.1)) / (-0.2)) < 1e-15
True
>>> dd2(-0.5, -0.5, -0.5) == 0.5 * math.exp(-0.5)
True
"""

import math

#: Spread below which dd2 sums its power series (terms fall by about 2^-k / k!).
_SERIES_SPREAD = 1.0
_SERIES_TERMS = 18


def phi1(z):
    """(e^z - 1) / z, with the limit 1 at z = 0; accurate for every z (via expm1).

    >>> phi1(0.0), round(phi1(1.0), 12)
    (1.0, 1.718281828459)
    """
    if z == 0.0:
        return 1.0
    return math.expm1(z) / z


def dd1(a, b):
    """The first divided difference exp[a, b] = (e^a - e^b) / (a - b); e^a when a == b.

    Computed as e^max * phi1(-|a - b|): no cancellation, no overflow for a, b <= 0.

    >>> dd1(-1.0, -1.0) == math.exp(-1.0)
    True
    """
    if a >= b:
        return math.exp(a) * phi1(b - a)
    return math.exp(b) * phi1(a - b)


def dd2(a, b, c):
    """The second divided difference exp[a, b, c], symmetric in its arguments.

    Points within a spread of 1 use the power series about their midpoint m,
    e^m sum_k h_k(a - m, b - m, c - m) / (k + 2)!, where h_k is the complete homogeneous
    symmetric polynomial (exact in the confluent limits); wider points use the recurrence
    (exp[mid, hi] - exp[lo, mid]) / (hi - lo), which then loses at most a few digits.

    >>> abs(dd2(-0.1, -0.2, -0.4) - dd2(-0.4, -0.1, -0.2)) < 1e-17
    True
    """
    lo = min(a, b)
    hi = max(a, b)
    if c < lo:
        lo, mid = c, lo
    elif c > hi:
        mid, hi = hi, c
    else:
        mid = c
    spread = hi - lo
    if spread > _SERIES_SPREAD:
        return (dd1(mid, hi) - dd1(lo, mid)) / spread
    m = 0.5 * (lo + hi)
    u = lo - m
    v = mid - m
    w = hi - m
    p1 = 1.0  # u^k
    p2 = 1.0  # h_k(u, v)
    p3 = 1.0  # h_k(u, v, w)
    coef = 0.5  # 1 / (k + 2)!
    total = 0.5
    for k in range(1, _SERIES_TERMS):
        p1 *= u
        p2 = v * p2 + p1
        p3 = w * p3 + p2
        coef /= k + 2
        total += coef * p3
    return math.exp(m) * total
