"""Batched audio kernels: spectrogram masks and warps, waveform gain, noise,
shift, resampling and convolution. Pure TensorFlow, no randomness,
XLA-compilable.

Spectrograms are `[B, T, F, C]` (time, frequency, channels); waveforms are
`[B, T]`. Every per-sample parameter has the batch size as first dimension.
"""

import math

import numpy as np
import tensorflow as tf


def range_mask(length, starts, widths):
    """`[B, length]` bool, True inside any `[start, start + width)` of a row.

    Args:
        length: scalar int, the masked axis' size.
        starts, widths: int32 `[B, count]`.
    """
    positions = tf.range(length)[None, None, :]
    inside = (positions >= starts[..., None]) & (positions < (starts + widths)[..., None])
    return tf.reduce_any(inside, axis=1)


def mask_fill(spectrograms, mask_value):
    """What masked bins are set to: a number, or per sample and channel
    `"mean"` or `"min"` over time and frequency, as `[B, 1, 1, C]`."""
    if mask_value == "mean":
        return tf.reduce_mean(spectrograms, axis=[1, 2], keepdims=True)
    if mask_value == "min":
        return tf.reduce_min(spectrograms, axis=[1, 2], keepdims=True)
    return tf.cast(mask_value, spectrograms.dtype)


def mask_axis(spectrograms, starts, widths, axis, mask_value=0.0):
    """Set bands `[start, start + width)` of `axis` (1 time, 2 frequency) to
    `mask_value` (see `mask_fill`)."""
    mask = range_mask(tf.shape(spectrograms)[axis], starts, widths)
    mask = mask[:, :, None, None] if axis == 1 else mask[:, None, :, None]
    return tf.where(mask, mask_fill(spectrograms, mask_value), spectrograms)


def mask_time_and_frequency(spectrograms, time_bands, frequency_bands, mask_value=0.0):
    """Both masks of SpecAugment in one pass (same result as `mask_axis` twice).

    Args:
        spectrograms: `[B, T, F, C]`.
        time_bands, frequency_bands: `(starts, widths)` pairs, int32 `[B, count]`.
    """
    shape = tf.shape(spectrograms)
    in_time = range_mask(shape[1], *time_bands)[:, :, None, None]
    in_frequency = range_mask(shape[2], *frequency_bands)[:, None, :, None]
    return tf.where(in_time | in_frequency, mask_fill(spectrograms, mask_value), spectrograms)


def interpolate_time(values, positions):
    """Linearly interpolate `values` `[B, T, ...]` at float `positions` `[B, T']`.

    Positions are clipped to `[0, T - 1]`.
    """
    length = tf.shape(values)[1]
    positions = tf.clip_by_value(positions, 0.0, tf.cast(tf.maximum(length - 1, 0), positions.dtype))
    lower = tf.floor(positions)
    fraction = positions - lower
    lower = tf.cast(lower, tf.int32)
    upper = tf.minimum(lower + 1, tf.maximum(length - 1, 0))
    extra_dims = values.shape.rank - 2
    fraction = tf.reshape(fraction, tf.concat([tf.shape(fraction), tf.ones([extra_dims], tf.int32)], 0))
    fraction = tf.cast(fraction, values.dtype)
    below = tf.gather(values, lower, batch_dims=1)
    above = tf.gather(values, upper, batch_dims=1)
    return below + (above - below) * fraction


def time_warp(spectrograms, centers, distances):
    """Move time frame `centers[b]` to `centers[b] + distances[b]`, SpecAugment-style.

    The time axis is stretched piecewise linearly: `[0, center]` onto
    `[0, center + distance]` and `[center, T - 1]` onto the rest, both ends
    fixed; frames are linearly interpolated.

    Args:
        spectrograms: `[B, T, F, C]` floats.
        centers, distances: `[B]` floats with `0 < center + distance < T - 1`.
    """
    last = tf.cast(tf.shape(spectrograms)[1] - 1, tf.float32)
    centers = tf.cast(centers, tf.float32)[:, None]
    targets = centers + tf.cast(distances, tf.float32)[:, None]
    times = tf.cast(tf.range(tf.shape(spectrograms)[1]), tf.float32)[None, :]
    before = times * tf.math.divide_no_nan(centers, targets)
    after = centers + (times - targets) * tf.math.divide_no_nan(last - centers, last - targets)
    sources = tf.where(times < targets, before, after)
    return interpolate_time(spectrograms, sources)


