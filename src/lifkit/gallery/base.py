"""What a gallery figure is: a matplotlib figure, its caption and the numbers it shows."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, NamedTuple

#: Figure width (inches) and resolution (dots per inch) of every gallery PNG.
WIDTH, DPI = 8.0, 100


class Row(NamedTuple):
    """One number a figure shows: lifkit's value beside its reference, in ``unit``.

    ``reference`` is NaN where no reference exists. ``note`` says what the reference is
    (a closed form, the hidden parameter, an expectation with sampling error, ...).

    >>> row = Row("period", 13.862943611198904, 13.862943611198906, "ms", "tau_m ln 4")
    >>> row.difference == row.value - row.reference
    True
    >>> math.isnan(Row("spikes", 7.0, math.nan, "").difference)
    True
    """

    quantity: str
    value: float
    reference: float
    unit: str
    note: str = ""

    @property
    def difference(self) -> float:
        """value - reference (NaN without a reference)."""
        return float(self.value) - float(self.reference)

    @property
    def has_reference(self) -> bool:
        """Whether the row has a reference value."""
        return not math.isnan(float(self.reference))


@dataclass(eq=False)
class GalleryFigure:
    """A figure of the gallery: ``figure`` (a matplotlib Figure), written as ``name``.png.

    ``source`` names the seed document, ``title`` the figure there, ``caption`` what the
    figure shows and with which parameters, ``rows`` the numbers shown beside it.

    >>> GalleryFigure("lif_step", "Orhan", "Fig. 1", "A step current", new_figure(3.0)).filename
    'lif_step.png'
    """

    name: str
    source: str
    title: str
    caption: str
    figure: Any
    rows: list[Row] = field(default_factory=list)

    @property
    def filename(self) -> str:
        """The PNG's file name."""
        return f"{self.name}.png"


def new_figure(height: float, width: float = WIDTH) -> Any:
    """A matplotlib Figure (inches) with an Agg canvas and constrained layout, outside pyplot.

    >>> new_figure(3.0).get_size_inches().tolist()
    [8.0, 3.0]
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(figure)
    return figure
