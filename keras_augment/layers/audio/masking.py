"""SpecAugment's spectrogram operations: TimeMasking, FrequencyMasking, TimeWarp."""

import keras
import tensorflow as tf

from keras_augment.layers.arguments import (
    check_choice,
    check_integer,
    check_unit_interval,
    is_integer,
    is_number,
)
from keras_augment.layers.audio.base import SpectrogramAugmentation
from keras_augment.ops import audio as audio_ops

MASK_VALUES = ("mean", "min")


def check_width(value, name, owner):
    """A width: an integer >= 0 (frames or bins) or a float in [0, 1] (a fraction of the axis)."""
    if is_integer(value) and value >= 0:
        return int(value)
    if is_number(value) and not is_integer(value) and 0 <= value <= 1:
        return float(value)
    raise ValueError(
        f"{owner}: `{name}` must be an integer >= 0 (a count of frames or bins) or a "
        f"float in [0, 1] (a fraction of the axis); received {name}={value!r}."
    )


def width_in_steps(width, length):
    """A `check_width` width as a float count of steps of an axis of `length` steps."""
    if isinstance(width, float):
        return tf.floor(width * tf.cast(length, tf.float32))
    return tf.constant(float(width))


def check_mask_value(value, owner):
    """`"mean"`, `"min"` or a number."""
    if isinstance(value, str):
        return check_choice(value, "mask_value", owner, MASK_VALUES)
    if not is_number(value):
        raise ValueError(
            f"{owner}: `mask_value` must be a number, 'mean' or 'min'; received "
            f"mask_value={value!r}."
        )
    return value


def _draw_bands(sampler, batch, length, count, max_width, max_proportion=1.0):
    """Widths uniform in `[0, W]` (W capped at `max_proportion * length`),
    starts uniform among the positions where the band fits."""
    length_float = tf.cast(length, tf.float32)
    cap = tf.minimum(width_in_steps(max_width, length), tf.floor(max_proportion * length_float))
    widths = tf.floor(sampler.uniform([batch, count]) * (cap + 1.0))
    starts = tf.floor(sampler.uniform([batch, count]) * (length_float - widths + 1.0))
    return {"starts": tf.cast(starts, tf.int32), "widths": tf.cast(widths, tf.int32)}


class _Masking(SpectrogramAugmentation):
    axis = 1

    def __init__(self, max_width, count=1, mask_value="mean", seed=None, **kwargs):
        super().__init__(seed=seed, **kwargs)
        self.max_width = check_width(max_width, "max_width", self._owner)
        self.count = check_integer(count, "count", self._owner, minimum=0)
        self.mask_value = check_mask_value(mask_value, self._owner)

    def _max_proportion(self):
        return 1.0

    def sample_parameters(self, sampler, images_shape):
        return _draw_bands(
            sampler, images_shape[0], images_shape[self.axis], self.count,
            self.max_width, self._max_proportion(),
        )

    def transform_spectrograms(self, spectrograms, transformation):
        return audio_ops.mask_axis(
            spectrograms, transformation["starts"], transformation["widths"],
            self.axis, self.mask_value,
        )


@keras.saving.register_keras_serializable(package="keras_augment")
class TimeMasking(_Masking):
    """Masks `count` bands of consecutive time steps (SpecAugment).

    Each band has a width drawn uniformly from `[0, W]` with
    `W = min(max_width, floor(max_proportion * T))` and a start drawn
    uniformly where the band fits; bands are set to `mask_value`.

    Args:
        max_width: largest band width (SpecAugment's `T`): an integer
            number of time steps, or a float in [0, 1], a fraction of the
            input's `T` steps (`floor(max_width * T)`), which suits clips
            of any length.
        count: number of bands (`m_T`).
        max_proportion: largest fraction of the time steps one band may
            cover (`p`), in [0, 1].
        mask_value: what masked steps are set to: "mean" (the default) is
            each sample's mean over time and frequency (per channel) before
            masking, the paper's zero for its mean-normalised input; "min"
            is each sample's minimum, silence for a log or dB spectrogram
            (e.g. `keras.layers.MelSpectrogram`'s output); or a number.
        seed: integer seed of the layer's own random draws.
        **kwargs: base layer arguments such as `name`.

    Input shape:
        `(B, T, F)`, `(B, T, F, C)` or a single `(T, F)`; or a dict with an
        "audio" key.

    Output shape:
        Same as the input, in the compute dtype.

    Example:

    >>> layer = keras_augment.layers.TimeMasking(max_width=10, count=2)
    >>> layer(tf.ones([2, 50, 20]), seed=0).shape
    TensorShape([2, 50, 20])
    """

    axis = 1

    def __init__(self, max_width=100, count=1, max_proportion=1.0, mask_value="mean", seed=None,
                 **kwargs):
        super().__init__(max_width, count, mask_value, seed=seed, **kwargs)
        self.max_proportion = check_unit_interval(max_proportion, "max_proportion", self._owner)

    def _max_proportion(self):
        return self.max_proportion


