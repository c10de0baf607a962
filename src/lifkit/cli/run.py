"""``lifkit run``: an experiment file in, a complete output directory (or nothing) out;
or, with ``--stream``, a recording written as the run goes."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from ..errors import Interrupted
from ..experiment import load_experiment
from ..results import Result
from ..store import Recording
from .errors import CommandError
from .output_dir import atomic_directory, check_output_dir
from .outputs import write_outputs
from .summary import summarize


def run_to_directory(
    path: str | Path,
    out: str | Path,
    *,
    figure: bool = True,
    force: bool = False,
    progress: bool | None = None,
) -> tuple[Result, list[str]]:
    """Load and run the experiment file ``path``, then write its files into ``out``.

    The file and ``out`` are checked before the run; the files are written into a hidden
    sibling that is renamed to ``out`` only when all are complete. Returns the result and
    the names of the files written. Ctrl-C keeps the completed part of the run: its
    files are written and the result has ``complete`` False.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as parent:
    ...     out = Path(parent) / "fig1"
    ...     result, files = run_to_directory("examples/orhan_fig1_constant.toml", out,
    ...                                      figure=False)
    ...     files, sorted(p.name for p in out.iterdir()) == sorted(files)
    (['spikes.csv', 'traces.csv', 'summary.json'], True)
    """
    out = Path(out)
    experiment = load_experiment(path)
    check_output_dir(out, force=force)
    try:
        result = experiment.run(progress=progress)
    except Interrupted as stop:
        result = stop.result
    try:
        with atomic_directory(out) as staging:
            files = write_outputs(experiment, result, staging, figure=figure)
    except OSError as err:
        raise CommandError(
            f"cannot write --out {out}: {err.strerror or err}; choose a writable directory"
        ) from None
    return result, files


def stream_to_directory(
    path: str | Path, out: str | Path, *, force: bool = False, progress: bool | None = None
) -> tuple[Recording, list[str]]:
    """Run the experiment file ``path`` streaming into ``out``/recording.zarr, then write
    ``out``/summary.json; returns the recording and the names of the files written.

    For runs too big for memory: the recording is written chunk by chunk as the run goes
    (see :func:`lifkit.simulate`'s ``out``), so a run killed part-way leaves a
    recording.zarr that opens and says ``complete: false`` (and no summary.json). Ctrl-C
    keeps the completed part and writes the summary. A run that fails before its first
    chunk leaves no ``out``.

    >>> import tempfile, lifkit as lk
    >>> with tempfile.TemporaryDirectory() as parent:
    ...     out = Path(parent) / "fig1"
    ...     recording, files = stream_to_directory("examples/orhan_fig1_constant.toml", out)
    ...     files, lk.open_recording(out / "recording.zarr").counts.tolist()
    (['recording.zarr', 'summary.json'], [7])
    """
    out = Path(out)
    experiment = load_experiment(path)
    check_output_dir(out, force=force)
    if out.exists():  # --force: start from an empty directory
        shutil.rmtree(out)
    out.mkdir(parents=True)
    try:
        recording = experiment.stream(out / "recording.zarr", progress=progress)
    except Interrupted as stop:
        recording = stop.result
    except BaseException:
        if not any(out.iterdir()):  # failed before its first chunk: leave nothing
            out.rmdir()
        raise
    files = ["recording.zarr", "summary.json"]
    summary = summarize(experiment, recording) | {"files": files}
    staging = out / ".summary.json.partial"
    staging.write_text(json.dumps(summary, indent=2, ensure_ascii=False, default=str) + "\n")
    os.replace(staging, out / "summary.json")
    return recording, files
