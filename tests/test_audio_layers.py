"""Acceptance tests of the audio layers: mask widths and counts, dB accuracy, shapes."""

import keras
import numpy as np
import pytest
import tensorflow as tf
from cases.audio import random_spectrograms, random_waveforms

from keras_augment import layers
from keras_augment.layers.audio import POLICIES


def _bands_reference(length, starts, widths):
    mask = np.zeros((starts.shape[0], length), bool)
    for b in range(starts.shape[0]):
        for start, width in zip(starts[b], widths[b]):
            mask[b, start : start + width] = True
    return mask


@pytest.mark.parametrize("layer_class, axis", [(layers.TimeMasking, 1), (layers.FrequencyMasking, 2)])
def test_masks_have_configured_widths_and_counts(layer_class, axis):
    layer = layer_class(max_width=6, count=3, mask_value=-1.0)
    x = random_spectrograms((64, 40, 24))
    transformation = layer.get_random_transformation(x, seed=0)
    starts, widths = transformation["starts"].numpy(), transformation["widths"].numpy()
    assert starts.shape == widths.shape == (64, 3)
    assert widths.min() == 0 and widths.max() == 6  # uniform over [0, W]
    assert (starts >= 0).all() and (starts + widths <= x.shape[axis]).all()
    out = layer.apply_transformation(x, transformation).numpy()
    mask = _bands_reference(x.shape[axis], starts, widths)
    mask = mask[:, :, None] if axis == 1 else mask[:, None, :]
    expected = np.where(mask, -1.0, x)
    np.testing.assert_array_equal(out, expected)
    # The same seed draws the same masks.
    again = layer.get_random_transformation(x, seed=0)
    np.testing.assert_array_equal(again["starts"].numpy(), starts)


def test_fixed_seed_masks_are_exact():
    x = np.ones((2, 20, 10), np.float32)
    out = layers.TimeMasking(max_width=4, count=2, mask_value=0.0, seed=0)(x, seed=123).numpy()
    transformation = layers.TimeMasking(max_width=4, count=2).get_random_transformation(x, seed=123)
    masked_steps = (out[:, :, 0] == 0).sum(axis=1)
    expected = _bands_reference(20, transformation["starts"].numpy(), transformation["widths"].numpy())
    np.testing.assert_array_equal(masked_steps, expected.sum(axis=1))
    assert (out[..., :] == out[..., :1]).all()  # whole frames are masked


def test_time_mask_proportion_caps_width():
    layer = layers.TimeMasking(max_width=100, count=1, max_proportion=0.2)
    transformation = layer.get_random_transformation(random_spectrograms((256, 50, 4)), seed=1)
    assert transformation["widths"].numpy().max() == 10


def test_spec_augment_policies_follow_the_paper():
    assert POLICIES["LB"] == dict(time_warp=80, frequency_mask_width=27, frequency_masks=1,
                                  time_mask_width=100, time_mask_proportion=1.0, time_masks=1)
    assert POLICIES["LD"]["frequency_masks"] == POLICIES["LD"]["time_masks"] == 2
    for policy, counts in (("LB", 1), ("LD", 2)):
        layer = layers.SpecAugment(policy)
        warp, frequency, time = layer.get_random_transformation(
            random_spectrograms((3, 300, 80)), seed=0
        )
        assert frequency["widths"].shape == time["widths"].shape == (3, counts)
        assert frequency["widths"].numpy().max() <= 27 and time["widths"].numpy().max() <= 100
        assert np.abs(warp["distances"].numpy()).max() <= 80
    override = layers.SpecAugment("LB", time_warp=0, time_masks=3)
    assert [type(s).__name__ for s in override.steps] == ["FrequencyMasking", "TimeMasking"]
    assert override.steps[1].count == 3


def test_spec_augment_equals_its_steps_in_order():
    x = random_spectrograms((2, 120, 40))
    layer = layers.SpecAugment("LD", time_warp=10, mask_value=-3.0)
    transformation = layer.get_random_transformation(x, seed=4)
    expected = tf.constant(x)
    for step, parameters in zip(layer.steps, transformation):
        expected = step.apply_transformation(expected, parameters)
    np.testing.assert_array_equal(layer.apply_transformation(x, transformation), expected)


