"""lifkit.sweep in one process: grid mapping, bad grids, progress, Ctrl-C, the CLI."""

import csv
import io
import json
import math
import os
import pickle
import re
import signal
import sys
from pathlib import Path

import numpy as np
import pytest

import lifkit as lk
from lifkit.cli import main
from lifkit.engine import progress as progress_module

ORHAN = lk.LIF.preset("orhan")
EXAMPLES = Path(__file__).parents[2] / "examples"
SWEEP_TOML = """\
[model]
type = "LIF"
preset = "orhan"

[[stimulus]]
type = "Constant"
amplitude = "20 mV"

[[stimulus]]
type = "WhiteNoise"
sigma = "3 mV"

[run]
duration = "100 ms"
dt = "0.1 ms"
seed = 5
"""


def _interrupt_self():
    os.kill(os.getpid(), signal.SIGINT)


def _read_points(path):
    with open(path, newline="", encoding="utf-8") as file:
        rows = list(csv.reader(file))
    return rows[0], np.array(rows[1:], dtype=np.float64).reshape(len(rows) - 1, len(rows[0]))


# --- what the grid means ----------------------------------------------------------------


def test_constant_drive_counts_match_the_analytic_period_at_every_grid_point():
    t_ref, drive = [0.0, 2.0, 5.0], [16.0, 20.0, 30.0, 45.0]
    result = lk.sweep(
        ORHAN, lk.Constant("1 mV"), {"t_ref": t_ref, "amplitude": drive}, duration=200
    )
    assert result.shape == (3, 4) and result.units == {"t_ref": "ms", "amplitude": "mV"}
    for i, refractory in enumerate(t_ref):
        for j, u in enumerate(drive):
            first = 10.0 * math.log(u / (u - 15.0))  # Orhan: tau_m 10 ms, v_th 15 mV, from 0
            period = refractory + first
            assert result.counts[i, j] == 1 + math.floor((200.0 - first) / period)
            assert result.coordinates(i, j) == {"t_ref": refractory, "amplitude": u}
            np.testing.assert_allclose(np.diff(result.spike_train(i, j)), period, rtol=1e-9)


def test_grid_point_p_is_neuron_p_of_one_population_run():
    model = lk.LIF(tau_m=10.0, R=10.0, v_rest=-70.0, v_reset=-65.0, v_th=-50.0, t_ref=2.0)
    tau, mean = np.array([6.0, 9.0, 14.0]), np.array([1.8, 2.2, 2.6, 3.0])
    result = lk.sweep(
        model,
        lambda mean: lk.WhiteNoise("5 mV", mean=mean),
        {"tau_m": tau, "mean": mean},
        duration=150,
        seed=11,
        chunk_neurons=5,
    )
    population = lk.simulate(
        model.replace(tau_m=np.repeat(tau, 4)),
        lk.WhiteNoise("5 mV", mean=np.tile(mean, 3)),
        duration=150,
        seed=11,
        record=lk.Record(neurons=()),
    )
    assert population.spike_times.size > 20
    np.testing.assert_array_equal(result.spike_points, population.spike_neurons)
    np.testing.assert_array_equal(result.spike_times, population.spike_times)
    np.testing.assert_array_equal(result.counts.ravel(), population.counts)


def test_recorded_traces_of_grid_points_equal_the_population_traces_across_chunks():
    record = lk.Record(neurons=[4, 1], variables=("v",), stride=3)
    grid = {"amplitude": [12.0, 16.0, 20.0, 24.0, 28.0]}
    result = lk.sweep(ORHAN, lk.Constant("1 mV"), grid, duration=30, record=record, chunk_neurons=2)
    population = lk.simulate(
        ORHAN, lk.Constant("1 mV") * np.array(grid["amplitude"]), duration=30, record=record
    )
    assert result.I is None and result.recorded.tolist() == [4, 1]
    np.testing.assert_array_equal(result.t, population.t)
    np.testing.assert_array_equal(result.v, population.v)
    np.testing.assert_array_equal(result.trace("v", 1), population.trace("v", 1))


