"""The kernel that skips quiet steps, against closed forms and the step-by-step kernel.

Runs with one tau_m, a constant drive, no noise and exponential or delta synapses skip a
neuron's quiet steps and catch up in one exact jump (``engine/_kernels/event_driven``).
Neurons that are not recorded are skipped, so these tests record none.
"""

import math

import numpy as np
import pytest
from scipy.optimize import brentq

import lifkit as lk
from lifkit.engine import network
from lifkit.stimuli.base import TimeGrid

TAU, TAU_S = 20.0, 5.0  # ms


def exponential_response(t, w):
    """x (mV) t ms after a drive step of w mV that decays with TAU_S, from x = 0."""
    return w * TAU_S / (TAU_S - TAU) * (math.exp(-t / TAU_S) - math.exp(-t / TAU))


def test_a_neuron_left_alone_for_thousands_of_steps_fires_at_the_exact_time():
    """x relaxes from -5 mV to rest for 300 ms (3000 steps, skipped MAX_SKIP at a time),
    then one arrival at an off-grid time makes it fire; the crossing of
    -5 e^{-t/tau} + w response(t - t_a) = theta is found here by brentq."""
    arrival, w, theta = 300.037, 60.0, 8.0
    model = lk.LIF(tau_m=TAU, R=1.0, v_rest=0.0, v_reset=0.0, v_th=theta, v_init=-5.0)
    projection = lk.Projection(lk.SpikeTimes([0], [arrival]), synapse=lk.ExponentialSynapse(TAU_S),
                               weights=w, weight_unit="mV")  # fmt: skip
    result = lk.simulate(model, projections=[projection], duration=400.0, dt=0.1,
                         record=lk.Record(neurons=()))  # fmt: skip

    def x(t):
        return -5.0 * math.exp(-t / TAU) + exponential_response(t - arrival, w) - theta

    peak = arrival + TAU_S * TAU / (TAU - TAU_S) * math.log(TAU / TAU_S)
    assert x(peak) > 0.0
    expected = brentq(x, arrival, peak, xtol=1e-14, rtol=1e-15)
    np.testing.assert_allclose(result.spike_times, [expected], rtol=0, atol=1e-9)


@pytest.mark.parametrize("t_ref", [0.0, 2.0, 3.33])
def test_periodic_firing_between_silent_arrivals_keeps_the_analytic_period(t_ref):
    """A constant drive above threshold fires with period t_ref + tau ln((a - x_r) /
    (a - theta)); zero-weight arrivals touch the neuron at random steps without changing
    it, and the refractory period ends inside skipped steps."""
    a, theta = 12.0, 10.0
    model = lk.LIF(tau_m=TAU, R=1.0, v_rest=0.0, v_reset=0.0, v_th=theta, t_ref=t_ref)
    times = np.sort(np.random.default_rng(2).uniform(0.0, 500.0, 60))
    projection = lk.Projection(lk.SpikeTimes(np.zeros(60, dtype=int), times),
                               synapse=lk.ExponentialSynapse(TAU_S), weights=0.0,
                               weight_unit="mV")  # fmt: skip
    result = lk.simulate(model, lk.Constant(f"{a} mV"), projections=[projection],
                         duration=500.0, dt=0.1, record=lk.Record(neurons=()))  # fmt: skip
    period = t_ref + TAU * math.log(a / (a - theta))
    first = TAU * math.log(a / (a - theta))
    expected = first + period * np.arange(int((500.0 - first) / period) + 1)
    np.testing.assert_allclose(result.spike_times, expected, rtol=0, atol=1e-9)


def cuba_like(delay, n=600, duration=150.0, **options):
    """A CUBA-like network (``tests/properties``): recurrent, two exponential types."""
    n_exc = 4 * n // 5
    model = lk.LIF(tau_m=20.0, R=1.0, v_rest=-49.0, v_reset=-60.0, v_th=-50.0, t_ref=5.0,
                   v_init=np.linspace(-60.0, -50.5, n))  # fmt: skip
    projections = [
        lk.Projection(lk.Neurons(0, n_exc), synapse=lk.ExponentialSynapse("5 ms"),
                      weights="1.62 mV", delay=delay, connectivity=lk.Random(p=0.05)),
        lk.Projection(lk.Neurons(n_exc), synapse=lk.ExponentialSynapse("10 ms"),
                      weights="-9 mV", delay=delay, connectivity=lk.Random(p=0.05)),
    ]  # fmt: skip
    return lk.simulate(model, projections=projections, duration=duration, seed=3,
                       record=lk.Record(neurons=()), **options)  # fmt: skip


