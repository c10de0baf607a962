"""Compile and run the plain C reference loop ``lif_population.c``.

``-ffp-contract=off`` stops GCC fusing multiply-adds, which numba does not do either, so the
``counter`` variant reproduces lifkit's spike times bit for bit.

    python benchmarks/c_reference/build.py 100000 counter [SEED [N_STEPS [neuron|step]]]
"""

import json
import subprocess
import sys
import tempfile
from pathlib import Path

SOURCE = Path(__file__).with_name("lif_population.c")
FLAGS = ("-O3", "-march=native", "-ffp-contract=off")


def build(out_dir=None, compiler="cc"):
    """Compile with the system ``cc`` into ``out_dir`` (default: a new temp dir); return the exe."""
    out_dir = Path(out_dir) if out_dir is not None else Path(tempfile.mkdtemp(prefix="lifkit-c-"))
    exe = out_dir / "lif_population"
    subprocess.run([compiler, *FLAGS, "-o", str(exe), str(SOURCE), "-lm"], check=True)
    return exe


def compiler_version(compiler="cc"):
    """The first line of ``cc --version``."""
    out = subprocess.run([compiler, "--version"], capture_output=True, text=True, check=True)
    return out.stdout.splitlines()[0]


def run(exe, n_neurons, variant, seed=1, n_steps=10_000, order="neuron"):
    """Run one variant ("counter" or "xoshiro") and return its JSON report as a dict."""
    args = [str(exe), str(n_neurons), variant, str(seed), str(n_steps), order]
    return json.loads(subprocess.run(args, check=True, capture_output=True, text=True).stdout)


if __name__ == "__main__":
    print(
        json.dumps(
            run(build(), int(sys.argv[1]), *sys.argv[2:3], *map(int, sys.argv[3:5]), *sys.argv[5:6])
        )
    )