def test_amplitude_of_a_constant_inside_a_sum_is_swept_and_the_noise_kept():
    stimulus = lk.Step("1 nA", start=10.0) + lk.WhiteNoise("2 mV")
    result = lk.sweep(
        lk.LIF.preset("neurodynex"),
        stimulus,
        {"amplitude": ["1.5 nA", "3 nA"]},
        duration=100,
        seed=2,
    )
    direct = lk.simulate(
        lk.LIF.preset("neurodynex"),
        lk.Step([1.5, 3.0], start=10.0) + lk.WhiteNoise("2 mV"),
        duration=100,
        seed=2,
    )
    assert result.units["amplitude"] == "nA"
    np.testing.assert_array_equal(result.spike_times, direct.spike_times)


def test_to_pandas_has_one_row_per_grid_point_in_flat_order():
    result = lk.sweep(
        ORHAN, lk.Constant("20 mV"), {"tau_m": [5, 10], "t_ref": [0, 1, 2]}, duration=50
    )
    table = result.to_pandas()
    assert list(table.columns) == ["tau_m", "t_ref", "spike_count", "rate_Hz", "done"]
    assert table["tau_m"].tolist() == [5, 5, 5, 10, 10, 10]
    assert table["t_ref"].tolist() == [0, 1, 2, 0, 1, 2]
    assert table["spike_count"].tolist() == result.counts.ravel().tolist()


def test_to_xarray_has_the_grid_axes_as_coordinates():
    xr = pytest.importorskip("xarray")
    result = lk.sweep(ORHAN, lk.Constant("20 mV"), {"tau_m": [5, 10], "t_ref": [0, 2]}, duration=50)
    data = result.to_xarray()
    assert isinstance(data, xr.Dataset)
    assert data["rate_Hz"].sel(tau_m=10, t_ref=2).item() == result.rates[1, 1]


def test_models_pickle_for_other_processes():
    model = ORHAN.replace(tau_m=np.array([5.0, 10.0]))
    copy = pickle.loads(pickle.dumps(model))
    assert copy.n_neurons == 2 and np.array_equal(copy.tau_m, model.tau_m)


# --- bad grids name their key -----------------------------------------------------------


@pytest.mark.parametrize(
    ("grid", "name", "words"),
    [
        ({"tau": [5, 10]}, "tau", "did you mean 'tau_m'"),
        ({"tau_m": [5, -1]}, "tau_m", "must be > 0"),
        ({"tau_m": ["5 mV"]}, "tau_m", "expected time"),
        ({"tau_m": []}, "tau_m", "non-empty"),
        ({"tau_m": [[5, 10]]}, "tau_m", "1-d"),
        ({"tau_m": "5 ms"}, "tau_m", "1-d"),
        ({"v_th": [float("nan")]}, "v_th", "NaN"),
        ({"v_th": [-1.0]}, "v_th", "above v_reset"),
        ({"amplitude": ["1 nA", "2 mV"]}, "amplitude", "mixes units"),
        ({"amplitude": ["5 ms"]}, "amplitude", "current"),
        ({}, "grid", "dict of axes"),
    ],
)
def test_a_bad_grid_raises_a_parameter_error_naming_the_key(grid, name, words):
    with pytest.raises(lk.ParameterError, match=words) as caught:
        lk.sweep(ORHAN, lk.Constant("20 mV"), grid, duration=10)
    assert caught.value.name == name


def test_a_stimulus_without_an_amplitude_to_sweep_says_to_pass_a_function():
    with pytest.raises(lk.ParameterError, match="pass a function") as caught:
        lk.sweep(ORHAN, lk.WhiteNoise("2 mV"), {"amplitude": [1.0]}, duration=10)
    assert caught.value.name == "amplitude"


def test_per_neuron_models_and_stimuli_are_refused():
    with pytest.raises(lk.ParameterError, match="one neuron") as caught:
        lk.sweep(ORHAN.replace(tau_m=[5.0, 6.0]), lk.Constant(1.0), {"t_ref": [1]}, duration=10)
    assert caught.value.name == "model"
    with pytest.raises(lk.ParameterError, match="one neuron"):
        lk.sweep(ORHAN, lk.Constant([1.0, 2.0]), {"t_ref": [1]}, duration=10)


