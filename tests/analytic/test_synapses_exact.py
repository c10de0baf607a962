"""Synaptic input against closed forms, independent event-driven solutions and solve_ivp."""

import itertools
import math

import numpy as np
import pytest
from scipy.integrate import simpson, solve_ivp

import lifkit as lk

TAU, THETA = 10.0, 15.0  # the Orhan neuron: v_rest = v_reset = 0 mV, R = 1 MΩ


def delta_reference(arrivals, weights, drive, t_ref, duration, tau=TAU, theta=THETA):
    """Exact spike times of tau x' = -x + drive with jumps x += w at the arrivals
    (x(0) = 0, reset to 0, held there for t_ref; arrivals while refractory are lost)."""
    order = np.argsort(arrivals, kind="stable")
    spikes, x, t, refractory_until = [], 0.0, 0.0, -math.inf
    for arrival, w in [*zip(arrivals[order], weights[order], strict=True), (duration, 0.0)]:
        while t < arrival:  # evolve freely (or held) from t to the arrival
            if t < refractory_until:
                x, t = 0.0, min(refractory_until, arrival)
                continue
            if drive > theta:
                crossing = t + tau * math.log((drive - x) / (drive - theta))
                if crossing < arrival:
                    spikes.append(crossing)
                    x, t, refractory_until = 0.0, crossing, crossing + t_ref
                    continue
            x = drive + (x - drive) * math.exp(-(arrival - t) / tau)
            t = arrival
        if arrival >= duration:
            break
        if arrival >= refractory_until:
            x += w
            if x >= theta:
                spikes.append(arrival)
                x, refractory_until = 0.0, arrival + t_ref
    return np.array(spikes)


@pytest.mark.parametrize("recorded", [True, False], ids=["stepped", "skipping"])
@pytest.mark.parametrize(("drive", "t_ref"), [(14.5, 0.0), (16.0, 2.0), (12.0, 3.0)])
def test_delta_synapse_spike_times_equal_event_driven_solution(drive, t_ref, recorded):
    """A recorded neuron is taken step by step; one that is not skips its quiet steps."""
    rng = np.random.default_rng(7)
    n_inputs, per_input, delay, duration = 20, 8, 0.37, 200.0
    indices = np.repeat(np.arange(n_inputs), per_input)
    times = rng.uniform(0.0, duration, indices.size)  # off the 0.1 ms grid
    weights = rng.normal(2.0, 1.5, n_inputs)  # mV; some negative
    projection = lk.Projection(
        lk.SpikeTimes(indices, times),
        synapse=lk.DeltaSynapse(),
        weights=weights[:, None],
        delay=f"{delay} ms",
    )
    model = lk.LIF.preset("orhan", t_ref=t_ref)
    record = lk.Record() if recorded else lk.Record(neurons=())
    result = lk.simulate(model, lk.Constant(f"{drive} mV"), projections=[projection],
                         duration=duration, dt=0.1, record=record)  # fmt: skip
    expected = delta_reference(times + delay, weights[indices], drive, t_ref, duration)
    assert expected.size >= 10
    np.testing.assert_allclose(result.spike_times, expected, rtol=0, atol=1e-9)


def test_delta_synapse_poisson_input_matches_event_driven_solution():
    group = lk.PoissonGroup(30, "50 Hz")
    projection = lk.Projection(group, synapse=lk.DeltaSynapse(), weights="1.2 mV", delay=1.05)
    model = lk.LIF.preset("orhan", t_ref=1.0)
    result = lk.simulate(
        model, lk.Constant("10 mV"), projections=[projection], duration=300, dt=0.1, seed=5
    )
    _, times = result.source_spikes(0)
    assert times.size > 300
    expected = delta_reference(times + 1.05, np.full(times.size, 1.2), 10.0, 1.0, 300.0)
    assert expected.size >= 10
    np.testing.assert_allclose(result.spike_times, expected, rtol=0, atol=1e-9)


def alpha(t, w, tau):
    t = np.maximum(t, 0.0)
    return w * t / tau * np.exp(1.0 - t / tau)


def biexponential(t, w, tau_r, tau_d):
    t = np.maximum(t, 0.0)
    peak = tau_r * tau_d * math.log(tau_d / tau_r) / (tau_d - tau_r)
    scale = math.exp(-peak / tau_d) - math.exp(-peak / tau_r)
    return w * (np.exp(-t / tau_d) - np.exp(-t / tau_r)) / scale


KERNELS = [
    (lk.AlphaSynapse("10 ms"), lambda t, w: alpha(t, w, 10.0), 10.0, math.e * 10.0),
    (lk.AlphaSynapse("3.37 ms"), lambda t, w: alpha(t, w, 3.37), 3.37, math.e * 3.37),
    (
        lk.BiexponentialSynapse(tau_rise="1 ms", tau_decay="5 ms"),
        lambda t, w: biexponential(t, w, 1.0, 5.0),
        5.0 * math.log(5.0) / 4.0,
        4.0 / (5.0 ** (-1.0 / 4.0) - 5.0 ** (-5.0 / 4.0)),  # (tau_d - tau_r) / K
    ),
    (
        lk.BiexponentialSynapse(tau_rise="2 ms", tau_decay="10 ms"),
        lambda t, w: biexponential(t, w, 2.0, 10.0),
        20.0 * math.log(5.0) / 8.0,
        8.0 / (5.0 ** (-1.0 / 4.0) - 5.0 ** (-5.0 / 4.0)),
    ),
]


