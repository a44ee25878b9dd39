"""Issue 17 on the command line: `expand` and `preview` take text and audio."""

import os

import numpy as np
import soundfile
from PIL import Image

from keras_augment import cli, data
from keras_augment.commands.preview import preview

TEXTS = {"pos": ["a good film, truly", "what a lovely day é"], "neg": ["a dull plot", "never again"]}


def _main(capsys, *args):
    try:
        status = cli.main(list(args))
    except SystemExit as exit_:
        status = exit_.code
    return status, capsys.readouterr()


def _text_folder(root):
    for label, texts in TEXTS.items():
        os.makedirs(root / label)
        for index, text in enumerate(texts):
            (root / label / f"{index}.txt").write_bytes(text.encode("utf-8"))
    return str(root)


def _tone_folder(root, rate=8000):
    for label, frequency in enumerate((440, 660)):
        os.makedirs(root / f"c{label}")
        for index in range(2):
            time = np.arange(rate // 10 + 100 * index) / rate
            soundfile.write(root / f"c{label}" / f"{index}.wav", 0.5 * np.sin(2 * np.pi * frequency * time), rate)
    return str(root)


def test_expand_text_keeps_the_originals_byte_for_byte(tmp_path, capsys):
    source, out = _text_folder(tmp_path / "texts"), str(tmp_path / "out")
    status, captured = _main(capsys, "expand", "--data", source, "--output", out, "--factor", "3",
                             "--spec", "RandomCharacterNoise(0.3)")
    assert status == 0, captured.err
    assert "4 original, 8 augmented, 0 synthetic samples in 1 shards" in captured.out
    back = list(data.read_records(out, with_origin=True).as_numpy_iterator())
    originals = sorted(e["text"].decode("utf-8") for e in back if e["origin"] == 0)
    assert originals == sorted(sum(TEXTS.values(), []))
    assert {e["text"] for e in back if e["origin"] == 1} - {e["text"] for e in back if e["origin"] == 0}


def test_expand_audio_needs_one_length_and_then_writes_it(tmp_path, capsys):
    source, out = _tone_folder(tmp_path / "tones"), str(tmp_path / "out")
    status, captured = _main(capsys, "expand", "--data", source, "--output", out, "--sampling-rate", "8000")
    assert status == 2 and len(captured.err.splitlines()) == 1 and "--duration" in captured.err
    status, captured = _main(capsys, "expand", "--data", source, "--output", out, "--sampling-rate", "8000",
                             "--duration", "0.1", "--overwrite")  # the default audio spec
    assert status == 0, captured.err
    back = list(data.read_records(out, with_origin=True).as_numpy_iterator())
    assert len(back) == 8 and all(e["audio"].shape == (800,) for e in back)
    assert data.records.read_info(out)["sampling_rate"] == 8000


def test_expand_refuses_a_spec_of_another_kind_in_one_line(tmp_path, capsys):
    source = _text_folder(tmp_path / "texts")
    status, captured = _main(capsys, "expand", "--data", source, "--output", str(tmp_path / "out"),
                             "--spec", "RandomFlip('horizontal')")
    assert status == 2 and len(captured.err.splitlines()) == 1
    assert "RandomFlip works on images, but the data holds text" in captured.err
    status, captured = _main(capsys, "expand", "--output", str(tmp_path / "o"), "--beam-options=--x")
    assert status == 2 and "`beam_options` apply to runner='beam' only" in captured.err


def test_preview_prints_text_pairs(tmp_path, capsys):
    source = _text_folder(tmp_path / "texts")
    status, captured = _main(capsys, "preview", "--data", source, "--count", "2", "--variants", "3",
                             "--spec", "RandomWordSwap(0.5)")
    assert status == 0, captured.err
    lines = captured.out.splitlines()
    originals = [line.split("original: ", 1)[1] for line in lines if "original: " in line]
    assert len(originals) == 2 and set(originals) <= set(sum(TEXTS.values(), []))
    assert sum(line.startswith("    ") for line in lines) == 6
    again = _main(capsys, "preview", "--data", source, "--count", "2", "--variants", "3",
                  "--spec", "RandomWordSwap(0.5)")[1]
    assert again.out == captured.out  # one seed, one output
    # The function behind it also takes a dataset (as `run --data` would pass).
    path, pairs = preview("RandomWordSwap(0.5)", str(tmp_path / "unused.png"), source=data.load(source),
                          count=2, variants=3)
    assert path is None and [original for original, _ in pairs] == originals
    assert [len(variants) for _, variants in pairs] == [3, 3]


def test_preview_audio_writes_spectrograms_and_wav_files(tmp_path, capsys):
    source, output = _tone_folder(tmp_path / "tones"), tmp_path / "p.png"
    status, captured = _main(capsys, "preview", "--data", source, "--output", str(output), "--count", "2",
                             "--variants", "2", "--sampling-rate", "8000")
    assert status == 0, captured.err
    assert "mel spectrograms" in captured.out
    grid = np.asarray(Image.open(output))
    assert grid.ndim == 2 and grid.shape[0] > 2 * 64  # two rows of 64 mel bands, upscaled
    wavs = sorted(os.listdir(tmp_path / "p-audio"))
    assert wavs == ["row0-1.wav", "row0-2.wav", "row0-original.wav", "row1-1.wav", "row1-2.wav",
                    "row1-original.wav"]
    audio, rate = soundfile.read(tmp_path / "p-audio" / "row0-original.wav")
    assert rate == 8000 and len(audio) in (800, 900) and np.abs(audio).max() > 0.4
