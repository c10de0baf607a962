"""Streamed recording (simulate(..., out=path)): the same run as in memory, bit for bit,
whatever the store's chunking; refusals of bad destinations; what failures leave."""

import os
import signal

import numpy as np
import pytest

import lifkit as lk
from lifkit.engine import config
from lifkit.engine import simulate as simulate_module

N = 200


def _population():
    model = lk.LIF(
        tau_m="10 ms",
        R="1 MOhm",
        v_rest=np.full(N, -65.0),
        v_reset="-65 mV",
        v_th="-50 mV",
        t_ref="2 ms",
    )
    return model, lk.WhiteNoise("4 mV", mean="12 mV")


RUN = dict(duration=150.0, dt=0.1, seed=11, chunk_steps=70, progress=False)


@pytest.fixture(scope="module")
def in_memory():
    model, drive = _population()
    return lk.simulate(model, drive, record=lk.Record(neurons=[0, 3, 199], stride=3), **RUN)


@pytest.mark.parametrize("chunk_bytes", [64, 8 * 2**20])
def test_streamed_run_equals_in_memory_run_bit_for_bit(
    in_memory, tmp_path, monkeypatch, chunk_bytes
):
    monkeypatch.setattr(config, "STORE_CHUNK_BYTES", chunk_bytes)  # 8 spikes per file
    model, drive = _population()
    record = lk.Record(neurons=[0, 3, 199], stride=3)
    recording = lk.simulate(model, drive, record=record, out=tmp_path / "run.zarr", **RUN)
    assert isinstance(recording, lk.Recording) and recording.complete
    loaded = recording.load()
    for field in ("t", "v", "I", "recorded", "spike_neurons", "spike_times"):
        expected, got = getattr(in_memory, field), getattr(loaded, field)
        assert got.dtype == expected.dtype and np.array_equal(got, expected), field
    assert in_memory.spike_times.size > 100
    assert (loaded.duration, loaded.dt, loaded.seed) == (150.0, 0.1, 11)
    assert np.array_equal(recording.counts, in_memory.counts)
    assert np.array_equal(recording.spike_train(3), in_memory.spike_train(3))
    assert np.array_equal(recording.trace("v", 199), in_memory.trace("v", 199))
    window = (in_memory.spike_times >= 40.0) & (in_memory.spike_times < 60.0)
    neurons, times = recording.spikes(40.0, 60.0)
    assert np.array_equal(times, in_memory.spike_times[window])
    assert np.array_equal(neurons, in_memory.spike_neurons[window])


def test_store_opens_lazily_with_xarray_and_zarr(in_memory, tmp_path):
    xr = pytest.importorskip("xarray")
    zarr = pytest.importorskip("zarr")
    model, drive = _population()
    path = tmp_path / "run.zarr"
    lk.simulate(model, drive, record=lk.Record(neurons=[0, 3, 199], stride=3), out=path, **RUN)
    data = xr.open_zarr(path)
    assert data.attrs["complete"] is True and data.v.attrs["units"] == "mV"
    assert np.array_equal(data.spike_time.values, in_memory.spike_times)
    assert np.array_equal(data.v.sel(recorded=3).values, in_memory.trace("v", 3))
    assert np.array_equal(data.time.values, in_memory.t)
    group = zarr.open_group(path, mode="r")
    assert np.array_equal(group["spike_neuron"][:], in_memory.spike_neurons)


def test_spikes_only_recording_stores_no_traces(tmp_path):
    model, drive = _population()
    recording = lk.simulate(model, drive, record=lk.Record(neurons=()), out=tmp_path / "r", **RUN)
    assert recording.recorded.size == 0 and recording.load().v.shape == (1500, 0)
    assert recording.n_spikes > 0


