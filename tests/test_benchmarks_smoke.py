"""Each benchmark script still runs (one tiny row each), so a change to a shared
helper such as throughput.measure cannot silently break the others."""

import os
import subprocess
import sys

import pytest

BENCHMARKS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "benchmarks")

RUNS = {
    "throughput": ["--only", "G:keras_augment", "--batches", "1", "--rounds", "1", "--seconds", "0"],
    "warping": ["--only", "grid:keras_augment", "--batches", "1"],
    "colour": ["--only", "RandomInvert", "--batches", "1", "--rounds", "1", "--batch-size", "8"],
}


@pytest.mark.parametrize("name", sorted(RUNS))
def test_benchmark_runs(name):
    result = subprocess.run(
        [sys.executable, os.path.join(BENCHMARKS, f"{name}.py"), *RUNS[name]],
        capture_output=True,
        text=True,
        timeout=300,
        env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3"),
        cwd=BENCHMARKS,
    )
    assert result.returncode == 0, result.stdout[-1500:] + result.stderr[-1500:]
    assert "img/s" in result.stdout or "images/s" in result.stdout
