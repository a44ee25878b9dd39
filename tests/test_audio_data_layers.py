"""AddBackgroundNoise and ApplyImpulseResponse: SNR, draws, folders, saving, SciPy parity."""

import os
import shutil
import warnings

import keras
import numpy as np
import pytest
import soundfile
import tensorflow as tf
from cases.audio import impulse_responses, noise_clips, random_waveforms
from scipy import signal

from keras_augment import layers
from keras_augment.export import export_augmenter

WAVEFORMS = random_waveforms((32, 700)).astype(np.float32)


def _segment(clip, offset, length):
    return np.array([clip[(offset + t) % len(clip)] for t in range(length)])


def test_snr_is_within_a_tenth_of_a_decibel_of_the_draw():
    clips = noise_clips()
    layer = layers.AddBackgroundNoise(clips, min_snr_db=-5.0, max_snr_db=30.0)
    transformation = layer.get_random_transformation(WAVEFORMS, seed=0)
    out = layer.apply_transformation(WAVEFORMS, transformation).numpy()
    added = out.astype(np.float64) - WAVEFORMS
    measured = 10 * np.log10(np.mean(WAVEFORMS.astype(np.float64) ** 2, 1) / np.mean(added**2, 1))
    snr = transformation["snr_db"].numpy()
    np.testing.assert_allclose(measured, snr, atol=0.1)
    assert snr.min() >= -5.0 and snr.max() <= 30.0 and snr.std() > 5
    # What was added is the chosen clip read from the drawn offset, scaled.
    for b, (choice, offset) in enumerate(zip(transformation["choices"].numpy(),
                                             transformation["offsets"].numpy())):
        segment = _segment(clips[choice], offset, 700)
        scale = np.dot(added[b], segment) / np.dot(segment, segment)
        np.testing.assert_allclose(added[b], scale * segment, atol=1e-3 * np.abs(added[b]).max())


def test_each_sample_draws_its_own_clip_offset_and_snr():
    clips = noise_clips()  # 100, 400 and 61 samples
    layer = layers.AddBackgroundNoise(clips)
    x = np.repeat(WAVEFORMS[:1, :300], 64, axis=0)
    transformation = layer.get_random_transformation(x, seed=1)
    choices, offsets = transformation["choices"].numpy(), transformation["offsets"].numpy()
    assert sorted(set(choices)) == [0, 1, 2]
    lengths = np.array([len(c) for c in clips])[choices]
    # A clip longer than the waveform gives a window that fits; a shorter one loops.
    spans = np.where(lengths >= 300, lengths - 300 + 1, lengths)
    assert (offsets >= 0).all() and (offsets < spans).all()
    assert len(set(offsets[choices == 1])) > 5 and len(set(offsets[choices == 0])) > 5
    out = layer.apply_transformation(x, transformation).numpy()
    assert len({row.tobytes() for row in out}) == 64


def test_seeds_are_exact_and_rate_leaves_samples_untouched():
    layer = layers.AddBackgroundNoise(noise_clips(), rate=0.5, seed=3)
    first, again = layer(WAVEFORMS, seed=7).numpy(), layer(WAVEFORMS, seed=7).numpy()
    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(first, layer(WAVEFORMS, seed=8).numpy())
    seeded = [layers.AddBackgroundNoise(noise_clips(), rate=0.5, seed=3)(WAVEFORMS) for _ in range(2)]
    np.testing.assert_array_equal(seeded[0], seeded[1])
    applied = layer.get_random_transformation(WAVEFORMS, seed=7)["apply"].numpy()
    unchanged = (first == WAVEFORMS).all(axis=1)
    np.testing.assert_array_equal(unchanged, ~applied)
    assert 0 < applied.sum() < 32
    none = layers.AddBackgroundNoise(noise_clips(), rate=0.0)
    np.testing.assert_array_equal(none(WAVEFORMS, seed=0), WAVEFORMS)


