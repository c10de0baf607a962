"""TOML experiment files build the same objects as the API and blame bad input precisely."""

import math
from pathlib import Path

import numpy as np
import pytest

import lifkit as lk
from lifkit.errors import ExperimentError, ParameterError
from lifkit.experiment import Experiment, load_experiment, parse_experiment

EXAMPLES = Path(__file__).parents[2] / "examples"

FIG1 = """\
# Orhan (2012) Figure 1
[model]
type = "LIF"
preset = "orhan"
t_ref = "0 ms"

[stimulus]
type = "Constant"
amplitude = "20 mV"

[run]
duration = "100 ms"
dt = "0.1 ms"
seed = 1
"""


def _edit(text: str, old: str, new: str) -> str:
    if old not in text:
        raise ValueError(f"{old!r} is not in the experiment text")
    return text.replace(old, new)


def test_file_builds_the_same_model_and_stimulus_as_the_api():
    experiment = parse_experiment(FIG1)
    expected = lk.LIF.preset("orhan", t_ref=0.0)
    for name, value in expected.values().items():
        assert float(experiment.model.values()[name]) == float(value), name
    assert experiment.stimulus.evaluate([0.0, 50.0], R=1.0).tolist() == [20.0, 20.0]
    assert dict(experiment.run_options) == {"duration": "100 ms", "dt": "0.1 ms", "seed": 1}
    assert experiment.record == lk.Record()


def test_numbers_in_base_units_equal_unit_strings():
    numbers = parse_experiment(_edit(FIG1, 'amplitude = "20 mV"', "amplitude = 20.0"))
    strings = parse_experiment(FIG1)
    assert numbers.stimulus.evaluate([1.0], R=1.0) == strings.stimulus.evaluate([1.0], R=1.0)


def test_isi_equals_orhan_period_with_constant_drive():
    result = parse_experiment(FIG1).run()
    period = 10.0 * math.log(20.0 / (20.0 - 15.0))  # Orhan eq. 4
    np.testing.assert_allclose(np.diff(result.spike_times), period, rtol=0, atol=1e-9)


def test_array_amplitude_gives_one_neuron_per_value_with_analytic_periods():
    text = _edit(FIG1, 'amplitude = "20 mV"', "amplitude = [16.0, 20.0, 30.0]")
    text = _edit(text, 't_ref = "0 ms"', 't_ref = "2 ms"')
    result = parse_experiment(text + "[record]\nneurons = [0, 2]\n").run()
    assert result.n_neurons == 3
    assert result.recorded.tolist() == [0, 2]
    for neuron, drive in enumerate([16.0, 20.0, 30.0]):
        period = 2.0 + 10.0 * math.log(drive / (drive - 15.0))
        isi = np.diff(result.spike_train(neuron))
        np.testing.assert_allclose(isi, period, rtol=0, atol=1e-9)


def test_two_dimensional_timed_array_gives_one_current_per_neuron():
    text = _edit(
        FIG1,
        'type = "Constant"\namplitude = "20 mV"',
        'type = "TimedArray"\nunit = "mV"\ninterval = "50 ms"\n'
        "values = [[20.0, 30.0], [20.0, 30.0]]",
    )
    result = parse_experiment(text).run()
    for neuron, drive in enumerate([20.0, 30.0]):
        period = 10.0 * math.log(drive / (drive - 15.0))
        np.testing.assert_allclose(np.diff(result.spike_train(neuron)), period, atol=1e-9)


def test_stimulus_array_of_tables_is_summed():
    text = _edit(
        FIG1,
        '[stimulus]\ntype = "Constant"\namplitude = "20 mV"',
        '[[stimulus]]\ntype = "Constant"\namplitude = "12 mV"\n'
        '[[stimulus]]\ntype = "Step"\namplitude = "8 mV"\nstart = "0 ms"',
    )
    result = parse_experiment(text).run()
    np.testing.assert_allclose(np.diff(result.spike_times), 10.0 * math.log(4.0), atol=1e-9)


def test_name_defaults_to_file_stem_and_description_is_read(tmp_path):
    path = tmp_path / "my_run.toml"
    path.write_text('description = "a test"\n' + FIG1, encoding="utf-8")
    experiment = load_experiment(path)
    assert (experiment.name, experiment.description) == ("my_run", "a test")


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.toml")), ids=lambda p: p.stem)
def test_every_example_loads_and_names_itself(example):
    experiment = load_experiment(example)
    assert experiment.name == example.stem
    assert experiment.description


