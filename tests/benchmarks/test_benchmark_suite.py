"""The benchmark suite runs end to end at tiny sizes (lifkit and the C loop; no peers).

Checks that the scripts work and the report holds every workload; no timing is asserted.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SUITE = Path(__file__).resolve().parents[2] / "benchmarks" / "suite.py"


@pytest.mark.skipif(shutil.which("cc") is None, reason="the C reference loop needs a compiler")
def test_tiny_suite_writes_a_report_with_every_workload(tmp_path):
    env = {**os.environ, "LIFKIT_BENCH_CACHE": str(tmp_path / "cache")}
    args = [sys.executable, str(SUITE), "--tiny", "--no-peers", "--out", str(tmp_path)]
    subprocess.run(args, check=True, capture_output=True, env=env, timeout=120)

    report = json.loads((tmp_path / "report.json").read_text())
    assert set(report["sections"]) == {"single", "fi", "population", "adex", "cuba"}
    assert not any(
        "error" in r for s in report["sections"].values() for r in s.get("engines", {}).values()
    )
    population = report["sections"]["population"]["rows"][0]["engines"]
    lifkit, c_loop = population["lifkit (1 thr)"], population["C loop (1 thr)"]
    assert (lifkit["spikes"], lifkit["checksum"]) == (c_loop["spikes"], c_loop["checksum"])
    assert report["summary"][0]["lifkit"] > 0
    markdown = (tmp_path / "report.md").read_text()
    assert markdown.startswith("# lifkit benchmark report")
    assert "load average" in markdown and "## Targets" in markdown


def test_the_adex_figure_plots_each_checked_engine_and_skips_unchecked_runs(tmp_path):
    sys.path.insert(0, str(SUITE.parent))
    try:
        import adex_population
    finally:
        sys.path.remove(str(SUITE.parent))

    def run(name, options, error, run_s, threads=2):
        accuracy = {"max_error_ms": error, "count_mismatches": 0}
        return {"name": name, "threads": threads, "options": options, "run_s": run_s,
                "accuracy": accuracy}  # fmt: skip

    engines = {
        "a": run("lifkit", {}, 1e-6, 1.4),
        "b": run("lifkit", {"dt": 0.2}, 2e-6, 1.1),
        "c": run("brian2_standalone", {"method": "rk4"}, 0.4, 6.0),
        "d": run("nest", {}, 0.09, 2.9),  # a shorter run: not plotted
    }
    section = {"title": "AdEx", "engines": engines}
    path = adex_population.write_figure(section, tmp_path)
    assert path == tmp_path / adex_population.FIGURE
    assert path.read_bytes().startswith(b"\x89PNG")
    unchecked = {"title": "AdEx", "engines": {"a": {"name": "lifkit", "threads": 1}}}
    assert adex_population.write_figure(unchecked, tmp_path / "none") is None
    assert not (tmp_path / "none").exists()
