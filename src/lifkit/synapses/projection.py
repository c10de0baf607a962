"""Projections: a spike source, a synapse kernel, weights, a delay and connectivity."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import ParameterError
from ..units import BASE_UNITS, dimension_of, parse_unit, to_base
from .connectivity import Normal, OneToOne, Random
from .kernels import Synapse
from .sources import Neurons, PoissonGroup, SpikeTimes


@dataclass(frozen=True)
class Connections:
    """A projection made concrete for one run: one entry per connection, sorted by row.

    ``row`` is the source index (for a :class:`Neurons` source, the neuron index in the
    simulated population), ``target`` the target neuron and ``weight`` the weight in the
    kernel's drive units: mV (R I for a current kernel, the jump for a delta synapse).
    """

    row: np.ndarray
    target: np.ndarray
    weight: np.ndarray
    n_rows: int


class Projection:
    """Spikes of ``source`` reaching neurons of the simulation through ``synapse``.

    Main arguments:
        source: :class:`PoissonGroup`, :class:`SpikeTimes` or :class:`Neurons` (the
            simulated population itself, making the network recurrent).
        synapse: the kernel, e.g. ``AlphaSynapse("10 ms")`` or ``DeltaSynapse()``.
        weights: a constant, a distribution such as ``Normal("1.62 mV", "0.5 mV")`` or
            a dense (n_sources, n_targets) matrix. A current kernel takes a current (nA)
            or a voltage meaning the drive R I (mV, divided by each target's R); a delta
            synapse takes the voltage jump (mV). Zero weights make no connection.

    Other arguments:
        delay: added to each spike time exactly (ms, >= 0, not restricted to the grid);
            a projection from the simulated neurons needs a delay of at least dt.
        connectivity: None (every source to every target), ``Random(p=...)``,
            ``Random(indegree=...)`` or ``OneToOne()``.
        targets: ``Neurons(start, stop)`` or a list of neuron indices (None: all).
        weight_unit: the unit of plain-number weights (e.g. "mV"); by default nA for a
            current kernel and mV for a delta synapse.
        seed: seeds the random connectivity and weights (None: from the run's seed).

    >>> from lifkit.synapses import AlphaSynapse
    >>> inputs = Projection(PoissonGroup(25, "40 Hz"), synapse=AlphaSynapse("10 ms"),
    ...                     weights=Normal("1.62 mV", "0.5 mV"), delay="1.5 ms")
    >>> inputs.delay, inputs.weights_are_drive, inputs.recurrent
    (1.5, True, False)
    >>> Projection(PoissonGroup(2, 5.0), synapse=AlphaSynapse(5.0), weights="1 ms")
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    lifkit.errors.ParameterError: weights = '1 ms': has dimension time; AlphaSynapse(...
    """

    def __init__(
        self,
        source: Any,
        *,
        synapse: Any,
        weights: Any,
        delay: Any = 0.0,
        connectivity: Any = None,
        targets: Any = None,
        weight_unit: str | None = None,
        seed: int | None = None,
    ) -> None:
        if not isinstance(source, (PoissonGroup, SpikeTimes, Neurons)):
            raise ParameterError(
                "source", source, "must be a PoissonGroup, SpikeTimes or Neurons (recurrent)"
            )
        if not isinstance(synapse, Synapse):
            raise ParameterError("synapse", synapse, "must be a synapse such as AlphaSynapse(5)")
        if connectivity is not None and not isinstance(connectivity, (Random, OneToOne)):
            raise ParameterError(
                "connectivity", connectivity, "must be None (all to all), Random(...) or OneToOne()"
            )
        self.source, self.synapse, self.connectivity = source, synapse, connectivity
        delay_ms = to_base(delay, "time", "delay")
        if np.ndim(delay_ms) != 0 or not (np.isfinite(delay_ms) and delay_ms >= 0):
            raise ParameterError("delay", delay, "must be a single finite time >= 0 ms")
        self.delay = float(delay_ms)
        self.targets = _targets(targets)
        self.seed = _seed(seed)
        self.weights = weights
        self._dimension, self._scale = self._weight_dimension(weights, weight_unit)
        self._check_weights(weights)

    @property
    def recurrent(self) -> bool:
        """Whether the source is the simulated population itself."""
        return isinstance(self.source, Neurons)

    @property
    def weights_are_drive(self) -> bool:
        """Whether the weights are voltages (mV): jumps, or the drive R I."""
        return self._dimension == "voltage"

    def _weight_dimension(self, weights: Any, unit: str | None) -> tuple[str, float]:
        allowed = self.synapse.WEIGHT_DIMENSIONS
        found = weights.dimension if isinstance(weights, Normal) else dimension_of(weights)
        scale = 1.0
        if unit is not None:
            try:
                unit_dimension, scale = parse_unit(unit)
            except ValueError as err:
                raise ParameterError("weight_unit", unit, str(err)) from None
            if found is not None:
                raise ParameterError(
                    "weight_unit", unit, "applies to plain numbers; these weights have units"
                )
            found = unit_dimension
        dimension = allowed[0] if found is None else found
        if dimension not in allowed:
            units = " or ".join(f"a {d} ({BASE_UNITS[d][0]})" for d in allowed)
            name = "weight_unit" if unit is not None else "weights"
            shown = unit if unit is not None else weights
            raise ParameterError(
                name, shown, f"has dimension {dimension}; {self.synapse!r} takes {units}"
            )
        return dimension, scale

    def _check_weights(self, weights: Any) -> None:
        if isinstance(weights, Normal):
            return
        values = np.asarray(to_base(weights, self._dimension, "weights"), dtype=np.float64)
        if values.ndim not in (0, 2):
            raise ParameterError(
                "weights",
                f"<shape {values.shape}>",
                "must be a scalar, a Normal(...) or an (n_sources, n_targets) matrix",
            )
        if not np.all(np.isfinite(values)):
            raise ParameterError("weights", "<NaN or inf>", "must be finite")
        n_sources = self.source.n if not isinstance(self.source, Neurons) else None
        if values.ndim == 2 and n_sources is not None and values.shape[0] != n_sources:
            raise ParameterError(
                "weights",
                f"<shape {values.shape}>",
                f"must have one row per source ({n_sources} rows)",
            )

    def connect(
        self, n_neurons: int, R: np.ndarray, rng: np.random.Generator, dt: float
    ) -> Connections:
        """The concrete connections onto ``n_neurons`` neurons of resistances ``R`` (MΩ).

        >>> from lifkit.synapses import ExponentialSynapse
        >>> one_each = Projection(SpikeTimes([0, 1], [5.0, 7.0]), synapse=ExponentialSynapse(5.0),
        ...                       weights="0.1 nA", connectivity=OneToOne())
        >>> wired = one_each.connect(2, np.array([10.0, 20.0]), np.random.default_rng(), 0.1)
        >>> wired.target.tolist(), wired.weight.tolist()  # drive R I in mV
        ([0, 1], [1.0, 2.0])
        """
        targets = np.arange(n_neurons) if self.targets is None else self.targets
        if isinstance(targets, Neurons):
            targets = targets.indices(n_neurons)
        if targets.size and targets.max() >= n_neurons:
            raise ParameterError("targets", int(targets.max()), f"must lie in [0, {n_neurons})")
        if isinstance(self.source, Neurons):
            rows = self.source.indices(n_neurons)
            if self.delay < dt:
                raise ParameterError(
                    "delay",
                    self.delay,
                    f"a projection from the simulated neurons needs delay >= dt ({dt:g} ms)",
                )
            n_rows = n_neurons
        else:
            rows = np.arange(self.source.n)
            n_rows = self.source.n
        n_src, n_tgt = rows.size, targets.size
        values = None
        if not isinstance(self.weights, Normal):
            values = np.asarray(to_base(self.weights, self._dimension, "weights"), np.float64)
            values = values * self._scale
            if values.ndim == 2 and values.shape != (n_src, n_tgt):
                raise ParameterError(
                    "weights",
                    f"<shape {values.shape}>",
                    f"must have shape (n_sources, n_targets) = ({n_src}, {n_tgt})",
                )
        if self.connectivity is None:
            src = np.repeat(np.arange(n_src), n_tgt)
            tgt = np.tile(np.arange(n_tgt), n_src)
        else:
            same = (rows, targets) if self.recurrent else None
            src, tgt = self.connectivity.pairs(n_src, n_tgt, rng, same)
        if isinstance(self.weights, Normal):
            weight = self.weights.draw(src.size, self._dimension, rng) * self._scale
        elif values is not None and values.ndim == 2:
            weight = values[src, tgt]
        else:
            weight = np.full(src.size, float(values))  # type: ignore[arg-type]
        target = targets[tgt]
        if not self.weights_are_drive:
            weight = weight * R[target]  # nA -> mV of drive R I
        keep = weight != 0.0
        return Connections(rows[src][keep], target[keep], weight[keep], n_rows)

    def __repr__(self) -> str:
        weights: Any = self.weights
        if not isinstance(weights, (Normal, str, int, float)):
            weights = "<values>"
        text = f"{self.source!r} -> {self.synapse!r}, weights={weights}, delay={self.delay:g} ms"
        if self.connectivity is not None:
            text += f", connectivity={self.connectivity!r}"
        return f"Projection({text})"


def _targets(targets: Any) -> Any:
    if targets is None or isinstance(targets, Neurons):
        return targets
    index = np.atleast_1d(np.asarray(targets))
    if index.ndim != 1 or (index.size and not np.issubdtype(index.dtype, np.integer)):
        raise ParameterError("targets", targets, "give Neurons(start, stop) or neuron indices")
    index = index.astype(np.int64)
    if np.any(index < 0) or np.unique(index).size != index.size:
        raise ParameterError("targets", targets, "indices must be >= 0 and not repeat")
    return index


def _seed(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
        raise ParameterError("seed", value, "must be a non-negative integer or None")
    return int(value)
