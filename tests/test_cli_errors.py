"""Issue 14 on the command line: one-line errors, no TensorFlow noise, honest output.

Most cases run `keras_augment.cli.main` in this process; a subprocess only
where the process itself is what is checked (what `--help` imports, what
TensorFlow writes to stderr while it loads).
"""

import os
import struct
import subprocess
import sys
import zlib

import numpy as np
import pytest
import tensorflow as tf
from PIL import Image

from keras_augment import cli
from keras_augment.spec import parse_spec

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _main(capsys, *args):
    """`(status, stderr)` of `keras-augment ARGS` run here; usage errors exit through argparse."""
    try:
        status = cli.main(list(args))
    except SystemExit as exit_:
        status = exit_.code
    return status, capsys.readouterr().err


def _assert_one_line(err, command):
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"keras-augment {command}: error: "), err
    assert "\x1b" not in err and "Traceback" not in err


def _subprocess(*args, cwd):
    env = {k: v for k, v in os.environ.items() if k not in ("TF_CPP_MIN_LOG_LEVEL", "TF_ENABLE_ONEDNN_OPTS")}
    env["PYTHONPATH"] = ROOT
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, env=env, cwd=cwd)


@pytest.mark.parametrize(
    "args, option",
    [
        (["expand", "--batch-size", "0"], "--batch-size"),
        (["expand", "--batch-size", "-1"], "--batch-size"),
        (["expand", "--image-size", "0", "0"], "--image-size"),
        (["expand", "--image-size", "-4", "8"], "--image-size"),
        (["expand", "--shard-size", "0"], "--shard-size"),
        (["expand", "--factor", "2.7"], "--factor"),
        (["expand", "--synthetic-fraction", "-1"], "--synthetic-fraction"),
        (["expand", "--seed", "99999999999999999999"], "--seed"),
        (["preview", "--variants", "0"], "--variants"),
        (["generate", "--labels", "-1"], "--labels"),
        (["train", "vae", "--epochs", "0"], "--epochs"),
        (["run", "--train-fraction", "1"], "--train-fraction"),
        (["bench", "--steps", "0"], "--steps"),
    ],
)
def test_bad_numbers_are_one_line_usage_errors(tmp_path, monkeypatch, capsys, args, option):
    monkeypatch.chdir(tmp_path)
    status, err = _main(capsys, *args)
    assert status == 2
    _assert_one_line(err, args[0])
    assert f"argument {option}:" in err
    assert os.listdir(tmp_path) == []  # refused before any work


