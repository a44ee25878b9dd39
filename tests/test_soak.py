"""Scaled-down memory soak: continuous tf.data augmentation does not grow memory."""

import os
import subprocess
import sys

SCRIPT = os.path.join(os.path.dirname(__file__), "..", "benchmarks", "soak.py")


def test_short_soak_stays_within_the_memory_bound():
    result = subprocess.run(
        [sys.executable, SCRIPT, "--seconds", "20", "--max-growth-mb", "64"],
        capture_output=True,
        text=True,
        timeout=300,
        env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3"),
    )
    assert "soak:" in result.stdout, result.stderr[-2000:]
    assert result.returncode == 0, result.stdout
