"""AdaptiveLIF and AdEx records: both forms, presets, aliases, validation, files, CLI."""

import numpy as np
import pytest
from scipy.linalg import solve_continuous_lyapunov

import lifkit as lk
from lifkit.cli import main
from lifkit.engine.plan import make_plan
from lifkit.experiment import parse_experiment
from lifkit.stimuli.base import TimeGrid

ADEX = dict(
    E_L=-70.0, v_reset=-58.0, v_T=-50.0, Delta_T=2.0, v_peak=0.0, a=0.002, b=0.0, tau_w=30.0
)
ALIF = dict(E_L=-75.0, v_reset=-75.0, v_th=-55.0, a=0.006, b=0.01, tau_w=100.0)


@pytest.mark.parametrize(("cls", "rest"), [(lk.AdaptiveLIF, ALIF), (lk.AdEx, ADEX)])
def test_conductance_form_equals_time_constant_form(cls, rest):
    a = cls(C_m="200 pF", g_L="10 nS", **rest)
    b = cls(tau_m=20.0, R=100.0, **rest)
    for name, value in a.values().items():
        np.testing.assert_allclose(value, b.values()[name], rtol=1e-15)
    assert float(a.C_m) == pytest.approx(0.2) and float(a.g_L) == pytest.approx(0.01)
    assert float(a.E_L) == rest["E_L"]


def test_adex_takes_the_reports_v_th_as_v_T_and_presets_hold_the_sources_values():
    alias = lk.AdEx(tau_m=10.0, g_L="10 nS", **{**ADEX, "v_T": None, "v_th": -50.0})
    assert float(alias.v_T) == float(alias.v_th) == -50.0
    soroush = lk.AdEx.preset("soroush")
    assert (float(soroush.v_T), float(soroush.Delta_T), float(soroush.tau_w)) == (-55.0, 1.0, 100.0)
    assert (float(soroush.a), float(soroush.b), float(soroush.v_init)) == (0.006, 0.01, -65.0)
    bg = lk.AdEx.preset("brette_gerstner_2005")
    assert float(bg.C_m) == pytest.approx(0.281) and float(bg.g_L) == pytest.approx(0.03)
    assert float(bg.v_peak) == pytest.approx(float(bg.v_T) + 5 * float(bg.Delta_T))
    irregular = lk.AdEx.preset("irregular")  # Naud et al. 2008: C 100 pF, g_L 12 nS, a -11 nS
    assert float(irregular.C_m) == pytest.approx(0.1) and float(irregular.a) == pytest.approx(
        -0.011
    )
    assert lk.AdEx.pattern_current("irregular").evaluate([1.0]).tolist() == [0.16]
    with pytest.raises(lk.ParameterError, match=r"^pattern = 'bursty'"):
        lk.AdEx.pattern_current("bursty")


def test_per_neuron_arrays_broadcast():
    model = lk.AdEx.preset("soroush", b=[0.0, 0.01, 0.02])
    assert model.n_neurons == 3
    np.testing.assert_array_equal(model.broadcast(3)["tau_w"], [100.0] * 3)


BAD_ADEX = [
    (dict(tau_w=0.0), "tau_w"),
    (dict(tau_w="-3 ms"), "tau_w"),
    (dict(tau_w="3 mV"), "tau_w"),  # wrong dimension
    (dict(Delta_T=0.0), "Delta_T"),
    (dict(Delta_T=-1.0), "Delta_T"),
    (dict(v_peak=-55.0), "v_peak"),  # at v_T
    (dict(v_peak=-60.0), "v_peak"),
    (dict(v_reset=5.0), "v_reset"),  # above the cut
    (dict(v_init=1.0), "v_init"),
    (dict(t_ref=-1.0), "t_ref"),
    (dict(a=-0.02), "a"),  # below -g_L = -0.01 µS
    (dict(a="1 mV"), "a"),
    (dict(b="1 ms"), "b"),
    (dict(w_init=np.nan), "w_init"),
]


@pytest.mark.parametrize(("changes", "name"), BAD_ADEX)
def test_bad_adex_parameters_name_the_parameter(changes, name):
    with pytest.raises(lk.ParameterError, match=rf"^{name} ="):
        lk.AdEx.preset("soroush", **changes)


@pytest.mark.parametrize(
    ("changes", "name"),
    [
        (dict(tau_w=0.0), "tau_w"),
        (dict(v_th=-80.0), "v_th"),  # below v_reset
        (dict(v_init=-50.0), "v_init"),
        (dict(a=-0.01), "a"),  # a = -g_L: no rest without the exponential term
        (dict(a=-0.5), "a"),
        (dict(t_ref=-2.0), "t_ref"),
    ],
)
def test_bad_adaptive_lif_parameters_name_the_parameter(changes, name):
    with pytest.raises(lk.ParameterError, match=rf"^{name} ="):
        lk.AdaptiveLIF.preset("soroush", **changes)


def test_naud_delayed_regular_bursting_sits_at_a_equal_minus_g_L_and_is_accepted():
    model = lk.AdEx.preset("delayed_regular_bursting")
    assert float(model.a) == pytest.approx(-float(model.g_L))


def test_stationary_noise_covariance_solves_the_lyapunov_equation():
    model = lk.AdaptiveLIF.preset("soroush", a=[0.006, -0.005, 0.05], tau_w=[100.0, 20.0, 5.0])
    plan = make_plan(model, lk.WhiteNoise("3 mV"), TimeGrid(0.1, 10), 3)
    p = plan.params
    for i in range(3):
        A = np.array(
            [[-1.0 / p.tau_m[i], -1.0 / p.tau_m[i]], [p.alpha[i] / p.tau_w[i], -1.0 / p.tau_w[i]]]
        )
        G = np.diag([p.sigma[i] ** 2 / p.tau_m[i], 0.0])
        expected = solve_continuous_lyapunov(A, -G)
        got = np.array([[p.sxx[i], p.sxy[i]], [p.sxy[i], p.syy[i]]])
        np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-15)


ADEX_FILE = """
[model]
type = "AdEx"
preset = "brette_gerstner_2005"
b = "0 pA"
[stimulus]
type = "Constant"
amplitude = [0.5, 1.0]
[run]
duration = "50 ms"
[record]
variables = ["v", "I", "w"]
"""


def test_experiment_files_build_adaptive_models_and_record_w():
    experiment = parse_experiment(ADEX_FILE, source="adex.toml")
    assert isinstance(experiment.model, lk.AdEx) and float(experiment.model.b) == 0.0
    result = experiment.run()
    assert result.w is not None and result.w.shape == (500, 1)
    bad = ADEX_FILE.replace('b = "0 pA"', "Delta_T = 0")
    with pytest.raises(lk.ExperimentError, match=r"adex.toml:\d+: \[model\] Delta_T = 0"):
        parse_experiment(bad, source="adex.toml")


def test_defaults_command_prints_adaptive_presets(capsys):
    assert main(["defaults", "adex", "--preset", "tonic"]) == 0
    out = capsys.readouterr().out
    assert "AdEx preset 'tonic'" in out and "tau_w" in out and "Delta_T" in out
    assert main(["defaults", "AdaptiveLIF"]) == 0
    assert "tau_w             100 ms" in capsys.readouterr().out