@pytest.mark.parametrize(("synapse", "kernel", "peak_time", "charge"), KERNELS)
def test_recorded_current_of_one_spike_equals_closed_form_kernel(
    synapse, kernel, peak_time, charge
):
    dt, w = 0.1, 0.8  # nA
    arrival = 200 * dt - peak_time  # (off the grid but for tau = 10 ms) the peak on it
    projection = lk.Projection(lk.SpikeTimes([0], [arrival]), synapse=synapse, weights=w)
    model = lk.LIF.preset("neurodynex", v_th=0.0)  # R = 10 MΩ: the current is in nA
    record = lk.Record(variables=("v", "I_syn"))
    result = lk.simulate(model, projections=[projection], duration=100, dt=dt, record=record)
    current = result.trace("I_syn")
    expected = kernel(result.t - arrival, w)
    np.testing.assert_allclose(current, expected, rtol=1e-12, atol=0)
    assert synapse.peak_time == pytest.approx(peak_time, rel=1e-14)
    assert synapse.charge == pytest.approx(charge, rel=1e-14)
    assert current[200] == pytest.approx(w, rel=1e-12)  # the peak, at arrival + t*
    assert current[200] > max(current[199], current[201])


@pytest.mark.parametrize(("synapse", "kernel", "peak_time", "charge"), KERNELS)
def test_integral_of_recorded_current_equals_charge(synapse, kernel, peak_time, charge):
    dt, w = 0.01, 1.5
    projection = lk.Projection(lk.SpikeTimes([0], [0.0]), synapse=synapse, weights=w)
    model = lk.LIF.preset("neurodynex", v_th=0.0)
    record = lk.Record(variables=("I_syn",))
    result = lk.simulate(
        model, projections=[projection], duration=300, dt=dt, record=record, jit=True
    )
    integral = simpson(result.trace("I_syn"), dx=dt)  # kernels start at 0, continuously
    assert integral == pytest.approx(w * charge, rel=1e-9)


def membrane_reference(synapse, arrivals, weights, drive, tau, t_eval):
    """v(t) by DOP853, restarted at each arrival (the kernels have kinks there)."""

    def rhs(t, v):
        return [(-v[0] + drive + synapse.current(t - arrivals, weights).sum()) / TAU]

    out, v0 = np.empty(t_eval.size), [0.0]
    edges = np.unique(np.concatenate([[0.0], arrivals, [t_eval[-1]]]))
    for lo, hi in itertools.pairwise(edges):
        inside = (t_eval >= lo) & (t_eval <= hi)
        solution = solve_ivp(
            rhs, (lo, hi), v0, method="DOP853", rtol=1e-13, atol=1e-13, dense_output=True
        )
        out[inside] = solution.sol(t_eval[inside])[0]
        v0 = [solution.sol(hi)[0]]
    return out


@pytest.mark.parametrize(
    "synapse",
    [
        lk.ExponentialSynapse("5 ms"),
        lk.ExponentialSynapse("10 ms"),  # tau_s == tau_m
        lk.AlphaSynapse("10 ms"),  # tau == tau_m: the Orhan note's Figure 3
        lk.AlphaSynapse("2.5 ms"),
        lk.BiexponentialSynapse("2 ms", "7 ms"),
        lk.BiexponentialSynapse("10 ms", "20 ms"),  # tau_rise == tau_m
        lk.BiexponentialSynapse("9.9999 ms", "10 ms"),  # nearly alpha, nearly tau_m
    ],
    ids=repr,
)
def test_membrane_under_synaptic_current_matches_solve_ivp(synapse):
    arrivals = np.array([3.37, 5.0, 12.123456, 12.123456, 30.55, 31.0])
    weights = np.array([3.0, -1.0, 2.0, 1.5, 4.0, -2.5])  # mV of drive (R = 1 MΩ)
    source = lk.SpikeTimes(np.arange(6), arrivals)
    projection = lk.Projection(source, synapse=synapse, weights=weights[:, None], weight_unit="mV")
    model = lk.LIF.preset("orhan", v_th=100.0)
    result = lk.simulate(model, lk.Constant("2 mV"), projections=[projection], duration=60)
    expected = membrane_reference(synapse, arrivals, weights, 2.0, TAU, result.t)
    np.testing.assert_allclose(result.trace("v"), expected, rtol=0, atol=1e-9)


