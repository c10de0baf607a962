"""Stimuli: composition, evaluation and lowering onto the grid."""

import numpy as np
import pytest

import lifkit as lk
from lifkit.stimuli import TimeGrid
from lifkit.stimuli.lowering import lower_input


def test_sum_and_scaling_evaluate_pointwise():
    s = 2 * lk.Step(1.0, start=1.0, stop=2.0) - lk.Constant(0.5)
    np.testing.assert_allclose(s.evaluate([0.0, 1.5, 2.5]), [-0.5, 1.5, -0.5])


def test_voltage_drive_is_divided_by_R_when_evaluated_and_lowered():
    drive = lk.Constant("20 mV")
    np.testing.assert_allclose(drive.evaluate([0.0], R=10.0), [2.0])
    lowered = lower_input(drive + lk.Constant(1.0), TimeGrid(0.1, 3), np.array([10.0]))
    np.testing.assert_allclose(lowered.offset, [30.0])  # 20 mV + 10 MΩ * 1 nA
    with pytest.raises(lk.ParameterError, match="pass R="):
        drive.evaluate([0.0])


def test_step_edges_on_the_grid_are_exact_discontinuities():
    grid = TimeGrid(0.1, 10)
    (term,) = lk.Step(1.0, start=0.3, stop=0.6).lower(grid)  # 0.3/0.1 is not exact in floats
    np.testing.assert_array_equal(term.start, [0, 0, 0, 1, 1, 1, 0, 0, 0, 0])
    # end[k] is the left limit at t_{k+1}: 0 at 0.3 ms (before the edge), 1 at 0.6 ms.
    np.testing.assert_array_equal(term.end, [0, 0, 0, 1, 1, 1, 0, 0, 0, 0])


def test_ramp_matches_its_linear_formula_at_grid_points():
    ramp = lk.Ramp(0.0, "4000 pA", start=0.0, stop=400.0)
    lowered = lower_input(ramp, TimeGrid(1.0, 400), np.array([1.0]))
    t = np.arange(400.0)
    np.testing.assert_allclose(lowered.gain[0, 0] * lowered.wave_start[0], 0.01 * t)
    np.testing.assert_allclose(lowered.gain[0, 0] * lowered.wave_end[0], 0.01 * (t + 1))


def test_sinusoid_matches_neurodynex_formula():
    s = lk.Sinusoid("2.5 nA", frequency=250.0, offset=0.5, phase=0.3, start=20.0, stop=100.0)
    t = np.array([10.0, 20.0, 21.3, 99.9, 100.0])
    inside = (t >= 20.0) & (t < 100.0)
    expected = np.where(inside, 2.5 * np.sin(2 * np.pi * 0.25 * (t - 20.0) + 0.3) + 0.5, 0.0)
    np.testing.assert_allclose(s.evaluate(t), expected, atol=1e-12)


def test_timed_array_per_neuron_lowers_to_sampled_values():
    values = np.arange(8.0).reshape(4, 2)
    lowered = lower_input(
        lk.TimedArray(values, interval=0.2), TimeGrid(0.1, 8), np.array([1.0, 2.0])
    )
    np.testing.assert_array_equal(lowered.sampled[:, 0], np.repeat(values[:, 0], 2))
    np.testing.assert_array_equal(lowered.sampled[:, 1], 2.0 * np.repeat(values[:, 1], 2))


def test_white_noise_sigma_combines_in_quadrature_and_current_sigma_scales_by_R():
    noise = lk.WhiteNoise("3 mV") + lk.WhiteNoise(0.4)  # 0.4 nA * 10 MΩ = 4 mV
    lowered = lower_input(noise, TimeGrid(0.1, 2), np.array([10.0]))
    np.testing.assert_allclose(lowered.sigma, [5.0])


def test_gaussian_steps_are_reproducible_per_seed():
    a, b = lk.GaussianSteps(1.0, 0.5, seed=3), lk.GaussianSteps(1.0, 0.5, seed=3)
    np.testing.assert_array_equal(a.sample(5), b.sample(5))
    assert not np.array_equal(a.sample(5), lk.GaussianSteps(1.0, 0.5, seed=4).sample(5))
