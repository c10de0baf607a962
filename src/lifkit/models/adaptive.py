"""The adaptive leaky integrate-and-fire neuron, and the adaptation shared with AdEx.

Subthreshold dynamics, with the adaptation current w (nA)::

    C_m dV/dt = -g_L (V - E_L) - w + I(t)     (tau_m dV/dt = -(V - E_L) - R w + R I)
    tau_w dw/dt = a (V - E_L) - w

When V reaches v_th a spike is emitted, V -> v_reset and w -> w + b.

Refractory convention: for t_ref after a spike V is held at v_reset while w keeps
evolving with V = v_reset, ``tau_w dw/dt = a (v_reset - E_L) - w`` (as NEST's aeif models);
when t_ref ends (possibly mid-step) V is integrated again from v_reset.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from ._params import Field, ParameterRecord, as_parameter, require
from .lif import MEMBRANE_EQUIVALENT, MembraneAliases, _one_of, membrane_from_any

#: The Soroush report's adaptive neuron (seed 003) without its threshold: the LIF set
#: (g_L = 10 nS, tau_m = 10 ms, E_L = V_reset = -75 mV, V_init = -65 mV, t_ref = 2 ms)
#: with a = 6 nS, b = 10 pA, w_init = 0; tau_w chosen as AdaptiveLIF's docstring explains.
SOROUSH_ADAPTATION: dict[str, float] = dict(
    tau_m=10.0,
    g_L=0.01,
    E_L=-75.0,
    v_reset=-75.0,
    t_ref=2.0,
    v_init=-65.0,
    a=0.006,
    b=0.01,
    tau_w=100.0,
    w_init=0.0,
)


def adaptive_fields(*threshold: Field) -> tuple[Field, ...]:
    """The fields of an adaptive model whose spike mechanism has the fields ``threshold``.

    >>> [f.name for f in adaptive_fields(Field("v_th", "voltage", "threshold"))][3:6]
    ['v_reset', 'v_th', 't_ref']
    """
    return (
        Field("tau_m", "time", "membrane time constant"),
        Field("R", "resistance", "membrane resistance (1/g_L)"),
        Field("v_rest", "voltage", "resting potential (E_L)"),
        Field("v_reset", "voltage", "reset potential after a spike"),
        *threshold,
        Field("t_ref", "time", "absolute refractory period (V held at v_reset)"),
        Field("a", "conductance", "subthreshold adaptation coupling"),
        Field("b", "current", "spike-triggered adaptation increment"),
        Field("tau_w", "time", "adaptation time constant"),
        Field("v_init", "voltage", "membrane potential at t = 0"),
        Field("w_init", "current", "adaptation current at t = 0"),
    )


def adaptive_values(fields: tuple[Field, ...], **given: Any) -> dict[str, np.ndarray]:
    """Convert and check the membrane, reset, refractory and adaptation parameters.

    ``given`` holds the constructor's keywords; the membrane may be any two of tau_m,
    R, C_m and g_L, the resting potential ``v_rest`` or ``E_L``. The other keywords
    named by ``fields`` (a threshold, v_init) are converted as they are.

    >>> values = adaptive_values(AdaptiveLIF.FIELDS, tau_m=None, R=None, C_m="100 pF",
    ...     g_L="10 nS", v_rest=None, E_L=-75.0, v_reset=-75.0, v_th=-55.0, a="6 nS",
    ...     b="10 pA", tau_w=100.0, t_ref=2.0, v_init=None, w_init=0.0)
    >>> float(values["tau_m"]), float(values["a"]), float(values["v_init"])
    (10.0, 0.006, -75.0)
    """
    tau, resistance = membrane_from_any(
        tau_m=given.pop("tau_m"), R=given.pop("R"), C_m=given.pop("C_m"), g_L=given.pop("g_L")
    )
    rest = _one_of("v_rest", given.pop("v_rest"), "E_L", given.pop("E_L"))
    by_name = {f.name: f for f in fields}
    values = {"tau_m": tau, "R": resistance, "v_rest": as_parameter(rest, by_name["v_rest"])}
    v_init = given.pop("v_init")
    for name, value in given.items():
        values[name] = as_parameter(value, by_name[name])
    values["v_init"] = as_parameter(
        values["v_rest"] if v_init is None else v_init, by_name["v_init"]
    )
    require(values["t_ref"] >= 0, "t_ref", values["t_ref"], "must be >= 0 ms")
    require(
        values["tau_w"] > 0,
        "tau_w",
        values["tau_w"],
        "must be > 0 ms; the adaptation time constant is positive",
    )
    require(
        values["a"] >= -1.0 / values["R"],
        "a",
        values["a"],
        "must be >= -g_L: with a < -g_L the rest is a saddle and V can run away to -inf",
    )
    return {name: values[name] for name in by_name}


class AdaptiveLIF(MembraneAliases, ParameterRecord):
    """Adaptive LIF parameters (see the module docstring); any value may be per neuron.

    Give the membrane by two of ``tau_m`` (ms), ``R`` (MΩ), ``C_m`` (nF), ``g_L`` (µS),
    the rest as ``v_rest`` or ``E_L`` (mV); ``a`` in µS, ``b`` and ``w_init`` in nA,
    ``tau_w`` and ``t_ref`` in ms. Strings like ``"6 nS"`` are converted. The engine
    integrates the linear subthreshold system exactly and finds threshold crossings
    inside the step.

    Preset ``"soroush"``: the Soroush report's set; the report gives no tau_w, and
    100 ms is chosen, a typical cortical adaptation time (Brette & Gerstner 2005 use
    144 ms, Naud et al. 2008 30-300 ms) that lets adaptation settle within its 400 ms runs.

    >>> alif = AdaptiveLIF.preset("soroush")
    >>> float(alif.C_m), float(alif.a), float(alif.b)  # nF, µS, nA
    (0.1, 0.006, 0.01)
    >>> AdaptiveLIF.preset("soroush", tau_w="-5 ms")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    lifkit.errors.ParameterError: tau_w = -5.0: must be > 0 ms; ...
    """

    FIELDS: ClassVar[tuple[Field, ...]] = adaptive_fields(
        Field("v_th", "voltage", "firing threshold")
    )
    EQUIVALENT: ClassVar[tuple[tuple[tuple[str, ...], int], ...]] = MEMBRANE_EQUIVALENT
    REDUNDANT: ClassVar[frozenset[frozenset[str]]] = frozenset({frozenset({"R", "g_L"})})
    PRESETS: ClassVar[dict[str, dict[str, Any]]] = {
        # Soroush report (seed 003): V_th = -55 mV.
        "soroush": dict(SOROUSH_ADAPTATION, v_th=-55.0),
    }

    def __init__(
        self,
        *,
        tau_m: Any = None,
        R: Any = None,
        C_m: Any = None,
        g_L: Any = None,
        v_rest: Any = None,
        E_L: Any = None,
        v_reset: Any,
        v_th: Any,
        a: Any,
        b: Any,
        tau_w: Any,
        t_ref: Any = 0.0,
        v_init: Any = None,
        w_init: Any = 0.0,
    ) -> None:
        values = adaptive_values(
            self.FIELDS,
            tau_m=tau_m,
            R=R,
            C_m=C_m,
            g_L=g_L,
            v_rest=v_rest,
            E_L=E_L,
            v_reset=v_reset,
            v_th=v_th,
            a=a,
            b=b,
            tau_w=tau_w,
            t_ref=t_ref,
            v_init=v_init,
            w_init=w_init,
        )
        require(
            values["v_th"] > values["v_reset"],
            "v_th",
            values["v_th"],
            "must be above v_reset; raise v_th or lower v_reset",
        )
        require(
            values["v_init"] < values["v_th"],
            "v_init",
            values["v_init"],
            "must be below v_th; start the neuron below threshold",
        )
        require(
            values["a"] != -1.0 / values["R"],
            "a",
            values["a"],
            "must differ from -g_L: without the exponential term the membrane then has no "
            "rest (use AdEx, or a slightly larger a)",
        )
        self._set(values)
