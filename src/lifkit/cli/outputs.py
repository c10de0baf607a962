"""Writing a run's files: spikes.csv, traces.csv, summary.json and figure.png."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np

from ..experiment import Experiment
from ..plotting import plot_synaptic_input, plot_voltage_and_current
from ..results import Result
from .summary import summarize


def write_outputs(
    experiment: Experiment, result: Result, directory: Path, *, figure: bool
) -> list[str]:
    """Write the run's files into ``directory``; returns their names.

    traces.csv is written when a trace was recorded, figure.png when ``figure`` and both
    v and I of a neuron were recorded.

    >>> import tempfile
    >>> from lifkit.experiment import load_experiment
    >>> experiment = load_experiment("examples/orhan_fig1_constant.toml")
    >>> with tempfile.TemporaryDirectory() as directory:
    ...     write_outputs(experiment, experiment.run(), Path(directory), figure=False)
    ['spikes.csv', 'traces.csv', 'summary.json']
    """
    written = ["spikes.csv"]
    write_spikes(result, directory / "spikes.csv")
    if trace_columns(result):
        write_traces(result, directory / "traces.csv")
        written.append("traces.csv")
    if figure and can_plot(result):
        write_figure(experiment, result, directory / "figure.png")
        written.append("figure.png")
    written.append("summary.json")
    summary = summarize(experiment, result) | {"files": written}
    with open(directory / "summary.json", "w", encoding="utf-8") as file:
        json.dump(summary, file, indent=2, ensure_ascii=False, default=str)
        file.write("\n")
    return written


def write_spikes(result: Result, path: Path) -> None:
    """Every spike as a row ``neuron,time_ms`` (time in full precision), sorted by time.

    >>> import tempfile
    >>> import lifkit as lk
    >>> result = lk.simulate(lk.LIF.preset("orhan"), lk.Constant("20 mV"), duration=30)
    >>> with tempfile.TemporaryDirectory() as directory:
    ...     write_spikes(result, Path(directory) / "spikes.csv")
    ...     print((Path(directory) / "spikes.csv").read_text())  # doctest: +ELLIPSIS
    neuron,time_ms
    0,13.86294361...
    0,27.72588722...
    """
    with open(path, "w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["neuron", "time_ms"])
        writer.writerows(
            zip(result.spike_neurons.tolist(), result.spike_times.tolist(), strict=True)
        )


def trace_columns(result: Result) -> list[tuple[str, np.ndarray]]:
    """(header, values) of each recorded trace: ``v_mV_<i>``, ``I_nA_<i>`` and, for adaptive
    models, ``w_nA_<i>``, for runs with projections ``I_syn_nA_<i>``, per neuron.

    >>> import lifkit as lk
    >>> result = lk.simulate(lk.LIF.preset("orhan"), lk.Constant("20 mV"), duration=30)
    >>> [(name, values.shape) for name, values in trace_columns(result)]  # 300 samples
    [('v_mV_0', (300,)), ('I_nA_0', (300,))]
    """
    columns = []
    for column, neuron in enumerate(result.recorded.tolist()):
        if result.v is not None:
            columns.append((f"v_mV_{neuron}", result.v[:, column]))
        if result.I is not None:
            columns.append((f"I_nA_{neuron}", result.I[:, column]))
        if result.w is not None:
            columns.append((f"w_nA_{neuron}", result.w[:, column]))
        if result.I_syn is not None:
            columns.append((f"I_syn_nA_{neuron}", result.I_syn[:, column]))
    return columns


def write_traces(result: Result, path: Path) -> None:
    """The recorded traces as columns ``time_ms, v_mV_<i>, I_nA_<i>, ...``.

    >>> import tempfile
    >>> import lifkit as lk
    >>> result = lk.simulate(lk.LIF.preset("orhan"), lk.Constant("20 mV"), duration=30)
    >>> with tempfile.TemporaryDirectory() as directory:
    ...     write_traces(result, Path(directory) / "traces.csv")
    ...     (Path(directory) / "traces.csv").read_text().splitlines()[:2]
    ['time_ms,v_mV_0,I_nA_0', '0.0,0.0,20.0']
    """
    columns = trace_columns(result)
    table = np.column_stack([result.t, *(values for _, values in columns)])
    with open(path, "w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["time_ms", *(name for name, _ in columns)])
        writer.writerows(table.tolist())


def can_plot(result: Result) -> bool:
    """Whether v and I of at least one neuron were recorded.

    >>> import lifkit as lk
    >>> result = lk.simulate(lk.LIF.preset("orhan"), lk.Constant("20 mV"), duration=30)
    >>> only_v = lk.simulate(lk.LIF.preset("orhan"), lk.Constant("20 mV"), duration=30,
    ...                      record=lk.Record(variables=("v",)))
    >>> can_plot(result), can_plot(only_v)
    (True, False)
    """
    return result.v is not None and result.I is not None and result.recorded.size > 0


def write_figure(experiment: Experiment, result: Result, path: Path) -> None:
    """v over I of the first recorded neuron as a PNG, drawn with the Agg backend.

    >>> import tempfile
    >>> import lifkit as lk
    >>> result = lk.simulate(lk.LIF.preset("orhan"), lk.Constant("20 mV"), duration=30)
    >>> experiment = Experiment(result.model, lk.Constant("20 mV"), {"duration": 30})
    >>> with tempfile.TemporaryDirectory() as directory:
    ...     write_figure(experiment, result, Path(directory) / "figure.png")
    ...     (Path(directory) / "figure.png").read_bytes()[:4]
    b'\x89PNG'
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(8.0, 5.0), layout="constrained")
    FigureCanvasAgg(figure)
    neuron = int(result.recorded[0])
    if result.projections and result.I_syn is not None:  # v, input raster, I_syn
        axes = figure.subplots(3, 1, sharex=True, height_ratios=(3, 2, 2))
        plot_synaptic_input(result, neuron, axes=axes)
    else:
        axes = figure.subplots(2, 1, sharex=True, height_ratios=(3, 1))
        plot_voltage_and_current(result, neuron, axes=axes)
    figure.suptitle(f"{experiment.name}: neuron {neuron}")
    figure.savefig(path, dpi=120)
