"""The ``lifkit`` command: run experiment files, sweep them over grids, reproduce the seed
figures, print model defaults.

Bad input of any kind (a malformed experiment file, a bad parameter, a missing file, an
unusable output directory, bad arguments) exits with status 2 and one line
``lifkit: error: ...`` on stderr, leaving no output behind. Ctrl-C during a run or sweep
keeps what was completed, writes it, says so in one line on stderr and exits with 130.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence

from ..errors import LifkitError
from ..results import Result
from ..store import Recording
from .defaults import format_defaults
from .errors import CommandError
from .parser import build_parser
from .reproduce import reproduce_to_directory, terminal_progress
from .run import run_to_directory, stream_to_directory
from .sweep import sweep_to_directory

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``lifkit`` with ``argv`` (default ``sys.argv[1:]``); returns the exit status.

    >>> main(["defaults", "lif", "--preset", "orhan"])  # doctest: +ELLIPSIS
    LIF preset 'orhan' ...
    tau_m              10 ms   membrane time constant
    ...
    0
    >>> main(["defaults", "hh"])  # stderr: lifkit: error: unknown model 'hh'; ...
    2
    """
    try:
        args = build_parser().parse_args(argv)
        return _COMMANDS[args.command](args)
    except SystemExit as done:  # --help and --version
        return 0 if done.code is None else int(done.code)
    except BrokenPipeError:  # the reader (e.g. `| head`) closed the pipe: stop quietly
        sys.stdout = open(os.devnull, "w")  # keeps the interpreter's final flush quiet
        return 0
    except (LifkitError, CommandError, OSError) as err:
        message = " ".join(str(err).split())
        print(f"lifkit: error: {message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # a second Ctrl-C, or one outside a run: nothing is kept
        print("lifkit: interrupted (Ctrl-C); nothing was written", file=sys.stderr)
        return INTERRUPTED


def _run(args: argparse.Namespace) -> int:
    result: Result | Recording
    if args.stream:
        result, files = stream_to_directory(
            args.experiment, args.out, force=args.force, progress=args.progress
        )
    else:
        result, files = run_to_directory(
            args.experiment, args.out, figure=args.figure, force=args.force, progress=args.progress
        )
    spikes, neurons = int(result.counts.sum()), result.n_neurons
    print(
        f"{args.out}: {', '.join(files)} ({spikes} spike{'s' * (spikes != 1)} from "
        f"{neurons} neuron{'s' * (neurons != 1)} in {result.duration:g} ms)"
    )
    if args.figure and not args.stream and "figure.png" not in files:
        print("no figure: record v and I of at least one neuron to plot them")
    if not result.complete:
        print(
            f"lifkit: stopped early (Ctrl-C): {args.out} holds the first {result.duration:g} ms "
            "of the run",
            file=sys.stderr,
        )
        return INTERRUPTED
    return 0


def _sweep(args: argparse.Namespace) -> int:
    result, files = sweep_to_directory(
        args.experiment,
        args.out,
        args.grid,
        workers=args.workers,
        scheduler=args.scheduler,
        chunk_neurons=args.chunk_neurons,
        force=args.force,
        progress=args.progress,
    )
    done, spikes = int(result.done.sum()), int(result.counts[result.done].sum())
    print(
        f"{args.out}: {', '.join(files)} ({result.n_points} grid points "
        f"({' x '.join(map(str, result.shape))}), {spikes} spike{'s' * (spikes != 1)} "
        f"in {result.duration:g} ms each)"
    )
    if not result.complete:
        print(
            f"lifkit: stopped early (Ctrl-C): {args.out} holds {done} of {result.n_points} "
            "grid points",
            file=sys.stderr,
        )
        return INTERRUPTED
    return 0


def _reproduce(args: argparse.Namespace) -> int:
    from ..gallery import FIGURES, summary  # matplotlib and the analysis: only here

    start = time.perf_counter()
    progress = terminal_progress(len(FIGURES))
    entries, files = reproduce_to_directory(args.out, force=args.force, progress=progress)
    print(summary(entries))
    print(
        f"{args.out}: {len(files)} files ({len(entries)} PNG figures, index.html, "
        f"gallery.md) in {time.perf_counter() - start:.0f} s"
    )
    return 0


def _defaults(args: argparse.Namespace) -> int:
    print(format_defaults(args.model, args.preset))
    return 0


_COMMANDS = {"run": _run, "sweep": _sweep, "reproduce": _reproduce, "defaults": _defaults}

#: Exit status after Ctrl-C (128 + SIGINT), with the completed part written.
INTERRUPTED = 130
