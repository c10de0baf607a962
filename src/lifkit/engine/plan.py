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
from ..models import LIF
from ..stimuli.base import Stimulus, TimeGrid
from ..stimuli.lowering import lower_input
from ._kernels.inputs import Drive
from ._kernels.lif import LIFParams


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
    )
    state = (values["v_init"] - values["v_rest"], np.full(n_neurons, -np.inf))
    return Plan(grid, params, drive, state, ("v", "I"), "lif", n_neurons)


PLANNERS: dict[type, Callable[[Any, Stimulus, TimeGrid, int], Plan]] = {LIF: lif_plan}
