"""The ``lifkit`` command: outputs held against closed forms, bad input exits 2 cleanly."""

import csv
import json
import math
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import lifkit as lk
from lifkit.cli import main

EXAMPLES = Path(__file__).parents[2] / "examples"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
GOOD = """\
[model]
type = "LIF"
preset = "orhan"
t_ref = "0 ms"

[stimulus]
type = "Constant"
amplitude = "20 mV"

[run]
duration = "20 ms"
dt = "0.1 ms"
seed = 1
"""


def _run_example(name: str, out: Path, *extra: str) -> dict:
    assert main(["run", str(EXAMPLES / f"{name}.toml"), "--out", str(out), *extra]) == 0
    return json.loads((out / "summary.json").read_text(encoding="utf-8"))


def _read_csv(path: Path) -> tuple[list[str], np.ndarray]:
    with open(path, newline="", encoding="utf-8") as file:
        rows = list(csv.reader(file))
    return rows[0], np.array(rows[1:], dtype=np.float64).reshape(len(rows) - 1, len(rows[0]))


def _column(path: Path, name: str) -> np.ndarray:
    header, table = _read_csv(path)
    return table[:, header.index(name)]


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.toml")), ids=lambda p: p.stem)
def test_every_example_writes_valid_outputs(example, tmp_path):
    out = tmp_path / "out"
    summary = _run_example(example.stem, out)
    assert sorted(p.name for p in out.iterdir()) == [
        "figure.png",
        "spikes.csv",
        "summary.json",
        "traces.csv",
    ]
    assert (out / "figure.png").read_bytes()[:8] == PNG_MAGIC
    assert _read_csv(out / "spikes.csv")[0] == ["neuron", "time_ms"]
    header = _read_csv(out / "traces.csv")[0]
    assert header[:3] == ["time_ms", "v_mV_0", "I_nA_0"]
    assert ("I_syn_nA_0" in header) == bool(summary["projections"])  # synaptic runs
    assert summary["experiment"] == example.stem
    assert summary["model"]["parameters"]["tau_m"]["unit"] == "ms"
    assert summary["n_neurons"] == len(summary["spike_count"]) == 1
    assert summary["dt_ms"] == pytest.approx(0.1)
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # no staging directory left


def test_orhan_fig1_spikes_are_10_ln_4_ms_apart(tmp_path):
    summary = _run_example("orhan_fig1_constant", tmp_path / "fig1", "--no-figure")
    times = _column(tmp_path / "fig1" / "spikes.csv", "time_ms")
    period = 10.0 * math.log(20.0 / (20.0 - 15.0))  # Orhan eq. 4, v(0) = v_r = 0
    assert times.size == math.floor(100.0 / period) == 7
    np.testing.assert_allclose(times, period * np.arange(1, 8), rtol=0, atol=1e-9)
    assert summary["analytic"]["period_ms"][0] == pytest.approx(period, abs=1e-12)
    assert summary["mean_isi_ms"][0] == pytest.approx(period, abs=1e-9)
    assert summary["rate_Hz"] == [70.0]
    assert summary["seed"] == 1


def test_orhan_fig2_matches_an_exact_event_driven_reference(tmp_path):
    _run_example("orhan_fig2_gaussian", tmp_path / "fig2", "--no-figure")
    drive = 15.0 + 5.0 * np.random.default_rng(2012).standard_normal(1000)  # the note's TimedArray
    expected = _spikes_under_held_drive(drive, dt=0.1, tau=10.0, v_th=15.0, v_reset=0.0)
    times = _column(tmp_path / "fig2" / "spikes.csv", "time_ms")
    np.testing.assert_allclose(times, expected, rtol=0, atol=1e-9)


def _spikes_under_held_drive(drive, *, dt, tau, v_th, v_reset):
    """tau dv/dt = -v + drive[k] solved exactly within each step, reset at each crossing."""
    v, spikes = v_reset, []
    for k, level in enumerate(drive):
        elapsed = 0.0
        while level > v_th:
            to_threshold = tau * math.log((level - v) / (level - v_th))
            if elapsed + to_threshold > dt:
                break
            elapsed += to_threshold
            spikes.append(k * dt + elapsed)
            v = v_reset
        v = level + (v - level) * math.exp(-(dt - elapsed) / tau)
    return spikes


