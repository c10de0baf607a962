"""The lowered plan of a run: flat per-neuron arrays handed to a kernel family.

Each model type has a planner that turns its record and a lowered stimulus into the
kernel's parameter tuple, its initial state arrays and the names of the traces it records.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

from ..errors import ParameterError
from ..models import LIF, AdaptiveLIF, AdEx
from ..stimuli.base import Stimulus, TimeGrid
from ..stimuli.lowering import lower_input
from ._kernels.adex import ARG_PEAK_MAX, STRETCH, AdExParams
from ._kernels.alif import ALIFParams
from ._kernels.inputs import Drive
from ._kernels.lif import LIFParams
from .closed_form import ClosedFormSpikes


@dataclass(frozen=True)
class Plan:
    """Everything a kernel needs besides buffers.

    ``state`` holds the initial state arrays, which the kernel advances in place;
    ``variables`` names the recordable traces in the kernel's order; ``kernel`` names the
    kernel module in ``engine._kernels``.
    """

    grid: TimeGrid
    params: NamedTuple
    drive: Drive
    state: tuple[np.ndarray, ...]
    variables: tuple[str, ...]
    kernel: str
    n_neurons: int
    #: Enlarges the state when the kernel reports a full buffer of it (a spike queue).
    grow: Callable[[tuple[np.ndarray, ...]], tuple[np.ndarray, ...]] | None = None
    #: The kernel's work per step in neuron updates, when not n_neurons (a synaptic run
    #: also draws its Poisson sources and delivers its events; neurons solved in closed
    #: form cost none).
    updates_per_step: int | None = None
    #: The spikes of the neurons the kernel skips (see :mod:`.closed_form`).
    closed_form: ClosedFormSpikes | None = None
    #: Chunks must start at multiples of this many steps for the results not to depend on
    #: the chunks (the AdEx kernel's stretches of long steps start at such multiples).
    step_align: int = 1


def make_plan(model: Any, stimulus: Stimulus, grid: TimeGrid, n_neurons: int) -> Plan:
    """The plan of ``model`` under ``stimulus`` for ``n_neurons`` neurons on ``grid``."""
    return planner_for(model)(model, stimulus, grid, n_neurons)


def planner_for(model: Any) -> Callable[[Any, Stimulus, TimeGrid, int], Plan]:
    """The planner of ``model``'s type; a non-model is a ParameterError."""
    for model_type, planner in PLANNERS.items():
        if isinstance(model, model_type):
            return planner
    names = ", ".join(t.__name__ for t in PLANNERS)
    raise ParameterError("model", type(model).__name__, f"is not a model; use one of {names}")


def lower_drive(stimulus: Stimulus, grid: TimeGrid, R: np.ndarray) -> tuple[Drive, np.ndarray]:
    """The kernel drive of ``stimulus`` and its white-noise intensities sigma (mV)."""
    lowered = lower_input(stimulus, grid, R)
    drive = Drive(
        lowered.offset, lowered.gain, lowered.wave_start, lowered.wave_end, lowered.sampled
    )
    return drive, lowered.sigma


def lif_plan(model: LIF, stimulus: Stimulus, grid: TimeGrid, n_neurons: int) -> Plan:
    """Broadcast a LIF record and a stimulus to ``n_neurons`` kernel arrays."""
    values = model.broadcast(n_neurons)
    drive, sigma = lower_drive(stimulus, grid, values["R"])
    decay = np.exp(-grid.dt / values["tau_m"])
    params = LIFParams(
        tau=values["tau_m"],
        R=values["R"],
        v_rest=values["v_rest"],
        v_reset=values["v_reset"],
        v_th=values["v_th"],
        t_ref=values["t_ref"],
        decay=decay,
        sigma=sigma,
        noise_sd=sigma * np.sqrt(0.5 * (1.0 - decay * decay)),
        closed_form=np.zeros(n_neurons, dtype=bool),
    )
    state = (values["v_init"] - values["v_rest"], np.full(n_neurons, -np.inf))
    return Plan(grid, params, drive, state, ("v", "I"), "lif", n_neurons)


