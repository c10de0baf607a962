"""Every figure of the seed documents, in gallery order, and the loop that draws them."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from . import exercises, orhan, soroush
from .base import DPI, GalleryFigure

#: File stem -> builder, in the order of the gallery (seed documents 000, 001, 003).
FIGURES: dict[str, Callable[[], GalleryFigure]] = {
    "orhan_fig1": orhan.figure1,
    "orhan_fig2": orhan.figure2,
    "orhan_fig3": orhan.figure3,
    "exercises_step": exercises.step_demo,
    "exercises_sine": exercises.sine_demo,
    "exercises_minimal_current": exercises.minimal_current,
    "exercises_fi_curve": exercises.fi_curve_3ms,
    "exercises_random_neuron": exercises.random_neuron,
    "exercises_sine_250hz": exercises.sine_250hz,
    "exercises_frequency_sweep": exercises.frequency_sweep,
    "soroush_grid": soroush.grid,
    **{
        f"soroush_{model}_{stimulus}": partial(soroush.panel, model, stimulus)
        for model in soroush.MODELS
        for stimulus in soroush.STIMULI
    },
    **{f"soroush_fi_{model}": partial(soroush.fi, model) for model in soroush.MODELS},
}


def build_gallery(
    directory: Path, *, progress: Callable[[int, str], None] | None = None
) -> list[GalleryFigure]:
    """Draw every figure of :data:`FIGURES` and write it as ``directory/<name>.png``.

    progress: called as ``progress(i, name)`` before figure i (0-based) is built.
    Returns the figures (their matplotlib figures are released after writing).

    >>> len(FIGURES), sorted(FIGURES)[:2]
    (29, ['exercises_fi_curve', 'exercises_frequency_sweep'])
    """
    entries = []
    for i, (name, builder) in enumerate(FIGURES.items()):
        if progress is not None:
            progress(i, name)
        entry = builder()
        entry.figure.savefig(directory / entry.filename, dpi=DPI)
        entry.figure = None  # the PNG is written; free the drawing
        entries.append(entry)
    return entries