def test_a_factory_must_return_one_stimulus_value_per_point():
    with pytest.raises(lk.ParameterError, match="one value per grid point"):
        lk.sweep(ORHAN, lambda mean: lk.Constant([1.0, 2.0, 3.0]), {"mean": [1, 2]}, duration=10)
    with pytest.raises(lk.ParameterError, match="must return a stimulus"):
        lk.sweep(ORHAN, lambda mean: mean, {"mean": [1, 2]}, duration=10)
    with pytest.raises(lk.ParameterError, match="both a model parameter"):
        lk.sweep(ORHAN, lambda R: lk.Constant(R), {"R": [1, 2]}, duration=10)
    with pytest.raises(lk.ParameterError, match="add it to the grid") as caught:
        lk.sweep(ORHAN, lambda mean, sigma: lk.Constant(mean), {"mean": [1, 2]}, duration=10)
    assert caught.value.name == "sigma"


def test_a_non_model_is_refused_by_name():
    with pytest.raises(lk.ParameterError, match="is not a model") as caught:
        lk.sweep("LIF", lk.Constant(1.0), {"tau_m": [5]}, duration=10)
    assert caught.value.name == "model"


@pytest.mark.parametrize(
    ("options", "name"),
    [
        ({"workers": 2, "scheduler": "tcp://127.0.0.1:8786"}, "workers"),
        ({"workers": 0}, "workers"),
        ({"workers": 1.5}, "workers"),
        ({"chunk_neurons": 0}, "chunk_neurons"),
        ({"duration": 10.05}, "duration"),
        ({"seed": -1}, "seed"),
        ({"progress": "yes"}, "progress"),
        ({"record": [0]}, "record"),
    ],
)
def test_bad_sweep_options_name_the_option(options, name):
    arguments = {"duration": 10.0, **options}
    with pytest.raises(lk.ParameterError) as caught:
        lk.sweep(ORHAN, lk.Constant("20 mV"), {"t_ref": [0, 1]}, **arguments)
    assert caught.value.name == name


def test_without_dask_a_distributed_sweep_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(ImportError, match=r"lifkit\[dask\]"):
        lk.sweep(ORHAN, lk.Constant("20 mV"), {"t_ref": [0, 1]}, duration=10, workers=2)


def test_an_unreachable_scheduler_is_a_parameter_error(monkeypatch):
    from lifkit.sweeps import distributed

    monkeypatch.setattr(distributed, "CONNECT_TIMEOUT", 0.5)
    with pytest.raises(lk.ParameterError, match="cannot connect") as caught:
        lk.sweep(
            ORHAN, lk.Constant("20 mV"), {"t_ref": [0]}, duration=10, scheduler="tcp://127.0.0.1:9"
        )
    assert caught.value.name == "scheduler"


# --- progress ---------------------------------------------------------------------------


def test_progress_true_draws_a_bar_on_stderr_that_ends_its_line(capsys):
    lk.simulate(ORHAN, lk.Constant("20 mV"), duration=10, chunk_steps=25, progress=True)
    err = capsys.readouterr().err
    assert "100%" in err and err.endswith("\n") and err.count("\r") == 4


def test_by_default_nothing_is_written_when_stderr_is_not_a_terminal(capsys):
    lk.simulate(ORHAN, lk.Constant("20 mV"), duration=10, chunk_steps=25)
    lk.sweep(ORHAN, lk.Constant("20 mV"), {"t_ref": [0, 1]}, duration=10)
    assert capsys.readouterr() == ("", "")


class _Terminal(io.StringIO):
    def isatty(self):
        return True


def test_by_default_a_terminal_gets_a_bar_once_a_run_lasts(monkeypatch):
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    lk.simulate(ORHAN, lk.Constant("20 mV"), duration=10, chunk_steps=25)  # quick: no bar
    assert terminal.getvalue() == ""
    monkeypatch.setattr(progress_module, "AUTO_DELAY", 0.0)
    lk.sweep(ORHAN, lk.Constant("20 mV"), {"t_ref": [0, 1, 2]}, duration=10, chunk_neurons=1)
    assert terminal.getvalue().startswith("\rsweep [") and "100%" in terminal.getvalue()


def test_a_progress_callable_sees_every_chunk():
    steps, points = [], []
    lk.simulate(
        ORHAN,
        lk.Constant("20 mV"),
        duration=10,
        chunk_steps=40,
        progress=lambda done, total: steps.append((done, total)),
    )
    lk.sweep(
        ORHAN,
        lk.Constant("20 mV"),
        {"t_ref": [0, 1, 2]},
        duration=10,
        chunk_neurons=2,
        progress=lambda done, total: points.append((done, total)),
    )
    assert steps == [(40, 100), (80, 100), (100, 100)]
    assert points == [(2, 3), (3, 3)]


