"""Injected currents: composable stimuli and their lowering to kernel arrays."""

from .base import Stimulus, TimeGrid
from .noise import GaussianSteps, WhiteNoise
from .sampled import TimedArray
from .waveforms import Constant, Ramp, Sinusoid, Step

__all__ = [
    "Constant",
    "GaussianSteps",
    "Ramp",
    "Sinusoid",
    "Step",
    "Stimulus",
    "TimeGrid",
    "TimedArray",
    "WhiteNoise",
]
