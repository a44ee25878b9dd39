"""The command line, run as a user would, in a subprocess, on small data."""

import os
import subprocess
import sys

import numpy as np
import pytest
import tensorflow as tf
from PIL import Image

from keras_augment import cli
from keras_augment.spec import build_layers, parse_spec

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _run(*args, cwd=None):
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", PYTHONPATH=ROOT)
    return subprocess.run(
        [sys.executable, "-m", "keras_augment_cli", *args], capture_output=True, text=True, env=env, cwd=cwd
    )


def _png(path):
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return tf.io.decode_png(data).numpy()


def test_preview_of_the_bundled_photograph(tmp_path):
    out = tmp_path / "grid.png"
    result = _run("preview", "--output", str(out), "--variants", "2")
    assert result.returncode == 0, result.stderr
    # One 256x256 RGB photograph plus 2 variants, 2-pixel padding.
    assert _png(out).shape == (256 + 4, 3 * 258 + 2, 3)


def test_preview_of_a_dataset_and_of_files(tmp_path):
    out = tmp_path / "digits.png"
    result = _run("preview", "--data", "digits", "--output", str(out), "--count", "3", "--variants", "2")
    assert result.returncode == 0, result.stderr
    # 3 rows of (1 + 2) tiles of 8x8 digits scaled by 8, with 2-pixel padding.
    assert _png(out).shape == (3 * 66 + 2, 3 * 66 + 2, 1)
    files = []
    for index in range(2):
        files.append(str(tmp_path / f"{index}.png"))
        Image.fromarray(np.full((10, 12, 3), 40 * index, np.uint8)).save(files[-1])
    out = tmp_path / "files.png"
    result = _run("preview", *files, "--output", str(out), "--variants", "1", "--spec", "RandomBrightness(0.1)")
    assert result.returncode == 0, result.stderr
    # 12-pixel-wide images are scaled by 64 // 12 = 5.
    assert _png(out).shape == (2 * 52 + 2, 2 * 62 + 2, 3)


def test_expand_then_load_round_trips(tmp_path):
    images = np.random.default_rng(0).integers(0, 255, (10, 4, 4, 3), dtype=np.uint8)
    np.savez(tmp_path / "small.npz", images=images, labels=np.arange(10) % 2)
    out = tmp_path / "expanded"
    result = _run("expand", "--data", str(tmp_path / "small.npz"), "--output", str(out), "--factor", "3")
    assert result.returncode == 0, result.stderr
    assert "10 original, 20 augmented, 0 synthetic" in result.stdout
    from keras_augment.data import read_records

    back = list(read_records(str(out), with_origin=True).as_numpy_iterator())
    assert len(back) == 30
    originals = np.stack([e["images"] for e in back if e["origin"] == 0])
    np.testing.assert_array_equal(originals, images)
    again = _run("expand", "--data", str(tmp_path / "small.npz"), "--output", str(out))
    assert again.returncode == 2 and "not empty" in again.stderr


def test_bench_quick(tmp_path):
    result = _run("bench", "--steps", "2", "--batch-size", "4", "--image-size", "16")
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("images/s") == 2


needs_export = pytest.mark.skipif(
    not hasattr(__import__("keras_augment.export").export, "export_generator"),
    reason="export_generator comes from the generative branch",
)


@needs_export
def test_train_then_generate(tmp_path, monkeypatch):
    digits = np.load(os.path.join(ROOT, "keras_augment/data/bundled/digits.npz"))
    np.savez(tmp_path / "few.npz", images=digits["images"][:64] * 15, labels=digits["labels"][:64])
    result = _run("train", "cvae", "--data", str(tmp_path / "few.npz"), "--epochs", "1",
                  "--batch-size", "16", "--latent-dim", "4", "--width", "8", "--quiet", "--xla", "off",
                  "--output-dir", "out", "--saved-models", "models", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert os.listdir(tmp_path / "out" / "cvae")
    result = _run("generate", "--model", "models/cvae", "--count", "12", "--columns", "6",
                  "--labels", "3", "4", "--output", "g.png", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert _png(tmp_path / "g.png").shape == (2 * 66 + 2, 6 * 66 + 2, 1)
    monkeypatch.chdir(tmp_path)  # the same command in this process, writing files this time
    assert cli.main(["generate", "--model", "models/cvae", "--count", "3", "--output-dir", "files"]) == 0
    names = sorted(os.listdir(tmp_path / "files"))
    assert names == ["sample_00000_class0.png", "sample_00001_class1.png", "sample_00002_class2.png"]
    assert _png(tmp_path / "files" / names[0]).shape == (8, 8, 1)


@needs_export
@pytest.mark.parametrize("kind", ["gan"])  # cvae above; vae and cgan share these paths
def test_train_other_kinds(tmp_path, monkeypatch, kind):
    digits = np.load(os.path.join(ROOT, "keras_augment/data/bundled/digits.npz"))
    np.savez(tmp_path / "few.npz", images=digits["images"][:32] * 15, labels=digits["labels"][:32])
    monkeypatch.chdir(tmp_path)
    args = ["train", kind, "--data", "few.npz", "--epochs", "1", "--batch-size", "16",
            "--latent-dim", "4", "--width", "8", "--quiet", "--xla", "off"]
    assert cli.main(args) == 0
    generate = tf.saved_model.load(f"saved_models/{kind}").signatures["generate"]
    inputs = generate.structured_input_signature[1]
    assert ("labels" in inputs) == kind.startswith("c")
    assert cli.main(["generate", "--model", f"saved_models/{kind}", "--count", "4", "--output", "g.png"]) == 0
    assert _png(tmp_path / "g.png").shape[-1] == 1


@pytest.mark.parametrize(
    "args, message",
    [
        (["preview", "--spec", "RandomWobble(3)"], "unknown layer 'RandomWobble'"),
        (["preview", "missing.png"], "no such image file: missing.png"),
        (["expand", "--data", "./nowhere", "--output", "x"], "no such folder or file"),
        (["generate", "--model", "nowhere"], "no exported generator at nowhere"),
    ],
)
def test_clear_errors(tmp_path, monkeypatch, capsys, args, message):
    monkeypatch.chdir(tmp_path)
    assert cli.main(args) == 2
    assert message in capsys.readouterr().err


def test_bad_arguments_exit_with_usage(capsys):
    with pytest.raises(SystemExit) as raised:
        cli.main(["train", "flow"])
    assert raised.value.code == 2
    assert "invalid choice: 'flow'" in capsys.readouterr().err
    with pytest.raises(SystemExit) as raised:
        cli.main(["expand", "--factor", "0", "--output", "x"])
    assert raised.value.code == 2
    assert "argument --factor: `--factor` must be an integer >= 1" in capsys.readouterr().err


@pytest.mark.parametrize("command", [None, *cli.SUBCOMMANDS])
def test_every_subcommand_has_help(capsys, command):
    with pytest.raises(SystemExit) as raised:
        cli.main(([command] if command else []) + ["--help"])
    assert raised.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: keras-augment")
    if command is None:
        for name in cli.SUBCOMMANDS:
            assert name in out


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
