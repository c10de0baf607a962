"""A streamed run killed with SIGKILL part-way leaves a store that opens, says it is
partial, and holds exactly the spikes and traces of its completed time -- no more."""

import json
import signal
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest

import lifkit as lk

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs SIGKILL")

N, CHUNK_STEPS, SEED = 2000, 50, 5
CHILD = textwrap.dedent(
    """
    import sys
    import numpy as np
    import lifkit as lk
    from lifkit.engine import config

    config.STORE_COMMIT_SECONDS = 0.2
    model = lk.LIF(tau_m="10 ms", R="1 MOhm", v_rest=np.full({n}, -65.0), v_reset="-65 mV",
                   v_th="-50 mV", t_ref="2 ms")
    lk.simulate(model, lk.WhiteNoise("4 mV", mean="12 mV"), duration=1e6, dt=0.1, seed={seed},
                chunk_steps={chunk}, record=lk.Record(neurons=[0, 7], stride=2), jit=True,
                progress=False, out=sys.argv[1])
    """
).format(n=N, seed=SEED, chunk=CHUNK_STEPS)


def _committed_steps(path):
    try:
        return json.loads((path / ".zmetadata").read_text())["metadata"][".zattrs"]["n_steps_done"]
    except (OSError, ValueError, KeyError):
        return 0


def test_sigkilled_run_leaves_a_partial_store_of_its_completed_chunks(tmp_path):
    path = tmp_path / "run.zarr"
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(path)])
    try:
        deadline = time.monotonic() + 60.0
        while _committed_steps(path) < 2 * CHUNK_STEPS:
            assert child.poll() is None, "the run ended before it could be killed"
            assert time.monotonic() < deadline, "no chunk was committed within 60 s"
            time.sleep(0.05)
        time.sleep(0.3)  # kill it while it writes chunks past the last commit
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    assert child.returncode == -signal.SIGKILL

    recording = lk.open_recording(path)
    assert not recording.complete
    steps = round(recording.duration / 0.1)
    assert steps >= 2 * CHUNK_STEPS and steps % CHUNK_STEPS == 0
    model = lk.LIF(
        tau_m="10 ms",
        R="1 MOhm",
        v_rest=np.full(N, -65.0),
        v_reset="-65 mV",
        v_th="-50 mV",
        t_ref="2 ms",
    )
    expected = lk.simulate(
        model,
        lk.WhiteNoise("4 mV", mean="12 mV"),
        duration=steps * 0.1,
        dt=0.1,
        seed=SEED,
        record=lk.Record(neurons=[0, 7], stride=2),
        progress=False,
    )
    stored = recording.load()
    assert expected.spike_times.size > 0
    for field in ("t", "v", "I", "spike_neurons", "spike_times"):
        assert np.array_equal(getattr(stored, field), getattr(expected, field)), field
