"""Closed forms of the leaky integrate-and-fire neuron under constant or sinusoidal drive.

With ``v_inf = v_rest + R I`` the subthreshold solution of ``tau_m dv/dt = -(v - v_rest) + R I``
relaxes exponentially to ``v_inf``; the neuron fires only when ``v_inf > v_th``, i.e. above the
rheobase ``(v_th - v_rest)/R``. Every function takes a :class:`lifkit.models.LIF` record and
broadcasts its per-neuron arrays against the other arguments with numpy's rules (pass
``current[:, None]`` for a grid of currents times neurons). Scalar input gives a float.

``current`` is a number in nA, an array, a string such as ``"300 pA"``, or a voltage such as
``"20 mV"`` read as the drive ``R I`` (the convention of Orhan's note, where R = 1 MΩ).
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from ..errors import ParameterError
from ..models import LIF
from ..units import current_from, to_base


class FrequencyResponse(NamedTuple):
    """Steady-state response of the membrane to a sinusoidal current ``A sin(2π f t)``.

    At 0 Hz the gain is R and there is no lag; at f = 1 / (2π tau_m) the gain has fallen
    to R / sqrt(2) and the phase to -45°:

    >>> neurodynex = LIF.preset("neurodynex")  # R = 10 MΩ, tau_m = 8 ms
    >>> subthreshold_response(neurodynex, 0.0)
    FrequencyResponse(gain=10.0, phase=-0.0)
    >>> corner = subthreshold_response(neurodynex, 1000.0 / (2 * np.pi * 8.0))
    >>> round(corner.gain, 4), round(corner.phase, 6)  # MΩ, degrees
    (7.0711, -45.0)
    """

    gain: Any
    """Amplitude of the voltage oscillation per unit current amplitude, in MΩ (mV/nA)."""
    phase: Any
    """Phase of the voltage relative to the current, in degrees (negative: voltage lags)."""


def membrane_potential(model: LIF, current: Any, t: Any, *, v0: Any = None) -> Any:
    """Subthreshold membrane potential in mV under a constant current, ignoring the threshold.

    ``v(t) = v_inf + (v0 - v_inf) exp(-t/tau_m)`` with ``v_inf = v_rest + R I`` (Orhan eq. 2).

    current: nA (or drive R I in mV); t: time since v0, ms, >= 0; v0: mV, default
    ``model.v_init``.

    >>> orhan = LIF.preset("orhan")
    >>> membrane_potential(orhan, "20 mV", [0.0, 10.0, 1000.0]).round(4)  # 20 (1 - e^-t/10)
    array([ 0.    , 12.6424, 20.    ])
    """
    current = _argument(model, current, "current", "current")
    t = _argument(model, t, "t", "time")
    if np.any(t < 0):
        raise ParameterError("t", t, "must be >= 0 ms; times are measured from v0 at t = 0")
    v0 = model.v_init if v0 is None else _argument(model, v0, "v0", "voltage")
    v_inf = model.v_rest + model.R * current
    return _result(v_inf + (v0 - v_inf) * np.exp(-t / model.tau_m))


def first_spike_time(model: LIF, current: Any, *, v0: Any = None) -> Any:
    """Time in ms for a constant current to drive v from ``v0`` to ``v_th``; inf if it never does.

    ``t1 = tau_m ln((v_inf - v0) / (v_inf - v_th))`` with ``v_inf = v_rest + R I`` (Orhan eq. 4),
    finite only above the rheobase.

    current: nA (or drive R I in mV); v0: mV below v_th, default ``model.v_init``.

    >>> orhan = LIF.preset("orhan")
    >>> round(first_spike_time(orhan, "20 mV"), 6)  # 10 ln(20/5) ms
    13.862944
    >>> first_spike_time(orhan, "15 mV")
    inf
    """
    current = _argument(model, current, "current", "current")
    if v0 is None:
        v0 = model.v_init
    else:
        v0 = _argument(model, v0, "v0", "voltage")
        if np.any(v0 >= model.v_th):
            raise ParameterError("v0", v0, "must be below v_th; start the neuron below threshold")
    return _result(_time_to_threshold(model, current, v0))


def period(model: LIF, current: Any) -> Any:
    """Interspike interval in ms under a constant current; inf at or below the rheobase.

    ``T = t_ref + tau_m ln((v_inf - v_reset) / (v_inf - v_th))`` with ``v_inf = v_rest + R I``
    (Orhan eq. 5).

    current: nA (or drive R I in mV).

    >>> round(period(LIF.preset("orhan", t_ref=5.0), "20 mV"), 6)  # 5 + 10 ln 4 ms
    18.862944
    """
    current = _argument(model, current, "current", "current")
    return _result(model.t_ref + _time_to_threshold(model, current, model.v_reset))


def firing_rate(model: LIF, current: Any) -> Any:
    """Firing rate in Hz under a constant current; exactly 0 at or below the rheobase.

    ``f = 1000 / T`` with the period T in ms (Orhan eq. 6); f stays below ``1000 / t_ref``.

    current: nA (or drive R I in mV).

    >>> neurodynex = LIF.preset("neurodynex")
    >>> firing_rate(neurodynex, [1.0, 2.0, 3.0]).round(3)
    array([  0.   ,   0.   , 107.177])
    """
    return _result(1000.0 / period(model, current))


def rheobase(model: LIF) -> Any:
    """Minimal constant current that makes the neuron fire, ``(v_th - v_rest) / R`` in nA.

    >>> rheobase(LIF.preset("neurodynex"))  # 20 mV / 10 MΩ
    2.0
    """
    return _result((model.v_th - model.v_rest) / model.R)


def subthreshold_response(model: LIF, frequency: Any) -> FrequencyResponse:
    """Gain (MΩ) and phase (degrees) of the membrane as a first-order low-pass filter.

    A current ``A sin(2π f t)`` drives, once transients have decayed, the oscillation
    ``gain A sin(2π f t + phase)`` around v_rest, with ``gain = R / sqrt(1 + (ω tau_m)²)``,
    ``phase = -atan(ω tau_m)`` and ``ω = 2π f / 1000`` per ms. The threshold is ignored.

    frequency: Hz, >= 0.

    >>> response = subthreshold_response(LIF.preset("neurodynex"), 250.0)
    >>> round(response.gain, 4), round(response.phase, 2)  # mV per nA, degrees
    (0.7933, -85.45)
    """
    frequency = _argument(model, frequency, "frequency", "frequency")
    if np.any(frequency < 0):
        raise ParameterError("frequency", frequency, "must be >= 0 Hz")
    omega_tau = 2 * np.pi * frequency / 1000.0 * model.tau_m
    return FrequencyResponse(
        gain=_result(model.R / np.sqrt(1.0 + omega_tau**2)),
        phase=_result(-np.degrees(np.arctan(omega_tau))),
    )


def _time_to_threshold(model: LIF, current: Any, v_from: Any) -> np.ndarray:
    """``tau_m ln((v_inf - v_from) / (v_inf - v_th))`` in ms, inf at or below the rheobase."""
    v_inf = model.v_rest + model.R * current
    fires = (current > (model.v_th - model.v_rest) / model.R) & (v_inf > model.v_th)
    margin = np.where(fires, v_inf - model.v_th, 1.0)  # 1.0 keeps masked lanes warning-free
    return np.where(fires, model.tau_m * np.log1p((model.v_th - v_from) / margin), np.inf)


def _argument(model: LIF, value: Any, name: str, dimension: str) -> Any:
    """``value`` in base units, checked finite and broadcastable against the model's neurons."""
    shapes = [array.shape for array in model.values().values()]
    try:
        np.broadcast_shapes(np.shape(value), *shapes)
    except ValueError:
        raise ParameterError(
            name,
            value,
            f"shape {np.shape(value)} does not broadcast against the model's per-neuron shape "
            f"{np.broadcast_shapes(*shapes)}",
        ) from None
    if dimension == "current":
        converted = current_from(value, model.R, name)
    else:
        converted = to_base(value, dimension, name)
    if not np.all(np.isfinite(converted)):
        raise ParameterError(name, value, "contains NaN or inf; give finite values")
    return converted


def _result(value: Any) -> Any:
    return float(value) if np.ndim(value) == 0 else np.asarray(value)
