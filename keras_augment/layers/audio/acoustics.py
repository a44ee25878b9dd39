"""Waveform layers that mix in recorded audio: AddBackgroundNoise and ApplyImpulseResponse."""

import keras
import numpy as np
import tensorflow as tf

from keras_augment.layers.arguments import check_ordered_pair, check_unit_interval
from keras_augment.layers.audio.clips import ClipAugmentation
from keras_augment.ops import audio as audio_ops

# A noise segment's power is floored at its clip's mean power times this
# (-60 dB), so a silent stretch of a noise clip is never blown up.
NOISE_POWER_FLOOR = 1e-6


@keras.saving.register_keras_serializable(package="keras_augment")
class AddBackgroundNoise(ClipAugmentation):
    """Mixes recorded background noise into each waveform at a drawn SNR.

    Per sample, with probability `rate`, the layer picks one noise clip
    uniformly, a uniform start in it (a clip longer than the waveform gives
    a window that fits; a shorter one is looped from a random point) and an
    SNR uniform in `[min_snr_db, max_snr_db]`. The noise is scaled so that
    the mean power of the waveform over that of the noise segment is the
    SNR, then added. A silent waveform stays silent; a noise segment
    quieter than its clip's power minus 60 dB counts as that quiet (so it is
    not amplified without bound, and the SNR comes out higher).

    The clips are read once, when the layer is made, and live in the layer:
    it works in `tf.data`, in a model and in an exported SavedModel without
    the folder. `get_config` keeps a folder's path (a `.keras` file carries
    the clips themselves as an asset, so it loads where the folder is
    missing) or the arrays as lists.

    Args:
        noise: a folder of `.wav`, `.flac` or `.ogg` files (any depth),
            decoded as `keras_augment.data.load` decodes audio: mixed to
            mono and resampled to `sampling_rate`; unusable files are
            skipped, named in `layer.report` (a `CleaningReport`) and in a
            warning. Or noise clips as arrays: one 1-D array, a 2-D array
            (one clip per row) or a list of 1-D arrays of any lengths, at
            the waveforms' sampling rate; their scale does not matter.
        min_snr_db: lowest SNR in dB.
        max_snr_db: highest SNR in dB.
        rate: probability that a sample gets noise, in [0, 1].
        sampling_rate: rate the folder's files are resampled to (the
            waveforms' rate); unused for arrays.
        seed: integer seed of the layer's own random draws.
        **kwargs: base layer arguments such as `name`.

    Input shape:
        `(B, T)` or a single `(T,)` waveform; or a dict with an "audio" key.

    Output shape:
        Same as the input, in the compute dtype.

    Example:

    >>> layer = keras_augment.layers.AddBackgroundNoise("noise/", 3.0, 30.0)
    >>> layer.report.summary()  # the files it skipped, if any
    >>> layer(waveforms, seed=0).shape  # waveforms [B, T] at 16 kHz
    """

    clips_argument = "noise"

    def __init__(self, noise, min_snr_db=3.0, max_snr_db=30.0, rate=1.0, sampling_rate=16000,
                 seed=None, **kwargs):
        super().__init__(noise, sampling_rate=sampling_rate, seed=seed, **kwargs)
        self.min_snr_db, self.max_snr_db = check_ordered_pair(
            min_snr_db, max_snr_db, ("min_snr_db", "max_snr_db"), self._owner
        )
        self.rate = check_unit_interval(rate, "rate", self._owner)

    def arguments(self):
        return {"min_snr_db": self.min_snr_db, "max_snr_db": self.max_snr_db, "rate": self.rate}

    def set_clips(self, clips):
        lengths = np.array([len(clip) for clip in clips], np.int32)
        self._values = tf.constant(np.concatenate(clips))
        self._starts = tf.constant(np.cumsum(lengths) - lengths, tf.int32)
        self._lengths = tf.constant(lengths)
        powers = [np.mean(np.square(clip, dtype=np.float64)) for clip in clips]
        self._floors = tf.constant(np.array(powers) * NOISE_POWER_FLOOR, tf.float32)

    def sample_parameters(self, sampler, images_shape):
        self.check_clips()
        batch, length = images_shape[0], images_shape[1]
        choices = sampler.integers([batch], 0, len(self.clips))
        lengths = tf.gather(self._lengths, choices)
        # Starts where a long clip's window fits; anywhere in a looped short one.
        span = tf.where(lengths >= length, lengths - length + 1, lengths)
        offsets = tf.cast(tf.floor(sampler.uniform([batch]) * tf.cast(span, tf.float32)), tf.int32)
        return {
            "choices": choices,
            "offsets": tf.minimum(offsets, span - 1),
            "snr_db": sampler.uniform([batch], self.min_snr_db, self.max_snr_db),
            "apply": sampler.bernoulli([batch], self.rate),
        }

    def transform_images(self, images, transformation):
        self.check_clips()
        choices = transformation["choices"]
        noise = audio_ops.loop_segments(
            self._values, tf.gather(self._starts, choices), tf.gather(self._lengths, choices),
            transformation["offsets"], tf.shape(images)[1],
        )
        waveforms = tf.cast(images, tf.float32)
        mixed = audio_ops.add_noise_at_snr(
            waveforms, noise, transformation["snr_db"], tf.gather(self._floors, choices)
        )
        return tf.cast(tf.where(transformation["apply"][:, None], mixed, waveforms), images.dtype)


