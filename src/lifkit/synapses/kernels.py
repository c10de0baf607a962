"""Postsynaptic kernels: what one presynaptic spike does to the target neuron.

Following the Orhan note (eqs. 8-11), the synaptic current of neuron i is
``I_i(t) = sum_j w_ij sum_f kernel(t - t_j^f)``. Every current kernel is normalised so
that its **peak is the weight w**; for one spike at t = 0 (t >= 0):

- ``ExponentialSynapse(tau)``: w exp(-t/tau); charge (integral) w tau;
- ``AlphaSynapse(tau)`` (eq. 10): w (t/tau) exp(1 - t/tau), peak at tau; charge e w tau;
- ``BiexponentialSynapse(tr, td)`` (eq. 11): w (exp(-t/td) - exp(-t/tr)) / K, peak at
  t* = tr td ln(td/tr) / (td - tr), K = exp(-t*/td) - exp(-t*/tr); charge w (td - tr)/K.
 ``DeltaSynapse()`` (eq. 9) makes v jump by w (mV)
at the arrival time. A weight of a current kernel is a current (nA) or, in the
mV-drive convention of the Orhan note (R = 1 MΩ, "I = 20 mV"), a voltage meaning the
drive R I; a plain number is taken in nA, or in mV for the delta synapse.
"""

from __future__ import annotations

import math
from typing import Any, ClassVar

import numpy as np

from ..errors import ParameterError
from ..units import to_base

#: Kernel kinds as the engine knows them.
DELTA, EXPONENTIAL, CASCADE = 0, 1, 2


def _time_constant(value: Any, name: str) -> float:
    tau = to_base(value, "time", name)
    if np.ndim(tau) != 0 or not (np.isfinite(tau) and tau > 0):
        raise ParameterError(name, value, "must be a single finite time constant > 0 ms")
    return float(tau)


class Synapse:
    """Base of the postsynaptic kernels; equal kernels share state in a run.

    >>> ExponentialSynapse("5 ms") == ExponentialSynapse(5.0), isinstance(DeltaSynapse(), Synapse)
    (True, True)
    """

    #: Dimensions a weight may have; plain numbers are taken in the first one.
    WEIGHT_DIMENSIONS: ClassVar[tuple[str, ...]] = ("current", "voltage")

    def lowered(self) -> tuple[int, float, float, float]:
        """(kind, tau_decay, tau_rise, norm) as the engine's synapse table holds them.

        >>> ExponentialSynapse("5 ms").lowered()[1:]  # an exponential: tau twice, norm 1
        (5.0, 5.0, 1.0)
        """
        raise NotImplementedError

    def current(self, t: Any, weight: float = 1.0) -> np.ndarray:
        """The kernel: the current (units of ``weight``) at ``t`` ms after one arrival.

        >>> ExponentialSynapse("5 ms").current([-1.0, 0.0, 5.0]).round(4).tolist()
        [0.0, 1.0, 0.3679]
        """
        raise NotImplementedError

    def _key(self) -> tuple[Any, ...]:
        return (type(self).__name__, *self.lowered())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Synapse) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())


class DeltaSynapse(Synapse):
    """Dirac-delta synapse (Orhan eq. 9): v jumps by the weight w (mV) at the arrival.

    The jump is instantaneous; if it carries v to threshold the neuron spikes at the
    arrival time. An arrival while the neuron is refractory (v held at v_reset) is lost.
    It adds nothing to the recorded synaptic current ``I_syn``.

    >>> DeltaSynapse()
    DeltaSynapse()
    """

    WEIGHT_DIMENSIONS: ClassVar[tuple[str, ...]] = ("voltage",)

    def lowered(self) -> tuple[int, float, float, float]:
        return DELTA, 1.0, 1.0, 0.0

    def __repr__(self) -> str:
        return "DeltaSynapse()"


class ExponentialSynapse(Synapse):
    """Current jumping by w at each arrival and decaying with ``tau`` (ms): w exp(-t/tau).

    >>> syn = ExponentialSynapse("5 ms")
    >>> float(syn.current(5.0, weight=2.0)), syn.charge  # 2 e^-1 nA; integral per unit w (ms)
    (0.7357588823428847, 5.0)
    """

    def __init__(self, tau: Any) -> None:
        self.tau = _time_constant(tau, "tau")

    @property
    def peak_time(self) -> float:
        """Time of the peak after the arrival (ms)."""
        return 0.0

    @property
    def charge(self) -> float:
        """Integral of the kernel per unit weight (ms): tau."""
        return self.tau

    def lowered(self) -> tuple[int, float, float, float]:
        return EXPONENTIAL, self.tau, self.tau, 1.0

    def current(self, t: Any, weight: float = 1.0) -> np.ndarray:
        t = np.asarray(t, dtype=np.float64)
        return np.where(t >= 0, weight * np.exp(-np.maximum(t, 0.0) / self.tau), 0.0)

    def __repr__(self) -> str:
        return f"ExponentialSynapse(tau={self.tau:g} ms)"


