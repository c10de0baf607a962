"""The grammar of the ``lifkit`` command and the help texts that teach it."""

from __future__ import annotations

import argparse
from importlib.metadata import version
from typing import NoReturn

from ..experiment import MODEL_TYPES, RUN_KEYS, STIMULUS_TYPES
from .errors import CommandError

DESCRIPTION = """\
Exact simulation of leaky integrate-and-fire neurons.

Numbers are in ms, mV, nA, MΩ, nF, µS and Hz unless a unit is written ("300 pA").
Bad input of any kind exits with status 2 and one line "lifkit: error: ..." on stderr."""

EXAMPLES = """\
examples:
  lifkit run examples/orhan_fig1_constant.toml --out fig1
  lifkit defaults lif --preset neurodynex
  lifkit run --help          (the experiment file format)"""

RUN_DESCRIPTION = f"""\
Run a TOML experiment file and write into a new directory DIR:
  spikes.csv    neuron,time_ms of every spike (full precision)
  traces.csv    time_ms, then v_mV_<i> and I_nA_<i> of each recorded neuron
  summary.json  parameters with units, counts, rates (Hz), mean ISI (ms) and, for a LIF
                neuron under a Constant current, the analytic period
  figure.png    v (threshold dashed) over I of the first recorded neuron
DIR appears only when every file is complete; a non-empty DIR is replaced only with --force.

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
  lifkit run examples/neurodynex_sine.toml --out sine --no-figure --force"""

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


def build_parser() -> argparse.ArgumentParser:
    """The ``lifkit`` argument parser with its ``run`` and ``defaults`` subcommands.

    >>> args = build_parser().parse_args(["run", "fig1.toml", "--out", "fig1"])
    >>> args.command, args.experiment, args.out, args.figure, args.force
    ('run', 'fig1.toml', 'fig1', True, False)
    """
    raw = argparse.RawDescriptionHelpFormatter
    parser = _Parser(prog="lifkit", description=DESCRIPTION, epilog=EXAMPLES, formatter_class=raw)
    parser.add_argument("--version", action="version", version=f"lifkit {version('lifkit')}")
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
    run.add_argument("--progress", action="store_true", help="show a progress bar on stderr")

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
