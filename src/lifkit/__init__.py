"""lifkit: exact, fast simulation and analysis of leaky integrate-and-fire neurons.

>>> import lifkit as lk
>>> model = lk.LIF.preset("orhan")
>>> float(model.v_th)
15.0
"""

from . import theory
from .engine.record import Record
from .engine.simulate import simulate
from .errors import ExperimentError, LifkitError, ParameterError
from .experiment import Experiment, load_experiment
from .models import LIF
from .results import Result
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
    "Experiment",
    "ExperimentError",
    "GaussianSteps",
    "LifkitError",
    "ParameterError",
    "Ramp",
    "Record",
    "Result",
    "Sinusoid",
    "Step",
    "Stimulus",
    "TimedArray",
    "WhiteNoise",
    "load_experiment",
    "simulate",
    "theory",
]