def test_time_warp_moves_the_center_frame():
    x = np.tile(np.arange(60, dtype=np.float32)[None, :, None], (8, 1, 3))  # value = time
    layer = layers.TimeWarp(max_warp=10)
    transformation = layer.get_random_transformation(x, seed=2)
    out = layer.apply_transformation(x, transformation).numpy()
    centers, distances = transformation["centers"].numpy(), transformation["distances"].numpy()
    assert (np.abs(distances) <= 10).all() and (centers > 10).all() and (centers < 49).all()
    for b in range(8):
        assert out[b, int(centers[b] + distances[b]), 0] == pytest.approx(centers[b], abs=1e-4)
        assert out[b, 0, 0] == 0 and out[b, -1, 0] == 59
        assert (np.diff(out[b, :, 0]) > 0).all()
    short = layers.TimeWarp(max_warp=80)(random_spectrograms((2, 2, 4)), seed=0)
    assert short.shape == (2, 2, 4)


def test_gain_is_within_a_tenth_of_a_decibel():
    x = random_waveforms((32, 4000))
    layer = layers.RandomGain(-12.0, 12.0)
    transformation = layer.get_random_transformation(x, seed=0)
    out = layer.apply_transformation(x, transformation).numpy()
    measured = 20 * np.log10(np.sqrt(np.mean(out**2, 1) / np.mean(x.astype(np.float64) ** 2, 1)))
    np.testing.assert_allclose(measured, transformation["gain_db"].numpy(), atol=0.1)
    assert transformation["gain_db"].numpy().min() >= -12 and transformation["gain_db"].numpy().max() <= 12


def test_snr_is_within_a_tenth_of_a_decibel():
    x = random_waveforms((32, 4000)).astype(np.float32)
    layer = layers.RandomNoise(0.0, 30.0)
    transformation = layer.get_random_transformation(x, seed=0)
    out = layer.apply_transformation(x, transformation).numpy()
    noise = out.astype(np.float64) - x
    measured = 10 * np.log10(np.mean(x.astype(np.float64) ** 2, 1) / np.mean(noise**2, 1))
    np.testing.assert_allclose(measured, transformation["snr_db"].numpy(), atol=0.1)


def test_time_shift_and_speed_follow_their_draws():
    x = random_waveforms((16, 500)).astype(np.float32)
    shift = layers.RandomTimeShift(0.1)
    transformation = shift.get_random_transformation(x, seed=3)
    shifts = transformation["shifts"].numpy()
    assert np.abs(shifts).max() <= 50 and len(set(shifts)) > 1
    out = shift.apply_transformation(x, transformation).numpy()
    for b, s in enumerate(shifts):
        kept = slice(max(s, 0), 500 + min(s, 0))
        np.testing.assert_array_equal(out[b, kept], np.roll(x[b], s)[kept])
    tone = np.sin(2 * np.pi * 50 * np.arange(4000) / 4000)[None].astype(np.float32)
    speed = layers.RandomSpeed(1.5, 1.5)
    faster = speed(tone, seed=0).numpy()[0]
    # 1.5 times faster: 75 cycles in the first 2/3 of the output, silence after.
    spectrum = np.abs(np.fft.rfft(faster[:2666]))
    assert abs(np.argmax(spectrum) / 2666 * 4000 - 75) < 2
    assert np.abs(faster[2670:]).max() == 0


def test_pitch_shift_moves_frequencies_and_keeps_length():
    times = np.arange(8000) / 8000
    tones = np.stack([np.sin(2 * np.pi * f * times) for f in (440, 440, 1000)]).astype(np.float32)
    layer = layers.RandomPitchShift(-12.0, 12.0)
    transformation = {"semitones": tf.constant([12.0, -5.0, 3.0])}
    out = layer.apply_transformation(tones, transformation).numpy()
    assert out.shape == tones.shape
    for row, frequency, semitones in zip(out, (440, 440, 1000), (12.0, -5.0, 3.0)):
        peak = np.argmax(np.abs(np.fft.rfft(row))) * 8000 / len(row)
        assert abs(peak - frequency * 2 ** (semitones / 12)) <= 2
        rms = np.sqrt(np.mean(row[500:-500] ** 2))
        assert 0.6 < rms < 0.8  # a unit sine's 0.707, roughly kept


