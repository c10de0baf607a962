"""The CUBA network (examples/cuba.py) against Brian2 (tests/reference/cuba_brian2.json).

Brian2 integrates the same network on the grid (spikes at step ends, delivered one step
later); lifkit integrates it exactly with the spikes delivered 0.1 ms later. Both are
chaotic, so single runs differ; their statistics must not. For seeds 1 and 2 the mean
excitatory rate and the mean CV of the excitatory ISIs must lie within Brian2's range over
10 seeds (widened by a quarter of its width on each side), and the mean over our two
seeds within 3 standard errors of Brian2's mean (SE from the seed-to-seed spread of both).
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
    stats = []
    for seed in (1, 2):
        result = cuba(seed=seed)
        exc = np.arange(3200)
        stats.append({"rate_exc_hz": result.rates[exc].mean(), "cv_isi_exc": isi_cv(result, exc)})
    return stats


@pytest.mark.parametrize("statistic", ["rate_exc_hz", "cv_isi_exc"])
def test_cuba_rate_and_isi_cv_match_brian2(ours, statistic):
    brian = np.array([run[statistic] for run in REFERENCE])
    low, high = brian.min(), brian.max()
    margin = 0.25 * (high - low)
    values = np.array([run[statistic] for run in ours])
    assert np.all((low - margin <= values) & (values <= high + margin)), (values, low, high)
    spread = brian.std(ddof=1)
    standard_error = spread * np.sqrt(1 / values.size + 1 / brian.size)
    assert abs(values.mean() - brian.mean()) < 3 * standard_error
