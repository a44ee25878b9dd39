"""A training run killed with SIGKILL mid-epoch resumes to the same weights."""

import os
import signal
import subprocess
import sys

import numpy as np

SCRIPT = os.path.join(os.path.dirname(__file__), "scripts", "resumable_train.py")


def _run(backup, output, kill_at=None):
    args = [sys.executable, SCRIPT, str(backup), str(output)] + ([str(kill_at)] if kill_at else [])
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    return subprocess.run(args, env=env, capture_output=True, text=True, timeout=300)


def _load(path):
    with np.load(path) as data:
        return [data[k] for k in sorted(data.files, key=lambda k: int(k.split("_")[1]))]


def test_sigkill_mid_epoch_then_resume_matches_an_uninterrupted_run(tmp_path):
    reference = _run(tmp_path / "backup_a", tmp_path / "a.npz")
    assert reference.returncode == 0, reference.stderr[-2000:]

    # 10 steps per epoch: step 25 is in the middle of the third epoch.
    killed = _run(tmp_path / "backup_b", tmp_path / "b.npz", kill_at=25)
    assert killed.returncode == -signal.SIGKILL
    assert not (tmp_path / "b.npz").exists()
    resumed = _run(tmp_path / "backup_b", tmp_path / "b.npz")
    assert resumed.returncode == 0, resumed.stderr[-2000:]

    for got, expected in zip(_load(tmp_path / "b.npz"), _load(tmp_path / "a.npz")):
        np.testing.assert_array_equal(got, expected)
