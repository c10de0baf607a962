"""The lowered plan of a run: flat per-neuron arrays handed to the kernels."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..models import LIF
from ..stimuli.base import TimeGrid
from ..stimuli.lowering import LoweredInput
from ._kernels.lif import Drive, LIFParams


@dataclass(frozen=True)
class Plan:
    """Everything a kernel needs besides state and buffers."""

    grid: TimeGrid
    params: LIFParams
    drive: Drive
    n_neurons: int


def lif_plan(model: LIF, lowered: LoweredInput, grid: TimeGrid, n_neurons: int) -> Plan:
    """Broadcast a LIF record and a lowered stimulus to ``n_neurons`` kernel arrays."""
    values = model.broadcast(n_neurons)
    decay = np.exp(-grid.dt / values["tau_m"])
    params = LIFParams(
        tau=values["tau_m"],
        R=values["R"],
        v_rest=values["v_rest"],
        v_reset=values["v_reset"],
        v_th=values["v_th"],
        t_ref=values["t_ref"],
        decay=decay,
        sigma=lowered.sigma,
        noise_sd=lowered.sigma * np.sqrt(0.5 * (1.0 - decay * decay)),
    )
    drive = Drive(
        lowered.offset, lowered.gain, lowered.wave_start, lowered.wave_end, lowered.sampled
    )
    return Plan(grid, params, drive, n_neurons)
