"""``lifkit sweep``: an experiment file and a grid in, points.csv and summary.json out."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .._version import __version__
from ..errors import ExperimentError, Interrupted, ParameterError
from ..experiment import load_experiment
from ..sweeps import SweepResult, sweep
from .errors import CommandError
from .output_dir import atomic_directory, check_output_dir
from .summary import model_parameters

_NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
_RANGE = re.compile(
    rf"^\s*(?P<a>{_NUMBER})\s*:\s*(?P<b>{_NUMBER})\s*:\s*(?P<n>\d+)\s*(?P<unit>\S*)\s*$"
)


def parse_grid_options(options: Sequence[str]) -> dict[str, list[Any]]:
    """``--grid KEY=V1,V2,...`` or ``--grid KEY=START:STOP:NUM[UNIT]`` options as a grid.

    A value is a number (base units) or a number with a unit ("5ms"); START:STOP:NUM
    gives NUM evenly spaced values, both ends included.

    >>> parse_grid_options(["tau_m=5ms,10ms", "amplitude=0:3:4"])
    {'tau_m': ['5ms', '10ms'], 'amplitude': [0.0, 1.0, 2.0, 3.0]}
    >>> parse_grid_options(["tau_m"])
    Traceback (most recent call last):
    ...
    lifkit.cli.errors.CommandError: --grid 'tau_m': write KEY=V1,V2,... or KEY=START:STOP:NUM
    """
    grid: dict[str, list[Any]] = {}
    for option in options:
        key, _, text = option.partition("=")
        key = key.strip()
        if not key or not text.strip():
            raise CommandError(f"--grid {option!r}: write KEY=V1,V2,... or KEY=START:STOP:NUM")
        if key in grid:
            raise CommandError(f"--grid {key}: given twice; give each key once")
        grid[key] = _values(key, text)
    return grid


def _values(key: str, text: str) -> list[Any]:
    found = _RANGE.match(text)
    if found:
        count = int(found["n"])
        if count < 1:
            raise CommandError(f"--grid {key}={text}: NUM must be >= 1")
        numbers = np.linspace(float(found["a"]), float(found["b"]), count).tolist()
        unit = found["unit"]
        return [f"{x!r} {unit}" for x in numbers] if unit else numbers
    values: list[Any] = []
    for token in text.split(","):
        token = token.strip()
        if not token:
            raise CommandError(f"--grid {key}={text}: an empty value; separate values by commas")
        try:
            values.append(float(token))
        except ValueError:
            values.append(token)  # a number with a unit, checked by the sweep
    return values


def sweep_to_directory(
    path: str | Path,
    out: str | Path,
    grid_options: Sequence[str],
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    chunk_neurons: int | None = None,
    force: bool = False,
    progress: bool | None = None,
) -> tuple[SweepResult, list[str]]:
    """Sweep the experiment file ``path`` over the grid and write ``out`` all at once.

    Ctrl-C keeps the finished grid points: ``out`` then holds them and the returned
    result has ``complete`` False.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as parent:
    ...     result, files = sweep_to_directory("examples/orhan_fig1_constant.toml",
    ...         Path(parent) / "fI", ["amplitude=10,20,30"], progress=False)
    >>> files, result.counts.tolist()
    (['points.csv', 'summary.json'], [0, 7, 14])
    """
    out = Path(out)
    experiment = load_experiment(path)
    if experiment.projections:
        raise ExperimentError(
            f"{path}: sweeps of experiments with [[projection]] tables are not supported;"
            " run the file with 'lifkit run' (or loop over lk.simulate)"
        )
    grid = parse_grid_options(grid_options)
    check_output_dir(out, force=force)
    options = dict(experiment.run_options)
    try:
        result = sweep(
            experiment.model,
            experiment.stimulus,
            grid,
            workers=workers,
            scheduler=scheduler,
            chunk_neurons=chunk_neurons,
            progress=progress,
            **options,
        )
    except Interrupted as stop:
        result = stop.result
    except ParameterError as err:
        if err.name in grid:
            raise CommandError(f"--grid {err}") from None
        if err.name in ("workers", "scheduler", "chunk_neurons"):
            raise CommandError(f"--{err.name.replace('_', '-')}: {err}") from None
        if experiment.source is None:  # pragma: no cover - files always have a source
            raise
        raise experiment.source.locate(err) from None
    summary = {
        "experiment": experiment.name,
        "source": str(path),
        "lifkit_version": __version__,
        "model": {
            "type": type(experiment.model).__name__,
            "parameters": model_parameters(experiment.model),
        },
        "stimulus": experiment.source.document["stimulus"] if experiment.source else None,
        "grid": {
            k: {"values": v.tolist(), "unit": result.units[k]} for k, v in result.axes.items()
        },
        "shape": list(result.shape),
        "n_points": result.n_points,
        "points_done": int(result.done.sum()),
        "complete": result.complete,
        "duration_ms": result.duration,
        "dt_ms": result.dt,
        "seed": result.seed,
        "workers": workers,
        "scheduler": scheduler,
    }
    try:
        with atomic_directory(out) as staging:
            files = ["points.csv", "summary.json"]
            write_points(result, staging / "points.csv")
            with open(staging / "summary.json", "w", encoding="utf-8") as file:
                json.dump(summary | {"files": files}, file, indent=2, ensure_ascii=False)
                file.write("\n")
    except OSError as err:
        raise CommandError(
            f"cannot write --out {out}: {err.strerror or err}; choose a writable directory"
        ) from None
    return result, files


def write_points(result: SweepResult, path: Path) -> None:
    """One row per finished grid point: ``point``, each axis as ``<key>_<unit>``,
    ``spike_count`` and ``rate_Hz`` (full precision).

    >>> import tempfile
    >>> import lifkit as lk
    >>> result = lk.sweep(lk.LIF.preset("orhan"), lk.Constant("20 mV"),
    ...                   {"tau_m": [5, 10], "amplitude": [20, 40]}, duration=50)
    >>> with tempfile.TemporaryDirectory() as directory:
    ...     write_points(result, Path(directory) / "points.csv")
    ...     print((Path(directory) / "points.csv").read_text())
    point,tau_m_ms,amplitude_mV,spike_count,rate_Hz
    0,5.0,20.0,7,140.0
    1,5.0,40.0,21,420.0
    2,10.0,20.0,3,60.0
    3,10.0,40.0,10,200.0
    <BLANKLINE>
    """
    table = result.points()
    done = table.pop("done")
    names = [f"{k}_{result.units[k]}" if result.units[k] else k for k in result.axes]
    columns = [np.arange(result.n_points), *(table[k] for k in result.axes)]
    columns += [table["spike_count"], table["rate_Hz"]]
    with open(path, "w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["point", *names, "spike_count", "rate_Hz"])
        for row in zip(*(c[done].tolist() for c in columns), strict=True):
            writer.writerow(row)
