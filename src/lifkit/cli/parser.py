"""The grammar of the ``lifkit`` command and the help texts that teach it."""

from __future__ import annotations

import argparse
from typing import NoReturn

from .._version import __version__
from ..experiment import MODEL_TYPES, RUN_KEYS, STIMULUS_TYPES
from .errors import CommandError

DESCRIPTION = """\
Exact simulation of leaky integrate-and-fire neurons.

Numbers are in ms, mV, nA, MΩ, nF, µS and Hz unless a unit is written ("300 pA").
Bad input of any kind exits with status 2 and one line "lifkit: error: ..." on stderr."""

EXAMPLES = """\
examples:
  lifkit run examples/orhan_fig1_constant.toml --out fig1
  lifkit sweep examples/orhan_fig1_constant.toml --grid amplitude=10:40:31 --out fI
  lifkit defaults lif --preset neurodynex
  lifkit reproduce --out out/reproduce
  lifkit run --help          (the experiment file format)"""

RUN_DESCRIPTION = f"""\
Run a TOML experiment file and write into a new directory DIR:
  spikes.csv    neuron,time_ms of every spike (full precision)
  traces.csv    time_ms, then v_mV_<i> and I_nA_<i> of each recorded neuron
  summary.json  parameters with units, counts, rates (Hz), mean ISI (ms) and, for a LIF
                neuron under a Constant current, the analytic period
  figure.png    v (threshold dashed) over I of the first recorded neuron
DIR appears only when every file is complete; a non-empty DIR is replaced only with --force.
With --stream, DIR gets recording.zarr instead of the CSVs and figure, written chunk by
chunk as the run goes (memory stays flat however long the run): open it with
lk.open_recording or xarray.open_zarr; a run killed part-way leaves it partial, saying so.

The file uses the Python API's names (a key is a constructor keyword):
  # Orhan (2012) Figure 1: constant drive of 20 mV (R = 1 MΩ)
  name = "fig1"                      # optional; default: the file name
  [model]
  type = "LIF"                       # model types: {", ".join(MODEL_TYPES)}
  preset = "orhan"                   # optional; keys below override it
  t_ref = "2 ms"
  [stimulus]                         # or several [[stimulus]] tables, summed
  type = "Constant"                  # any stimulus type, listed below
  amplitude = [15.0, 20.0, 30.0]     # an array gives one neuron per value
  [run]                              # {", ".join(RUN_KEYS)}
  duration = "100 ms"
  dt = "0.1 ms"
  seed = 1
  [record]                           # optional: neurons, variables, stride
  neurons = [0, 2]
  variables = ["v", "I"]

Stimulus types: {", ".join(sorted(STIMULUS_TYPES))}.
Their keys are the keywords of the class: see python3 -c "help('lifkit.Sinusoid')".
Values: numbers in base units or strings with units ("0.1 ms", "300 pA", "10 nS")."""

RUN_EXAMPLES = """\
examples:
  lifkit run examples/orhan_fig1_constant.toml --out fig1
  lifkit run examples/neurodynex_sine.toml --out sine --no-figure --force
  lifkit run examples/orhan_fig2_gaussian.toml --out fig2 --stream"""

SWEEP_DESCRIPTION = """\
Run the experiment file's model and stimulus at every point of a grid (the outer product
of the --grid axes, in order), as one vectorised population run or, with --workers or
--scheduler, as chunks on Dask distributed (pip install 'lifkit[dask]'). For the same
seed the results are bit-identical however the grid is split. Writes into DIR:
  points.csv    point, one column per axis (<key>_<unit>), spike_count, rate_Hz
  summary.json  the model, stimulus, grid axes with units, run options and seed
DIR appears only when both files are complete. Ctrl-C stops after the chunks in
progress; DIR then holds the finished grid points (summary.json: "complete": false).

A grid key is a parameter of the file's model (as 'lifkit defaults MODEL' lists them,
e.g. tau_m, R, v_th, t_ref) or amplitude, the amplitude of the file's Constant or Step
stimulus (also inside a sum with other stimuli, e.g. white noise). Values are numbers
in base units (an amplitude: in the unit of the file's amplitude, e.g. mV for "20 mV")
or numbers with a unit ("5ms"):
  --grid tau_m=5,10,20           three values
  --grid amplitude=0:3:31        31 values from 0 to 3, both included
  --grid t_ref=0ms,2ms"""

SWEEP_EXAMPLES = """\
examples:
  lifkit sweep examples/orhan_fig1_constant.toml --grid amplitude=10:40:31 --out fI
  lifkit sweep examples/neurodynex_step.toml --grid tau_m=5,8,12 --grid amplitude=1:4:13 \\
      --workers 4 --out grid"""

