"""The one look of lifkit's figures, shared by the plotting modules.

The same choices as :mod:`lifkit.plotting.traces`: data in the default colour cycle with
1.2-pt lines, reference lines (thresholds, ceilings, theory) dashed in grey, a light grid,
small frameless legends, and units in every axis label.
"""

from __future__ import annotations

from typing import Any

LINE: dict[str, Any] = dict(lw=1.2)
REFERENCE: dict[str, Any] = dict(color="0.3", ls="--", lw=1.0)
THEORY: dict[str, Any] = dict(color="0.15", lw=1.0, zorder=1)
MARKERS: dict[str, Any] = dict(ls="none", marker="o", ms=4.0, mfc="none", mew=1.1, zorder=2)


def new_axes(rows: int = 1, **kwargs: Any) -> Any:
    """A new pyplot figure with ``rows`` stacked axes (only when the caller gave none)."""
    import matplotlib.pyplot as plt

    size = (6.4, 2.4 + 2.0 * rows)
    _, axes = plt.subplots(rows, 1, layout="constrained", figsize=size, **kwargs)
    return axes


def finish(ax: Any, *, legend: bool = False) -> None:
    """Grid and, when asked, the legend in lifkit's style."""
    ax.grid(alpha=0.3)
    if legend:
        ax.legend(frameon=False, fontsize="small")


def legend_above(ax: Any, ncols: int) -> None:
    """The legend in one row above the axes, off the data (lifkit's style for traces)."""
    ax.legend(
        loc="lower left", bbox_to_anchor=(0.0, 1.0), ncols=ncols, frameon=False, fontsize="small"
    )
