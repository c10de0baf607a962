"""Counter-based random numbers keyed by (key, neuron, step, stream).

Every draw is a pure function of its counter, so a seeded run is bit-identical whatever the
thread count, chunk size or population split. Plain Python in the numba nopython subset: the
same source runs un-jitted (Python ints, wrapped to 64 bits by explicit masks) and jitted
(int64 with two's-complement wrap-around; ``& _M`` is then a no-op and ``_shr`` turns the
arithmetic shift into a logical one). Multipliers are stored as the int64 with the same bits,
so numba never mixes int64 with uint64 literals in a product (which would promote to float64).

Hash (64-bit output)::

    a = mix13(key ^ (step + stream·2^40)·G_STEP)
    b = fmix64(key ^ neuron·G_NEURON)
    h = mix13(a ^ b)

``mix13`` is Stafford's Mix13 (the SplitMix64 output function) and ``fmix64`` the MurmurHash3
finaliser; both are bijective with near-ideal avalanche. SplitMix64, a single ``mix13`` of a
Weyl sequence, passes BigCrush; along neurons or steps ``h`` applies two full finalisers to a
Weyl sequence (xored with the key), so it mixes strictly more. For a fixed key, ``a`` is
injective in (step, stream) for step < 2^40 and stream < 2^24, and ``b`` in neuron; the two
different finalisers mean that no counter gives ``a == b`` for every key. In a loop over
neurons (or steps) ``a`` (or ``b``) is loop-invariant and hoisted: two finalisers per draw.

``uniform`` takes the top 52 bits as ``(j + 1/2)·2^-52``, strictly inside (0, 1).
``normal`` is the 256-layer ziggurat of Marsaglia & Tsang (2000), laid out as in NumPy: bits
0-7 pick the layer, bit 8 the sign, bits 12-63 the abscissa; 98.5 % of draws accept at once.
The rare wedge and tail tests take further values from the SplitMix64 sequence that starts at
``h`` (``mix13(h + k·GOLDEN)``, k = 1, 2, ...). Tables use scalar libm (``math``) so that a C
port reproduces them bit for bit.
"""

import math
import numbers

import numpy as np

_M = 0xFFFFFFFFFFFFFFFF
_BIAS = 1 << 64  # subtracted to store a constant >= 2^63 as the int64 with the same bits
_MIX13_C1 = 0xBF58476D1CE4E5B9 - _BIAS
_MIX13_C2 = 0x94D049BB133111EB - _BIAS
_FMIX_C1 = 0xFF51AFD7ED558CCD - _BIAS
_FMIX_C2 = 0xC4CEB9FE1A85EC53 - _BIAS
_GOLDEN = 0x9E3779B97F4A7C15 - _BIAS  # SplitMix64 increment; also G_STEP
_G_NEURON = 0xD1B54A32D192ED03 - _BIAS
_STREAM_SHIFT = 40
_TWO_M52 = 2.0**-52

_ZIG_R = 3.6541528853610088  # start of the tail, 256 layers
_ZIG_V = 0.00492867323399  # area of each layer


def _ziggurat_tables():
    """Acceptance thresholds (52-bit ints), widths and densities of the 256 layers."""
    scale = 2.0**52
    ki = np.zeros(256, dtype=np.int64)
    wi = np.zeros(256)
    fi = np.zeros(256)
    dn = tn = _ZIG_R
    q = _ZIG_V / math.exp(-0.5 * dn * dn)
    ki[0] = int(dn / q * scale)
    wi[0] = q / scale
    wi[255] = dn / scale
    fi[0] = 1.0
    fi[255] = math.exp(-0.5 * dn * dn)
    for i in range(254, 0, -1):
        dn = math.sqrt(-2.0 * math.log(_ZIG_V / dn + math.exp(-0.5 * dn * dn)))
        ki[i + 1] = int(dn / tn * scale)
        tn = dn
        fi[i] = math.exp(-0.5 * dn * dn)
        wi[i] = dn / scale
    return ki, wi, fi


_ZIG_K, _ZIG_W, _ZIG_F = _ziggurat_tables()