class BiexponentialSynapse(Synapse):
    """Bi-exponential kernel (Orhan eq. 11) with rise ``tau_rise`` and decay ``tau_decay``
    (ms), normalised so that its peak is the weight w::

        I(t) = w (exp(-t/tau_decay) - exp(-t/tau_rise)) / K,   peak at
        t* = tau_rise tau_decay ln(tau_decay/tau_rise) / (tau_decay - tau_rise),
        K = exp(-t*/tau_decay) - exp(-t*/tau_rise),   charge w (tau_decay - tau_rise) / K.

    This is Brian's ``biexp_synapse(tau1, tau2)``, whose ``invpeak`` gives the same peak
    normalisation (the normalised kernel is symmetric in tau1 and tau2). Eq. 11 as
    printed, beta tau2/(tau2 - tau1) [exp(-t/tau1) - exp(-t/tau2)], is negative for either
    order of the time constants (the sign of Brian's docstring, from which it was copied;
    Brian's equations are positive): it equals this kernel for
    beta = -w |tau2 - tau1| / (tau2 K). At ``tau_rise == tau_decay`` the kernel is the
    alpha kernel (t/tau) exp(1 - t/tau), and as ``tau_rise -> 0`` the exponential one;
    it is integrated stably near both limits.

    >>> syn = BiexponentialSynapse(tau_rise="1 ms", tau_decay="5 ms")
    >>> round(syn.peak_time, 6), round(float(syn.current(syn.peak_time)), 12)
    (2.011797, 1.0)
    >>> BiexponentialSynapse(3.0, 3.0) == AlphaSynapse(3.0)
    True
    """

    def __init__(self, tau_rise: Any, tau_decay: Any) -> None:
        self.tau_rise = _time_constant(tau_rise, "tau_rise")
        self.tau_decay = _time_constant(tau_decay, "tau_decay")
        if self.tau_rise > self.tau_decay:
            raise ParameterError(
                "tau_rise",
                tau_rise,
                f"must not exceed tau_decay = {self.tau_decay:g} ms; the kernel is symmetric"
                " in the two, so swap them",
            )

    @property
    def peak_time(self) -> float:
        """t* = tau_r tau_d ln(tau_d/tau_r) / (tau_d - tau_r) (ms); tau when they are equal."""
        tr, td = self.tau_rise, self.tau_decay
        if tr == td:
            return td
        return tr * td * math.log1p((td - tr) / tr) / (td - tr)

    @property
    def norm(self) -> float:
        """The factor 1 / (t* exp[-t*/tau_r, -t*/tau_d]) that makes the peak w (1/ms)."""
        tp = self.peak_time
        return 1.0 / (tp * _dd1(-tp / self.tau_rise, -tp / self.tau_decay))

    @property
    def charge(self) -> float:
        """Integral of the kernel per unit weight (ms): norm tau_r tau_d."""
        return self.norm * self.tau_rise * self.tau_decay

    def lowered(self) -> tuple[int, float, float, float]:
        return CASCADE, self.tau_decay, self.tau_rise, self.norm

    def current(self, t: Any, weight: float = 1.0) -> np.ndarray:
        # I = w norm t exp[-t/tau_r, -t/tau_d]: the engine's stable form.
        t = np.maximum(np.asarray(t, dtype=np.float64), 0.0)
        values = weight * self.norm * t * _dd1(-t / self.tau_rise, -t / self.tau_decay)
        return np.asarray(values, dtype=np.float64)

    def _key(self) -> tuple[Any, ...]:
        return ("cascade", *self.lowered())

    def __repr__(self) -> str:
        return (
            f"BiexponentialSynapse(tau_rise={self.tau_rise:g} ms, tau_decay={self.tau_decay:g} ms)"
        )


class AlphaSynapse(BiexponentialSynapse):
    """Alpha kernel (Orhan eq. 10): I(t) = w (t/tau) exp(1 - t/tau), peak w at t = tau.

    Its charge is e w tau. (Brian 1's ``alpha_synapse``, which the note's code uses,
    documents this kernel but integrates w (t/tau) exp(-t/tau), whose peak is w/e; to
    reproduce a simulation made with it, divide the weights by e.)

    >>> syn = AlphaSynapse("10 ms")
    >>> round(float(syn.current(10.0, weight=1.62)), 12), round(syn.charge, 6)
    (1.62, 27.182818)
    """

    def __init__(self, tau: Any) -> None:
        self.tau = _time_constant(tau, "tau")
        super().__init__(self.tau, self.tau)

    def __repr__(self) -> str:
        return f"AlphaSynapse(tau={self.tau:g} ms)"


def _dd1(a: Any, b: Any) -> Any:
    """exp[a, b] = (e^a - e^b)/(a - b), elementwise and stable (e^a when a == b)."""
    a, b = np.broadcast_arrays(np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64))
    high, gap = np.maximum(a, b), -np.abs(a - b)
    with np.errstate(invalid="ignore", divide="ignore"):
        phi = np.where(gap == 0.0, 1.0, np.expm1(gap) / np.where(gap == 0.0, 1.0, gap))
    result = np.exp(high) * phi
    return float(result) if result.ndim == 0 else result
