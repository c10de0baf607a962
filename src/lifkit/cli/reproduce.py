"""``lifkit reproduce``: every seed figure as PNG, with ``index.html`` and ``gallery.md``."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import CommandError
from .output_dir import atomic_directory, check_output_dir

if TYPE_CHECKING:
    from ..gallery import GalleryFigure


def reproduce_to_directory(
    out: str | Path, *, force: bool = False, progress: Callable[[int, str], None] | None = None
) -> tuple[list[GalleryFigure], list[str]]:
    """Regenerate the gallery (:data:`lifkit.gallery.FIGURES`) into the new directory ``out``.

    ``out`` is checked first (a non-empty directory only with ``force``); everything is
    written into a hidden sibling renamed to ``out`` only when complete. ``progress`` is
    called as ``progress(i, name)`` before figure i. Returns the
    :class:`lifkit.gallery.GalleryFigure` entries and the names of the files written.
    """
    from ..gallery import build_gallery, write_pages  # matplotlib and the runs: only here

    out = Path(out)
    check_output_dir(out, force=force)
    try:
        with atomic_directory(out) as staging:
            entries = build_gallery(staging, progress=progress)
            files = [entry.filename for entry in entries] + write_pages(entries, staging)
    except OSError as err:
        raise CommandError(
            f"cannot write --out {out}: {err.strerror or err}; choose a writable directory"
        ) from None
    return entries, files


def terminal_progress(total: int) -> Callable[[int, str], None] | None:
    """A one-line ``[i/total] name`` counter on stderr when it is a terminal, else None.

    >>> terminal_progress(28) is None  # under doctest stderr is no terminal
    True
    """
    if not sys.stderr.isatty():
        return None

    def show(i: int, name: str) -> None:
        end = "\n" if i + 1 == total else ""
        print(f"\r\033[K[{i + 1}/{total}] {name}", end=end, file=sys.stderr, flush=True)

    return show