def test_silence_stays_silent_and_quiet_noise_is_not_blown_up():
    silent = np.zeros((2, 300), np.float32)
    np.testing.assert_array_equal(layers.AddBackgroundNoise(noise_clips())(silent, seed=0), 0)
    # A clip that is loud, then nearly silent for longer than the waveform.
    clip = np.concatenate([np.ones(1000), np.full(1000, 1e-6)]).astype(np.float32)
    layer = layers.AddBackgroundNoise([clip], 0.0, 0.0)
    transformation = {"choices": tf.constant([0]), "offsets": tf.constant([1200]),
                      "snr_db": tf.constant([0.0]), "apply": tf.constant([True])}
    out = layer.apply_transformation(WAVEFORMS[:1, :300], transformation).numpy()
    added = out - WAVEFORMS[:1, :300]
    # The floor is the clip's power (0.5) minus 60 dB: the segment's 1e-12 counts as 5e-7.
    expected = np.mean(WAVEFORMS[0, :300] ** 2) * 1e-12 / 5e-7
    np.testing.assert_allclose(np.mean(added**2), expected, rtol=1e-3)


def _normalised(response):
    return response / np.sqrt(np.sum(response.astype(np.float64) ** 2))


def test_impulse_responses_match_scipy_and_keep_length():
    responses = impulse_responses()
    layer = layers.ApplyImpulseResponse(responses)
    transformation = layer.get_random_transformation(WAVEFORMS, seed=2)
    out = layer.apply_transformation(WAVEFORMS, transformation).numpy()
    assert out.shape == WAVEFORMS.shape
    choices = transformation["choices"].numpy()
    assert sorted(set(choices)) == [0, 1, 2]
    for b, choice in enumerate(choices):
        response = _normalised(responses[choice])
        peak = np.argmax(np.abs(response))
        expected = signal.fftconvolve(WAVEFORMS[b], response)[peak : peak + 700]
        np.testing.assert_allclose(out[b], expected, atol=1e-4 * np.abs(expected).max())
        np.testing.assert_allclose(
            expected, np.convolve(WAVEFORMS[b], response)[peak : peak + 700], atol=1e-6 * 1000
        )


def test_the_direct_path_stays_in_place():
    clicks = np.zeros((3, 500), np.float32)
    clicks[:, 100] = 1.0
    responses = impulse_responses()  # direct paths at samples 3, 0 and 7
    layer = layers.ApplyImpulseResponse(responses)
    for choice in range(3):
        transformation = {"choices": tf.constant([choice] * 3), "apply": tf.constant([True] * 3)}
        out = layer.apply_transformation(clicks, transformation).numpy()
        assert (np.argmax(np.abs(out), axis=1) == 100).all()
        np.testing.assert_allclose(np.sum(out**2, axis=1), 1.0, rtol=1e-4)  # unit energy
    unapplied = {"choices": tf.constant([0, 1, 2]), "apply": tf.constant([False] * 3)}
    np.testing.assert_array_equal(layer.apply_transformation(clicks, unapplied), clicks)


def _write_folder(root):
    rng = np.random.default_rng(0)
    (root / "city").mkdir(parents=True)
    soundfile.write(root / "city" / "street.wav", 0.3 * rng.standard_normal(1600), 16000,
                    subtype="PCM_16")
    stereo = 0.2 * rng.standard_normal((400, 2))
    soundfile.write(root / "fan_8k.flac", stereo, 8000)
    (root / "broken.wav").write_bytes(b"RIFF\x00\x00\x00\x00WAVEjunk")
    (root / "notes.txt").write_text("not audio")
    return stereo


def test_a_folder_loads_like_data_load_and_names_bad_files(tmp_path):
    stereo = _write_folder(tmp_path / "noise")
    with pytest.warns(UserWarning, match="broken.wav"):
        layer = layers.AddBackgroundNoise(str(tmp_path / "noise"), seed=0)
    skipped = dict(layer.report.skipped)
    assert sorted(os.path.basename(p) for p in skipped) == ["broken.wav", "notes.txt"]
    assert layer.report.kept == 2 and [os.path.basename(p) for p in layer.paths] == [
        "fan_8k.flac", "street.wav"]
    # Mixed to mono and resampled 8 -> 16 kHz with SciPy's polyphase filter.
    expected = signal.resample_poly(stereo.astype(np.float32).mean(axis=1, keepdims=True), 2, 1, axis=0)
    np.testing.assert_allclose(layer.clips[0], expected[:, 0], atol=1e-4)  # FLAC keeps 16 bits
    assert layer(WAVEFORMS[:, :300], seed=1).shape == (32, 300)


