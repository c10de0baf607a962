"""The lowered input every kernel reads."""

from typing import NamedTuple

import numpy as np


class Drive(NamedTuple):
    """The lowered input: drive R*I (mV) of neuron i during step k is linear from
    offset[i] + sum_j gain[j, i] * wave_start[j, k] + sampled[k, i]
    to   offset[i] + sum_j gain[j, i] * wave_end[j, k]   + sampled[k, i]."""

    offset: np.ndarray  # (n,)
    gain: np.ndarray  # (J, n)
    wave_start: np.ndarray  # (J, n_steps)
    wave_end: np.ndarray  # (J, n_steps)
    sampled: np.ndarray  # (n_steps, n) or (0, n) when absent