def decibels_to_ratio(decibels, per_decade, dtype=tf.float32):
    """`10 ** (decibels / per_decade)`: 20 for amplitudes, 10 for powers.

    Written with `exp` because grappler rewrites `pow` in graphs, which
    would make graph and eager results differ in the last bit.
    """
    return tf.exp(tf.cast(decibels, dtype) * (math.log(10.0) / per_decade))


def apply_gain(waveforms, gains_db):
    """Scale each waveform by `gains_db[b]` decibels (amplitude)."""
    return waveforms * decibels_to_ratio(gains_db, 20.0, waveforms.dtype)[:, None]


def add_noise_at_snr(waveforms, noise, snr_db, min_noise_power=None):
    """Add `noise` scaled so that signal power / noise power is `snr_db` dB.

    Powers are means of squares over time. A silent waveform stays silent.
    `min_noise_power` (`[B]`, optional) floors the noise power, so a nearly
    silent noise segment is not amplified without bound; where the floor
    applies the SNR ends up higher than `snr_db`.
    """
    signal_power = tf.reduce_mean(tf.square(waveforms), axis=1)
    noise_power = tf.reduce_mean(tf.square(noise), axis=1)
    if min_noise_power is not None:
        noise_power = tf.maximum(noise_power, tf.cast(min_noise_power, noise_power.dtype))
    target = signal_power / decibels_to_ratio(snr_db, 10.0, waveforms.dtype)
    scale = tf.sqrt(tf.math.divide_no_nan(target, noise_power))
    return waveforms + noise * scale[:, None]


def shift_time(waveforms, shifts, rollover=False):
    """Delay each waveform by `shifts[b]` samples (negative: advance).

    Samples shifted past either end wrap around with `rollover`, else the
    vacated samples are zero.
    """
    length = tf.shape(waveforms)[1]
    times = tf.range(length)[None, :]
    sources = times - shifts[:, None]
    wrapped = tf.math.floormod(sources, tf.maximum(length, 1))
    shifted = tf.gather(waveforms, wrapped, batch_dims=1)
    if rollover:
        return shifted
    inside = (sources >= 0) & (sources < length)
    return tf.where(inside, shifted, tf.zeros_like(shifted))


def change_speed(waveforms, rates):
    """Play each waveform `rates[b]` times faster, keeping its length.

    Output sample `t` is the input linearly interpolated at `t * rate`; a
    faster waveform ends early and is padded with zeros, a slower one is
    cropped. Linear interpolation has no anti-aliasing filter.
    """
    times = tf.cast(tf.range(tf.shape(waveforms)[1]), tf.float32)[None, :]
    sources = times * tf.cast(rates, tf.float32)[:, None]
    last = tf.cast(tf.shape(waveforms)[1] - 1, tf.float32)
    resampled = interpolate_time(waveforms, sources)
    return tf.where(sources <= last, resampled, tf.zeros_like(resampled))


