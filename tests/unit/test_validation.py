"""Bad input raises a ParameterError that names the parameter and the fix."""

import numpy as np
import pytest

import lifkit as lk

MEMBRANE = dict(tau_m=10.0, R=1.0, v_rest=0.0, v_reset=0.0, v_th=15.0)


@pytest.mark.parametrize(
    ("changes", "name"),
    [
        (dict(tau_m=-1.0), "tau_m"),
        (dict(tau_m=0.0), "tau_m"),
        (dict(R=0.0), "R"),
        (dict(v_th=0.0), "v_th"),
        (dict(v_th=-5.0), "v_th"),
        (dict(t_ref=-1.0), "t_ref"),
        (dict(tau_m=float("nan")), "tau_m"),
        (dict(tau_m="10 mV"), "tau_m"),
        (dict(v_th="15 ms"), "v_th"),
        (dict(tau_m=[10.0, 20.0], v_th=[15.0, 16.0, 17.0]), "v_th"),
        (dict(v_init=20.0), "v_init"),
    ],
)
def test_bad_lif_parameters_name_the_parameter(changes, name):
    with pytest.raises(lk.ParameterError, match=rf"^{name} ="):
        lk.LIF(**{**MEMBRANE, **changes})


def test_membrane_needs_exactly_two_constants():
    with pytest.raises(lk.ParameterError, match="exactly two of tau_m, R, C_m, g_L"):
        lk.LIF(tau_m=10.0, R=1.0, C_m=10.0, v_rest=0.0, v_reset=0.0, v_th=15.0)


@pytest.mark.parametrize(
    ("options", "name"),
    [
        (dict(dt=0.0), "dt"),
        (dict(dt=-0.1), "dt"),
        (dict(dt=200.0), "dt"),
        (dict(duration=0.0), "duration"),
        (dict(duration="100 mV"), "duration"),
        (dict(duration=100.05), "duration"),
        (dict(seed=-1), "seed"),
        (dict(threads=0), "threads"),
        (dict(chunk_steps=0), "chunk_steps"),
        (dict(record=lk.Record(neurons=[5])), "neurons"),
    ],
)
def test_bad_run_options_name_the_option(options, name):
    run = {"duration": 100.0, **options}
    with pytest.raises(lk.ParameterError, match=rf"^{name} ="):
        lk.simulate(lk.LIF(**MEMBRANE), lk.Constant(1.0), **run)


@pytest.mark.parametrize(
    ("make", "name"),
    [
        (lambda: lk.TimedArray([1.0, np.nan], interval=0.1), "values"),
        (lambda: lk.TimedArray(np.ones((2, 2, 2)), interval=0.1), "values"),
        (lambda: lk.TimedArray([1.0], interval=-1.0), "interval"),
        (lambda: lk.TimedArray([1.0], interval=0.1, unit="ms"), "unit"),
        (lambda: lk.Constant(np.inf), "amplitude"),
        (lambda: lk.Constant("1 mS"), "amplitude"),
        (lambda: lk.Step(1.0, start=10.0, stop=5.0), "stop"),
        (lambda: lk.Sinusoid(1.0, frequency="10 ms"), "frequency"),
        (lambda: lk.WhiteNoise(-1.0), "sigma"),
        (lambda: lk.GaussianSteps("15 mV", "5 nA"), "std"),
        (lambda: lk.Constant([1.0, 2.0]) + lk.Constant([1.0, 2.0, 3.0]), "term 1"),
    ],
)
def test_bad_stimuli_name_the_parameter(make, name):
    with pytest.raises(lk.ParameterError, match=rf"^{name} ="):
        make()


def test_stimulus_and_model_sizes_must_match():
    model = lk.LIF(**{**MEMBRANE, "tau_m": [10.0, 20.0]})
    with pytest.raises(lk.ParameterError, match="stimulus"):
        lk.simulate(model, lk.Constant([1.0, 2.0, 3.0]), duration=10.0)


def test_timed_array_must_cover_the_run_and_fit_the_grid():
    short = lk.TimedArray(np.ones(10), interval=0.1)
    with pytest.raises(lk.ParameterError, match=r"^duration ="):
        lk.simulate(lk.LIF(**MEMBRANE), short, duration=2.0)
    with pytest.raises(lk.ParameterError, match=r"^interval ="):
        lk.simulate(
            lk.LIF(**MEMBRANE), lk.TimedArray(np.ones(100), interval=0.15), duration=2.0, dt=0.1
        )


def test_recording_a_variable_the_model_lacks_names_it():
    with pytest.raises(lk.ParameterError, match=r"^variables ="):
        lk.simulate(
            lk.LIF(**MEMBRANE),
            lk.Constant(1.0),
            duration=1.0,
            record=lk.Record(variables=["v", "w"]),
        )


def test_a_non_model_is_refused_by_name():
    with pytest.raises(lk.ParameterError, match=r"^model ="):
        lk.simulate("LIF", lk.Constant(1.0), duration=1.0)


def test_a_non_stimulus_is_refused_by_name():
    with pytest.raises(lk.ParameterError, match=r"^stimulus ="):
        lk.simulate(lk.LIF(**MEMBRANE), 1.0, duration=1.0)