@keras.saving.register_keras_serializable(package="keras_augment")
class FrequencyMasking(_Masking):
    """Masks `count` bands of consecutive frequency bins (SpecAugment).

    Each band has a width drawn uniformly from `[0, max_width]` and a start
    drawn uniformly where it fits; bands are set to `mask_value`.

    Args:
        max_width: largest band width (SpecAugment's `F`): an integer number
            of bins, or a float in [0, 1], a fraction of the input's bins.
        count: number of bands (`m_F`).
        mask_value: "mean" (the default), "min" or a number, as for
            `TimeMasking`.
        seed: integer seed of the layer's own random draws.
        **kwargs: base layer arguments such as `name`.

    Input shape:
        `(B, T, F)`, `(B, T, F, C)` or a single `(T, F)`; or a dict with an
        "audio" key.

    Output shape:
        Same as the input, in the compute dtype.

    Example:

    >>> layer = keras_augment.layers.FrequencyMasking(max_width=8, count=2)
    >>> layer(tf.ones([2, 50, 40]), seed=0).shape
    TensorShape([2, 50, 40])
    """

    axis = 2

    def __init__(self, max_width=27, count=1, mask_value="mean", seed=None, **kwargs):
        super().__init__(max_width, count, mask_value, seed=seed, **kwargs)


@keras.saving.register_keras_serializable(package="keras_augment")
class TimeWarp(SpectrogramAugmentation):
    """Warps the time axis piecewise linearly (SpecAugment's time warping).

    A frame `w0` drawn uniformly from `(W, T - W)` moves to `w0 + w` with
    `w` uniform in `[-W, W]`; the two sides stretch linearly and frames are
    linearly interpolated. `W` is `max_warp`, reduced on short inputs so the
    point stays inside (no warp below 3 frames).

    Args:
        max_warp: largest displacement (SpecAugment's `W`): an integer
            number of time steps, or a float in [0, 1], a fraction of the
            input's steps.
        seed: integer seed of the layer's own random draws.
        **kwargs: base layer arguments such as `name`.

    Input shape:
        `(B, T, F)`, `(B, T, F, C)` or a single `(T, F)`; or a dict with an
        "audio" key.

    Output shape:
        Same as the input, in the compute dtype.

    Example:

    >>> layer = keras_augment.layers.TimeWarp(max_warp=5)
    >>> layer(tf.ones([2, 50, 20]), seed=0).shape
    TensorShape([2, 50, 20])
    """

    def __init__(self, max_warp=80, seed=None, **kwargs):
        super().__init__(seed=seed, **kwargs)
        self.max_warp = check_width(max_warp, "max_warp", self._owner)

    def sample_parameters(self, sampler, images_shape):
        batch, length = images_shape[0], tf.cast(images_shape[1], tf.float32)
        largest = width_in_steps(self.max_warp, images_shape[1])
        warp = tf.clip_by_value(tf.floor((length - 3.0) / 2.0), 0.0, largest)
        # Centers in [W + 1, T - W - 2], so the moved point stays strictly inside.
        low, high = warp + 1.0, tf.maximum(length - warp - 2.0, warp + 1.0)
        centers = tf.floor(low + sampler.uniform([batch]) * (high - low + 1.0))
        distances = tf.floor(-warp + sampler.uniform([batch]) * (2.0 * warp + 1.0))
        return {"centers": tf.minimum(centers, high), "distances": distances}

    def transform_spectrograms(self, spectrograms, transformation):
        return audio_ops.time_warp(
            spectrograms, transformation["centers"], transformation["distances"]
        )