def test_neurodynex_step_relaxes_as_the_closed_form(tmp_path):
    summary = _run_example("neurodynex_step", tmp_path / "step", "--no-figure")
    traces = tmp_path / "step" / "traces.csv"
    t, v = _column(traces, "time_ms"), _column(traces, "v_mV_0")
    on, off = 100.0, 201.0  # neurodynex3 holds the t_end = 200 sample for 1 ms
    v_on = -70.0 + 12.0 * (1.0 - np.exp(-(np.clip(t, on, off) - on) / 8.0))  # R I = 12 mV
    expected = np.where(t <= off, v_on, -70.0 + (v_on - -70.0) * np.exp(-(t - off) / 8.0))
    np.testing.assert_allclose(v, expected, rtol=0, atol=1e-9)
    assert summary["spike_count"] == [0]
    assert summary["mean_isi_ms"] == [None]
    assert "analytic" not in summary


def test_neurodynex_sine_follows_the_linear_response(tmp_path):
    summary = _run_example("neurodynex_sine", tmp_path / "sine", "--no-figure")
    traces = tmp_path / "sine" / "traces.csv"
    t, v = _column(traces, "time_ms"), _column(traces, "v_mV_0")
    s = t[(t >= 20.0) & (t <= 100.0)] - 20.0
    omega_tau = 2 * math.pi * 0.25 * 8.0  # 250 Hz in rad/ms times tau_m
    gain = 10.0 * 2.5 / (1.0 + omega_tau**2)  # R A / (1 + (ω τ)²), mV
    wave = np.sin(omega_tau * s / 8.0) - omega_tau * np.cos(omega_tau * s / 8.0)
    expected = -70.0 + gain * (wave + omega_tau * np.exp(-s / 8.0))  # from v(20 ms) = v_rest
    # The sine is integrated to O((ω dt)²): 0.1 ms steps of a 4 ms period.
    np.testing.assert_allclose(v[(t >= 20.0) & (t <= 100.0)], expected, rtol=0, atol=0.02)
    assert summary["spike_count"] == [0]


def test_population_run_writes_columns_per_recorded_neuron(tmp_path):
    experiment = tmp_path / "population.toml"
    text = GOOD.replace('amplitude = "20 mV"', "amplitude = [16.0, 20.0, 30.0]")
    experiment.write_text(text + "[record]\nneurons = [0, 2]\n", encoding="utf-8")
    assert main(["run", str(experiment), "--out", str(tmp_path / "out"), "--no-figure"]) == 0
    header, _ = _read_csv(tmp_path / "out" / "traces.csv")
    assert header == ["time_ms", "v_mV_0", "I_nA_0", "v_mV_2", "I_nA_2"]
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    periods = [10.0 * math.log(i / (i - 15.0)) for i in (16.0, 20.0, 30.0)]
    assert summary["analytic"]["period_ms"] == pytest.approx(periods, abs=1e-12)


def test_streamed_run_records_what_the_in_memory_run_writes(tmp_path):
    experiment = tmp_path / "population.toml"
    text = GOOD.replace('amplitude = "20 mV"', "amplitude = [16.0, 20.0, 30.0]")
    experiment.write_text(text + "[record]\nneurons = [0, 2]\n", encoding="utf-8")
    memory, streamed = tmp_path / "memory", tmp_path / "streamed"
    assert main(["run", str(experiment), "--out", str(memory), "--no-figure"]) == 0
    assert main(["run", str(experiment), "--out", str(streamed), "--stream"]) == 0
    assert sorted(p.name for p in streamed.iterdir()) == ["recording.zarr", "summary.json"]
    recording = lk.open_recording(streamed / "recording.zarr")
    _, rows = _read_csv(memory / "spikes.csv")
    neurons, times = recording.spikes()
    assert recording.complete and neurons.size == len(rows) > 0
    np.testing.assert_array_equal(neurons, [int(row[0]) for row in rows])
    np.testing.assert_array_equal(times, [float(row[1]) for row in rows])  # full precision
    _, samples = _read_csv(memory / "traces.csv")
    np.testing.assert_array_equal(recording.trace("v", 2), [float(row[3]) for row in samples])
    in_memory, stream = (
        json.loads((d / "summary.json").read_text("utf-8")) for d in (memory, streamed)
    )
    for key in (
        "spike_count",
        "rate_Hz",
        "mean_isi_ms",
        "complete",
        "analytic",
        "recorded_neurons",
    ):
        assert stream[key] == in_memory[key], key
    assert stream["files"] == ["recording.zarr", "summary.json"]


BAD_INPUT = [
    # (old, new, the key the message must name)
    ('t_ref = "0 ms"', "tau = 10", "tau"),
    ('"Constant"', '"Square"', "Square"),
    ('duration = "20 ms"', 'duration = "10 mV"', "duration"),
    ('dt = "0.1 ms"', "dt = 0", "dt"),
    ('dt = "0.1 ms"', 'dt = "-0.1 ms"', "dt"),
    ('t_ref = "0 ms"', 't_ref = "-2 ms"', "t_ref"),
    ('duration = "20 ms"', "duration = = 20", "bad.toml:11:12"),  # TOML syntax: line:column
]


