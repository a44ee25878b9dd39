"""Audio as data: folders of every format through `load`, checked against SciPy and soundfile."""

import math
import os

import numpy as np
import pytest
import soundfile as sf
from scipy import signal

from keras_augment import data
from keras_augment.data import audio_cleaning

# name: (class, seconds, rate, channels, format, subtype)
GOOD = {
    "pcm16.wav": ("no", 0.25, 16000, 1, "WAV", "PCM_16"),
    "pcm24_stereo.wav": ("no", 0.2, 8000, 2, "WAV", "PCM_24"),
    "float.wav": ("no", 0.1, 22050, 1, "WAV", "FLOAT"),
    "extensible.wav": ("no", 0.1, 48000, 2, "WAVEX", "PCM_16"),
    "stereo.flac": ("yes", 0.3, 44100, 2, "FLAC", "PCM_16"),
    "mono.ogg": ("yes", 0.25, 16000, 1, "OGG", "VORBIS"),
    "pcm16_48k.wav": ("yes", 0.1, 48000, 1, "WAV", "PCM_16"),
}


def _tone(seconds, rate, channels, seed):
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * rate)) / rate
    columns = [0.4 * np.sin(2 * np.pi * (220 + 110 * c) * t) + 0.05 * rng.standard_normal(t.size)
               for c in range(channels)]
    return np.stack(columns, 1).astype(np.float32)


def _cut(source, target, keep=0.5):
    raw = source.read_bytes()
    target.write_bytes(raw[: int(len(raw) * keep)])


@pytest.fixture(scope="module")
def audio_folder(tmp_path_factory):
    root = tmp_path_factory.mktemp("speech") / "commands"
    for seed, (name, (label, seconds, rate, channels, file_format, subtype)) in enumerate(GOOD.items()):
        (root / label).mkdir(parents=True, exist_ok=True)
        sf.write(root / label / name, _tone(seconds, rate, channels, seed), rate,
                 subtype=subtype, format=file_format)
    yes, no = root / "yes", root / "no"
    (no / "zero.wav").write_bytes(b"")
    _cut(no / "pcm16.wav", no / "cut.wav")
    _cut(yes / "stereo.flac", yes / "cut.flac")
    _cut(yes / "mono.ogg", yes / "cut.ogg")
    (yes / "flac_named.wav").write_bytes((yes / "stereo.flac").read_bytes())
    (yes / "words.wav").write_text("not audio at all")
    (yes / "notes.txt").write_text("recorded in a kitchen")
    sf.write(yes / "silent.wav", np.zeros(1600, np.float32), 16000, subtype="PCM_16")
    sf.write(yes / "short.wav", _tone(0.01, 16000, 1, 9), 16000, subtype="PCM_16")
    sf.write(no / "loud.wav", 2.5 * _tone(0.05, 16000, 1, 8), 16000, subtype="FLOAT")
    return root


