"""lifkit: exact, fast simulation and analysis of leaky integrate-and-fire neurons.

>>> import lifkit as lk
>>> model = lk.LIF.preset("orhan")
>>> float(model.v_th)
15.0
"""

from .errors import ExperimentError, LifkitError, ParameterError
from .models import LIF
from .stimuli import (
    Constant,
    GaussianSteps,
    Ramp,
    Sinusoid,
    Step,
    Stimulus,
    TimedArray,
    WhiteNoise,
)

__all__ = [
    "LIF",
    "Constant",
    "ExperimentError",
    "GaussianSteps",
    "LifkitError",
    "ParameterError",
    "Ramp",
    "Sinusoid",
    "Step",
    "Stimulus",
    "TimedArray",
    "WhiteNoise",
]