@pytest.mark.parametrize("stream", [[], ["--stream"]])
@pytest.mark.parametrize(("old", "new", "key"), BAD_INPUT)
def test_bad_input_exits_2_with_one_line_and_no_output(old, new, key, stream, tmp_path, capsys):
    experiment = tmp_path / "bad.toml"
    experiment.write_text(GOOD.replace(old, new), encoding="utf-8")
    assert main(["run", str(experiment), "--out", str(tmp_path / "out"), *stream]) == 2
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("lifkit: error: ")
    assert "bad.toml:" in lines[0] and key in lines[0]
    assert captured.out == ""
    assert [p.name for p in tmp_path.iterdir()] == ["bad.toml"]


def test_missing_file_exits_2(tmp_path, capsys):
    assert main(["run", str(tmp_path / "nothere.toml"), "--out", str(tmp_path / "out")]) == 2
    assert capsys.readouterr().err.startswith("lifkit: error: ")
    assert list(tmp_path.iterdir()) == []


def test_bad_arguments_exit_2_with_one_line(capsys):
    assert main(["run", "x.toml"]) == 2  # no --out
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1 and "--out" in lines[0]


@pytest.mark.parametrize(
    ("mode", "files"),
    [
        (["--no-figure"], ["spikes.csv", "summary.json", "traces.csv"]),
        (["--stream"], ["recording.zarr", "summary.json"]),
    ],
)
def test_non_empty_out_is_kept_unless_force(mode, files, tmp_path, capsys):
    experiment = tmp_path / "good.toml"
    experiment.write_text(GOOD, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "old.txt").write_text("keep me", encoding="utf-8")
    assert main(["run", str(experiment), "--out", str(out), *mode]) == 2
    assert "--force" in capsys.readouterr().err
    assert [p.name for p in out.iterdir()] == ["old.txt"]
    assert main(["run", str(experiment), "--out", str(out), *mode, "--force"]) == 0
    assert sorted(p.name for p in out.iterdir()) == files
    assert sorted(p.name for p in tmp_path.iterdir()) == ["good.toml", "out"]


def test_empty_out_is_filled_without_force(tmp_path):
    experiment = tmp_path / "good.toml"
    experiment.write_text(GOOD, encoding="utf-8")
    (tmp_path / "out").mkdir()
    assert main(["run", str(experiment), "--out", str(tmp_path / "out"), "--no-figure"]) == 0


def test_failure_while_writing_leaves_no_partial_output(tmp_path, monkeypatch):
    def broken_figure(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("lifkit.cli.outputs.write_figure", broken_figure)
    experiment = tmp_path / "good.toml"
    experiment.write_text(GOOD, encoding="utf-8")
    out = tmp_path / "out"
    with pytest.raises(RuntimeError, match="disk on fire"):
        main(["run", str(experiment), "--out", str(out)])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["good.toml"]
    out.mkdir()
    (out / "old.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(RuntimeError, match="disk on fire"):
        main(["run", str(experiment), "--out", str(out), "--force"])
    assert [p.name for p in out.iterdir()] == ["old.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["good.toml", "out"]


def test_defaults_prints_presets_with_units(capsys):
    assert main(["defaults", "lif"]) == 0
    printed = capsys.readouterr().out
    tau_m = [line for line in printed.splitlines() if line.startswith("tau_m")]
    assert len(tau_m) == 3 and all(" ms " in line for line in tau_m)
    assert "'orhan'" in printed and "'neurodynex'" in printed and "'soroush'" in printed


def test_defaults_of_one_preset_and_bad_names(capsys):
    assert main(["defaults", "LIF", "--preset", "neurodynex"]) == 0
    assert "-50 mV" in capsys.readouterr().out
    assert main(["defaults", "lif", "--preset", "nope"]) == 2
    assert main(["defaults", "hh"]) == 2
    assert len(capsys.readouterr().err.splitlines()) == 2


def test_version_and_help_exit_0(capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.startswith("lifkit ")
    assert main(["run", "--help"]) == 0
    assert "examples:" in capsys.readouterr().out


def test_installed_command_and_python_m(tmp_path):
    lifkit = shutil.which("lifkit")
    assert lifkit is not None, "the lifkit console script is not installed"
    example = EXAMPLES / "orhan_fig1_constant.toml"
    done = subprocess.run(
        [lifkit, "run", str(example), "--out", str(tmp_path / "fig1")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "fig1" / "figure.png").read_bytes()[:8] == PNG_MAGIC
    bad = subprocess.run(
        [sys.executable, "-m", "lifkit", "run", str(example), "--out", str(tmp_path / "fig1")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 2
    assert bad.stderr.startswith("lifkit: error: ") and bad.stderr.count("\n") == 1
