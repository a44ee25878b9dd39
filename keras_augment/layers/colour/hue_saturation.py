"""Colour layers: saturation, hue, colour jitter, degeneration, grayscale, invert.

All are drop-ins for the Keras core layers of the same name: same
constructor arguments, same output for the same per-sample parameters. Every
sample draws its own parameters.
"""

import keras
import tensorflow as tf

from keras_augment.layers.core.arguments import check_contrast_factor, standardize_factor
from keras_augment.layers.core.base import BaseAugmentation
from keras_augment.ops import colour
from keras_augment.ops.compiled import compiled

# Keras's `epsilon()`, used by RandomSaturation's factor mapping.
_EPSILON = 1e-7


def saturation_multipliers(sampler, batch_size, factor):
    """Keras's mapping of `u ~ U(factor)` to a saturation multiplier:
    0 gives gray, 0.5 leaves the image, 1 saturates fully."""
    drawn = sampler.uniform([batch_size], factor[0], factor[1])
    # One constant, so graph rewrites cannot reorder the sum and change rounding.
    return drawn / ((1.0 + _EPSILON) - drawn)


def hue_deltas(sampler, batch_size, factor):
    """Keras's hue shift: `±U(factor) / 2` of a turn, sign drawn per sample."""
    sign = tf.where(sampler.uniform([batch_size]) > 0.5, -1.0, 1.0)
    return sign * sampler.uniform([batch_size], factor[0], factor[1]) * 0.5


@keras.saving.register_keras_serializable(package="keras_augment")
class RandomSaturation(BaseAugmentation):
    """Randomly changes the saturation of each RGB image.

    Drop-in for `keras.layers.RandomSaturation`. Each sample draws
    `u ~ U(factor)` and scales its HSV saturation by `u / (1 - u)`: 0 gives
    grayscale, 0.5 the original, 1 full saturation. Two documented
    differences from Keras 3.15: a single number `f` draws from `(0, f)` as
    Keras's docstring says (Keras draws from `(-f, f)`), and saturation is
    capped at 1 (Keras caps it at `value_range[1]`, so strong saturation
    leaves the value range there). Computed in RGB without an HSV round trip.

    Args:
        factor: a number in [0, 1] (meaning `(0, factor)`) or a pair.
        value_range: `(low, high)` of the input pixels. Defaults to `(0, 255)`.
        data_format: `"channels_last"` or `"channels_first"`.
        seed: integer seed of the layer's own random draws.
        **kwargs: base layer arguments such as `name` and `dtype`.

    Input shape:
        `(B, H, W, 3)` or `(H, W, 3)`, or a dict (see `BaseAugmentation`).

    Output shape:
        Same as the input, in the layer's compute dtype.

    Example:

    >>> layer = keras_augment.layers.RandomSaturation((0.2, 0.8), seed=0)
    >>> layer(tf.zeros([2, 8, 8, 3])).shape
    TensorShape([2, 8, 8, 3])
    """

    required_channels = 3

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed=None, **kwargs):
        super().__init__(value_range=value_range, data_format=data_format, seed=seed, **kwargs)
        self.factor = standardize_factor(factor, self._owner, (0.0, 1.0))

    def sample_parameters(self, sampler, images_shape):
        return {"factor": saturation_multipliers(sampler, images_shape[0], self.factor)}

    def transform_images(self, images, transformation):
        return compiled(colour.saturation)(images, transformation["factor"], self.value_range)


@keras.saving.register_keras_serializable(package="keras_augment")
class RandomHue(BaseAugmentation):
    """Randomly rotates the hue of each RGB image.

    Drop-in for `keras.layers.RandomHue`: each sample shifts its HSV hue by
    `±u / 2` of a turn with `u ~ U(factor)` and a random sign.

    Args:
        factor: a number in [0, 1] (meaning `(0, factor)`) or a pair.
        value_range: `(low, high)` of the input pixels. Defaults to `(0, 255)`.
        data_format: `"channels_last"` or `"channels_first"`.
        seed: integer seed of the layer's own random draws.
        **kwargs: base layer arguments such as `name` and `dtype`.

    Input shape:
        `(B, H, W, 3)` or `(H, W, 3)`, or a dict (see `BaseAugmentation`).

    Output shape:
        Same as the input, in the layer's compute dtype.

    Example:

    >>> layer = keras_augment.layers.RandomHue(0.5, seed=0)
    >>> layer(tf.zeros([2, 8, 8, 3])).shape
    TensorShape([2, 8, 8, 3])
    """

    required_channels = 3

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed=None, **kwargs):
        super().__init__(value_range=value_range, data_format=data_format, seed=seed, **kwargs)
        self.factor = standardize_factor(factor, self._owner, (0.0, 1.0))

    def sample_parameters(self, sampler, images_shape):
        return {"factor": hue_deltas(sampler, images_shape[0], self.factor)}

    def transform_images(self, images, transformation):
        return compiled(colour.hue)(images, transformation["factor"], self.value_range)