def seed_key(seed):
    """Map a non-negative integer seed to a well-mixed 64-bit key (a Python int < 2^64).

    Injective for seeds below 2^64; longer seeds are absorbed 64 bits at a time. numba types
    a Python int as int64, so jitted callers pass ``np.uint64(key)`` (or its int64 view, which
    gives the same draws).

    >>> seed_key(0) != seed_key(1)
    True
    """
    if not isinstance(seed, numbers.Integral) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    seed = int(seed)
    key = _mix((_GOLDEN & _M) ^ (seed & _M))
    seed >>= 64
    while seed:
        key = _mix(key ^ (seed & _M))
        seed >>= 64
    return key


def _shr(x, n):
    """Logical right shift of a 64-bit value (int64 jitted, non-negative int un-jitted)."""
    return (x >> n) & ((1 << (64 - n)) - 1)


def _mix(x):
    """Stafford's Mix13, the SplitMix64 finaliser."""
    x = ((x ^ _shr(x, 30)) * _MIX13_C1) & _M
    x = ((x ^ _shr(x, 27)) * _MIX13_C2) & _M
    return x ^ _shr(x, 31)


def _fmix(x):
    """The MurmurHash3 64-bit finaliser."""
    x = ((x ^ _shr(x, 33)) * _FMIX_C1) & _M
    x = ((x ^ _shr(x, 33)) * _FMIX_C2) & _M
    return x ^ _shr(x, 33)


def _hash(key, neuron, step, stream):
    """64 random bits for one counter; ``int()`` keeps numpy scalars out of the un-jitted path."""
    key = int(key)
    counter = int(step) + (int(stream) << _STREAM_SHIFT)
    a = _mix(key ^ ((counter * _GOLDEN) & _M))
    b = _fmix(key ^ ((int(neuron) * _G_NEURON) & _M))
    return _mix(a ^ b)


def _to_unit(h):
    """The top 52 bits of ``h`` as a float64 ``(j + 1/2)·2^-52`` in (0, 1)."""
    return (_shr(h, 12) + 0.5) * _TWO_M52


def uniform(key, neuron, step, stream):
    """A uniform float64 strictly inside (0, 1) for the counter (neuron, step, stream).

    >>> 0.0 < uniform(seed_key(7), 3, 10, 1) < 1.0
    True
    """
    return _to_unit(_hash(key, neuron, step, stream))


def normal(key, neuron, step, stream):
    """A standard normal float64 for the counter (neuron, step, stream), by ziggurat.

    >>> key = seed_key(7)
    >>> bool(normal(key, 3, 10, 0) == normal(key, 3, 10, 0) != normal(key, 4, 10, 0))
    True
    """
    h = _hash(key, neuron, step, stream)
    idx = h & 255
    rabs = _shr(h, 12)
    if rabs < _ZIG_K[idx]:
        x = rabs * _ZIG_W[idx]
        return -x if h & 256 else x
    return _normal_slow(h)


def _normal_slow(h):
    """The ziggurat's wedge and tail tests and retries (1.5 % of draws), kept out of line.

    Further bits come from the SplitMix64 sequence that starts at ``h``.
    """
    s = h
    while True:
        idx = h & 255
        rabs = _shr(h, 12)
        x = rabs * _ZIG_W[idx]
        if rabs < _ZIG_K[idx]:
            break
        if idx == 0:
            while True:
                s = (s + _GOLDEN) & _M
                xx = -math.log(_to_unit(_mix(s))) / _ZIG_R
                s = (s + _GOLDEN) & _M
                yy = -math.log(_to_unit(_mix(s)))
                if yy + yy > xx * xx:
                    break
            x = _ZIG_R + xx
            break
        s = (s + _GOLDEN) & _M
        u = _to_unit(_mix(s))
        if _ZIG_F[idx] + u * (_ZIG_F[idx - 1] - _ZIG_F[idx]) < math.exp(-0.5 * x * x):
            break
        s = (s + _GOLDEN) & _M
        h = _mix(s)
    return -x if h & 256 else x
