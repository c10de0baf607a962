"""Bad synaptic input is refused with a ParameterError that names the parameter."""

import numpy as np
import pytest

import lifkit as lk

ORHAN = lk.LIF.preset("orhan")


def raises(name, call, *args, **kwargs):
    with pytest.raises(lk.ParameterError) as info:
        call(*args, **kwargs)
    assert info.value.name == name, str(info.value)
    return str(info.value)


def poisson(n=3):
    return lk.PoissonGroup(n, "10 Hz")


def test_weights_of_the_wrong_dimension_are_refused():
    message = raises("weights", lk.Projection, poisson(), synapse=lk.DeltaSynapse(), weights="1 nA")
    assert "voltage" in message
    raises("weights", lk.Projection, poisson(), synapse=lk.AlphaSynapse(5), weights="2 ms")
    raises("std", lk.Normal, "1 mV", "0.5 nA")  # mean and std must share a dimension
    normal_current = lk.Normal("1 nA", "0.1 nA")
    raises("weights", lk.Projection, poisson(), synapse=lk.DeltaSynapse(), weights=normal_current)
    raises(
        "weight_unit",
        lk.Projection,
        poisson(),
        synapse=lk.ExponentialSynapse(5),
        weights=np.ones((3, 1)),
        weight_unit="ms",
    )
    raises(
        "weight_unit",
        lk.Projection,
        poisson(),
        synapse=lk.ExponentialSynapse(5),
        weights="1 mV",
        weight_unit="mV",
    )


def test_negative_or_non_finite_delays_are_refused():
    raises("delay", lk.Projection, poisson(), synapse=lk.DeltaSynapse(), weights=1.0, delay=-0.5)
    raises("delay", lk.Projection, poisson(), synapse=lk.DeltaSynapse(), weights=1.0, delay="1 mV")
    raises("delay", lk.Projection, poisson(), synapse=lk.DeltaSynapse(), weights=1.0, delay=np.inf)


def test_recurrent_projection_needs_a_delay_of_at_least_dt():
    loop = lk.Projection(lk.Neurons(), synapse=lk.DeltaSynapse(), weights=1.0, delay=0.05)
    model = lk.LIF.preset("orhan", v_init=np.zeros(10))
    message = raises("delay", lk.simulate, model, projections=[loop], duration=10, dt=0.1)
    assert "dt" in message


@pytest.mark.parametrize("p", [1.5, -0.1, np.nan, "0.5"])
def test_probabilities_outside_zero_one_are_refused(p):
    raises("p", lk.Random, p=p)


def test_connectivity_needs_exactly_one_of_p_and_indegree_and_a_feasible_indegree():
    raises("p", lk.Random)
    raises("p", lk.Random, p=0.1, indegree=3)
    raises("indegree", lk.Random, indegree=-1)
    too_many = lk.Projection(
        poisson(3), synapse=lk.DeltaSynapse(), weights=1.0, connectivity=lk.Random(indegree=5)
    )
    raises("indegree", lk.simulate, ORHAN, projections=[too_many], duration=1)


def test_source_and_target_size_mismatches_are_refused():
    message = raises(
        "weights", lk.Projection, poisson(3), synapse=lk.DeltaSynapse(), weights=np.ones((2, 4))
    )
    assert "3 rows" in message
    wrong_columns = lk.Projection(poisson(3), synapse=lk.DeltaSynapse(), weights=np.ones((3, 4)))
    model = lk.LIF.preset("orhan", v_init=np.zeros(5))
    raises("weights", lk.simulate, model, projections=[wrong_columns], duration=1)
    one_to_one = lk.Projection(
        poisson(3), synapse=lk.DeltaSynapse(), weights=1.0, connectivity=lk.OneToOne()
    )
    raises("connectivity", lk.simulate, model, projections=[one_to_one], duration=1)
    outside = lk.Projection(poisson(), synapse=lk.DeltaSynapse(), weights=1.0, targets=[0, 9])
    raises("targets", lk.simulate, model, projections=[outside], duration=1)
    beyond = lk.Projection(lk.Neurons(0, 8), synapse=lk.DeltaSynapse(), weights=1.0, delay=1)
    raises("stop", lk.simulate, model, projections=[beyond], duration=1)
    raises("n", lk.SpikeTimes, [0, 4], [1.0, 2.0], n=3)
    raises("times", lk.SpikeTimes, [0, 1, 2], [1.0, 2.0])


def test_bad_sources_synapses_and_kernels_are_refused():
    raises("source", lk.Projection, [1, 2], synapse=lk.DeltaSynapse(), weights=1.0)
    raises("synapse", lk.Projection, poisson(), synapse="alpha", weights=1.0)
    raises("connectivity", lk.Projection, poisson(), synapse=lk.DeltaSynapse(), weights=1.0,
           connectivity=0.1)  # fmt: skip
    raises("targets", lk.Projection, poisson(), synapse=lk.DeltaSynapse(), weights=1.0,
           targets=[1, 1])  # fmt: skip
    raises("tau_rise", lk.BiexponentialSynapse, tau_rise=5.0, tau_decay=2.0)
    raises("tau", lk.AlphaSynapse, 0.0)
    raises("tau", lk.ExponentialSynapse, "5 mV")
    raises("rate", lk.PoissonGroup, 3, "-1 Hz")
    raises("rate", lk.PoissonGroup, 3, [1.0, 2.0])
    raises("n", lk.PoissonGroup, 0, 1.0)
    raises("std", lk.Normal, 1.0, -0.5)
    raises("times", lk.SpikeTimes, [0], [-1.0])
    raises("indices", lk.SpikeTimes, [0.5], [1.0])


def test_simulate_refuses_bad_projection_lists_and_unsupported_models():
    raises("projections", lk.simulate, ORHAN, projections=[1.0], duration=1)
    raises("projections", lk.simulate, ORHAN, projections=3, duration=1)
    inputs = lk.Projection(poisson(), synapse=lk.DeltaSynapse(), weights=1.0)
    adaptive = lk.AdaptiveLIF.preset(sorted(lk.AdaptiveLIF.PRESETS)[0])
    raises("projections", lk.simulate, adaptive, projections=[inputs], duration=1)
    record = lk.Record(variables=("v", "I_syn"))
    raises("variables", lk.simulate, ORHAN, lk.Constant(1.0), duration=1, record=record)


def test_a_too_high_poisson_rate_for_the_step_is_refused():
    group = lk.PoissonGroup(1, "10 MHz")
    inputs = lk.Projection(group, synapse=lk.DeltaSynapse(), weights=0.1)
    raises("rate", lk.simulate, ORHAN, projections=[inputs], duration=1)
