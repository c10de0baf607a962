"""The figure gallery: every figure of the seed documents, regenerated with lifkit.

One module per seed document (:mod:`.orhan`, :mod:`.exercises`, :mod:`.soroush`) holds
builders that run the simulations, draw the figure and return it with the numbers it
shows beside their references (:class:`GalleryFigure`, :class:`Row`); :data:`FIGURES`
lists them in order, :func:`build_gallery` writes the PNGs and :mod:`.page` the
``index.html`` and ``gallery.md`` pages. ``lifkit reproduce`` runs it all.
"""

from .base import GalleryFigure, Row
from .page import markdown, page, summary, write_pages
from .registry import FIGURES, build_gallery

__all__ = [
    "FIGURES",
    "GalleryFigure",
    "Row",
    "build_gallery",
    "markdown",
    "page",
    "summary",
    "write_pages",
]
