"""lifkit: exact, fast simulation and analysis of leaky integrate-and-fire neurons.

>>> import lifkit as lk
>>> model = lk.LIF.preset("orhan")
>>> float(model.v_th)
15.0
"""

from . import theory
from .engine.record import Record
from .engine.simulate import simulate
from .errors import ExperimentError, Interrupted, LifkitError, ParameterError
from .experiment import Experiment, load_experiment
from .models import LIF, AdaptiveLIF, AdEx
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
from .sweeps import SweepResult, sweep
from .synapses import (
    AlphaSynapse,
    BiexponentialSynapse,
    DeltaSynapse,
    ExponentialSynapse,
    Neurons,
    Normal,
    OneToOne,
    PoissonGroup,
    Projection,
    Random,
    SpikeTimes,
)

__all__ = [
    "LIF",
    "AdEx",
    "AdaptiveLIF",
    "AlphaSynapse",
    "BiexponentialSynapse",
    "Constant",
    "DeltaSynapse",
    "Experiment",
    "ExperimentError",
    "ExponentialSynapse",
    "GaussianSteps",
    "Interrupted",
    "LifkitError",
    "Neurons",
    "Normal",
    "OneToOne",
    "ParameterError",
    "PoissonGroup",
    "Projection",
    "Ramp",
    "Random",
    "Record",
    "Result",
    "Sinusoid",
    "SpikeTimes",
    "Step",
    "Stimulus",
    "SweepResult",
    "TimedArray",
    "WhiteNoise",
    "load_experiment",
    "simulate",
    "sweep",
    "theory",
]
