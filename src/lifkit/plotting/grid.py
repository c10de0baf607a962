"""Multi-panel figures: membrane potentials of several models under several stimuli."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import ParameterError
from ._style import LINE, REFERENCE
from .traces import _value, with_spikes

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from ..results import Result


def plot_model_stimulus_grid(
    results: Sequence[Sequence[Result]],
    models: Sequence[str],
    stimuli: Sequence[str],
    *,
    figure: Figure | None = None,
) -> np.ndarray:
    """Draw v(t) (mV) of neuron 0 of every run in a grid, one row per model and one column
    per stimulus, above a row with each column's injected current I(t) (nA).

    ``results[i][j]`` is the run of model i under stimulus j; ``models`` label the rows and
    ``stimuli`` head the columns. The runs of a column must share their current. Time is
    shared by all panels, v by the panels of a row; the threshold is dashed (for an AdEx,
    the soft threshold v_T, with each spike drawn up to v_peak); each current axis keeps
    its own scale and shows I = 0. Tick labels and units sit on the outer axes, one
    legend above the grid. ``figure``: the matplotlib Figure to
    draw in (None: a new pyplot figure). Returns the axes, shape
    ``(len(models) + 1, len(stimuli))``, the current row last. Never calls ``show()``.

    >>> import lifkit as lk
    >>> from matplotlib.figure import Figure
    >>> models = {"LIF": lk.LIF.preset("soroush"), "AdEx": lk.AdEx.preset("soroush")}
    >>> stimuli = {"300 pA": lk.Constant("300 pA"), "step": lk.Step("300 pA", start=20)}
    >>> runs = [[lk.simulate(m, s, duration=60) for s in stimuli.values()]
    ...         for m in models.values()]
    >>> axes = plot_model_stimulus_grid(runs, list(models), list(stimuli), figure=Figure())
    >>> axes.shape, axes[0, 1].get_title(), axes[1, 0].get_ylabel()
    ((3, 2), 'step', 'AdEx\\nv (mV)')
    >>> axes[-1, 0].get_ylabel(), axes[-1, 1].get_xlabel()
    ('I (nA)', 'time (ms)')
    """
    n_rows, n_cols = len(models), len(stimuli)
    if len(results) != n_rows or any(len(row) != n_cols for row in results):
        raise ParameterError(
            "results",
            [len(row) for row in results],
            f"give {n_rows} rows (one per model) of {n_cols} runs (one per stimulus)",
        )
    if figure is None:
        import matplotlib.pyplot as plt  # only when the caller gave no figure

        size = (1.9 * n_cols + 0.8, 1.7 * n_rows + 1.6)
        figure = plt.figure(figsize=size, layout="constrained")
    grid = figure.add_gridspec(n_rows + 1, n_cols, height_ratios=[3.0] * n_rows + [1.6])
    axes = np.empty((n_rows + 1, n_cols), dtype=object)
    for i in range(n_rows + 1):
        for j in range(n_cols):
            share_v = axes[i, 0] if j and i < n_rows else None
            axes[i, j] = figure.add_subplot(grid[i, j], sharex=axes[0, 0], sharey=share_v)
    for j, header in enumerate(stimuli):
        current = results[0][j].trace("I", 0)
        for i, model in enumerate(models):
            result = results[i][j]
            if not np.array_equal(result.trace("I", 0), current):
                raise ParameterError(
                    "results",
                    f"{model} under {header}",
                    f"the runs of column {header!r} differ in their current; "
                    "give every model the same stimulus and dt",
                )
            _draw_v(axes[i, j], result)
        axes[-1, j].plot(results[0][j].t, current, color="C1", label="I", **LINE)
        low, high = min(current.min(), 0.0), max(current.max(), 0.0)  # zero stays in view
        pad = 0.1 * (high - low) if high > low else 0.1
        axes[-1, j].set_ylim(low - pad, high + pad)
        axes[0, j].set_title(header, fontsize="medium")
        axes[-1, j].set_xlabel("time (ms)")
        axes[-1, j].set_xlim(0.0, results[0][j].duration)
    for i, model in enumerate(models):
        axes[i, 0].set_ylabel(f"{model}\nv (mV)")
    axes[-1, 0].set_ylabel("I (nA)")
    for ax in axes.flat:
        ax.grid(alpha=0.3)
        ax.tick_params(labelsize="small")
        ax.label_outer(remove_inner_ticks=False)
    for ax in axes[-1, 1:]:  # currents differ in scale: every column keeps its own
        ax.tick_params(labelleft=True)
    legend: dict[str, Any] = {}
    for ax in axes[:, 0]:
        handles, labels = ax.get_legend_handles_labels()
        legend.update(zip(labels, handles, strict=True))
    figure.legend(
        legend.values(),
        legend.keys(),
        loc="outside upper center",
        ncols=len(legend),
        frameon=False,
        fontsize="small",
    )
    return axes


def _draw_v(ax: Any, result: Result) -> None:
    """v(t) of neuron 0 with the spikes reaching the threshold (v_peak for an AdEx)."""
    threshold = _value(result, "v_th", 0)
    adex = hasattr(result.model, "v_peak")
    top = _value(result, "v_peak", 0) if adex else threshold
    t, v = with_spikes(
        result.t, result.trace("v", 0), result.spike_train(0), top, _value(result, "v_reset", 0)
    )
    ax.plot(t, v, color="C0", label="v", **LINE)
    ax.axhline(threshold, label="soft threshold v_T" if adex else "threshold", **REFERENCE)