# --- Ctrl-C -----------------------------------------------------------------------------

NOISY = dict(duration=50.0, dt=0.1, seed=3, record=lk.Record(neurons=[0, 2]))
NOISY_MODEL = ORHAN.replace(tau_m=np.array([8.0, 10.0, 12.0]))
NOISY_STIMULUS = lk.WhiteNoise("4 mV", mean="16 mV")


def test_ctrl_c_stops_a_run_between_chunks_and_keeps_the_completed_time(interactive_sigint):
    full = lk.simulate(NOISY_MODEL, NOISY_STIMULUS, **NOISY)
    calls = []

    def interrupt_after_three_chunks(done, total):
        calls.append(done)
        if len(calls) == 3:
            _interrupt_self()

    with pytest.raises(lk.Interrupted, match="after 15 of 50 ms") as caught:
        lk.simulate(
            NOISY_MODEL,
            NOISY_STIMULUS,
            chunk_steps=50,
            progress=interrupt_after_three_chunks,
            **NOISY,
        )
    partial = caught.value.result
    assert not partial.complete and partial.duration == 15.0 and calls == [50, 100, 150]
    kept = full.spike_times <= 15.0
    assert 0 < kept.sum() < full.spike_times.size
    np.testing.assert_array_equal(partial.spike_times, full.spike_times[kept])
    np.testing.assert_array_equal(partial.spike_neurons, full.spike_neurons[kept])
    np.testing.assert_array_equal(partial.v, full.v[:150])
    np.testing.assert_array_equal(partial.t, full.t[:150])
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_a_second_ctrl_c_interrupts_at_once(interactive_sigint):
    def interrupt_twice(done, total):
        _interrupt_self()
        _interrupt_self()

    with pytest.raises(KeyboardInterrupt) as caught:
        lk.simulate(NOISY_MODEL, NOISY_STIMULUS, chunk_steps=50, progress=interrupt_twice, **NOISY)
    assert not isinstance(caught.value, lk.Interrupted)
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_an_ignored_sigint_stays_ignored_and_the_run_completes():
    full = lk.simulate(NOISY_MODEL, NOISY_STIMULUS, **NOISY)
    inherited = signal.signal(signal.SIGINT, signal.SIG_IGN)  # a background job's state
    try:
        ran = lk.simulate(
            NOISY_MODEL,
            NOISY_STIMULUS,
            chunk_steps=50,
            progress=lambda done, total: _interrupt_self(),
            **NOISY,
        )
        assert signal.getsignal(signal.SIGINT) == signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, inherited)
    assert ran.complete
    np.testing.assert_array_equal(ran.spike_times, full.spike_times)


def test_ctrl_c_stops_a_sweep_between_chunks_and_keeps_the_finished_points(interactive_sigint):
    grid = {"tau_m": [8.0, 10.0, 12.0], "amplitude": [16.0, 18.0]}
    stimulus = lk.Constant("1 mV") + lk.WhiteNoise("4 mV")
    full = lk.sweep(ORHAN, stimulus, grid, duration=50, seed=3)

    def interrupt_after_the_first_chunk(done, total):
        if done == 2:
            _interrupt_self()

    with pytest.raises(lk.Interrupted, match="after 2 of 6 grid points") as caught:
        lk.sweep(
            ORHAN,
            stimulus,
            grid,
            duration=50,
            seed=3,
            chunk_neurons=2,
            progress=interrupt_after_the_first_chunk,
        )
    partial = caught.value.result
    assert not partial.complete
    assert partial.done.tolist() == [[True, True], [False, False], [False, False]]
    assert partial.counts[0].tolist() == full.counts[0].tolist()
    assert (partial.counts[1:] == -1).all() and np.isnan(partial.rates[1:]).all()
    kept = full.spike_points < 2
    np.testing.assert_array_equal(partial.spike_times, full.spike_times[kept])


# --- the command line -------------------------------------------------------------------


