"""lifkit: exact, fast simulation and analysis of leaky integrate-and-fire neurons.

>>> import lifkit as lk
>>> model = lk.LIF.preset("orhan")
>>> float(model.v_th)
15.0
"""

from types import ModuleType

from . import theory
from ._version import __version__
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
from .store import Recording, open_recording
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
    "Recording",
    "Result",
    "Sinusoid",
    "SpikeTimes",
    "Step",
    "Stimulus",
    "SweepResult",
    "TimedArray",
    "WhiteNoise",
    "__version__",
    "load_experiment",
    "open_recording",
    "simulate",
    "sweep",
    "theory",
]

#: Subpackages loaded on first use (they import scipy or matplotlib, which a small
#: command-line run does without): ``lk.analysis``, ``lk.plotting``.
_LAZY_SUBPACKAGES = ("analysis", "plotting")


def __getattr__(name: str) -> ModuleType:
    """``lk.analysis`` and ``lk.plotting``, imported when first used.

    >>> import lifkit as lk
    >>> lk.analysis.isi_cv([10.0, 20.0, 30.0])  # a regular train
    0.0
    """
    if name in _LAZY_SUBPACKAGES:
        from importlib import import_module

        return import_module(f".{name}", __name__)
    raise AttributeError(f"module 'lifkit' has no attribute {name!r}")