@keras.saving.register_keras_serializable(package="keras_augment")
class ApplyImpulseResponse(ClipAugmentation):
    """Convolves each waveform with a recorded room impulse response (reverb).

    Per sample, with probability `rate`, the layer picks one impulse
    response uniformly. Each response is scaled to unit energy (its squares
    sum to 1), so the output keeps about the input's power. The convolution
    (FFT, float32) is aligned on the response's direct path, its largest
    magnitude: the direct sound stays where it was in the input, and the
    output has the input's length, so reverberation running past the end of
    the waveform is cut off.

    The responses are read once, when the layer is made, and live in the
    layer, as for `AddBackgroundNoise` (same `get_config` and `.keras`
    rules).

    Args:
        impulse_responses: a folder of `.wav`, `.flac` or `.ogg` files (any
            depth), decoded as `keras_augment.data.load` decodes audio:
            mixed to mono and resampled to `sampling_rate`; unusable files
            are skipped, named in `layer.report` and in a warning. Or
            responses as arrays: one 1-D array, a 2-D array (one per row)
            or a list of 1-D arrays, at the waveforms' sampling rate.
        rate: probability that a sample is convolved, in [0, 1].
        sampling_rate: rate the folder's files are resampled to (the
            waveforms' rate); unused for arrays.
        seed: integer seed of the layer's own random draws.
        **kwargs: base layer arguments such as `name`.

    Input shape:
        `(B, T)` or a single `(T,)` waveform; or a dict with an "audio" key.

    Output shape:
        Same as the input, in the compute dtype.

    Example:

    >>> layer = keras_augment.layers.ApplyImpulseResponse("rirs/", rate=0.5)
    >>> layer(waveforms, seed=0).shape  # waveforms [B, T] at 16 kHz
    """

    clips_argument = "impulse_responses"

    def __init__(self, impulse_responses, rate=1.0, sampling_rate=16000, seed=None, **kwargs):
        super().__init__(impulse_responses, sampling_rate=sampling_rate, seed=seed, **kwargs)
        self.rate = check_unit_interval(rate, "rate", self._owner)

    def arguments(self):
        return {"rate": self.rate}

    def set_clips(self, clips):
        table = np.zeros([len(clips), max(len(clip) for clip in clips)], np.float32)
        for row, clip in zip(table, clips):
            row[: len(clip)] = clip / np.sqrt(np.sum(np.square(clip, dtype=np.float64)))
        self._responses = tf.constant(table)
        self._delays = tf.constant(np.argmax(np.abs(table), axis=1), tf.int32)

    def sample_parameters(self, sampler, images_shape):
        self.check_clips()
        batch = images_shape[0]
        return {
            "choices": sampler.integers([batch], 0, len(self.clips)),
            "apply": sampler.bernoulli([batch], self.rate),
        }

    def transform_images(self, images, transformation):
        self.check_clips()
        choices = transformation["choices"]
        waveforms = tf.cast(images, tf.float32)
        reverberant = audio_ops.convolve_aligned(
            waveforms, tf.gather(self._responses, choices), tf.gather(self._delays, choices)
        )
        return tf.cast(tf.where(transformation["apply"][:, None], reverberant, waveforms), images.dtype)