def alif_plan(model: AdaptiveLIF, stimulus: Stimulus, grid: TimeGrid, n_neurons: int) -> Plan:
    """Broadcast an adaptive-LIF record and a stimulus to ``n_neurons`` kernel arrays.

    The linear system z' = A z + f of x = v - E_L and y = R w has m = tr(A)/2,
    B = A - m I = [[kappa, -1/tau_m], [alpha/tau_w, -kappa]] and B^2 = delta I. Its white
    noise (intensity sigma on x) has the stationary covariance Sigma_inf that solves
    A S + S A^T + diag(sigma^2/tau_m, 0) = 0:
    S_xx = sigma^2 / (2 (1 + k)), S_xy = k S_xx, S_yy = alpha k S_xx with
    k = alpha tau_m / ((1 + alpha) tau_w + tau_m).

    >>> import lifkit as lk
    >>> plan = alif_plan(lk.AdaptiveLIF.preset("soroush"), lk.Constant(0.3), TimeGrid(0.1, 5), 2)
    >>> plan.kernel, plan.variables, plan.params.alpha.tolist()  # alpha = a R
    ('alif', ('v', 'I', 'w'), [0.6, 0.6])
    """
    values = model.broadcast(n_neurons)
    drive, sigma = lower_drive(stimulus, grid, values["R"])
    tau_m, tau_w = values["tau_m"], values["tau_w"]
    alpha = values["a"] * values["R"]
    kappa = 0.5 * (1.0 / tau_w - 1.0 / tau_m)
    k = alpha * tau_m / ((1.0 + alpha) * tau_w + tau_m)
    sxx = sigma**2 / (2.0 * (1.0 + k))
    params = ALIFParams(
        tau_m=tau_m,
        R=values["R"],
        E_L=values["v_rest"],
        x_reset=values["v_reset"] - values["v_rest"],
        theta=values["v_th"] - values["v_rest"],
        t_ref=values["t_ref"],
        alpha=alpha,
        tau_w=tau_w,
        jump=values["R"] * values["b"],
        sigma=sigma,
        m=-0.5 * (1.0 / tau_m + 1.0 / tau_w),
        kappa=kappa,
        delta=kappa**2 - alpha / (tau_m * tau_w),
        sxx=sxx,
        sxy=k * sxx,
        syy=alpha * k * sxx,
    )
    state = (
        values["v_init"] - values["v_rest"],
        values["R"] * values["w_init"],
        np.full(n_neurons, -np.inf),
    )
    return Plan(grid, params, drive, state, ("v", "I", "w"), "alif", n_neurons)


def adex_plan(model: AdEx, stimulus: Stimulus, grid: TimeGrid, n_neurons: int) -> Plan:
    """Broadcast an AdEx record and a stimulus to ``n_neurons`` kernel arrays.

    The cut lies ``arg_peak`` slope factors above v_T, at most ARG_PEAK_MAX of them.

    >>> import lifkit as lk
    >>> model = lk.AdEx.preset("soroush", v_peak=[0.0, 1e4])
    >>> adex_plan(model, lk.Constant(0.3), TimeGrid(0.1, 5), 2).params.arg_peak.tolist()
    [55.0, 700.0]
    """
    values = model.broadcast(n_neurons)
    drive, sigma = lower_drive(stimulus, grid, values["R"])
    delta_t = values["Delta_T"]
    params = AdExParams(
        tau_m=values["tau_m"],
        R=values["R"],
        E_L=values["v_rest"],
        x_reset=values["v_reset"] - values["v_rest"],
        x_T=values["v_T"] - values["v_rest"],
        Delta_T=delta_t,
        arg_peak=np.minimum((values["v_peak"] - values["v_T"]) / delta_t, ARG_PEAK_MAX),
        t_ref=values["t_ref"],
        alpha=values["a"] * values["R"],
        tau_w=values["tau_w"],
        jump=values["R"] * values["b"],
        sigma=sigma,
    )
    state = (
        values["v_init"] - values["v_rest"],
        values["R"] * values["w_init"],
        np.full(n_neurons, -np.inf),
    )
    return Plan(grid, params, drive, state, ("v", "I", "w"), "adex", n_neurons, step_align=STRETCH)


PLANNERS: dict[type, Callable[[Any, Stimulus, TimeGrid, int], Plan]] = {
    LIF: lif_plan,
    AdaptiveLIF: alif_plan,
    AdEx: adex_plan,
}
