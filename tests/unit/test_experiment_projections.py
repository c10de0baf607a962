"""[[projection]] tables in experiment files."""

from pathlib import Path

import numpy as np
import pytest

import lifkit as lk
from lifkit.experiment import load_experiment, parse_experiment

EXAMPLES = Path(__file__).parents[2] / "examples"
HEAD = """\
[model]
type = "LIF"
preset = "orhan"

[run]
duration = "20 ms"
seed = 1
"""


def test_orhan_fig3_example_builds_the_api_objects_and_runs():
    experiment = load_experiment(EXAMPLES / "orhan_fig3_synaptic.toml")
    (projection,) = experiment.projections
    assert isinstance(projection.source, lk.PoissonGroup) and projection.source.n == 25
    assert projection.synapse == lk.AlphaSynapse("10 ms")
    assert experiment.stimulus is None
    result = experiment.run()
    assert result.I_syn is not None and result.spike_times.size > 0
    api = lk.simulate(
        experiment.model,
        projections=[
            lk.Projection(
                lk.PoissonGroup(25, "40 Hz"),
                synapse=lk.AlphaSynapse(10),
                weights=lk.Normal("1.62 mV", "0.5 mV"),
            )
        ],
        duration=100,
        seed=3,
    )
    np.testing.assert_array_equal(api.spike_times, result.spike_times)


def test_a_recurrent_projection_with_connectivity_and_targets_parses():
    experiment = parse_experiment(
        HEAD.replace('preset = "orhan"', 'preset = "orhan"\nv_init = [0.0, 1.0, 2.0, 3.0]')
        + """
[[projection]]
source = { type = "Neurons", start = 0, stop = 2 }
synapse = { type = "BiexponentialSynapse", tau_rise = "1 ms", tau_decay = "4 ms" }
weights = "0.5 mV"
delay = "1.5 ms"
connectivity = { type = "Random", p = 0.5 }
targets = { type = "Neurons", start = 2 }

[[projection]]
source = { type = "SpikeTimes", indices = [0, 0], times = [1.25, 3.5] }
synapse = { type = "DeltaSynapse" }
weights = [[20.0, 20.0, 20.0, 20.0]]
"""
    )
    recurrent, _listed = experiment.projections
    assert recurrent.recurrent and recurrent.delay == 1.5
    assert isinstance(recurrent.connectivity, lk.Random) and recurrent.connectivity.p == 0.5
    result = experiment.run()
    np.testing.assert_allclose(result.spike_times[:4], 1.25)  # every neuron fires at 1.25 ms


@pytest.mark.parametrize(
    ("projection", "expected"),
    [
        ('source = { type = "Poisson", n = 2, rate = 5 }\nsynapse = { type = "DeltaSynapse" }'
         "\nweights = 1.0", r":10: \[\[projection\]\] #1 source.type = 'Poisson': choose one of"),
        ('source = { type = "PoissonGroup", n = 2, rate = 5, start = 3 }\n'
         'synapse = { type = "DeltaSynapse" }\nweights = 1.0',
         r":10: \[\[projection\]\] #1 source: unknown key 'start' of PoissonGroup"),
        ('source = { type = "PoissonGroup", n = 2, rate = 5 }\n'
         'synapse = { type = "DeltaSynapse" }\nweights = "1 nA"',
         r":12: \[\[projection\]\] #1 weights = '1 nA': has dimension current"),
        ('source = { type = "PoissonGroup", n = 2, rate = 5 }\n'
         'synapse = { type = "AlphaSynapse" }\nweights = 1.0',
         r":11: \[\[projection\]\] #1 synapse: AlphaSynapse needs tau"),
        ('source = { type = "PoissonGroup", n = 2, rate = 5 }\nsynapse = { type = "DeltaSynapse" }'
         '\nweights = 1.0\ndelay = "-1 ms"', r":13: \[\[projection\]\] #1 delay = '-1 ms'"),
        ('source = { type = "PoissonGroup", n = 2, rate = 5 }\nsynapse = { type = "DeltaSynapse" }'
         '\nweights = 1.0\nconnectivity = { type = "Random", p = 2 }',
         r":13: \[\[projection\]\] #1 connectivity: p = 2: must be a probability in \[0, 1\]"),
        ('source = { type = "PoissonGroup", n = 2, rate = 5 }\nweights = 1.0',
         r"\[\[projection\]\] #1 missing key 'synapse'"),
    ],
)  # fmt: skip
def test_bad_projection_tables_name_the_line_and_key(projection, expected):
    with pytest.raises(lk.ExperimentError, match=expected):
        parse_experiment(HEAD + "\n[[projection]]\n" + projection, source="bad.toml")


def test_without_projections_the_stimulus_is_still_required():
    with pytest.raises(lk.ExperimentError, match=r"missing table \[stimulus\]"):
        parse_experiment(HEAD)
