"""Waveform layers: RandomGain, RandomNoise, RandomTimeShift, RandomSpeed, RandomPitchShift."""

import keras
import tensorflow as tf

from keras_augment.layers.core.arguments import check_unit_interval
from keras_augment.layers.core.arguments import check_integer, check_ordered_pair
from keras_augment.layers.audio.base import WaveformAugmentation
from keras_augment.ops import audio as audio_ops

@keras.saving.register_keras_serializable(package="keras_augment")
class RandomGain(WaveformAugmentation):
    """Scales each waveform by a gain drawn uniformly in decibels.

    Args:
        min_gain_db: lowest gain in dB (amplitude: `10 ** (dB / 20)`).
        max_gain_db: highest gain in dB.
        seed: integer seed of the layer's own random draws.
        **kwargs: base layer arguments such as `name`.

    Input shape:
        `(B, T)` or a single `(T,)` waveform; or a dict with an "audio" key.

    Output shape:
        Same as the input, in the compute dtype.

    Example:

    >>> layer = keras_augment.layers.RandomGain(-6.0, 6.0)
    >>> layer(tf.ones([2, 16000]), seed=0).shape
    TensorShape([2, 16000])
    """

    def __init__(self, min_gain_db=-6.0, max_gain_db=6.0, seed=None, **kwargs):
        super().__init__(seed=seed, **kwargs)
        self.min_gain_db, self.max_gain_db = check_ordered_pair(
            min_gain_db, max_gain_db, ("min_gain_db", "max_gain_db"), self._owner
        )

    def sample_parameters(self, sampler, images_shape):
        return {"gain_db": sampler.uniform(images_shape[:1], self.min_gain_db, self.max_gain_db)}

    def transform_images(self, images, transformation):
        return audio_ops.apply_gain(images, transformation["gain_db"])


@keras.saving.register_keras_serializable(package="keras_augment")
class RandomNoise(WaveformAugmentation):
    """Adds Gaussian white noise at a signal-to-noise ratio drawn in dB.

    The noise is scaled so that mean signal power over mean noise power is
    exactly the drawn SNR; silent waveforms stay silent.

    Args:
        min_snr_db: lowest SNR in dB.
        max_snr_db: highest SNR in dB.
        seed: integer seed of the layer's own random draws.
        **kwargs: base layer arguments such as `name`.

    Input shape:
        `(B, T)` or a single `(T,)` waveform; or a dict with an "audio" key.

    Output shape:
        Same as the input, in the compute dtype.

    Example:

    >>> layer = keras_augment.layers.RandomNoise(10.0, 30.0)
    >>> layer(tf.ones([2, 16000]), seed=0).shape
    TensorShape([2, 16000])
    """

    def __init__(self, min_snr_db=10.0, max_snr_db=40.0, seed=None, **kwargs):
        super().__init__(seed=seed, **kwargs)
        self.min_snr_db, self.max_snr_db = check_ordered_pair(
            min_snr_db, max_snr_db, ("min_snr_db", "max_snr_db"), self._owner
        )

    def sample_parameters(self, sampler, images_shape):
        return {
            "snr_db": sampler.uniform(images_shape[:1], self.min_snr_db, self.max_snr_db),
            "noise": sampler.normal(images_shape[:2]),
        }

    def transform_images(self, images, transformation):
        noise = tf.cast(transformation["noise"], images.dtype)
        return audio_ops.add_noise_at_snr(images, noise, transformation["snr_db"])


@keras.saving.register_keras_serializable(package="keras_augment")
class RandomTimeShift(WaveformAugmentation):
    """Shifts each waveform in time by a uniform number of samples.

    Args:
        max_shift: largest shift as a fraction of the length, in [0, 1];
            shifts are uniform in `[-max_shift * T, max_shift * T]`.
        rollover: True to wrap shifted samples around; False (default) to
            fill the vacated samples with zeros.
        seed: integer seed of the layer's own random draws.
        **kwargs: base layer arguments such as `name`.

    Input shape:
        `(B, T)` or a single `(T,)` waveform; or a dict with an "audio" key.

    Output shape:
        Same as the input, in the compute dtype.

    Example:

    >>> layer = keras_augment.layers.RandomTimeShift(0.1)
    >>> layer(tf.ones([2, 16000]), seed=0).shape
    TensorShape([2, 16000])
    """

    def __init__(self, max_shift=0.2, rollover=False, seed=None, **kwargs):
        super().__init__(seed=seed, **kwargs)
        self.max_shift = check_unit_interval(max_shift, "max_shift", self._owner)
        self.rollover = bool(rollover)

    def sample_parameters(self, sampler, images_shape):
        limit = tf.floor(self.max_shift * tf.cast(images_shape[1], tf.float32))
        shifts = tf.floor(sampler.uniform(images_shape[:1]) * (2.0 * limit + 1.0)) - limit
        return {"shifts": tf.cast(shifts, tf.int32)}

    def transform_images(self, images, transformation):
        return audio_ops.shift_time(images, transformation["shifts"], self.rollover)


