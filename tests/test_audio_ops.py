"""Audio kernels against slow NumPy references, eagerly and under XLA."""

import numpy as np
import pytest
import tensorflow as tf

from keras_augment.ops import audio as audio_ops

RNG = np.random.default_rng(0)
SPECTROGRAMS = RNG.random((3, 30, 8, 2)).astype(np.float32)
WAVEFORMS = RNG.standard_normal((3, 200)).astype(np.float32)


def _xla(fn, *args):
    return tf.function(fn, jit_compile=True)(*args).numpy()


def test_mask_axis_matches_loop_reference():
    starts = np.array([[2, 20], [0, 5], [29, 0]], np.int32)
    widths = np.array([[3, 0], [1, 10], [5, 0]], np.int32)
    for axis in (1, 2):
        expected = SPECTROGRAMS.copy()
        for b in range(3):
            for start, width in zip(starts[b], widths[b]):
                index = [b, slice(None), slice(None), slice(None)]
                index[axis] = slice(start, start + width)
                expected[tuple(index)] = -7.0
        out = audio_ops.mask_axis(tf.constant(SPECTROGRAMS), starts, widths, axis, -7.0)
        np.testing.assert_array_equal(out.numpy(), expected)
        fn = lambda x, s, w: audio_ops.mask_axis(x, s, w, axis, -7.0)  # noqa: E731
        np.testing.assert_array_equal(_xla(fn, SPECTROGRAMS, starts, widths), expected)


def _warp_reference(spectrogram, center, distance):
    length = spectrogram.shape[0]
    last, target = length - 1, center + distance
    sources = np.array([
        t * center / target if t < target else center + (t - target) * (last - center) / (last - target)
        for t in range(length)
    ])
    out = np.empty_like(spectrogram)
    for f in range(spectrogram.shape[1]):
        for c in range(spectrogram.shape[2]):
            out[:, f, c] = np.interp(sources, np.arange(length), spectrogram[:, f, c])
    return out


def test_time_warp_matches_numpy_interp():
    centers = np.array([10.0, 15.0, 5.0], np.float32)
    distances = np.array([4.0, -6.0, 0.0], np.float32)
    out = audio_ops.time_warp(tf.constant(SPECTROGRAMS), centers, distances).numpy()
    for b in range(3):
        np.testing.assert_allclose(
            out[b], _warp_reference(SPECTROGRAMS[b], centers[b], distances[b]), atol=1e-5
        )
    np.testing.assert_array_equal(out[2], SPECTROGRAMS[2])  # zero distance: identity
    np.testing.assert_allclose(
        _xla(audio_ops.time_warp, SPECTROGRAMS, centers, distances), out, atol=1e-5
    )


def test_change_speed_matches_numpy_interp():
    rates = np.array([0.8, 1.0, 1.3], np.float32)
    out = audio_ops.change_speed(tf.constant(WAVEFORMS), rates).numpy()
    times = np.arange(200)
    for b, rate in enumerate(rates):
        sources = times * np.float32(rate)
        expected = np.where(sources <= 199, np.interp(sources, times, WAVEFORMS[b]), 0.0)
        np.testing.assert_allclose(out[b], expected, atol=1e-4)  # float32 positions
    np.testing.assert_allclose(_xla(audio_ops.change_speed, WAVEFORMS, rates), out, atol=1e-5)


@pytest.mark.parametrize("rollover", [False, True])
def test_shift_time_matches_numpy_roll(rollover):
    shifts = np.array([5, -17, 0], np.int32)
    out = audio_ops.shift_time(tf.constant(WAVEFORMS), shifts, rollover).numpy()
    for b, shift in enumerate(shifts):
        expected = np.roll(WAVEFORMS[b], shift)
        if not rollover and shift > 0:
            expected[:shift] = 0
        elif not rollover and shift < 0:
            expected[shift:] = 0
        np.testing.assert_array_equal(out[b], expected)


