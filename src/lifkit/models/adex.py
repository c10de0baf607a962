"""The adaptive exponential integrate-and-fire neuron (AdEx) of Brette & Gerstner (2005).

Subthreshold dynamics, with the adaptation current w (nA)::

    C_m dV/dt = -g_L (V - E_L) + g_L Delta_T exp((V - v_T) / Delta_T) - w + I(t)
    tau_w dw/dt = a (V - E_L) - w

Past v_T the exponential term drives V to infinity in finite time; the spike is cut
where V reaches v_peak: V -> v_reset and w -> w + b.

Refractory convention (as the adaptive LIF): for t_ref after a spike V is held at
v_reset while w keeps evolving with V = v_reset, ``tau_w dw/dt = a (v_reset - E_L) - w``;
when t_ref ends (possibly mid-step) V is integrated again from v_reset.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from ..errors import ParameterError
from ..stimuli import Step
from ._params import Field, ParameterRecord, require
from .adaptive import SOROUSH_ADAPTATION, adaptive_fields, adaptive_values
from .lif import MEMBRANE_EQUIVALENT, MembraneAliases, _one_of

#: The step current (nA) of each firing pattern of Naud et al. (2008), Table 1.
PATTERN_CURRENTS: dict[str, float] = {
    "tonic": 0.5,
    "adapting": 0.5,
    "initial_burst": 0.4,
    "regular_bursting": 0.21,
    "delayed_accelerating": 0.3,
    "delayed_regular_bursting": 0.11,
    "transient": 0.18,
    "irregular": 0.16,
}


def _naud(
    C_m: float, g_L: float, E_L: float, a: float, tau_w: float, b: float, v_reset: float
) -> dict[str, float]:
    """A Naud et al. (2008) row in lifkit units: C_m pF, g_L nS, E_L mV, a nS, tau_w ms,
    b pA, v_reset mV; v_T = -50 mV, Delta_T = 2 mV, cut at 0 mV, no refractory period."""
    return dict(
        C_m=C_m * 1e-3,
        g_L=g_L * 1e-3,
        E_L=E_L,
        v_T=-50.0,
        Delta_T=2.0,
        v_peak=0.0,
        a=a * 1e-3,
        tau_w=tau_w,
        b=b * 1e-3,
        v_reset=v_reset,
        t_ref=0.0,
    )


class AdEx(MembraneAliases, ParameterRecord):
    """AdEx parameters (see the module docstring); any value may be per neuron.

    Give the membrane by two of ``tau_m`` (ms), ``R`` (MΩ), ``C_m`` (nF), ``g_L`` (µS),
    the rest as ``v_rest`` or ``E_L`` (mV) and the exponential's threshold as ``v_T`` or
    ``v_th`` (the Soroush report's name for it); ``Delta_T`` and ``v_peak`` in mV, ``a``
    in µS, ``b`` and ``w_init`` in nA, ``tau_w`` and ``t_ref`` in ms. Presets: the
    Soroush report, Brette & Gerstner (2005), and the eight firing patterns of Naud et
    al. (2008), each with its step current :meth:`pattern_current`.

    The report gives neither tau_w nor v_peak: ``"soroush"`` takes tau_w = 100 ms as
    :class:`AdaptiveLIF` does, and v_peak = 0 mV, where a real spike peaks (NEST's
    default). The choice hardly matters: from v_T + 5 Delta_T on, the upswing lasts
    under tau_m e^-5 ~ 0.07 ms in all, and V passes 0 mV only tau_m e^-55 ~ 1e-23 ms
    before it diverges.

    >>> adex = AdEx.preset("brette_gerstner_2005")
    >>> round(float(adex.tau_m), 3), float(adex.v_peak)  # ms, mV
    (9.367, -40.4)
    >>> AdEx.preset("soroush", v_peak=-60.0)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    lifkit.errors.ParameterError: v_peak = -60.0: must be above v_T; ...
    """

    FIELDS: ClassVar[tuple[Field, ...]] = adaptive_fields(
        Field("v_T", "voltage", "threshold of the exponential term (v_th)"),
        Field("Delta_T", "voltage", "slope factor of the exponential term"),
        Field("v_peak", "voltage", "spike cut: a spike is emitted when V reaches it"),
    )
    EQUIVALENT: ClassVar[tuple[tuple[tuple[str, ...], int], ...]] = (
        *MEMBRANE_EQUIVALENT,
        (("v_T", "v_th"), 1),
    )
    REDUNDANT: ClassVar[frozenset[frozenset[str]]] = frozenset({frozenset({"R", "g_L"})})
    PRESETS: ClassVar[dict[str, dict[str, Any]]] = {
        # Soroush report (seed 003): the adaptive LIF set with Delta_T = 1 mV and its V_th
        # as v_T; v_peak chosen as the class docstring explains.
        "soroush": dict(SOROUSH_ADAPTATION, v_T=-55.0, Delta_T=1.0, v_peak=0.0),
        # Brette & Gerstner (2005), regular spiking, as in Brian2's example
        # frompapers/Brette_Gerstner_2005.py: C = 281 pF, g_L = 30 nS, E_L = V_r = -70.6 mV,
        # V_T = -50.4 mV, Delta_T = 2 mV, tau_w = 144 ms, a = 4 nS, b = 80.5 pA, and the
        # spike cut V_T + 5 Delta_T = -40.4 mV.
        "brette_gerstner_2005": dict(
            C_m=0.281,
            g_L=0.030,
            E_L=-70.6,
            v_reset=-70.6,
            v_T=-50.4,
            Delta_T=2.0,
            v_peak=-40.4,
            t_ref=0.0,
            a=0.004,
            b=0.0805,
            tau_w=144.0,
        ),
        # Naud, Marcille, Clopath & Gerstner (2008), Biol Cybern 99:335, Table 1 (as
        # transcribed in Brian2's frompapers/Naud_et_al_2008_adex_firing_patterns.py, which
        # cuts spikes at 0 mV). Columns: C_m pF, g_L nS, E_L mV, a nS, tau_w ms, b pA, V_r mV;
        # the step currents are in PATTERN_CURRENTS.
        "tonic": _naud(200, 10, -70, 2, 30, 0, -58),
        "adapting": _naud(200, 12, -70, 2, 300, 60, -58),
        "initial_burst": _naud(130, 18, -58, 4, 150, 120, -50),
        "regular_bursting": _naud(200, 10, -58, 2, 120, 100, -46),
        "delayed_accelerating": _naud(200, 12, -70, -10, 300, 0, -58),
        "delayed_regular_bursting": _naud(100, 10, -65, -10, 90, 30, -47),
        "transient": _naud(100, 10, -65, 10, 90, 100, -47),
        "irregular": _naud(100, 12, -60, -11, 130, 30, -48),
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
        v_T: Any = None,
        v_th: Any = None,
        Delta_T: Any,
        v_peak: Any,
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
            v_T=_one_of("v_T", v_T, "v_th", v_th),
            Delta_T=Delta_T,
            v_peak=v_peak,
            a=a,
            b=b,
            tau_w=tau_w,
            t_ref=t_ref,
            v_init=v_init,
            w_init=w_init,
        )
        require(
            values["Delta_T"] > 0,
            "Delta_T",
            values["Delta_T"],
            "must be > 0 mV; for no exponential term use AdaptiveLIF",
        )
        require(
            values["v_peak"] > values["v_T"],
            "v_peak",
            values["v_peak"],
            "must be above v_T; the spike is cut at v_peak after the upswing past v_T",
        )
        require(
            values["v_reset"] < values["v_peak"],
            "v_reset",
            values["v_reset"],
            "must be below v_peak; reset the neuron below the spike cut",
        )
        require(
            values["v_init"] < values["v_peak"],
            "v_init",
            values["v_init"],
            "must be below v_peak; start the neuron below the spike cut",
        )
        self._set(values)

    @property
    def v_th(self) -> np.ndarray:
        """Alias of v_T in mV (the threshold of the exponential term).

        >>> float(AdEx.preset("tonic").v_th)  # Naud et al. (2008): v_T = -50 mV
        -50.0
        """
        return self.v_T

    @classmethod
    def pattern_current(cls, name: str, *, start: Any = 0.0, stop: Any = np.inf) -> Step:
        """The step current of Naud et al. (2008) for firing pattern ``name`` (a preset).

        >>> AdEx.pattern_current("tonic", start=10.0)
        Step(0.5, start=10, stop=inf)
        """
        if name not in PATTERN_CURRENTS:
            raise ParameterError(
                "pattern", name, f"unknown; choose one of {list(PATTERN_CURRENTS)}"
            )
        return Step(PATTERN_CURRENTS[name], start=start, stop=stop)
