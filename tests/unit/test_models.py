"""LIF parameter records: both forms, presets, per-neuron arrays, immutability."""

import numpy as np
import pytest

import lifkit as lk


def test_conductance_form_equals_time_constant_form():
    a = lk.LIF(C_m="100 pF", g_L="10 nS", E_L="-75 mV", v_reset=-75.0, v_th=-55.0)
    b = lk.LIF(tau_m=10.0, R=100.0, v_rest=-75.0, v_reset=-75.0, v_th=-55.0)
    for name in ("tau_m", "R", "v_rest"):
        assert float(getattr(a, name)) == pytest.approx(float(getattr(b, name)))
    assert float(a.C_m) == pytest.approx(0.1) and float(a.g_L) == pytest.approx(0.01)


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        (dict(C_m=5.0), dict(tau_m=10.0, R=2.0)),  # orhan keeps tau_m, R follows
        (dict(R=50.0), dict(tau_m=10.0, R=50.0)),
        (dict(E_L=-5.0), dict(v_rest=-5.0)),
    ],
)
def test_preset_overrides_replace_the_matching_quantity(overrides, expected):
    model = lk.LIF.preset("orhan", **overrides)
    for name, value in expected.items():
        assert float(getattr(model, name)) == pytest.approx(value)


def test_seed_presets_hold_the_documents_values():
    orhan, nd, soroush = (lk.LIF.preset(n) for n in ("orhan", "neurodynex", "soroush"))
    assert (float(orhan.tau_m), float(orhan.v_th), float(orhan.R)) == (10.0, 15.0, 1.0)
    assert (float(nd.tau_m), float(nd.R), float(nd.v_rest), float(nd.v_reset)) == (
        8.0,
        10.0,
        -70.0,
        -65.0,
    )
    assert float(soroush.g_L) == pytest.approx(0.01) and float(soroush.v_init) == -65.0
    with pytest.raises(lk.ParameterError, match=r"^preset ="):
        lk.LIF.preset("brian")


def test_records_are_immutable_and_replace_validates():
    model = lk.LIF.preset("orhan")
    with pytest.raises(AttributeError, match="immutable"):
        model.tau_m = 5.0
    assert float(model.replace(tau_m=20.0).tau_m) == 20.0
    with pytest.raises(lk.ParameterError, match=r"^v_th ="):
        model.replace(v_th=-1.0)


def test_per_neuron_arrays_broadcast_to_the_population():
    model = lk.LIF(tau_m=[5.0, 10.0, 20.0], R=1.0, v_rest=0.0, v_reset=0.0, v_th=15.0)
    assert model.n_neurons == 3
    np.testing.assert_array_equal(model.broadcast(3)["R"], [1.0, 1.0, 1.0])
    with pytest.raises(lk.ParameterError):
        model.broadcast(4)


def test_describe_lists_every_parameter_with_its_unit():
    text = lk.LIF.preset("neurodynex").describe()
    assert "tau_m" in text and "ms" in text and "MΩ" in text and "t_ref" in text


@pytest.mark.parametrize("neurons", [[1.5], [[1]], 5])
def test_record_refuses_non_integer_neurons(neurons):
    with pytest.raises(lk.ParameterError, match=r"^neurons ="):
        lk.Record(neurons=neurons)


def test_record_refuses_unknown_variables():
    with pytest.raises(lk.ParameterError, match=r"^variables ="):
        lk.Record(variables=["u"])
    with pytest.raises(lk.ParameterError, match=r"^variables ="):
        lk.Record(variables=5)