def test_cli_sweep_writes_points_and_summary(tmp_path, capsys):
    source = tmp_path / "noisy.toml"
    source.write_text(SWEEP_TOML, encoding="utf-8")
    out = tmp_path / "fI"
    grid = ["--grid", "tau_m=8ms,12ms", "--grid", "amplitude=14:20:4"]
    assert main(["sweep", str(source), *grid, "--out", str(out), "--chunk-neurons", "3"]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["points.csv", "summary.json"]
    assert "8 grid points (2 x 4)" in capsys.readouterr().out
    header, table = _read_points(out / "points.csv")
    assert header == ["point", "tau_m_ms", "amplitude_mV", "spike_count", "rate_Hz"]
    direct = lk.sweep(
        ORHAN,
        lk.Constant("1 mV") + lk.WhiteNoise("3 mV"),
        {"tau_m": [8.0, 12.0], "amplitude": [14.0, 16.0, 18.0, 20.0]},
        duration=100,
        seed=5,
    )
    np.testing.assert_array_equal(table[:, 3], direct.counts.ravel())
    np.testing.assert_array_equal(table[:, 4], direct.rates.ravel())
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["complete"] and summary["n_points"] == 8 and summary["seed"] == 5
    assert summary["grid"]["amplitude"] == {"values": [14.0, 16.0, 18.0, 20.0], "unit": "mV"}


@pytest.mark.parametrize(
    ("grid", "words"),
    [
        ("tau=5,10", "--grid tau = .*did you mean 'tau_m'"),
        ("tau_m=5,-1", "--grid tau_m = .*must be > 0"),
        ("tau_m", "write KEY=V1,V2"),
        ("tau_m=5,,6", "empty value"),
        ("tau_m=5mV", "expected time"),
    ],
)
def test_cli_sweep_bad_grid_exits_2_naming_the_key(tmp_path, capsys, grid, words):
    out = tmp_path / "out"
    code = main(
        ["sweep", str(EXAMPLES / "orhan_fig1_constant.toml"), "--grid", grid, "--out", str(out)]
    )
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("lifkit: error: ") and err.count("\n") == 1
    assert re.search(words, err), err
    assert not out.exists()


def test_cli_run_ctrl_c_writes_the_completed_part_and_says_so(
    tmp_path, capsys, monkeypatch, interactive_sigint
):
    from lifkit.engine import simulate as engine

    source = tmp_path / "long.toml"
    source.write_text(SWEEP_TOML.replace("seed = 5", "seed = 5\nchunk_steps = 200"), "utf-8")
    original, calls = engine._Runner.run, []

    def run_then_interrupt(self, k0, k1):
        original(self, k0, k1)
        calls.append(k1)
        if len(calls) == 2:
            _interrupt_self()

    monkeypatch.setattr(engine._Runner, "run", run_then_interrupt)
    out = tmp_path / "out"
    assert main(["run", str(source), "--out", str(out), "--no-figure"]) == 130
    err = capsys.readouterr().err
    assert err == f"lifkit: stopped early (Ctrl-C): {out} holds the first 40 ms of the run\n"
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["complete"] is False and summary["duration_ms"] == 40.0


def test_cli_sweep_ctrl_c_writes_the_finished_points_and_says_so(
    tmp_path, capsys, monkeypatch, interactive_sigint
):
    from lifkit.sweeps import runner

    original = runner.run_chunk

    def run_then_interrupt(task, progress=False):
        output = original(task, progress)
        _interrupt_self()
        return output

    monkeypatch.setattr(runner, "run_chunk", run_then_interrupt)
    out = tmp_path / "out"
    code = main(
        [
            "sweep",
            str(EXAMPLES / "orhan_fig1_constant.toml"),
            "--grid",
            "amplitude=10:40:7",
            "--chunk-neurons",
            "3",
            "--out",
            str(out),
        ]
    )
    assert code == 130
    assert capsys.readouterr().err == (
        f"lifkit: stopped early (Ctrl-C): {out} holds 3 of 7 grid points\n"
    )
    _, table = _read_points(out / "points.csv")
    assert table[:, 0].tolist() == [0, 1, 2]
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["complete"] is False and summary["points_done"] == 3


def test_cli_second_ctrl_c_writes_nothing_and_says_so(tmp_path, capsys, monkeypatch):
    from lifkit.sweeps import runner

    def abort(task, progress=False):
        raise KeyboardInterrupt

    monkeypatch.setattr(runner, "run_chunk", abort)
    out = tmp_path / "out"
    code = main(
        [
            "sweep",
            str(EXAMPLES / "orhan_fig1_constant.toml"),
            "--grid",
            "amplitude=10,20",
            "--out",
            str(out),
        ]
    )
    assert code == 130 and not out.exists()
    assert capsys.readouterr().err == "lifkit: interrupted (Ctrl-C); nothing was written\n"