def test_gain_and_snr_are_exact_in_decibels():
    gains = np.array([-6.0, 0.0, 3.5], np.float32)
    out = audio_ops.apply_gain(tf.constant(WAVEFORMS), gains).numpy()
    np.testing.assert_allclose(out, WAVEFORMS * 10 ** (gains[:, None] / 20), rtol=1e-5)
    noise = RNG.standard_normal(WAVEFORMS.shape).astype(np.float32)
    snr = np.array([0.0, 10.0, 30.0], np.float32)
    noisy = audio_ops.add_noise_at_snr(tf.constant(WAVEFORMS), noise, snr).numpy()
    added = noisy - WAVEFORMS
    measured = 10 * np.log10(np.mean(WAVEFORMS**2, 1) / np.mean(added**2, 1))
    np.testing.assert_allclose(measured, snr, atol=0.01)
    silent = audio_ops.add_noise_at_snr(tf.zeros([1, 10]), noise[:1, :10], snr[:1]).numpy()
    np.testing.assert_array_equal(silent, 0)


def test_noise_power_floor_bounds_the_gain():
    noise = np.full((3, 200), 1e-4, np.float32)  # power 1e-8: nearly silent
    floor = np.array([0.0, 1e-9, 1e-6], np.float32)
    snr = np.zeros(3, np.float32)
    added = audio_ops.add_noise_at_snr(tf.constant(WAVEFORMS), noise, snr, floor).numpy() - WAVEFORMS
    power = np.mean(WAVEFORMS**2, 1)
    np.testing.assert_allclose(np.mean(added**2, 1)[:2], power[:2], rtol=1e-3)  # floor below the noise
    # A floor 100 times the noise power: 100 times less noise power added.
    np.testing.assert_allclose(np.mean(added**2, 1)[2], power[2] * 1e-2, rtol=1e-3)


@pytest.mark.parametrize("lengths", [(1, 1), (200, 1), (200, 57), (37, 300)])
def test_fft_convolve_matches_numpy_convolve(lengths):
    signals = RNG.standard_normal((2, lengths[0])).astype(np.float32)
    kernels = RNG.standard_normal((2, lengths[1])).astype(np.float32)
    out = audio_ops.fft_convolve(signals, kernels).numpy()
    expected = np.stack([np.convolve(s, k) for s, k in zip(signals, kernels)])
    assert out.shape == expected.shape
    np.testing.assert_allclose(out, expected, atol=1e-4 * np.abs(expected).max())
    np.testing.assert_allclose(_xla(audio_ops.fft_convolve, signals, kernels), out, atol=1e-4)


def test_convolve_aligned_keeps_length_and_the_direct_path():
    kernels = np.zeros((3, 20), np.float32)
    kernels[:, 5], kernels[:, 12] = 1.0, 0.5  # direct path at 5, one echo 7 samples later
    delays = np.array([5, 5, 0], np.int32)
    out = audio_ops.convolve_aligned(tf.constant(WAVEFORMS), kernels, delays).numpy()
    assert out.shape == WAVEFORMS.shape
    for b, delay in enumerate(delays):
        full = np.convolve(WAVEFORMS[b], kernels[b])
        np.testing.assert_allclose(out[b], full[delay : delay + 200], atol=1e-5)
    echo = np.concatenate([np.zeros(7, np.float32), 0.5 * WAVEFORMS[0, :-7]])
    np.testing.assert_allclose(out[0], WAVEFORMS[0] + echo, atol=1e-5)  # direct sound in place


def test_loop_segments_matches_a_loop_reference():
    clips = [RNG.standard_normal(n).astype(np.float32) for n in (5, 30, 12)]
    values = np.concatenate(clips)
    starts, lengths = np.array([0, 5, 35], np.int32), np.array([5, 30, 12], np.int32)
    choices, offsets = np.array([0, 1, 2, 1], np.int32), np.array([3, 0, 11, 25], np.int32)
    out = audio_ops.loop_segments(values, starts[choices], lengths[choices], offsets, 17).numpy()
    for b, (choice, offset) in enumerate(zip(choices, offsets)):
        clip = clips[choice]
        np.testing.assert_array_equal(out[b], [clip[(offset + t) % len(clip)] for t in range(17)])


def test_mask_fill_is_a_per_sample_and_channel_statistic():
    fill = audio_ops.mask_fill(tf.constant(SPECTROGRAMS), "mean").numpy()
    np.testing.assert_allclose(fill, SPECTROGRAMS.mean(axis=(1, 2), keepdims=True), rtol=1e-6)
    fill = audio_ops.mask_fill(tf.constant(SPECTROGRAMS), "min").numpy()
    np.testing.assert_array_equal(fill, SPECTROGRAMS.min(axis=(1, 2), keepdims=True))
    assert audio_ops.mask_fill(tf.constant(SPECTROGRAMS), -2.0).numpy() == -2.0
