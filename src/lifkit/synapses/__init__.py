"""Synaptic input: spike sources, postsynaptic kernels, connectivity and projections.

>>> import lifkit as lk
>>> inputs = lk.Projection(lk.PoissonGroup(25, "40 Hz"), synapse=lk.AlphaSynapse("10 ms"),
...                        weights=lk.Normal("1.62 mV", "0.5 mV"))
>>> result = lk.simulate(lk.LIF.preset("orhan"), projections=[inputs], duration=100, seed=3,
...                      record=lk.Record(variables=("v", "I_syn")))
>>> result.I_syn.shape
(1000, 1)
"""

from .connectivity import Normal, OneToOne, Random
from .kernels import AlphaSynapse, BiexponentialSynapse, DeltaSynapse, ExponentialSynapse, Synapse
from .projection import Projection
from .sources import Neurons, PoissonGroup, SpikeTimes

__all__ = [
    "AlphaSynapse",
    "BiexponentialSynapse",
    "DeltaSynapse",
    "ExponentialSynapse",
    "Neurons",
    "Normal",
    "OneToOne",
    "PoissonGroup",
    "Projection",
    "Random",
    "SpikeTimes",
    "Synapse",
]
