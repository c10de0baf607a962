"""What a run records: spikes always; traces for chosen neurons at a chosen stride."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import ParameterError

#: Every variable some model can record: membrane potential (mV), injected current
#: without white noise (nA), adaptation current of adaptive models (nA), total synaptic
#: current of runs with projections (nA).
VARIABLES = ("v", "I", "w", "I_syn")


@dataclass(frozen=True)
class Record:
    """The recording request of a run.

    ``neurons``: indices whose traces are kept, or ``"all"``; ``variables``: any of
    "v" (membrane potential, mV), "I" (injected current without white noise, nA),
    for adaptive models "w" (adaptation current, nA) and for runs with projections
    "I_syn" (total synaptic current, nA);
    ``stride``: keep every ``stride``-th step. Spikes of every neuron are always kept.

    >>> Record(neurons=[0, 3], stride=10)
    Record(neurons=(0, 3), variables=('v', 'I'), stride=10)
    >>> Record(neurons=()).neurons  # spikes only
    ()
    """

    neurons: Sequence[int] | str = (0,)
    variables: Sequence[str] = ("v", "I")
    stride: int = 1

    def __post_init__(self) -> None:
        if isinstance(self.neurons, str):
            if self.neurons != "all":
                raise ParameterError("neurons", self.neurons, "give indices or 'all'")
        else:
            object.__setattr__(self, "neurons", _indices(self.neurons))
        if isinstance(self.variables, str) or not _iterable(self.variables):
            raise ParameterError("variables", self.variables, f"give a list from {VARIABLES}")
        object.__setattr__(self, "variables", tuple(self.variables))
        unknown = set(self.variables) - set(VARIABLES)
        if unknown:
            raise ParameterError("variables", sorted(unknown), f"choose from {VARIABLES}")
        if isinstance(self.stride, bool) or not isinstance(self.stride, int) or self.stride < 1:
            raise ParameterError("stride", self.stride, "must be a whole number of steps >= 1")

    def indices(self, n_neurons: int) -> np.ndarray:
        """The recorded neuron indices for a population of ``n_neurons``.

        >>> Record(neurons=(4, 1)).indices(5).tolist(), Record(neurons="all").indices(3).tolist()
        ([4, 1], [0, 1, 2])
        >>> Record(neurons=(5,)).indices(5)
        Traceback (most recent call last):
        ...
        lifkit.errors.ParameterError: neurons = 5: must lie in [0, 5)
        """
        if self.neurons == "all":
            return np.arange(n_neurons)
        chosen = np.asarray(self.neurons, dtype=np.int64)
        bad = chosen[(chosen < 0) | (chosen >= n_neurons)]
        if bad.size:
            raise ParameterError("neurons", int(bad[0]), f"must lie in [0, {n_neurons})")
        if len(set(chosen.tolist())) != chosen.size:  # (np.unique would import numpy.ma)
            raise ParameterError("neurons", list(chosen), "must not repeat an index")
        return chosen


def _iterable(value: Any) -> bool:
    try:
        iter(value)
    except TypeError:
        return False
    return True


def _indices(neurons: Any) -> tuple[int, ...]:
    """Neuron indices as ints; floats, nested lists and other types are refused."""
    if not _iterable(neurons):
        raise ParameterError("neurons", neurons, "give a list of neuron indices or 'all'")
    chosen = tuple(neurons)
    if not all(isinstance(i, (int, np.integer)) and not isinstance(i, bool) for i in chosen):
        raise ParameterError("neurons", list(chosen), "indices must be whole numbers")
    return tuple(int(i) for i in chosen)
