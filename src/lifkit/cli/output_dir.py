"""All-or-nothing output directories: write into a hidden sibling, then rename into place."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import CommandError


def check_output_dir(out: Path, *, force: bool) -> None:
    """Refuse a file, or a non-empty directory unless ``force``, at ``out``.

    >>> check_output_dir(Path("no/such/directory"), force=False)  # fine: it will be created
    """
    if out.is_symlink() or (out.exists() and not out.is_dir()):
        raise CommandError(f"--out {out} is a file or a link; give a directory path")
    if out.is_dir() and any(out.iterdir()) and not force:
        raise CommandError(
            f"--out {out} exists and is not empty; choose a new directory or "
            "pass --force to replace it"
        )


@contextmanager
def atomic_directory(out: Path) -> Iterator[Path]:
    """Yield an empty staging directory next to ``out``; it becomes ``out`` on success.

    On any exception the staging directory is removed and ``out`` is left as it was, so a
    failed write never leaves a partial ``out``. An existing ``out`` is replaced.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as parent:
    ...     with atomic_directory(Path(parent) / "results") as staging:
    ...         _ = (staging / "a.txt").write_text("done")
    ...     sorted(p.name for p in (Path(parent) / "results").iterdir())
    ['a.txt']
    """
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = out.parent / f".{out.name}.{uuid.uuid4().hex}.partial"
    staging.mkdir()
    try:
        yield staging
        _move_into_place(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _move_into_place(staging: Path, out: Path) -> None:
    if not out.exists():
        os.rename(staging, out)
        return
    previous = out.parent / f".{out.name}.{uuid.uuid4().hex}.old"
    os.rename(out, previous)
    try:
        os.rename(staging, out)
    except BaseException:
        os.rename(previous, out)
        raise
    shutil.rmtree(previous)