def test_folder_layers_save_and_load_without_the_folder(tmp_path):
    _write_folder(tmp_path / "noise")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        layer = layers.AddBackgroundNoise(str(tmp_path / "noise"), 0.0, 10.0)
        clone = layers.AddBackgroundNoise.from_config(layer.get_config())
    assert layer.get_config()["noise"] == str(tmp_path / "noise")
    x = WAVEFORMS[:4, :300]
    np.testing.assert_array_equal(clone(x, seed=5), layer(x, seed=5))
    model = keras.Sequential([keras.Input((300,)), layer])
    model.save(tmp_path / "model.keras")
    export_augmenter(layer, tmp_path / "exported", (300,))
    shutil.rmtree(tmp_path / "noise")
    loaded = keras.saving.load_model(tmp_path / "model.keras").layers[-1]
    np.testing.assert_array_equal(loaded(x, seed=5), layer(x, seed=5))
    served = tf.saved_model.load(str(tmp_path / "exported")).signatures["serving_default"]
    np.testing.assert_array_equal(served(images=tf.constant(x), seed=tf.constant(5, tf.int64))["images"],
                                  layer(x, seed=5))
    mapped = tf.data.Dataset.from_tensors(x).map(lambda b: loaded(b, seed=5), num_parallel_calls=2)
    np.testing.assert_array_equal(next(iter(mapped)), layer(x, seed=5))
    orphan = layers.AddBackgroundNoise.from_config(layer.get_config())
    with pytest.raises(ValueError, match="AddBackgroundNoise.*not here.*load_model"):
        orphan(x, seed=0)


def test_impulse_responses_from_a_folder(tmp_path):
    (tmp_path / "rirs").mkdir()
    response = impulse_responses()[2]
    soundfile.write(tmp_path / "rirs" / "hall.wav", response * 0.5, 16000, subtype="FLOAT")
    layer = layers.ApplyImpulseResponse(str(tmp_path / "rirs"))
    np.testing.assert_allclose(layer.clips[0], response * 0.5, atol=1e-6)
    out = layer(WAVEFORMS[:2], seed=0).numpy()
    peak = np.argmax(np.abs(response))
    expected = signal.fftconvolve(WAVEFORMS[0], _normalised(response))[peak : peak + 700]
    np.testing.assert_allclose(out[0], expected, atol=1e-4 * np.abs(expected).max())


def test_bad_arguments_and_inputs_name_the_layer(tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "readme.txt").write_text("no audio here")
    with pytest.raises(ValueError, match="(?s)AddBackgroundNoise.*no usable audio files.*readme.txt"):
        layers.AddBackgroundNoise(str(tmp_path / "empty"))
    with pytest.raises(ValueError, match="ApplyImpulseResponse.*names no folder"):
        layers.ApplyImpulseResponse(str(tmp_path / "missing"))
    with pytest.raises(ValueError, match="min_snr_db.*max_snr_db"):
        layers.AddBackgroundNoise(noise_clips(), min_snr_db=30.0, max_snr_db=3.0)
    with pytest.raises(ValueError, match="rate"):
        layers.ApplyImpulseResponse(impulse_responses(), rate=1.5)
    with pytest.raises(ValueError, match="clip 1 has only zeros"):
        layers.AddBackgroundNoise([np.ones(5), np.zeros(5)])
    with pytest.raises(ValueError, match="noise.*empty list"):
        layers.AddBackgroundNoise([])
    with pytest.raises(ValueError, match="impulse_responses.*clip 0 has shape"):
        layers.ApplyImpulseResponse(np.ones((2, 3, 4)))
    with pytest.raises(ValueError, match="AddBackgroundNoise.*waveforms.*shape"):
        layers.AddBackgroundNoise(noise_clips())(tf.zeros([2, 30, 1]))
    with pytest.raises(ValueError, match="ApplyImpulseResponse.*waveforms"):
        layers.ApplyImpulseResponse(impulse_responses())(tf.constant(["not audio"]))
