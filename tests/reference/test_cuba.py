"""The CUBA network (examples/cuba.py) against Brian2 (tests/reference/cuba_brian2.json).

Brian2 integrates the same network on the grid (spikes at step ends, delivered one step
later); lifkit integrates it exactly with the spikes delivered 0.1 ms later. Both are
chaotic, so single runs differ; their statistics must not: the mean excitatory rate and
the mean CV of the excitatory ISIs of our seed-1 run must lie within Brian2's range over
10 seeds (widened by a quarter of its width on each side: 10 samples under-cover the
spread), which is also within 3 standard deviations of Brian2's mean.
"""

import json
import sys
from pathlib import Path

import numpy as np
import pytest

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parents[1] / "examples"))
from cuba import cuba, isi_cv  # noqa: E402

REFERENCE = json.loads((HERE / "cuba_brian2.json").read_text(encoding="utf-8"))["runs"]


@pytest.fixture(scope="module")
def ours():
    result = cuba(seed=1, threads=1)
    exc = np.arange(3200)
    return {"rate_exc_hz": result.rates[exc].mean(), "cv_isi_exc": isi_cv(result, exc)}


@pytest.mark.parametrize("statistic", ["rate_exc_hz", "cv_isi_exc"])
def test_cuba_rate_and_isi_cv_match_brian2(ours, statistic):
    brian = np.array([run[statistic] for run in REFERENCE])
    low, high = brian.min(), brian.max()
    margin = 0.25 * (high - low)
    value = ours[statistic]
    assert low - margin <= value <= high + margin, (value, low, high)
    assert abs(value - brian.mean()) < 3 * brian.std(ddof=1)
