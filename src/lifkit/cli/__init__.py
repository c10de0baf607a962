"""The ``lifkit`` command: run experiment files, print model defaults.

Bad input of any kind (a malformed experiment file, a bad parameter, a missing file, an
unusable output directory, bad arguments) exits with status 2 and one line
``lifkit: error: ...`` on stderr, leaving no output behind.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from ..errors import LifkitError
from .defaults import format_defaults
from .errors import CommandError
from .parser import build_parser
from .run import run_to_directory

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


def _run(args: argparse.Namespace) -> int:
    result, files = run_to_directory(
        args.experiment, args.out, figure=args.figure, force=args.force, progress=args.progress
    )
    spikes, neurons = int(result.counts.sum()), result.n_neurons
    print(
        f"{args.out}: {', '.join(files)} ({spikes} spike{'s' * (spikes != 1)} from "
        f"{neurons} neuron{'s' * (neurons != 1)} in {result.duration:g} ms)"
    )
    if args.figure and "figure.png" not in files:
        print("no figure: record v and I of at least one neuron to plot them")
    return 0


def _defaults(args: argparse.Namespace) -> int:
    print(format_defaults(args.model, args.preset))
    return 0


_COMMANDS = {"run": _run, "defaults": _defaults}