def _bomb_png(path, side=100_000):
    """A small PNG whose header claims `side` x `side` pixels."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64))
    path.write_bytes(data + chunk(b"IEND", b""))


def _read_only_folder(tmp_path):
    """A folder this process cannot write into (root ignores permission bits)."""
    folder = tmp_path / "read_only"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        (folder / "probe").write_bytes(b"")
    except PermissionError:
        return folder
    (folder / "probe").unlink()
    try:
        os.makedirs("/sys/keras_augment_probe")
    except OSError:
        return "/sys"  # read-only even for root
    pytest.skip("no folder here is read-only for this user")


def test_runtime_failures_are_one_line(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a_file").write_bytes(b"")
    (tmp_path / "empty_model").mkdir()
    status, err = _main(capsys, "expand", "--output", "a_file")
    assert status == 2 and "--output a_file" in err
    _assert_one_line(err, "expand")
    status, err = _main(capsys, "preview", "--output", "a_file/grid.png")
    assert status == 2 and "a_file is a file" in err
    _assert_one_line(err, "preview")
    status, err = _main(capsys, "generate", "--model", "empty_model")
    assert status == 2 and "no saved_model.pb" in err
    _assert_one_line(err, "generate")
    read_only = _read_only_folder(tmp_path)
    np.savez(tmp_path / "few.npz", images=np.zeros((4, 4, 4, 3), np.uint8), labels=np.arange(4) % 2)
    status, err = _main(capsys, "expand", "--data", "few.npz", "--output", os.path.join(read_only, "out"))
    assert status == 1 and "PermissionError" in err and "--debug" in err
    _assert_one_line(err, "expand")


def test_a_decompression_bomb_in_a_folder_gives_no_traceback(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    for label in ("a", "b"):
        (tmp_path / "images" / label).mkdir(parents=True)
        Image.fromarray(np.full((6, 6, 3), 90, np.uint8)).save(tmp_path / "images" / label / "ok.png")
    _bomb_png(tmp_path / "images" / "a" / "bomb.png")
    # Skipping the file (the data package's rule) or a one-line error are both fine; a traceback is not.
    status, err = _main(capsys, "preview", "--data", "images", "--count", "2", "--variants", "1",
                        "--spec", "RandomBrightness(0.1)", "--output", "grid.png")
    assert status in (0, 1, 2)
    if status:
        _assert_one_line(err, "preview")


def test_layer_errors_are_unwrapped_and_without_ansi_codes(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    # RandomHue needs 3 channels; the digits have 1: the error comes from inside Pipeline.call.
    status, err = _main(capsys, "preview", "--data", "digits", "--count", "1", "--variants", "1",
                        "--spec", "RandomHue(0.1)", "--output", "grid.png")
    assert status == 2
    _assert_one_line(err, "preview")
    assert "RandomHue" in err and "3 channels" in err
    assert "Exception encountered" not in err and "Arguments received" not in err


def test_debug_shows_the_full_traceback(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "empty_model").mkdir()
    with pytest.raises(FileNotFoundError, match="no saved_model.pb"):
        cli.main(["--debug", "generate", "--model", "empty_model"])
    with pytest.raises(FileNotFoundError, match="no saved_model.pb"):
        cli.main(["generate", "--model", "empty_model", "--debug"])


def test_help_and_usage_errors_do_not_import_tensorflow(tmp_path):
    code = (
        "import sys, keras_augment_cli\n"
        "for argv in (['--help'], ['expand', '--help'], ['train', 'flow']):\n"
        "    try:\n"
        "        keras_augment_cli.main(argv)\n"
        "    except SystemExit as exit_:\n"
        "        print('exit', exit_.code)\n"
        "print(sorted(m for m in ('tensorflow', 'keras', 'keras_augment.layers') if m in sys.modules))\n"
    )
    result = _subprocess("-c", code, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[-1] == "[]"
    assert [line for line in lines if line.startswith("exit")] == ["exit 0", "exit 0", "exit 2"]
    assert "usage: keras-augment expand" in result.stdout


def test_tensorflow_start_up_logs_are_silenced(tmp_path):
    result = _subprocess("-m", "keras_augment_cli", "preview", "--data", "digits", "--count", "1",
                         "--variants", "1", "--spec", "RandomBrightness(0.1)", "--output", "grid.png",
                         cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    for noise in ("absl::InitializeLog", "cudart_stub", "cuda_platform", "cpu_feature_guard", "oneDNN"):
        assert noise not in result.stderr
    assert result.stderr == ""
    assert "first column" in result.stdout


def test_a_keyword_given_twice_in_a_spec_is_refused(tmp_path, monkeypatch, capsys):
    with pytest.raises(ValueError, match="RandomFlip is given the keyword 'mode' more than once"):
        parse_spec("RandomFlip(mode='horizontal', mode='vertical')")
    monkeypatch.chdir(tmp_path)
    status, err = _main(capsys, "preview", "--spec", "RandomBrightness(factor=0.1, factor=0.2)",
                        "--output", "grid.png")
    assert status == 2 and "'factor' more than once" in err
    _assert_one_line(err, "preview")


def _png(path):
    return tf.io.decode_png(tf.io.read_file(str(path))).numpy()


@pytest.mark.skipif(
    not hasattr(__import__("keras_augment.export").export, "export_generator"),
    reason="export_generator comes from the generative branch",
)
def test_fast_run_says_it_is_a_smoke_run_and_shows_its_steps(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert cli.main(["run", "--fast", "--output-dir", "out", "--saved-models", "models"]) == 0
    out = capsys.readouterr().out
    # The figures of a 1-epoch run are noise: the output says so, next to them and at the end.
    assert "smoke run" in out and "mean nothing" in out
    accuracy_lines = [line for line in out.splitlines() if "validation accuracy" in line]
    assert len(accuracy_lines) == 2 and all("meaningless" in line for line in accuracy_lines)
    assert "original (first column)" in out
    # The generator's epochs are shown under step 4, before step 5 announces the expansion.
    step4, step5 = out.index("[4/7]"), out.index("[5/7]")
    assert "epoch 1/1" in out[step4:step5]
    # Sample grids have white gaps: the first two rows and columns, then one after each tile.
    grid = _png(tmp_path / "out" / "cvae" / "samples_epoch_0001.png")[..., 0]
    tile = 8 * 4  # 8x8 digits scaled 4 times
    assert (grid[:2] == 255).all() and (grid[:, :2] == 255).all()
    assert (grid[:, 2 + tile : 4 + tile] == 255).all() and (grid[2 + tile : 4 + tile] == 255).all()
    # What the run exports serves.
    loaded = tf.saved_model.load(str(tmp_path / "models" / "augmenter"))
    served = loaded.signatures["serving_default"](
        images=np.zeros((2, 8, 8, 1), np.uint8), seed=tf.constant(1, tf.int64)
    )
    assert served["images"].shape == (2, 8, 8, 1)
    assert tf.saved_model.load(str(tmp_path / "models" / "generator")).signatures["generate"]


def test_preview_names_the_files_it_skips(tmp_path, capsys):
    folder = tmp_path / "data" / "cats"
    folder.mkdir(parents=True)
    Image.fromarray(np.full((9, 11, 3), 120, np.uint8)).save(folder / "good.png")
    (folder / "broken.png").write_bytes(b"not a png")
    code = cli.main(["preview", "--data", str(tmp_path / "data"), "--output", str(tmp_path / "p.png"), "--count", "1"])
    out = capsys.readouterr().out
    assert code == 0 and (tmp_path / "p.png").exists()
    assert "skipped" in out and "broken.png" in out
