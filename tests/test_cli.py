"""The command line, run as a user would, in a subprocess."""

import os
import subprocess
import sys

import numpy as np
import pytest
import tensorflow as tf

from keras_augment.spec import build_layers, parse_spec


def _run(*args, cwd=None):
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    return subprocess.run(
        [sys.executable, "-m", "keras_augment", *args], capture_output=True, text=True, env=env, cwd=cwd
    )


def test_preview_writes_a_png_of_the_expected_size(tmp_path):
    out = tmp_path / "grid.png"
    result = _run("preview", "--output", str(out), "--count", "3", "--variants", "2")
    assert result.returncode == 0, result.stderr
    image = tf.io.decode_png(out.read_bytes()).numpy()
    # 3 rows of (1 + 2) tiles of 8x8 digits scaled by 8, with 2-pixel padding.
    assert image.shape == (3 * 66 + 2, 3 * 66 + 2, 1)
    assert image.dtype == np.uint8


def test_run_writes_preview_and_saved_model(tmp_path):
    result = _run("run", "--output-dir", "out", "--saved-models", "models", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "preview.png").stat().st_size > 0
    loaded = tf.saved_model.load(str(tmp_path / "models" / "augmenter"))
    images = np.zeros((2, 8, 8, 1), np.uint8)
    served = loaded.signatures["serving_default"](images=images, seed=tf.constant(1, tf.int64))
    assert served["images"].shape == (2, 8, 8, 1)


def test_bad_spec_is_a_clear_error(tmp_path):
    result = _run("preview", "--spec", "RandomWobble(3)", "--output", str(tmp_path / "x.png"))
    assert result.returncode == 2
    assert "unknown layer 'RandomWobble'" in result.stderr


def test_help():
    result = _run("--help")
    assert result.returncode == 0 and "preview" in result.stdout and "run" in result.stdout


@pytest.mark.parametrize(
    "spec",
    ["__import__('os').system('echo hi')", "RandomFlip(mode=open('x'))", "RandomFlip(**{'mode': 'x'})", "1 + 2"],
)
def test_spec_never_evaluates_code(spec):
    with pytest.raises(ValueError):
        parse_spec(spec)


def test_spec_builds_seeded_layers():
    built = build_layers("RandomFlip('horizontal'), RandomBrightness(factor=(0.1, 0.2))", seed=5)
    assert [type(layer).__name__ for layer in built] == ["RandomFlip", "RandomBrightness"]
    assert built[0].mode == "horizontal" and built[1].factor == (0.1, 0.2)
    assert [layer.seed for layer in built] == [5, 6]
