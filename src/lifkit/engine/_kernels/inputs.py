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


def drive_bounds(drive, i, k):
    """The drive (mV) of neuron i at the start and at the end of step k."""
    start = drive.offset[i]
    end = start
    for j in range(drive.gain.shape[0]):
        start += drive.gain[j, i] * drive.wave_start[j, k]
        end += drive.gain[j, i] * drive.wave_end[j, k]
    if drive.sampled.shape[0] > 0:
        start += drive.sampled[k, i]
        end += drive.sampled[k, i]
    return start, end
