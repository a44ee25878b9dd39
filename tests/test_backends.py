"""The layers under Keras's JAX and PyTorch backends, bit for bit as under TensorFlow.

A process has one Keras backend, so each other backend runs
`tests/backend_pipelines.py` (a seeded `tf.data` pipeline per layer family,
plus checks of eager calls, calls inside models and the TensorFlow-only
parts) in its own process, while this process computes the TensorFlow
backend's outputs. The test extra installs a CPU JAX; PyTorch is not in it
(PyPI's default Linux wheel is a multi-GB CUDA build), so its test runs
where `torch` is importable (e.g. `pip install torch --index-url
https://download.pytorch.org/whl/cpu`) and is skipped elsewhere.
"""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import backend_pipelines
import harness

SCRIPT = Path(__file__).with_name("backend_pipelines.py")
ROOT = SCRIPT.parent.parent
BACKENDS = {
    "jax": "jax is not installed; `pip install -e '.[test]'` installs a CPU JAX",
    "torch": "torch is not installed; a CPU build: "
             "`pip install torch --index-url https://download.pytorch.org/whl/cpu`",
}


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """The TensorFlow backend's outputs, and each other backend's process."""
    folder = tmp_path_factory.mktemp("backends")
    started = {}
    for backend in BACKENDS:
        if importlib.util.find_spec(backend) is None:
            continue
        log = open(folder / f"{backend}.log", "w")
        env = dict(os.environ, KERAS_BACKEND=backend)
        process = subprocess.Popen(
            [sys.executable, str(SCRIPT), str(folder / f"{backend}.npz")],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
        started[backend] = (process, log)
    # Computed while the other backends run.
    reference = backend_pipelines.run_all()
    finished = {}
    for backend, (process, log) in started.items():
        try:
            process.wait(timeout=600)
        finally:
            process.kill()
            log.close()
        finished[backend] = (process.returncode, folder / f"{backend}.npz", folder / f"{backend}.log")
    return reference, finished


@pytest.mark.parametrize("backend", sorted(BACKENDS))
def test_every_family_in_tf_data_matches_the_tensorflow_backend(runs, backend):
    reference, finished = runs
    if backend not in finished:
        pytest.skip(BACKENDS[backend])
    returncode, outputs_path, log_path = finished[backend]
    assert returncode == 0, f"KERAS_BACKEND={backend} run failed:\n{log_path.read_text()[-4000:]}"
    outputs = dict(np.load(outputs_path))
    assert sorted(outputs) == sorted(reference)
    assert {key.split("/")[0] for key in outputs} == set(backend_pipelines.FAMILIES)
    for key in sorted(reference):
        harness.assert_identical(outputs[key], reference[key], f"KERAS_BACKEND={backend}: {key}")


def test_the_command_line_says_it_runs_on_tensorflow():
    env = dict(os.environ, KERAS_BACKEND="jax")
    result = subprocess.run(
        [sys.executable, "-m", "keras_augment_cli", "--help"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "TensorFlow backend" in result.stderr and "KERAS_BACKEND=jax is ignored" in result.stderr