def crossing_reference(synapse, arrivals, weights, drive, t_ref, duration):
    """Spike times by DOP853 with a terminal threshold event, restarted at arrivals."""

    def rhs(t, v):
        return [(-v[0] + drive + synapse.current(t - arrivals, weights).sum()) / TAU]

    def hit(t, v):
        return v[0] - THETA

    hit.terminal, hit.direction = True, 1
    edges = sorted({*arrivals.tolist(), duration})
    spikes, t, v = [], 0.0, 0.0
    while t < duration:
        stop = next(e for e in edges if e > t)
        solution = solve_ivp(rhs, (t, stop), [v], method="DOP853", rtol=1e-13, atol=1e-13,
                             events=hit)  # fmt: skip
        if solution.t_events[0].size:
            spikes.append(solution.t_events[0][0])
            t, v = spikes[-1] + t_ref, 0.0
        else:
            t, v = stop, solution.y[0, -1]
    return np.array(spikes)


@pytest.mark.parametrize(
    "synapse",
    [lk.ExponentialSynapse("5 ms"), lk.AlphaSynapse("10 ms"), lk.BiexponentialSynapse(2, 7)],
    ids=repr,
)
def test_threshold_crossings_under_synaptic_current_match_solve_ivp(synapse):
    rng = np.random.default_rng(3)
    arrivals = np.sort(rng.uniform(0.0, 150.0, 40))
    weights = rng.normal(5.0, 1.5, 40)
    source = lk.SpikeTimes(np.arange(40), arrivals)
    projection = lk.Projection(source, synapse=synapse, weights=weights[:, None], weight_unit="mV")
    model = lk.LIF.preset("orhan", t_ref=2.0)
    result = lk.simulate(model, lk.Constant("13 mV"), projections=[projection], duration=150)
    expected = crossing_reference(synapse, arrivals, weights, 13.0, 2.0, 150.0)
    assert expected.size >= 3
    np.testing.assert_allclose(result.spike_times, expected, rtol=0, atol=1e-8)


class _TwoTypes:
    """Excitatory arrivals through one exponential synapse, inhibitory through another,
    as one ``current`` for crossing_reference (arrivals in the order given)."""

    def __init__(self, excitatory, inhibitory, is_excitatory):
        self.parts = (excitatory, inhibitory)
        self.is_excitatory = is_excitatory

    def current(self, elapsed, weights):
        exc, inh = (part.current(elapsed, weights) for part in self.parts)
        return np.where(self.is_excitatory, exc, inh)


@pytest.mark.parametrize("other_tau_m", [TAU, 17.0], ids=["shared", "varied"])
def test_crossings_under_two_exponential_synapse_types_match_solve_ivp(other_tau_m):
    """Neuron 0 (tau_m = TAU) is checked; neuron 1, with the same input, makes the arrival
    responses shared between the neurons (same tau_m) or not."""
    rng = np.random.default_rng(8)
    arrivals = np.sort(rng.uniform(0.0, 150.0, 60))
    excitatory = rng.random(60) < 0.75
    weights = np.where(excitatory, rng.normal(6.0, 1.0, 60), rng.normal(-6.0, 1.0, 60))
    synapses = lk.ExponentialSynapse("5 ms"), lk.ExponentialSynapse("10 ms")
    projections = [
        lk.Projection(lk.SpikeTimes(np.arange(int(chosen.sum())), arrivals[chosen]),
                      synapse=synapse, weights=np.repeat(weights[chosen][:, None], 2, axis=1),
                      weight_unit="mV")
        for chosen, synapse in ((excitatory, synapses[0]), (~excitatory, synapses[1]))
    ]  # fmt: skip
    model = lk.LIF.preset("orhan", t_ref=2.0).replace(tau_m=np.array([TAU, other_tau_m]))
    result = lk.simulate(model, lk.Constant("14 mV"), projections=projections, duration=150,
                         record=lk.Record(neurons=()))  # fmt: skip
    combined = _TwoTypes(*synapses, excitatory)
    expected = crossing_reference(combined, arrivals, weights, 14.0, 2.0, 150.0)
    assert expected.size >= 3
    np.testing.assert_allclose(result.spike_times[result.spike_neurons == 0], expected,
                               rtol=0, atol=1e-8)  # fmt: skip


def test_crossing_at_an_interior_maximum_between_grid_points_is_found():
    """With dt = 1 ms and a 0.2 ms synapse, v peaks 0.8 ms after an arrival, inside the
    step. Weights 815 and 815.5 mV lift the peak just above threshold while v at the
    step's end would be below it (an interior maximum); 812 mV just misses; 824 mV
    crosses with v above threshold at the step's end."""
    synapse = lk.ExponentialSynapse("0.2 ms")
    arrivals = np.array([10.05, 30.05, 50.05, 70.05])
    weights = np.array([812.0, 815.0, 815.5, 824.0])  # mV of drive
    source = lk.SpikeTimes(np.arange(4), arrivals)
    projection = lk.Projection(source, synapse=synapse, weights=weights[:, None], weight_unit="mV")
    model = lk.LIF.preset("orhan")
    record = lk.Record(variables=("v",))
    result = lk.simulate(model, projections=[projection], duration=90, dt=1.0, record=record)
    expected = crossing_reference(synapse, arrivals, weights, 0.0, 0.0, 90.0)
    assert expected.size == 3
    np.testing.assert_allclose(result.spike_times, expected, rtol=0, atol=1e-8)
    assert np.all(result.trace("v") < THETA)  # never at threshold on the grid