def test_shapes_single_inputs_and_dicts():
    spectrograms = random_spectrograms((3, 40, 16, 2))
    layer = layers.SpecAugment("LB", time_warp=5, time_mask_width=8)
    assert layer(spectrograms, seed=0).shape == spectrograms.shape
    assert layer(spectrograms[:0], seed=0).shape == (0, 40, 16, 2)
    single = random_spectrograms((40, 16))
    np.testing.assert_array_equal(layer(single, seed=1), layer(single[None], seed=1)[0])
    waveforms = {"audio": random_waveforms((2, 300)), "labels": np.array([0, 1])}
    out = layers.RandomGain()(waveforms, seed=0)
    assert sorted(out) == ["audio", "labels"] and out["audio"].shape == (2, 300)
    assert out["audio"].dtype == tf.float32


def test_bad_inputs_name_the_layer():
    with pytest.raises(ValueError, match="RandomGain.*waveforms"):
        layers.RandomGain()(tf.zeros([2, 3, 4]))
    with pytest.raises(ValueError, match="TimeMasking.*spectrograms"):
        layers.TimeMasking()(tf.zeros([5]))
    with pytest.raises(ValueError, match="FrequencyMasking.*spectrograms"):
        layers.FrequencyMasking()(tf.constant(["not audio"]))
    with pytest.raises(ValueError, match="policy"):
        layers.SpecAugment("XL")
    with pytest.raises(ValueError, match="min_snr_db"):
        layers.RandomNoise(30.0, 10.0)
    with pytest.raises(ValueError, match="max_proportion"):
        layers.TimeMasking(max_proportion=2.0)
    with pytest.raises(ValueError, match="min_rate"):
        layers.RandomSpeed(0.0, 1.0)


# Masked bins default to each sample's mean (the paper masks mean-normalised
# input with zero); "min" is silence for dB input.
DEFAULT_MASKERS = {
    "TimeMasking": lambda: layers.TimeMasking(max_width=8, count=2),
    "FrequencyMasking": lambda: layers.FrequencyMasking(max_width=5, count=2),
    "SpecAugment": lambda: layers.SpecAugment("LD", time_warp=0, time_mask_width=8),
}


def _fill(x, mask_value):
    reduce = np.mean if mask_value == "mean" else np.min
    return reduce(x, axis=(1, 2), keepdims=True)


@pytest.mark.parametrize("mask_value", ["mean", "min"])
@pytest.mark.parametrize("name", sorted(DEFAULT_MASKERS))
def test_masks_match_the_loop_reference_with_per_sample_fill(name, mask_value):
    layer = DEFAULT_MASKERS[name]()
    if mask_value != "mean":
        layer = type(layer).from_config({**layer.get_config(), "mask_value": mask_value})
    x = random_spectrograms((6, 40, 20))
    x[1] -= 100.0  # samples of other levels get other fills
    transformation = layer.get_random_transformation(x, seed=5)
    steps = transformation if name == "SpecAugment" else [transformation]
    step_axes = [2, 1] if name == "SpecAugment" else [1 if name == "TimeMasking" else 2]
    mask = np.zeros(x.shape, bool)
    for step, axis in zip(steps, step_axes):
        bands = _bands_reference(x.shape[axis], step["starts"].numpy(), step["widths"].numpy())
        mask |= bands[:, :, None] if axis == 1 else bands[:, None, :]
    assert mask.any() and not mask.all()
    expected = np.where(mask, _fill(x, mask_value), x)
    np.testing.assert_allclose(layer.apply_transformation(x, transformation).numpy(), expected, rtol=1e-6)


def _short_clips(batch=6):
    """One second at 16 kHz of rising tones: `keras.layers.MelSpectrogram` gives 101 frames."""
    times = np.arange(16000) / 16000
    return np.stack([np.sin(2 * np.pi * (200 + 100 * b) * times * (1 + times)) for b in range(batch)]
                    ).astype(np.float32) * 0.5