@keras.saving.register_keras_serializable(package="keras_augment")
class RandomColorJitter(BaseAugmentation):
    """Randomly changes brightness, contrast, saturation and hue, in that order.

    Drop-in for `keras.layers.RandomColorJitter`; each enabled part follows
    the Keras layer of the same name (`RandomBrightness`, `RandomContrast`,
    `RandomSaturation`, `RandomHue`), with every sample drawing its own
    parameters. Contrast uses the rule of Keras's docstring (a number `f`
    gives factors in `[1 - f, 1 + f]`).

    Args:
        value_range: `(low, high)` of the input pixels. Defaults to `(0, 255)`.
        brightness_factor: as `RandomBrightness.factor`, or None to skip.
        contrast_factor: as `RandomContrast.factor`, or None to skip.
        saturation_factor: as `RandomSaturation.factor`, or None to skip.
        hue_factor: as `RandomHue.factor`, or None to skip.
        seed: integer seed of the layer's own random draws.
        data_format: `"channels_last"` or `"channels_first"`.
        **kwargs: base layer arguments such as `name` and `dtype`.

    Input shape:
        `(B, H, W, 3)` or `(H, W, 3)`, or a dict (see `BaseAugmentation`).

    Output shape:
        Same as the input, in the layer's compute dtype.

    Example:

    >>> layer = keras_augment.layers.RandomColorJitter(
    ...     brightness_factor=0.2, saturation_factor=(0.3, 0.7), seed=0)
    >>> layer(tf.zeros([2, 8, 8, 3])).shape
    TensorShape([2, 8, 8, 3])
    """

    required_channels = 3

    def __init__(
        self,
        value_range=(0, 255),
        brightness_factor=None,
        contrast_factor=None,
        saturation_factor=None,
        hue_factor=None,
        seed=None,
        data_format=None,
        **kwargs,
    ):
        super().__init__(value_range=value_range, seed=seed, data_format=data_format, **kwargs)
        owner = self._owner
        self.brightness_factor = brightness_factor
        self.contrast_factor = contrast_factor
        self.saturation_factor = saturation_factor
        self.hue_factor = hue_factor
        self._brightness = (
            None
            if brightness_factor is None
            else standardize_factor(brightness_factor, owner, name="brightness_factor")
        )
        self._contrast = (
            None if contrast_factor is None else check_contrast_factor(contrast_factor, "contrast_factor", owner)
        )
        self._saturation = (
            None
            if saturation_factor is None
            else standardize_factor(saturation_factor, owner, (0.0, 1.0), "saturation_factor")
        )
        self._hue = (
            None
            if hue_factor is None
            else standardize_factor(hue_factor, owner, (0.0, 1.0), "hue_factor")
        )

    def sample_parameters(self, sampler, images_shape):
        batch_size = images_shape[0]
        low, high = self.value_range
        parameters = {}
        if self._brightness is not None:
            delta = sampler.uniform([batch_size], *self._brightness)
            parameters["brightness"] = delta * (high - low)
        if self._contrast is not None:
            parameters["contrast"] = sampler.uniform([batch_size], *self._contrast)
        if self._saturation is not None:
            parameters["saturation"] = saturation_multipliers(sampler, batch_size, self._saturation)
        if self._hue is not None:
            parameters["hue"] = hue_deltas(sampler, batch_size, self._hue)
        return parameters

    def transform_images(self, images, transformation):
        parts = [transformation.get(key) for key in ("brightness", "contrast", "saturation", "hue")]
        return compiled(_jitter)(images, *parts, self.value_range)


def _jitter(images, brightness, contrast, saturation, hue, value_range):
    """RandomColorJitter's kernel; None skips a part."""
    if brightness is not None:
        images = colour.brightness(images, brightness, value_range)
    if contrast is not None:
        images = colour.contrast(images, contrast, value_range)
    if saturation is not None:
        images = colour.saturation(images, saturation, value_range)
    if hue is not None:
        images = colour.hue(images, hue, value_range)
    return images


@keras.saving.register_keras_serializable(package="keras_augment")
class RandomColorDegeneration(BaseAugmentation):
    """Randomly blends each RGB image towards its grayscale version.

    Drop-in for `keras.layers.RandomColorDegeneration`: each sample draws
    `f ~ U(factor)` and returns `image + f * (gray - image)`, clipped; 0
    keeps the image, 1 makes it gray, negative values oversaturate. This is
    PIL's `ImageEnhance.Color` with enhance factor `1 - f`.

    Args:
        factor: a number in [-1, 1] (meaning `(-f, f)`) or a pair.
        value_range: `(low, high)` of the input pixels. Defaults to `(0, 255)`.
        data_format: `"channels_last"` or `"channels_first"`.
        seed: integer seed of the layer's own random draws.
        **kwargs: base layer arguments such as `name` and `dtype`.

    Input shape:
        `(B, H, W, 3)` or `(H, W, 3)`, or a dict (see `BaseAugmentation`).

    Output shape:
        Same as the input, in the layer's compute dtype.

    Example:

    >>> layer = keras_augment.layers.RandomColorDegeneration(0.5, seed=0)
    >>> layer(tf.zeros([2, 8, 8, 3])).shape
    TensorShape([2, 8, 8, 3])
    """

    required_channels = 3

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed=None, **kwargs):
        super().__init__(value_range=value_range, data_format=data_format, seed=seed, **kwargs)
        self.factor = standardize_factor(factor, self._owner)

    def sample_parameters(self, sampler, images_shape):
        return {"factor": sampler.uniform([images_shape[0]], *self.factor)}

    def transform_images(self, images, transformation):
        return compiled(colour.degenerate_color)(images, transformation["factor"], self.value_range)