def mixed(n=50):
    """Delta and exponential Poisson input, recurrent inhibition, two recorded neurons."""
    model = lk.LIF(tau_m=10.0, R=1.0, v_rest=0.0, v_reset=0.0, v_th=15.0, t_ref=2.0,
                   v_init=np.linspace(0.0, 14.0, n))  # fmt: skip
    drive = lk.PoissonGroup(40, "30 Hz")
    projections = [
        lk.Projection(drive, synapse=lk.DeltaSynapse(), weights="2 mV",
                      connectivity=lk.Random(p=0.2)),
        lk.Projection(drive, synapse=lk.ExponentialSynapse("3 ms"), weights="4 mV",
                      delay=0.55, connectivity=lk.Random(p=0.2)),
        lk.Projection(lk.Neurons(0, n), synapse=lk.ExponentialSynapse("3 ms"),
                      weights="-3 mV", delay=0.2, connectivity=lk.Random(p=0.1)),
    ]  # fmt: skip
    record = lk.Record(neurons=[3, 17], variables=("v", "I_syn"))
    return lk.simulate(model, lk.Constant("12 mV"), projections=projections, duration=300.0,
                       seed=4, record=record)  # fmt: skip


@pytest.mark.parametrize(
    "network_run",
    [lambda: cuba_like(0.1), lambda: cuba_like(0.37), mixed],
    ids=["cuba-0.1ms", "cuba-0.37ms", "delta-exponential-recorded"],
)
def test_skipping_quiet_steps_gives_the_spikes_of_the_step_by_step_kernel(network_run, monkeypatch):
    """Two algorithms, one answer: the same spikes in the same order, times within
    1e-9 ms (their rounding differs, about 1e-12 ms), and the same recorded traces."""
    skipping = network_run()
    monkeypatch.setattr(network, "skips_quiet_steps", lambda *args: False)
    stepping = network_run()
    assert skipping.spike_times.size > 400
    order_a = np.lexsort((skipping.spike_neurons, skipping.spike_times))
    order_b = np.lexsort((stepping.spike_neurons, stepping.spike_times))
    np.testing.assert_array_equal(skipping.spike_neurons[order_a], stepping.spike_neurons[order_b])
    np.testing.assert_allclose(skipping.spike_times[order_a], stepping.spike_times[order_b],
                               rtol=0, atol=1e-9)  # fmt: skip
    if skipping.I_syn is not None:  # recorded traces
        np.testing.assert_allclose(skipping.v, stepping.v, rtol=0, atol=1e-9)
        np.testing.assert_allclose(skipping.I_syn, stepping.I_syn, rtol=0, atol=1e-9)


def plan_kernel(model, stimulus, synapse, n=3):
    projection = lk.Projection(lk.SpikeTimes([0], [1.0]), synapse=synapse, weights=1.0,
                               weight_unit="mV")  # fmt: skip
    grid = TimeGrid(0.1, 100)
    return network.synaptic_plan(model, stimulus, grid, n, [projection], seed=1).kernel


def test_the_quiet_steps_are_skipped_exactly_when_the_closed_form_applies():
    lif = lk.LIF(tau_m=TAU, R=1.0, v_rest=0.0, v_reset=0.0, v_th=10.0)
    exponential, delta = lk.ExponentialSynapse(TAU_S), lk.DeltaSynapse()
    assert plan_kernel(lif, lk.Constant(1.0), exponential) == "event_driven"
    assert plan_kernel(lif, lk.Constant(1.0), delta) == "event_driven"
    assert plan_kernel(lif, lk.Constant(1.0), lk.AlphaSynapse(TAU_S)) == "synaptic"
    assert plan_kernel(lif, lk.Step(1.0, start=5.0), exponential) == "synaptic"
    assert plan_kernel(lif, lk.WhiteNoise(1.0), exponential) == "synaptic"
    varied = lif.replace(tau_m=np.array([10.0, 20.0, 30.0]))
    assert plan_kernel(varied, lk.Constant(1.0), exponential) == "synaptic"
