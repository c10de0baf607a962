"""The outcome of a run: recorded traces, spikes, counts and rates."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .errors import ParameterError


@dataclass(frozen=True, eq=False)
class Result:
    """What :func:`lifkit.simulate` returns. Times in ms, v in mV, I in nA.

    Attributes:
        t: sample times of the traces, shape (n_samples,).
        v, I: traces of shape (n_samples, len(recorded)), or None when not recorded.
        w: the adaptation current (nA) of adaptive models, likewise.
        I_syn: the total synaptic current (nA) of runs with projections, likewise
            (sampled before arrivals at exactly the sample time; delta synapses add none).
        recorded: neuron index of each trace column.
        spike_neurons, spike_times: every spike as (neuron, time), sorted by time.
        n_neurons, duration, dt, seed, model: the run's description; ``duration`` is the
            simulated time (ms), less than asked when the run was stopped early.
        complete: False when Ctrl-C stopped the run early (see :class:`lifkit.Interrupted`).
        projections: the run's :class:`lifkit.Projection` objects (see :meth:`source_spikes`).

    >>> import lifkit as lk
    >>> result = lk.simulate(lk.LIF.preset("orhan"), lk.Constant("20 mV"), duration=50)
    >>> result.spike_times.round(4)  # multiples of the period 10 ln(20/5) ms
    array([13.8629, 27.7259, 41.5888])
    >>> result.v.shape  # 500 samples of dt = 0.1 ms, neuron 0 recorded
    (500, 1)
    """

    t: np.ndarray
    v: np.ndarray | None
    I: np.ndarray | None  # noqa: E741 - the field's symbol for current
    recorded: np.ndarray
    spike_neurons: np.ndarray
    spike_times: np.ndarray
    n_neurons: int
    duration: float
    dt: float
    seed: int
    model: Any
    w: np.ndarray | None = None
    complete: bool = True
    I_syn: np.ndarray | None = None
    projections: tuple[Any, ...] = ()

    @property
    def counts(self) -> np.ndarray:
        """Number of spikes of each neuron, shape (n_neurons,).

        >>> import lifkit as lk
        >>> lk.simulate(lk.LIF.preset("orhan"), lk.Constant([0.0, 20.0]), duration=50).counts
        array([0, 3])
        """
        return np.bincount(self.spike_neurons, minlength=self.n_neurons)

    @property
    def rates(self) -> np.ndarray:
        """Mean firing rate of each neuron over the run, in Hz.

        A 1 s run holds 72 whole periods of 13.86 ms (the analytic rate is 72.13 Hz):

        >>> import lifkit as lk
        >>> lk.simulate(lk.LIF.preset("orhan"), lk.Constant("20 mV"), duration=1000).rates
        array([72.])
        """
        return self.counts / (self.duration * 1e-3)

    def spike_train(self, neuron: int) -> np.ndarray:
        """Spike times (ms) of one neuron, ascending.

        >>> import lifkit as lk
        >>> result = lk.simulate(lk.LIF.preset("orhan"), lk.Constant("20 mV"), duration=30)
        >>> result.spike_train(0).round(4)  # 10 ln 4 ms apart
        array([13.8629, 27.7259])
        """
        check_neuron(neuron, self.n_neurons)
        return self.spike_times[self.spike_neurons == neuron]

    def trace(self, variable: str, neuron: int = 0) -> np.ndarray:
        """The recorded trace of ``variable`` ("v", "I", "w", "I_syn") of a recorded neuron.

        >>> import lifkit as lk
        >>> result = lk.simulate(lk.LIF.preset("orhan"), lk.Constant("20 mV"), duration=1)
        >>> result.trace("v")[:3].round(3).tolist()  # mV: 20 (1 - exp(-t / 10 ms))
        [0.0, 0.199, 0.396]
        """
        data = {"v": self.v, "I": self.I, "w": self.w, "I_syn": self.I_syn}.get(variable)
        if data is None:
            raise ParameterError("variable", variable, "was not recorded; add it to Record")
        return data[:, trace_column(self.recorded, neuron)]

    def to_pandas(self) -> tuple[Any, Any]:
        """(spikes, traces) as pandas DataFrames (needs the ``pandas`` extra).

        spikes: columns neuron, time_ms. traces: columns neuron, time_ms, v_mV, I_nA
        (long format, one row per recorded neuron and sample).

        >>> import lifkit as lk
        >>> result = lk.simulate(lk.LIF.preset("orhan"), lk.Constant("20 mV"), duration=30)
        >>> spikes, traces = result.to_pandas()
        >>> spikes.time_ms.round(2).tolist(), traces.columns.tolist()
        ([13.86, 27.73], ['neuron', 'time_ms', 'v_mV', 'I_nA'])
        """
        try:
            import pandas as pd
        except ImportError as err:  # pragma: no cover - depends on the environment
            raise ImportError("to_pandas needs pandas: pip install 'lifkit[pandas]'") from err
        spikes = pd.DataFrame({"neuron": self.spike_neurons, "time_ms": self.spike_times})
        n_rec = self.recorded.size
        traces = {
            "neuron": np.tile(self.recorded, self.t.size),
            "time_ms": np.repeat(self.t, n_rec),
        }
        if self.v is not None:
            traces["v_mV"] = self.v.ravel()
        if self.I is not None:
            traces["I_nA"] = self.I.ravel()
        if self.I_syn is not None:
            traces["I_syn_nA"] = self.I_syn.ravel()
        return spikes, pd.DataFrame(traces)

    def source_spikes(self, projection: int = 0) -> tuple[np.ndarray, np.ndarray]:
        """(source indices, times in ms) of the presynaptic spikes of one of the run's
        projections during the run, before their delay, sorted by time.

        Poisson spikes are drawn again from their counter-based keys, so they are exactly
        the ones the run used. For a recurrent source they are the run's own spikes.

        >>> import lifkit as lk
        >>> inputs = lk.Projection(lk.PoissonGroup(3, "200 Hz"), synapse=lk.DeltaSynapse(),
        ...                        weights="1 mV")
        >>> result = lk.simulate(lk.LIF.preset("orhan"), projections=[inputs], duration=50,
        ...                      seed=1)
        >>> sources, times = result.source_spikes(0)
        >>> bool(times.size > 0 and set(sources.tolist()) <= {0, 1, 2})
        True
        """
        from .engine.network import source_spikes  # the engine, only when asked

        if not 0 <= projection < len(self.projections):
            raise ParameterError(
                "projection", projection, f"must lie in [0, {len(self.projections)})"
            )
        return source_spikes(self, projection)

    def plot(self, neuron: int = 0, *, axes: Any = None) -> tuple[Any, Any]:
        """Plot v (mV, threshold dashed) above I (nA) of one recorded neuron; see
        :func:`lifkit.plotting.plot_voltage_and_current`. Returns (ax_v, ax_I).

        >>> import lifkit as lk
        >>> from matplotlib.figure import Figure
        >>> result = lk.simulate(lk.LIF.preset("orhan"), lk.Constant("20 mV"), duration=20)
        >>> ax_v, ax_I = result.plot(axes=Figure().subplots(2, 1))
        >>> ax_v.get_ylabel()
        'v (mV)'
        """
        from .plotting import plot_voltage_and_current  # matplotlib only when plotting

        return plot_voltage_and_current(self, neuron, axes=axes)


def check_neuron(neuron: int, n_neurons: int) -> None:
    """Refuse a neuron index outside [0, n_neurons).

    >>> check_neuron(3, 3)
    Traceback (most recent call last):
    ...
    lifkit.errors.ParameterError: neuron = 3: must lie in [0, 3)
    """
    if not 0 <= neuron < n_neurons:
        raise ParameterError("neuron", neuron, f"must lie in [0, {n_neurons})")


def trace_column(recorded: np.ndarray, neuron: int) -> int:
    """The trace column of ``neuron`` among the ``recorded`` ones.

    >>> trace_column(np.array([4, 9]), 9)
    1
    """
    columns = np.flatnonzero(recorded == neuron)
    if columns.size == 0:
        raise ParameterError("neuron", neuron, f"was not recorded; recorded: {recorded.tolist()}")
    return int(columns[0])