def _reference(path, sampling_rate=16000, mono=True):
    """What `load` must give for one file: soundfile, mean of channels, resample_poly, clip."""
    audio, rate = sf.read(path, dtype="float32", always_2d=True)
    if mono:
        audio = audio.mean(axis=1, keepdims=True)
    ratio = math.gcd(rate, sampling_rate)
    if rate != sampling_rate:
        audio = signal.resample_poly(audio, sampling_rate // ratio, rate // ratio, axis=0)
    return np.clip(audio, -1, 1)[:, 0] if mono else np.clip(audio, -1, 1)


def test_audio_folder_matches_scipy_and_soundfile_and_names_every_bad_file(audio_folder):
    report = data.CleaningReport()
    ds = data.load(str(audio_folder), report=report, min_duration=0.05)
    assert ds.class_names == ["no", "yes"] and ds.sampling_rate == 16000
    assert ds.element_spec["audio"].dtype.name == "float32"
    samples = list(ds.as_numpy_iterator())
    assert len(samples) == len(GOOD) == report.kept
    for path, sample in zip(ds.paths, samples):
        label, seconds, rate, *_ = GOOD[os.path.basename(path)]
        assert sample["labels"] == ds.class_names.index(label)
        expected = _reference(path)
        assert sample["audio"].shape == (math.ceil(round(seconds * rate) * 16000 / rate),)
        np.testing.assert_allclose(sample["audio"], expected, atol=2e-6, err_msg=path)
        assert np.abs(sample["audio"]).max() <= 1.0
    reasons = {os.path.basename(path): reason for path, reason in report.skipped}
    assert set(reasons) == {"zero.wav", "cut.wav", "cut.flac", "cut.ogg", "flac_named.wav",
                            "words.wav", "notes.txt", "silent.wav", "short.wav", "loud.wav"}
    assert reasons["zero.wav"] == "empty file (0 bytes)"
    assert reasons["cut.wav"].startswith("truncated: the header promises 8000 bytes")
    assert reasons["cut.flac"].startswith("truncated or corrupt: cannot be decoded")
    assert "truncated" in reasons["cut.ogg"] or "malformed" in reasons["cut.ogg"]
    assert reasons["flac_named.wav"] == "wrongly named: the file holds FLAC audio, not WAV"
    assert reasons["words.wav"].startswith("not a readable audio file")
    assert reasons["notes.txt"].startswith("not an audio file")
    assert reasons["silent.wav"] == "silent: peak -inf dBFS, under -60 dBFS"
    assert reasons["short.wav"] == "too short: 0.01 s, under min_duration=0.05 s"
    assert reasons["loud.wav"].startswith("FLOAT samples beyond [-1, 1]")
    assert "kept 7 audio files" in report.summary()


def test_audio_rate_duration_and_channels(audio_folder):
    ds = data.load(str(audio_folder), sampling_rate=8000, duration=0.2, channels=2)
    assert ds.element_spec["audio"].shape.as_list() == [1600, 2]
    for path, sample in zip(ds.paths, ds.as_numpy_iterator()):
        expected = _reference(path, 8000, mono=False)
        if expected.shape[1] == 1:  # a mono file is repeated in both channels
            expected = np.repeat(expected, 2, axis=1)
        expected = np.pad(expected[:1600], [[0, max(0, 1600 - len(expected))], [0, 0]])
        np.testing.assert_allclose(sample["audio"], expected, atol=2e-6, err_msg=path)
    with pytest.raises(ValueError, match="load\\(\\): `duration` must be None or a finite number"):
        data.load(str(audio_folder), duration=-1.0)
    with pytest.raises(ValueError, match="load\\(\\): `sampling_rate` must be an integer >= 1"):
        data.load(str(audio_folder), sampling_rate=16000.0)
    with pytest.raises(ValueError, match="`sampling_rate` does not apply to 'digits'"):
        data.load("digits", sampling_rate=16000)


def test_tfds_audio_dataset_by_name_with_mock_data():
    import tensorflow_datasets as tfds

    with tfds.testing.mock_data(num_examples=3):
        raw = [e["audio"] for e in tfds.load("speech_commands", split="train").as_numpy_iterator()]
        ds = data.load("speech_commands", split="train", sampling_rate=8000)
        samples = list(ds.as_numpy_iterator())
    assert ds.sampling_rate == 8000 and len(ds.class_names) == 12
    for stored, sample in zip(raw, samples):
        expected = signal.resample_poly(stored.astype(np.float32) / 32768, 1, 2)
        assert sample["audio"].dtype == np.float32 and sample["labels"].dtype == np.int64
        np.testing.assert_allclose(sample["audio"], np.clip(expected, -1, 1), atol=1e-6)


def test_cleaning_ops_match_numpy_references():
    import tensorflow as tf

    rate = 1000
    tone = 0.3 * np.sin(np.linspace(0, 40 * np.pi, 400)).astype(np.float32)
    clip = np.concatenate([np.zeros(200), tone + 0.1, np.full(100, 0.002)]).astype(np.float32)
    np.testing.assert_allclose(data.remove_dc(tf.constant(clip)), clip - clip.mean(), atol=1e-6)
    trimmed = data.trim_silence(tf.constant(clip), rate, top_db=30.0, frame_seconds=0.02).numpy()
    np.testing.assert_array_equal(trimmed, clip[200:600])  # silence and the quiet tail (-40 dB) cut
    loud = data.normalize_loudness(tf.constant(tone), -20.0).numpy()
    assert 20 * np.log10(np.sqrt(np.mean(loud.astype(np.float64) ** 2))) == pytest.approx(-20.0, abs=1e-4)
    limited = data.normalize_loudness(tf.constant(tone), -1.0).numpy()
    assert np.abs(limited).max() == pytest.approx(1.0, abs=1e-6)  # peak-limited, never clipped
    silent = np.zeros(50, np.float32)
    np.testing.assert_array_equal(data.normalize_loudness(tf.constant(silent)), silent)
    np.testing.assert_array_equal(data.trim_silence(tf.constant(silent), rate), silent)
    squared = np.clip(3 * tone, -1, 1)
    assert audio_cleaning.clipped_samples(squared) == int((np.abs(squared) >= 0.999).sum())
    assert audio_cleaning.clipped_samples(tone) == 0


def test_clean_audio_and_stats_per_class(audio_folder):
    ds = data.load(str(audio_folder), min_duration=0.05)
    stats = data.audio_stats(ds)
    assert stats["count"] == 7 and list(stats["classes"]) == ["no", "yes"]
    no = stats["classes"]["no"]
    assert no["count"] == 4 and no["seconds"]["max"] == pytest.approx(0.25)
    assert stats["total_seconds"] == pytest.approx(sum(g[1] for g in GOOD.values()), abs=1e-3)
    assert stats["clipped"] == [] and stats["peak_db"]["max"] < 0
    cleaned = data.clean_audio(ds, loudness_db=-23.0, duration=0.3)
    assert cleaned.class_names == ds.class_names and cleaned.element_spec["audio"].shape == [4800]
    for sample in cleaned.as_numpy_iterator():
        audio = sample["audio"]
        voiced = audio[np.abs(audio) > 0]
        level = 20 * np.log10(np.sqrt(np.mean(voiced.astype(np.float64) ** 2)))
        assert level == pytest.approx(-23.0, abs=0.1)  # the padding zeros left out
    with pytest.raises(ValueError, match="clean_audio\\(\\): `loudness_db` must be <= 0"):
        data.clean_audio(ds, loudness_db=3.0)


def test_split_by_speaker_from_paths(tmp_path):
    for speaker in ("ann", "bob", "cy", "dee"):
        for label in ("no", "yes"):
            (tmp_path / label).mkdir(exist_ok=True)
            for take in range(2):
                sf.write(tmp_path / label / f"{speaker}_{take}.wav", _tone(0.05, 16000, 1, take),
                         16000, subtype="PCM_16")
    ds = data.load(str(tmp_path))
    speaker_of = [os.path.basename(path).split("_")[0] for path in ds.paths]
    train, validation = data.split(ds, 0.25, seed=0, group_by=speaker_of)
    assert len(list(train)) == 12 and len(list(validation)) == 4  # one speaker of four
