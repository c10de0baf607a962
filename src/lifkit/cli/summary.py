"""The numbers of a finished run for summary.json: parameters, counts, rates, ISIs, theory."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import theory
from .._version import __version__
from ..analysis.spikes import counts_and_mean_isis
from ..experiment import Experiment
from ..models import LIF
from ..models._params import ParameterRecord
from ..results import Result
from ..stimuli import Constant
from ..store import Recording
from ..units import BASE_UNITS


def summarize(experiment: Experiment, result: Result | Recording) -> dict[str, Any]:
    """A JSON-ready description of ``result`` (in memory or streamed): times in ms, rates
    in Hz, units named.

    ``mean_isi_ms`` is null for a neuron with fewer than two spikes. For a LIF neuron under a
    :class:`~lifkit.Constant` current, ``analytic`` holds the period of
    :func:`lifkit.theory.period` and the rate of :func:`lifkit.theory.firing_rate` (null
    period: the neuron never fires).

    >>> from lifkit.experiment import load_experiment
    >>> experiment = load_experiment("examples/orhan_fig1_constant.toml")
    >>> summary = summarize(experiment, experiment.run())
    >>> summary["spike_count"], round(summary["analytic"]["period_ms"][0], 9)  # 10 ln 4 ms
    ([7], 13.862943611)
    """
    model = experiment.model
    summary: dict[str, Any] = {
        "experiment": experiment.name,
        "description": experiment.description,
        "source": None if experiment.source is None else experiment.source.path,
        "lifkit_version": __version__,
        "model": {"type": type(model).__name__, "parameters": model_parameters(model)},
        "stimulus": _stimulus_description(experiment),
        "projections": _projections_description(experiment),
        "n_neurons": result.n_neurons,
        "duration_ms": result.duration,
        "complete": result.complete,
        "dt_ms": result.dt,
        "seed": result.seed,
        "recorded_neurons": result.recorded.tolist(),
        "spike_count": result.counts.tolist(),
        "rate_Hz": result.rates.tolist(),
        "mean_isi_ms": mean_isis(result),
    }
    stimulus = experiment.stimulus
    if isinstance(model, LIF) and isinstance(stimulus, Constant) and not experiment.projections:
        summary["analytic"] = _constant_input_theory(model, stimulus, result.n_neurons)
    return summary


def model_parameters(model: ParameterRecord) -> dict[str, dict[str, Any]]:
    """Each parameter as ``{"value": number or per-neuron list, "unit": ..., "meaning": ...}``.

    >>> model_parameters(LIF.preset("orhan"))["tau_m"]
    {'value': 10.0, 'unit': 'ms', 'meaning': 'membrane time constant'}
    """
    values = model.values()
    return {
        field.name: {
            "value": values[field.name].tolist(),
            "unit": BASE_UNITS[field.dimension][0],
            "meaning": field.doc,
        }
        for field in model.FIELDS
    }


def _stimulus_description(experiment: Experiment) -> Any:
    if experiment.source is not None:
        return experiment.source.document.get("stimulus")
    return None if experiment.stimulus is None else repr(experiment.stimulus)


def _projections_description(experiment: Experiment) -> Any:
    if experiment.source is not None:
        return experiment.source.document.get("projection", [])
    return [repr(p) for p in experiment.projections]


def mean_isis(result: Result | Recording) -> list[float | None]:
    """Each neuron's mean interspike interval (ms), None below two spikes; one pass over
    the spikes (a streamed recording's chunk by chunk).

    >>> import lifkit as lk
    >>> mean_isis(lk.simulate(lk.LIF.preset("orhan"), lk.Constant([10.0, 20.0]), duration=50))
    [None, 13.862943611198904]
    """
    chunks = (
        result.iter_spikes()
        if isinstance(result, Recording)
        else [(result.spike_neurons, result.spike_times)]
    )
    _, means = counts_and_mean_isis(chunks, result.n_neurons)
    return [None if np.isnan(m) else float(m) for m in means]


def _constant_input_theory(model: LIF, stimulus: Constant, n_neurons: int) -> dict[str, Any]:
    current = np.reshape(stimulus.evaluate(0.0, R=model.R), -1)  # nA, one per neuron
    period = np.broadcast_to(theory.period(model, current), (n_neurons,))
    rate = np.broadcast_to(theory.firing_rate(model, current), (n_neurons,))
    return {
        "formula": "T = t_ref + tau_m ln((v_inf - v_reset) / (v_inf - v_th)), v_inf = v_rest + R I",
        "current_nA": np.broadcast_to(current, (n_neurons,)).tolist(),
        "period_ms": [float(p) if np.isfinite(p) else None for p in period],
        "rate_Hz": rate.tolist(),
    }