BAD_AT_LOAD = [
    # (old, new, fragments the one-line message must contain)
    ('t_ref = "0 ms"', "tau = 10", ["bad.toml:5:", "[model]", "'tau'", "tau_m", "valid keys"]),
    ('"Constant"', '"Square"', ["bad.toml:8:", "[stimulus]", "'Square'", "Sinusoid", "Step"]),
    ('t_ref = "0 ms"', 't_ref = "-1 ms"', ["bad.toml:5:", "[model]", "t_ref", ">= 0 ms"]),
    ('preset = "orhan"', 'preset = "orhen"', ["bad.toml:4:", "preset", "neurodynex"]),
    ('amplitude = "20 mV"', 'amplitude = "20 ms"', ["bad.toml:9:", "amplitude", "time"]),
    ('amplitude = "20 mV"', "", ["bad.toml:7:", "[stimulus]", "missing key 'amplitude'"]),
    ('type = "Constant"', 'type = "Sinusoid"', ["bad.toml:7:", "missing key 'frequency'"]),
    ("[run]", "[runn]", ["bad.toml:11:", "unknown table 'runn'", "did you mean 'run'"]),
    ('dt = "0.1 ms"', 'dt = "0.1 ms"\nspeed = 2', ["bad.toml:14:", "[run]", "'speed'"]),
    ('duration = "100 ms"', "duration = = 1", ["bad.toml:12:12:", "TOML syntax error"]),
    ('duration = "100 ms"\n', "", ["bad.toml:", "[run]", "missing key 'duration'"]),
    ("# Orhan", "name = 3\n# Orhan", ["bad.toml:1:", "name = 3", "string"]),
]


@pytest.mark.parametrize(("old", "new", "fragments"), BAD_AT_LOAD)
def test_bad_file_raises_one_line_error_naming_line_and_key(old, new, fragments):
    with pytest.raises(ExperimentError) as caught:
        parse_experiment(_edit(FIG1, old, new), source="bad.toml")
    message = str(caught.value)
    assert "\n" not in message
    for fragment in fragments:
        assert fragment in message


BAD_AT_RUN = [
    ('duration = "100 ms"', 'duration = "10 mV"', ["bad.toml:12:", "[run]", "duration", "voltage"]),
    ('dt = "0.1 ms"', "dt = 0", ["bad.toml:13:", "[run]", "dt", "> 0 ms"]),
    ('dt = "0.1 ms"', 'dt = "-0.1 ms"', ["bad.toml:13:", "[run]", "dt", "> 0 ms"]),
    ("seed = 1", "seed = 1\n[record]\nneurons = [4]", ["bad.toml:16:", "[record]", "neurons"]),
]


@pytest.mark.parametrize(("old", "new", "fragments"), BAD_AT_RUN)
def test_bad_run_option_raises_at_its_key_in_the_file(old, new, fragments):
    experiment = parse_experiment(_edit(FIG1, old, new), source="bad.toml")
    with pytest.raises(ExperimentError) as caught:
        experiment.run()
    for fragment in fragments:
        assert fragment in str(caught.value)


def test_run_error_inside_an_array_of_stimuli_names_the_entry():
    text = FIG1 + '[[stimulus]]\ntype = "GaussianSteps"\nmean = 1\nstd = 1\ninterval = "0.15 ms"\n'
    text = _edit(text, "[stimulus]\n", "[[stimulus]]\n")
    with pytest.raises(ExperimentError, match=r"bad\.toml:19: \[\[stimulus\]\] #2 interval"):
        parse_experiment(text, source="bad.toml").run()


def test_missing_file_names_the_path(tmp_path):
    with pytest.raises(ExperimentError, match=r"nothere\.toml: cannot read the file"):
        load_experiment(tmp_path / "nothere.toml")


def test_experiment_built_in_python_raises_plain_parameter_errors():
    experiment = Experiment(lk.LIF.preset("orhan"), lk.Constant(20.0), {"duration": 10, "dt": 0})
    with pytest.raises(ParameterError, match="dt"):
        experiment.run()