@keras.saving.register_keras_serializable(package="keras_augment")
class RandomSpeed(WaveformAugmentation):
    """Changes playback speed by a uniform rate, keeping the length.

    The waveform is resampled by linear interpolation (pitch changes with
    speed, as on tape); faster audio is padded with zeros at the end, slower
    audio is cropped.

    Args:
        min_rate: lowest speed factor (> 0); 0.9 plays 10% slower.
        max_rate: highest speed factor.
        seed: integer seed of the layer's own random draws.
        **kwargs: base layer arguments such as `name`.

    Input shape:
        `(B, T)` or a single `(T,)` waveform; or a dict with an "audio" key.

    Output shape:
        Same as the input, in the compute dtype.

    Example:

    >>> layer = keras_augment.layers.RandomSpeed(0.9, 1.1)
    >>> layer(tf.ones([2, 16000]), seed=0).shape
    TensorShape([2, 16000])
    """

    def __init__(self, min_rate=0.9, max_rate=1.1, seed=None, **kwargs):
        super().__init__(seed=seed, **kwargs)
        self.min_rate, self.max_rate = check_ordered_pair(
            min_rate, max_rate, ("min_rate", "max_rate"), self._owner
        )
        if self.min_rate <= 0:
            raise ValueError(f"{self._owner}: `min_rate` must be > 0; received min_rate={min_rate!r}.")

    def sample_parameters(self, sampler, images_shape):
        return {"rates": sampler.uniform(images_shape[:1], self.min_rate, self.max_rate)}

    def transform_images(self, images, transformation):
        return audio_ops.change_speed(images, transformation["rates"])


@keras.saving.register_keras_serializable(package="keras_augment")
class RandomPitchShift(WaveformAugmentation):
    """Shifts pitch by a uniform number of semitones, keeping length and tempo.

    A batched phase vocoder stretches each waveform in time, then resampling
    brings it back to its length, so every frequency is multiplied by
    `2 ** (semitones / 12)` while the duration stays the same.

    Args:
        min_semitones: lowest shift in semitones (negative lowers the pitch).
        max_semitones: highest shift in semitones.
        frame_length: STFT window in samples (longer: finer frequencies).
        frame_step: STFT hop in samples.
        seed: integer seed of the layer's own random draws.
        **kwargs: base layer arguments such as `name`.

    Input shape:
        `(B, T)` or a single `(T,)` waveform; or a dict with an "audio" key.

    Output shape:
        Same as the input, in the compute dtype.

    Example:

    >>> layer = keras_augment.layers.RandomPitchShift(-2.0, 2.0)
    >>> layer(tf.ones([2, 16000]), seed=0).shape
    TensorShape([2, 16000])
    """

    def __init__(self, min_semitones=-2.0, max_semitones=2.0, frame_length=512, frame_step=128,
                 seed=None, **kwargs):
        super().__init__(seed=seed, **kwargs)
        self.min_semitones, self.max_semitones = check_ordered_pair(
            min_semitones, max_semitones, ("min_semitones", "max_semitones"), self._owner
        )
        self.frame_length = check_integer(frame_length, "frame_length", self._owner, minimum=2)
        self.frame_step = check_integer(frame_step, "frame_step", self._owner, minimum=1)
        if self.frame_step > self.frame_length:
            raise ValueError(
                f"{self._owner}: `frame_step` must be <= `frame_length`; received "
                f"frame_step={frame_step!r}, frame_length={frame_length!r}."
            )

    def sample_parameters(self, sampler, images_shape):
        return {"semitones": sampler.uniform(images_shape[:1], self.min_semitones, self.max_semitones)}

    def transform_images(self, images, transformation):
        largest = max(abs(self.min_semitones), abs(self.max_semitones))
        shifted = audio_ops.pitch_shift(
            tf.cast(images, tf.float32), transformation["semitones"], largest,
            self.frame_length, self.frame_step,
        )
        return tf.cast(shifted, images.dtype)
