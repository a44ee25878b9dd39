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
