"""Noise-free LIF neurons under constant drive are solved without steps: their spikes
must be those the step kernel finds, the analytic period's, and free of chunking."""

import itertools
import subprocess
import sys

import numpy as np
import pytest

import lifkit as lk
from lifkit.engine.closed_form import ClosedFormSpikes

N = 300
DURATION = 500.0  # ms


def population():
    """Varied time constants, refractory periods (0 included), starts and resets."""
    rng = np.random.default_rng(3)
    model = lk.LIF(
        tau_m=rng.uniform(4.0, 30.0, N),
        R=10.0,
        v_rest=-70.0,
        v_reset=rng.uniform(-75.0, -55.0, N),
        v_th=-50.0,
        t_ref=np.where(np.arange(N) % 5 == 0, 0.0, rng.uniform(0.5, 5.0, N)),
        v_init=rng.uniform(-80.0, -51.0, N),
    )
    currents = np.linspace(0.0, 6.0, N)  # nA; rheobase 2 nA: a third never fire
    return model, lk.Constant(currents), currents


def run(record, **options):
    model, stimulus, _ = population()
    return lk.simulate(model, stimulus, duration=DURATION, record=record, seed=1, **options)


@pytest.fixture(scope="module")
def stepped():
    """Every neuron recorded, so the step kernel advances every one."""
    return run(lk.Record(neurons="all", variables=("v",), stride=1000), jit=True)


@pytest.fixture(scope="module")
def solved():
    return run(lk.Record(neurons=()))


def test_closed_form_spikes_equal_the_step_kernels(stepped, solved):
    # Same spikes, same order; the times differ only by the kernel's rounding over steps.
    assert solved.spike_times.size > 10 * N
    np.testing.assert_array_equal(solved.spike_neurons, stepped.spike_neurons)
    np.testing.assert_allclose(solved.spike_times, stepped.spike_times, rtol=0, atol=1e-9)


def test_closed_form_intervals_are_the_analytic_period(solved):
    model, _, currents = population()
    values = model.broadcast(N)
    u = currents * 10.0  # mV: R I
    theta = values["v_th"] - values["v_rest"]
    x_reset = values["v_reset"] - values["v_rest"]
    fires = u > theta
    period = np.full(N, np.inf)
    period[fires] = values["t_ref"][fires] + values["tau_m"][fires] * np.log(
        (u[fires] - x_reset[fires]) / (u[fires] - theta[fires])
    )
    for i in range(N):
        times = solved.spike_times[solved.spike_neurons == i]
        if not fires[i]:
            assert times.size == 0
            continue
        first = values["tau_m"][i] * np.log(
            (u[i] - (values["v_init"][i] - values["v_rest"][i])) / (u[i] - theta[i])
        )
        assert times.size == int(np.floor((DURATION - first) / period[i])) + 1
        assert times[0] == pytest.approx(first, abs=1e-12)
        np.testing.assert_allclose(np.diff(times), period[i], rtol=0, atol=1e-9)


@pytest.mark.parametrize("chunk_steps", [1, 7, 1000])
def test_closed_form_spikes_do_not_depend_on_chunks(solved, chunk_steps):
    chunked = run(lk.Record(neurons=()), chunk_steps=chunk_steps)
    np.testing.assert_array_equal(chunked.spike_neurons, solved.spike_neurons)
    np.testing.assert_array_equal(chunked.spike_times, solved.spike_times)


def test_recorded_neurons_are_stepped_beside_solved_ones(stepped, solved):
    mixed = run(lk.Record(neurons=[150, 299]))
    np.testing.assert_array_equal(mixed.spike_neurons, solved.spike_neurons)
    np.testing.assert_allclose(mixed.spike_times, solved.spike_times, rtol=0, atol=1e-9)
    np.testing.assert_array_equal(mixed.v[::1000, 1], stepped.v[:, 299])  # same steps


def test_noisy_or_time_varying_neurons_are_never_solved_in_closed_form():
    from lifkit.engine.closed_form import with_closed_form
    from lifkit.engine.plan import make_plan
    from lifkit.stimuli.base import TimeGrid

    model = lk.LIF.preset("orhan")
    grid = TimeGrid(0.1, 10)
    none = np.array([], dtype=np.int64)
    for stimulus in (lk.WhiteNoise("1 mV", mean="20 mV"), lk.Step("20 mV", start=0.5)):
        plan = with_closed_form(make_plan(model, stimulus, grid, 4), none)
        assert plan.closed_form is None and not plan.params.closed_form.any()


def test_spikes_on_a_chunk_boundary_are_counted_once():
    # first + n * period lands exactly on 2.0, 4.0, ... (binary fractions).
    trains = ClosedFormSpikes(np.array([0, 1]), np.array([0.5, 0.0]), np.array([0.5, 2.0]))
    edges = [0.0, 1.0, 2.0, 2.5, 4.0, 6.0]
    parts = [trains.spikes(a, b) for a, b in itertools.pairwise(edges)]
    times = np.concatenate([t for _, t in parts])
    neurons = np.concatenate([n for n, _ in parts])
    assert sorted(times[neurons == 0].tolist()) == [0.5 * k for k in range(1, 12)]
    assert sorted(times[neurons == 1].tolist()) == [0.0, 2.0, 4.0]


def test_an_f_i_curve_run_needs_no_compiler():
    code = (
        "import sys, numpy as np, lifkit as lk\n"
        "curve = lk.analysis.fi_curve(lk.LIF.preset('neurodynex'), np.linspace(0, 5, 1000),"
        " duration=500)\n"
        "assert curve.rates.max() > 180  # 1000 / (2 + 8 ln 1.5) = 190.7 Hz at 5 nA\n"
        "print('numba' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
