"""A seeded sweep gives the same bits however the grid is split: chunks, Dask workers, a
lost worker. One loopback 2-worker LocalCluster is shared by the module."""

import json
import logging
import os
import signal

import distributed
import numpy as np
import pytest

import lifkit as lk
from lifkit.cli import main

MODEL = lk.LIF(tau_m=10.0, R=10.0, v_rest=-70.0, v_reset=-65.0, v_th=-50.0, t_ref=2.0)
TAU = np.array([6.0, 8.0, 10.0, 13.0, 17.0])
MEAN = np.array([1.6, 1.9, 2.2, 2.5, 2.8, 3.1])
GRID = {"tau_m": TAU, "mean": MEAN}
# 30 points x 1200 steps: small enough for the plain-Python kernel (no compilation) unless
# jit=True asks for the compiled one, which gives the same bits.
RUN = dict(duration=120.0, dt=0.1, seed=2024)


def noise(mean):
    return lk.WhiteNoise("5 mV", mean=mean)


def assert_identical(result, points, times):
    np.testing.assert_array_equal(result.spike_points, points)
    np.testing.assert_array_equal(result.spike_times, times)


@pytest.fixture(scope="module")
def reference():
    """One population run of the whole grid: neuron p = grid point p."""
    population = lk.simulate(
        MODEL.replace(tau_m=np.repeat(TAU, MEAN.size)),
        noise(np.tile(MEAN, TAU.size)),
        record=lk.Record(neurons=()),
        **RUN,
    )
    assert population.spike_times.size > 100  # plenty of noisy spikes to compare
    return population.spike_neurons, population.spike_times


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=":0",
        silence_logs=logging.ERROR,
    ) as local_cluster:
        yield local_cluster


@pytest.mark.parametrize("chunk_neurons", [1, 7, 30])
def test_local_chunks_give_the_population_bits(reference, chunk_neurons):
    assert_identical(lk.sweep(MODEL, noise, GRID, chunk_neurons=chunk_neurons, **RUN), *reference)


@pytest.mark.parametrize(("chunk_neurons", "jit"), [(4, True), (None, None)])
def test_a_two_worker_cluster_gives_the_single_process_bits(reference, cluster, chunk_neurons, jit):
    """With jit=True the sweep fills numba's cache here, then on one worker, then on all."""
    result = lk.sweep(
        MODEL,
        noise,
        GRID,
        scheduler=cluster.scheduler_address,
        chunk_neurons=chunk_neurons,
        jit=jit,
        **RUN,
    )
    assert result.complete
    assert_identical(result, *reference)


def test_a_worker_lost_mid_sweep_loses_and_duplicates_no_point(reference, cluster, tmp_path):
    """The first chunk to start, on either worker, kills its worker process; the scheduler
    runs that chunk again on the other worker and the sweep still has every point once."""
    marker = str(tmp_path / "a-worker-died")

    def die_on_first_chunk(marker):
        import os

        from lifkit.sweeps import chunks

        original = getattr(chunks, "_unpatched_run_chunk", chunks.run_chunk)

        def run_chunk(task, progress=False):
            try:
                os.close(os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
            except FileExistsError:
                return original(task, progress)
            os._exit(1)  # the worker process dies mid-task

        chunks._unpatched_run_chunk = original
        chunks.run_chunk = run_chunk

    def restore():
        from lifkit.sweeps import chunks

        chunks.run_chunk = getattr(chunks, "_unpatched_run_chunk", chunks.run_chunk)

    with distributed.Client(cluster) as client:
        before = set(client.scheduler_info()["workers"])
        client.run(die_on_first_chunk, marker)
        try:
            result = lk.sweep(MODEL, noise, GRID, scheduler=client, chunk_neurons=3, **RUN)
        finally:
            client.run(restore)
        lost = before - set(client.scheduler_info()["workers"])
    assert len(lost) == 1  # one worker really died (the nanny started a new one)
    assert result.complete and np.bincount(result.spike_points).sum() == reference[0].size
    assert_identical(result, *reference)


def test_cli_sweep_on_local_workers_writes_the_single_process_table(tmp_path):
    source = tmp_path / "noisy.toml"
    source.write_text(
        '[model]\ntype = "LIF"\npreset = "neurodynex"\n'
        '[[stimulus]]\ntype = "Constant"\namplitude = "2 nA"\n'
        '[[stimulus]]\ntype = "WhiteNoise"\nsigma = "5 mV"\n'
        "[run]\nduration = 80\nseed = 9\n",
        encoding="utf-8",
    )
    grid = ["--grid", "tau_m=6,10,14", "--grid", "amplitude=1.8:3:5"]
    here, there = tmp_path / "here", tmp_path / "there"
    assert main(["sweep", str(source), *grid, "--out", str(here)]) == 0
    assert main(["sweep", str(source), *grid, "--workers", "2", "--out", str(there)]) == 0
    table = (here / "points.csv").read_text(encoding="utf-8")
    assert (there / "points.csv").read_text(encoding="utf-8") == table
    assert len(table.splitlines()) == 16 and table.count(",0,0.0\n") < 15  # spikes happened
    summary = json.loads((there / "summary.json").read_text(encoding="utf-8"))
    assert summary["workers"] == 2 and summary["complete"]


def test_ctrl_c_during_a_cluster_sweep_keeps_the_finished_chunks(
    reference, cluster, interactive_sigint
):
    def interrupt_at_the_first_report(done, total):
        os.kill(os.getpid(), signal.SIGINT)

    with pytest.raises(lk.Interrupted) as caught:
        lk.sweep(
            MODEL,
            noise,
            GRID,
            scheduler=cluster.scheduler_address,
            chunk_neurons=3,
            progress=interrupt_at_the_first_report,
            **RUN,
        )
    partial = caught.value.result
    done = partial.done.ravel()
    assert 0 < done.sum() < done.size and not partial.complete
    kept = done[reference[0]]
    np.testing.assert_array_equal(partial.spike_points, reference[0][kept])
    np.testing.assert_array_equal(partial.spike_times, reference[1][kept])
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
