"""Folding a stimulus's terms into the flat drive arrays the kernels read."""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

import numpy as np

from .base import Stimulus, TimeGrid


@dataclass(frozen=True)
class LoweredInput:
    """A stimulus on a grid for ``n_neurons`` neurons, as drive R*I in mV.

    The drive of neuron i during step k is linear from
    ``offset[i] + gain[:, i] @ wave_start[:, k] + sampled[k, i]`` to the same with
    ``wave_end``; ``sigma[i]`` is its white-noise intensity (mV, Brunel convention).

    >>> from lifkit.stimuli import WhiteNoise
    >>> lowered = lower_input(WhiteNoise("4 mV", mean="0.2 nA"), TimeGrid(0.1, 4),
    ...                       np.array([10.0, 20.0]))  # R in MΩ
    >>> lowered.offset.tolist(), lowered.sigma.tolist()  # R * 0.2 nA; sigma given in mV
    ([2.0, 4.0], [4.0, 4.0])
    """

    offset: np.ndarray
    gain: np.ndarray
    wave_start: np.ndarray
    wave_end: np.ndarray
    sampled: np.ndarray
    sigma: np.ndarray


def lower_input(stimulus: Stimulus, grid: TimeGrid, R: np.ndarray) -> LoweredInput:
    """Lower ``stimulus`` on ``grid`` for neurons of membrane resistances ``R`` (MΩ, (n,)).

    >>> from lifkit.stimuli import Constant, Step
    >>> lowered = lower_input(Constant(2.0) + Step("5 mV", start=0.2), TimeGrid(0.1, 4),
    ...                       np.array([10.0]))
    >>> lowered.offset.tolist(), lowered.wave_start.tolist()
    ([20.0], [[0.0, 0.0, 1.0, 1.0]])
    """
    n = R.size
    offset = np.zeros(n)
    sigma = np.zeros(n)
    sampled = np.zeros((0, n))
    gains, starts, ends = [], [], []
    for term in stimulus.lower(grid):
        scale = 1.0 if term.drive else R
        if term.kind == "constant":
            offset = offset + term.gain * scale
        elif term.kind == "noise":
            sigma = np.sqrt(sigma**2 + (term.gain * scale) ** 2)
        elif term.kind == "sampled":
            part = cast(np.ndarray, term.start) * scale
            sampled = part if sampled.shape[0] == 0 else sampled + part
        else:
            gains.append(np.broadcast_to(term.gain * scale, (n,)))
            starts.append(term.start)
            ends.append(term.end)
    return LoweredInput(
        offset=np.ascontiguousarray(np.broadcast_to(offset, (n,)), dtype=np.float64),
        gain=np.array(gains, dtype=np.float64).reshape(len(gains), n),
        wave_start=np.array(starts, dtype=np.float64).reshape(len(starts), grid.n_steps),
        wave_end=np.array(ends, dtype=np.float64).reshape(len(ends), grid.n_steps),
        sampled=np.ascontiguousarray(sampled, dtype=np.float64),
        sigma=np.ascontiguousarray(np.broadcast_to(sigma, (n,)), dtype=np.float64),
    )
