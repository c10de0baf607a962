"""``lifkit run``: an experiment file in, a complete output directory (or nothing) out."""

from __future__ import annotations

from pathlib import Path

from ..errors import Interrupted
from ..experiment import load_experiment
from ..results import Result
from .errors import CommandError
from .output_dir import atomic_directory, check_output_dir
from .outputs import write_outputs


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