def test_default_spec_augment_masks_at_most_its_fractions_of_a_short_clip():
    mel = keras.layers.MelSpectrogram(fft_length=400, sequence_stride=160, num_mel_bins=40)
    spectrograms = tf.transpose(mel(_short_clips()), [0, 2, 1]).numpy()  # [B, T, F]
    frames, bins = spectrograms.shape[1:]
    assert frames == 101 and bins == 40
    # The "relative" widths with two masks of each kind and a 5% warp: 2 x 10%
    # of frames, 2 x 15% of bins, mean fill (the default has one of each, no warp).
    layer = layers.SpecAugment(time_warp=0.05, frequency_masks=2, time_masks=2)
    warp_step = layer.steps[0]
    largest = {"frames": 0, "bins": 0}
    for seed in range(20):
        warp, frequency, time = layer.get_random_transformation(spectrograms, seed=seed)
        assert np.abs(warp["distances"].numpy()).max() <= 5  # 5% of 101 frames
        assert time["widths"].numpy().max() <= 10 and frequency["widths"].numpy().max() <= 6
        out = layer.apply_transformation(spectrograms, [warp, frequency, time]).numpy()
        warped = warp_step.apply_transformation(spectrograms, warp).numpy()
        time_mask = _bands_reference(frames, time["starts"].numpy(), time["widths"].numpy())
        bin_mask = _bands_reference(bins, frequency["starts"].numpy(), frequency["widths"].numpy())
        assert (time_mask.sum(1) <= 0.2 * frames).all() and (bin_mask.sum(1) <= 0.3 * bins).all()
        largest["frames"] = max(largest["frames"], time_mask.sum(1).max())
        largest["bins"] = max(largest["bins"], bin_mask.sum(1).max())
        mask = time_mask[:, :, None] | bin_mask[:, None, :]
        # Masked bins hold each sample's mean of the warped spectrogram; the rest is untouched.
        np.testing.assert_allclose(out, np.where(mask, warped.mean(axis=(1, 2), keepdims=True), warped),
                                   rtol=1e-5)
    assert largest["frames"] >= 15 and largest["bins"] >= 9  # the caps are approached


def test_default_spec_augment_is_one_mask_of_each_kind_without_warp():
    spectrograms = np.random.default_rng(0).normal(size=(4, 101, 40)).astype("float32")
    layer = layers.SpecAugment()
    frequency, time = layer.get_random_transformation(spectrograms, seed=1)
    assert frequency["widths"].shape == (4, 1) and time["widths"].shape == (4, 1)
    assert time["widths"].numpy().max() <= 10 and frequency["widths"].numpy().max() <= 6


def test_min_fill_is_silence_for_decibel_spectrograms():
    mel = keras.layers.MelSpectrogram(fft_length=400, sequence_stride=160, num_mel_bins=40, top_db=60.0)
    spectrograms = tf.transpose(mel(_short_clips(2)), [0, 2, 1]).numpy()
    layer = layers.SpecAugment(time_warp=0, time_mask_width=0.5, mask_value="min")
    frequency, time = layer.get_random_transformation(spectrograms, seed=0)
    out = layer.apply_transformation(spectrograms, [frequency, time]).numpy()
    floor = spectrograms.max() - 60.0  # top_db clips every bin at the batch's max - 60 dB
    np.testing.assert_allclose(spectrograms.min(axis=(1, 2)), floor, atol=1e-3)
    widths = time["widths"].numpy()[:, 0]
    assert widths.max() > 0
    for b in range(2):
        start = time["starts"].numpy()[b, 0]
        np.testing.assert_allclose(out[b, start : start + widths[b]], floor, atol=1e-3)


def test_fraction_widths_follow_the_input_and_integers_stay_frames():
    for frames in (40, 400):
        x = random_spectrograms((256, frames, 8))
        widths = layers.TimeMasking(max_width=0.1).get_random_transformation(x, seed=0)["widths"]
        assert widths.numpy().max() == frames // 10
        widths = layers.TimeMasking(max_width=7).get_random_transformation(x, seed=0)["widths"]
        assert widths.numpy().max() == 7
        warp = layers.TimeWarp(max_warp=0.05).get_random_transformation(x, seed=0)["distances"]
        assert np.abs(warp.numpy()).max() == frames // 20
    bins = layers.FrequencyMasking(max_width=0.25).get_random_transformation(
        random_spectrograms((256, 10, 40)), seed=0)["widths"]
    assert bins.numpy().max() == 10
    config = layers.SpecAugment("SS", time_mask_width=0.2).get_config()
    assert layers.SpecAugment.from_config(config).steps[-1].max_width == 0.2


def test_bad_widths_and_mask_values_name_the_layer():
    with pytest.raises(ValueError, match="TimeMasking.*max_width.*fraction.*1.5"):
        layers.TimeMasking(max_width=1.5)
    with pytest.raises(ValueError, match="FrequencyMasking.*max_width"):
        layers.FrequencyMasking(max_width=-2)
    with pytest.raises(ValueError, match="TimeWarp.*max_warp"):
        layers.TimeWarp(max_warp="5")
    with pytest.raises(ValueError, match="SpecAugment.*mask_value.*median"):
        layers.SpecAugment(mask_value="median")
    with pytest.raises(ValueError, match="TimeMasking.*mask_value"):
        layers.TimeMasking(mask_value=None)
