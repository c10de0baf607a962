"""The README's examples run as written: its Python blocks and its experiment file."""

import re
from pathlib import Path

import numpy as np
import pytest

from lifkit.experiment import load_experiment

README = Path(__file__).resolve().parents[2] / "README.md"


def blocks(language):
    """The fenced code blocks of the README in ``language``."""
    return re.findall(rf"```{language}\n(.*?)```", README.read_text(encoding="utf-8"), re.S)


@pytest.mark.parametrize("index", range(len(blocks("python"))))
def test_python_block_runs(index, capsys):
    namespace = {}
    exec(compile(blocks("python")[index], f"README.md python block {index}", "exec"), namespace)
    if "rates" in namespace and "currents" in namespace:  # the f-I curve example
        assert np.array_equal(namespace["rates"], expected_rates(namespace["currents"]))


def expected_rates(currents, duration=1000.0):
    """Spikes in ``duration`` ms of the neurodynex neuron (tau_m 8 ms, R 10 MΩ, rest -70,
    reset -65, threshold -50 mV, t_ref 2 ms) from rest, by the closed form, in Hz."""
    v_inf = -70.0 + 10.0 * currents
    counts = np.zeros(currents.size)
    fires = v_inf > -50.0
    first = 8.0 * np.log((v_inf[fires] + 70.0) / (v_inf[fires] + 50.0))
    period = 2.0 + 8.0 * np.log((v_inf[fires] + 65.0) / (v_inf[fires] + 50.0))
    counts[fires] = np.floor((duration - first) / period) + 1
    return counts / (duration / 1000.0)


def test_experiment_block_runs(tmp_path):
    (toml,) = blocks("toml")
    path = tmp_path / "readme.toml"
    path.write_text(toml, encoding="utf-8")
    result = load_experiment(path).run()
    # Orhan's neuron at 20 mV: period 10 ln 4 ms, first spike at the same time from v = 0.
    period = 10.0 * np.log(4.0)
    assert result.spike_times.size == int(100.0 // period)
    assert np.allclose(np.diff(result.spike_times), period, atol=1e-9)