def pitch_shift(waveforms, semitones, max_semitones, frame_length=512, frame_step=128):
    """Shift each waveform's pitch by `semitones[b]`, keeping its length and tempo.

    A phase vocoder stretches the waveform `r = 2 ** (semitones / 12)` times
    (magnitudes interpolated between analysis frames, phases accumulated from
    each bin's measured frequency), then resampling `r` times faster restores
    the length and moves every frequency by `r`.

    Args:
        waveforms: `[B, T]` floats.
        semitones: `[B]` shifts, each within `max_semitones`.
        max_semitones: largest `|semitones|`; fixes the stretched frame
            count, so a sample's output never depends on its batch.
        frame_length, frame_step: STFT window and hop in samples.
    """
    ratios = tf.exp(tf.cast(semitones, tf.float32) * (math.log(2.0) / 12.0))[:, None]
    window = tf.signal.hann_window
    spectra = tf.signal.stft(
        waveforms, frame_length, frame_step, frame_length, window_fn=window, pad_end=True
    )
    frames = tf.shape(spectra)[1]
    max_ratio = 2.0 ** (abs(float(max_semitones)) / 12.0)
    stretched_frames = tf.cast(tf.math.ceil(tf.cast(frames, tf.float32) * max_ratio), tf.int32)
    positions = tf.cast(tf.range(stretched_frames), tf.float32)[None, :] / ratios
    last = tf.cast(frames - 1, tf.float32)
    lower = tf.minimum(tf.floor(positions), last)
    fraction = (positions - lower)[..., None]
    lower = tf.cast(lower, tf.int32)
    upper = tf.minimum(lower + 1, frames - 1)
    magnitudes, phases = tf.abs(spectra), tf.math.angle(spectra)
    magnitude = tf.gather(magnitudes, lower, batch_dims=1) * (1.0 - fraction) + tf.gather(
        magnitudes, upper, batch_dims=1) * fraction
    magnitude = tf.where((positions <= last)[..., None], magnitude, tf.zeros_like(magnitude))
    # Each bin's phase advance beyond its centre frequency, wrapped to (-pi, pi],
    # as the angle of one complex product: grappler reassociates chains of real
    # subtractions differently with unknown shapes, and eager, graph and
    # SavedModel outputs must match bit for bit.
    bins = np.arange(frame_length // 2 + 1, dtype=np.float64)
    advance = 2.0 * np.pi * bins * frame_step / frame_length
    expected = tf.constant(advance, tf.float32)
    rotation = tf.constant(np.exp(-1j * advance), tf.complex64)
    cross = tf.gather(spectra, upper, batch_dims=1) * tf.math.conj(
        tf.gather(spectra, lower, batch_dims=1)
    )
    deviation = tf.math.angle(cross * rotation)
    phase = phases[:, :1, :] + tf.cumsum(expected + deviation, axis=1, exclusive=True)
    stretched = tf.signal.inverse_stft(
        tf.complex(magnitude * tf.cos(phase), magnitude * tf.sin(phase)),
        frame_length, frame_step, frame_length,
        window_fn=tf.signal.inverse_stft_window_fn(frame_step, forward_window_fn=window),
    )
    times = tf.cast(tf.range(tf.shape(waveforms)[1]), tf.float32)[None, :]
    return interpolate_time(stretched, times * ratios)


def loop_segments(values, starts, lengths, offsets, length):
    """`[B, length]` windows of clips stored end to end in `values` `[N_total]`.

    Row `b` reads the clip `values[starts[b] : starts[b] + lengths[b]]` from
    `offsets[b]` on, wrapping to the clip's start, so a clip shorter than
    `length` is looped. All arguments but `values` are int32 `[B]`.
    """
    times = tf.range(length)[None, :]
    within = tf.math.floormod(offsets[:, None] + times, tf.maximum(lengths, 1)[:, None])
    return tf.gather(values, starts[:, None] + within)


def fft_convolve(signals, kernels):
    """Full linear convolution of each row, `[B, T]` with `[B, K]` -> `[B, T + K - 1]`.

    Computed with real FFTs of a power-of-two length in float32.
    """
    signals, kernels = tf.cast(signals, tf.float32), tf.cast(kernels, tf.float32)
    full = tf.shape(signals)[1] + tf.shape(kernels)[1] - 1
    # The next power of two >= full; the two wheres undo a log's rounding.
    exponent = tf.math.ceil(tf.math.log(tf.cast(tf.maximum(full, 1), tf.float64)) / math.log(2.0))
    size = tf.bitwise.left_shift(1, tf.cast(exponent, tf.int32))
    size = tf.where(size < full, size * 2, size)
    size = tf.where(size // 2 >= full, size // 2, size)
    # Padded by hand: RFFT refuses to pad an empty batch itself.
    padded = [tf.pad(x, [[0, 0], [0, size - tf.shape(x)[1]]]) for x in (signals, kernels)]
    spectrum = tf.signal.rfft(padded[0], [size]) * tf.signal.rfft(padded[1], [size])
    return tf.signal.irfft(spectrum, [size])[:, :full]


def convolve_aligned(waveforms, kernels, delays):
    """Convolve each waveform with its kernel, keeping its length and timing.

    Output sample `t` is full-convolution sample `t + delays[b]`: with the
    kernel's direct-path peak as delay, the direct sound stays where it was
    in the input. The reverberation tail past the input's end is cut off.

    Args:
        waveforms: `[B, T]` floats.
        kernels: `[B, K]` impulse responses.
        delays: int32 `[B]` in `[0, K)`.
    """
    full = fft_convolve(waveforms, kernels)
    positions = delays[:, None] + tf.range(tf.shape(waveforms)[1])[None, :]
    return tf.cast(tf.gather(full, positions, batch_dims=1), waveforms.dtype)
