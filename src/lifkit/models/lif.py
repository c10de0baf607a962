"""The leaky integrate-and-fire neuron as an immutable parameter record.

Subthreshold dynamics, in either of the two equivalent forms the literature uses::

    tau_m dv/dt = -(v - v_rest) + R I(t)        (Gerstner & Kistler; neurodynex3)
    C_m   dV/dt = -g_L (V - E_L) + I(t)         (tau_m = C_m/g_L, R = 1/g_L)

When v reaches v_th a spike is emitted, v is reset to v_reset and held there for the
absolute refractory period t_ref; integration then resumes (possibly mid-step).
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from ..errors import ParameterError
from ._params import Field, ParameterRecord, as_parameter, require

MEMBRANE = ("tau_m", "R", "C_m", "g_L")
#: The parameters given in several equivalent ways: two of the membrane's, one rest name.
MEMBRANE_EQUIVALENT: tuple[tuple[tuple[str, ...], int], ...] = (
    (MEMBRANE, 2),
    (("v_rest", "E_L"), 1),
)


class MembraneAliases:
    """The C_m/g_L/E_L view of a record stored as tau_m, R and v_rest.

    >>> lif = LIF.preset("soroush")
    >>> float(lif.C_m), float(lif.g_L), float(lif.E_L)  # nF, µS, mV
    (0.1, 0.01, -75.0)
    """

    __slots__ = ()
    tau_m: np.ndarray
    R: np.ndarray
    v_rest: np.ndarray

    @property
    def C_m(self) -> np.ndarray:
        """Membrane capacitance tau_m / R in nF.

        >>> float(LIF.preset("soroush").C_m)  # 10 ms / 100 MΩ
        0.1
        """
        return self.tau_m / self.R

    @property
    def g_L(self) -> np.ndarray:
        """Leak conductance 1 / R in µS.

        >>> float(LIF.preset("soroush").g_L)  # 10 nS
        0.01
        """
        return 1.0 / self.R

    @property
    def E_L(self) -> np.ndarray:
        """Alias of v_rest in mV.

        >>> float(LIF.preset("soroush").E_L)
        -75.0
        """
        return self.v_rest


class LIF(MembraneAliases, ParameterRecord):
    """Leaky integrate-and-fire parameters; every value may be a per-neuron array.

    Give the membrane by exactly two of ``tau_m`` (ms), ``R`` (MΩ), ``C_m`` (nF) and
    ``g_L`` (µS), and the resting potential as ``v_rest`` or its alias ``E_L`` (mV).
    Numbers are in base units; strings like ``"10 nS"`` are converted.

    >>> lif = LIF(tau_m=10, R=1, v_rest=0, v_reset=0, v_th=15)
    >>> float(lif.tau_m), float(lif.C_m)
    (10.0, 10.0)
    >>> LIF(C_m="100 pF", g_L="10 nS", E_L="-75 mV", v_reset=-75, v_th=-55).R
    array(100.)
    >>> LIF.preset("neurodynex").rheobase_current()  # nA
    2.0
    """

    FIELDS: ClassVar[tuple[Field, ...]] = (
        Field("tau_m", "time", "membrane time constant"),
        Field("R", "resistance", "membrane resistance (1/g_L)"),
        Field("v_rest", "voltage", "resting potential (E_L)"),
        Field("v_reset", "voltage", "reset potential after a spike"),
        Field("v_th", "voltage", "firing threshold"),
        Field("t_ref", "time", "absolute refractory period (v held at v_reset)"),
        Field("v_init", "voltage", "membrane potential at t = 0"),
    )
    EQUIVALENT: ClassVar[tuple[tuple[tuple[str, ...], int], ...]] = MEMBRANE_EQUIVALENT
    REDUNDANT: ClassVar[frozenset[frozenset[str]]] = frozenset({frozenset({"R", "g_L"})})
    PRESETS: ClassVar[dict[str, dict[str, Any]]] = {
        # Orhan (2012): drive given in mV with R = 1, v_r = 0, v_th = 15 mV, tau_m = 10 ms.
        "orhan": dict(tau_m=10.0, R=1.0, v_rest=0.0, v_reset=0.0, v_th=15.0, t_ref=0.0),
        # Neuronal Dynamics exercises / neurodynex3 LIF module defaults.
        "neurodynex": dict(tau_m=8.0, R=10.0, v_rest=-70.0, v_reset=-65.0, v_th=-50.0, t_ref=2.0),
        # Soroush report: g_L = 10 nS, tau_m = 10 ms, E_L = V_reset = -75 mV, V_init = -65 mV.
        "soroush": dict(
            tau_m=10.0, g_L=0.01, E_L=-75.0, v_reset=-75.0, v_th=-55.0, t_ref=2.0, v_init=-65.0
        ),
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
        t_ref: Any = 0.0,
        v_init: Any = None,
    ) -> None:
        tau, resistance = membrane_from_any(tau_m=tau_m, R=R, C_m=C_m, g_L=g_L)
        rest = _one_of("v_rest", v_rest, "E_L", E_L)
        fields = {f.name: f for f in self.FIELDS}
        values = {
            "tau_m": tau,
            "R": resistance,
            "v_rest": as_parameter(rest, fields["v_rest"]),
            "v_reset": as_parameter(v_reset, fields["v_reset"]),
            "v_th": as_parameter(v_th, fields["v_th"]),
            "t_ref": as_parameter(t_ref, fields["t_ref"]),
        }
        values["v_init"] = as_parameter(
            values["v_rest"] if v_init is None else v_init, fields["v_init"]
        )
        _validate_lif(values)
        self._set(values)

    def rheobase_current(self) -> Any:
        """The minimal constant current that makes the neuron fire, (v_th - v_rest)/R in nA.

        >>> LIF.preset("soroush").rheobase_current()  # 20 mV / 100 MΩ
        0.2
        """
        value = (self.v_th - self.v_rest) / self.R
        return float(value) if np.ndim(value) == 0 else value


def membrane_from_any(*, tau_m: Any, R: Any, C_m: Any, g_L: Any) -> tuple[np.ndarray, np.ndarray]:
    """(tau_m, R) from exactly two of tau_m, R, C_m and g_L, converted and checked > 0.

    >>> membrane_from_any(tau_m=None, R=None, C_m="200 pF", g_L="10 nS")  # (ms, MΩ)
    (array(20.), array(100.))
    """
    given = {k: v for k, v in dict(tau_m=tau_m, R=R, C_m=C_m, g_L=g_L).items() if v is not None}
    if len(given) != 2 or set(given) == {"R", "g_L"}:
        raise ParameterError(
            "membrane",
            sorted(given),
            "give exactly two of tau_m, R, C_m, g_L (not R with g_L), e.g. tau_m and R",
        )
    dims = {"tau_m": "time", "R": "resistance", "C_m": "capacitance", "g_L": "conductance"}
    values = {k: as_parameter(v, Field(k, dims[k], "")) for k, v in given.items()}
    for name, value in values.items():
        require(value > 0, name, value, "must be > 0; membrane constants are positive")
    if "R" not in values:
        values["R"] = 1.0 / values["g_L"] if "g_L" in values else values["tau_m"] / values["C_m"]
    if "tau_m" not in values:
        values["tau_m"] = values["R"] * values["C_m"]
    return _frozen(values["tau_m"]), _frozen(values["R"])


def _frozen(array: np.ndarray) -> np.ndarray:
    array = np.array(array, dtype=np.float64)
    array.flags.writeable = False
    return array


def _one_of(name: str, value: Any, alias: str, alias_value: Any) -> Any:
    if (value is None) == (alias_value is None):
        raise ParameterError(name, value, f"give exactly one of {name} and its alias {alias}")
    return value if value is not None else alias_value


def _validate_lif(values: dict[str, np.ndarray]) -> None:
    require(values["t_ref"] >= 0, "t_ref", values["t_ref"], "must be >= 0 ms")
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