REPRODUCE_DESCRIPTION = """\
Regenerate every figure of the seed documents (the Orhan note, the Neuronal Dynamics
exercises, the Soroush report) and write into a new directory DIR (default out/reproduce):
  <name>.png    one PNG per figure
  index.html    the gallery: each figure with its caption and the numbers it shows
                (lifkit's value, the reference, their difference)
  gallery.md    the same as Markdown
and print the numbers that have a reference. DIR appears only when every file is
complete; a non-empty DIR is replaced only with --force. About a minute on two cores
the first time (compiling the kernels), less afterwards."""

DEFAULTS_DESCRIPTION = """\
Print the named parameter presets of a model with units and meaning (like neurodynex3's
print_default_parameters). Use a preset from Python as lifkit.LIF.preset("orhan") and in an
experiment file as preset = "orhan" in [model]."""

DEFAULTS_EXAMPLES = """\
examples:
  lifkit defaults lif
  lifkit defaults lif --preset soroush"""


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose usage errors become one-line :class:`CommandError`."""

    def error(self, message: str) -> NoReturn:
        raise CommandError(f"{message}; see '{self.prog} --help'")


def _positive(text: str) -> int:
    """A whole number >= 1 (for --workers and --chunk-neurons)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} must be >= 1")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The ``lifkit`` argument parser with its ``run``, ``sweep`` and ``defaults`` subcommands.

    >>> args = build_parser().parse_args(["run", "fig1.toml", "--out", "fig1"])
    >>> args.command, args.experiment, args.out, args.figure, args.force
    ('run', 'fig1.toml', 'fig1', True, False)
    """
    raw = argparse.RawDescriptionHelpFormatter
    parser = _Parser(prog="lifkit", description=DESCRIPTION, epilog=EXAMPLES, formatter_class=raw)
    parser.add_argument(
        "--version",
        action="version",
        version=f"lifkit {__version__}",
        help="show the version and exit",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser(
        "run",
        help="run an experiment file and write its results",
        description=RUN_DESCRIPTION,
        epilog=RUN_EXAMPLES,
        formatter_class=raw,
    )
    run.add_argument("experiment", metavar="EXPERIMENT.toml", help="the experiment file")
    run.add_argument("--out", required=True, metavar="DIR", help="directory to create")
    run.add_argument(
        "--no-figure", dest="figure", action="store_false", help="skip figure.png (and matplotlib)"
    )
    run.add_argument("--force", action="store_true", help="replace a non-empty DIR")
    run.add_argument(
        "--stream",
        action="store_true",
        help="stream spikes and traces to DIR/recording.zarr as the run goes",
    )
    run.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        help="a progress bar on stderr (default: on a terminal, for runs over a second)",
    )

    sweep = commands.add_parser(
        "sweep",
        help="run an experiment file over a grid of parameter values",
        description=SWEEP_DESCRIPTION,
        epilog=SWEEP_EXAMPLES,
        formatter_class=raw,
    )
    sweep.add_argument("experiment", metavar="EXPERIMENT.toml", help="the experiment file")
    sweep.add_argument(
        "--grid",
        action="append",
        required=True,
        metavar="KEY=VALUES",
        help="an axis: KEY=V1,V2,... or KEY=START:STOP:NUM (repeat for more axes)",
    )
    sweep.add_argument("--out", required=True, metavar="DIR", help="directory to create")
    where = sweep.add_mutually_exclusive_group()
    where.add_argument(
        "--workers", type=_positive, metavar="N", help="run on a local Dask cluster of N processes"
    )
    where.add_argument(
        "--scheduler", metavar="ADDR", help="run on the Dask scheduler at ADDR (tcp://host:port)"
    )
    sweep.add_argument(
        "--chunk-neurons", type=_positive, metavar="N", help="grid points per population run"
    )
    sweep.add_argument("--force", action="store_true", help="replace a non-empty DIR")
    sweep.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        help="a progress bar on stderr (default: on a terminal, for runs over a second)",
    )

    reproduce = commands.add_parser(
        "reproduce",
        help="regenerate every figure of the seed documents, with the numbers they show",
        description=REPRODUCE_DESCRIPTION,
        formatter_class=raw,
    )
    reproduce.add_argument(
        "--out", default="out/reproduce", metavar="DIR", help="directory to create"
    )
    reproduce.add_argument("--force", action="store_true", help="replace a non-empty DIR")

    defaults = commands.add_parser(
        "defaults",
        help="print a model's parameter presets",
        description=DEFAULTS_DESCRIPTION,
        epilog=DEFAULTS_EXAMPLES,
        formatter_class=raw,
    )
    defaults.add_argument("model", metavar="MODEL", help=f"one of {', '.join(MODEL_TYPES)}")
    defaults.add_argument("--preset", metavar="NAME", help="print only this preset")
    return parser