def test_existing_path_is_refused_without_overwrite(tmp_path):
    model, drive = _population()
    path = tmp_path / "run.zarr"
    first = lk.simulate(model, drive, out=path, **RUN)
    with pytest.raises(lk.ParameterError, match=r"^out = .*overwrite=True"):
        lk.simulate(model, drive, out=path, **RUN)
    second = lk.simulate(model, drive, out=path, overwrite=True, **{**RUN, "duration": 20.0})
    assert (first.duration, second.duration, lk.open_recording(path).duration) == (150, 20, 20)


def test_overwrite_never_replaces_what_is_not_a_recording(tmp_path):
    model, drive = _population()
    (tmp_path / "notes.txt").write_text("keep me")
    with pytest.raises(lk.ParameterError, match="not a lifkit recording"):
        lk.simulate(model, drive, out=tmp_path, overwrite=True, **RUN)
    assert (tmp_path / "notes.txt").read_text() == "keep me"


def test_unwritable_location_is_a_clear_error_and_leaves_nothing(tmp_path):
    model, drive = _population()
    (tmp_path / "a_file").write_text("")
    with pytest.raises(lk.ParameterError, match=r"^out = .*does not exist"):
        lk.simulate(model, drive, out=tmp_path / "a_file" / "run.zarr", **RUN)
    with pytest.raises(lk.ParameterError, match=r"^out = .*does not exist"):
        lk.simulate(model, drive, out=tmp_path / "missing" / "run.zarr", **RUN)
    with pytest.raises(lk.ParameterError, match=r"^overwrite = "):
        lk.simulate(model, drive, out=tmp_path / "run.zarr", overwrite="yes", **RUN)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a_file"]


def test_run_failing_at_the_start_leaves_no_store(tmp_path, monkeypatch):
    model, drive = _population()
    path = tmp_path / "run.zarr"
    with pytest.raises(lk.ParameterError, match="variables"):
        lk.simulate(model, drive, record=lk.Record(variables=["w"]), out=path, **RUN)
    assert not path.exists()

    def fail(self, k0, k1):
        raise RuntimeError("kernel failed")

    monkeypatch.setattr(simulate_module._Runner, "run", fail)
    with pytest.raises(RuntimeError, match="kernel failed"):
        lk.simulate(model, drive, out=path, **RUN)
    assert list(tmp_path.iterdir()) == []


def test_run_failing_later_keeps_its_committed_chunks_marked_partial(tmp_path, monkeypatch):
    monkeypatch.setattr(config, "STORE_COMMIT_SECONDS", 0.0)  # commit after every chunk
    run = simulate_module._Runner.run

    def fail_at_third_chunk(self, k0, k1):
        if k0 >= 2 * RUN["chunk_steps"]:
            raise RuntimeError("disk on fire")
        run(self, k0, k1)

    monkeypatch.setattr(simulate_module._Runner, "run", fail_at_third_chunk)
    model, drive = _population()
    with pytest.raises(RuntimeError, match="disk on fire"):
        lk.simulate(model, drive, out=tmp_path / "run.zarr", **RUN)
    recording = lk.open_recording(tmp_path / "run.zarr")
    assert not recording.complete and recording.duration == pytest.approx(14.0)
    assert recording.spikes()[1].max() < 14.0


def test_ctrl_c_keeps_the_completed_time_in_the_store(tmp_path, interactive_sigint):
    model, drive = _population()

    def press_ctrl_c(done, total):
        if done == 2 * RUN["chunk_steps"]:
            os.kill(os.getpid(), signal.SIGINT)

    with pytest.raises(lk.Interrupted, match="holds the completed time") as stop:
        lk.simulate(model, drive, out=tmp_path / "run.zarr", **{**RUN, "progress": press_ctrl_c})
    recording = stop.value.result
    assert isinstance(recording, lk.Recording) and not recording.complete
    assert recording.duration == pytest.approx(14.0)
    assert lk.open_recording(tmp_path / "run.zarr").n_spikes == recording.n_spikes


def test_opening_what_is_not_a_recording_names_the_path(tmp_path):
    with pytest.raises(lk.ParameterError, match=r"^path = .*not a lifkit recording"):
        lk.open_recording(tmp_path)
