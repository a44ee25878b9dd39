"""Pixel-level layers with PIL semantics: grayscale, invert, posterize,
solarize, autocontrast and equalize. Drop-ins for the Keras core layers of the
same name; every sample draws its own parameters."""

import keras
import tensorflow as tf

from keras_augment.layers.core.arguments import is_number, standardize_factor
from keras_augment.layers.core.base import BaseAugmentation
from keras_augment.layers.core.sampling import probability_flags
from keras_augment.ops import colour
from keras_augment.ops.compiled import compiled


def _where_sample(flags, applied, original):
    return tf.where(tf.reshape(flags, [-1, 1, 1, 1]), applied, original)


def _grayscale_where(images, flags):
    gray = tf.broadcast_to(colour.grayscale(images), tf.shape(images))
    return _where_sample(flags, gray, images)


def _invert_where(images, flags, value_range):
    return _where_sample(flags, colour.invert(images, value_range), images)


@keras.saving.register_keras_serializable(package="keras_augment")
class RandomGrayscale(BaseAugmentation):
    """Turns each RGB image gray with probability `factor`, keeping 3 channels.

    Drop-in for `keras.layers.RandomGrayscale` (same luma weights).

    Args:
        factor: probability in [0, 1] that an image is turned gray.
        data_format: `"channels_last"` or `"channels_first"`.
        seed: integer seed of the layer's own random draws.
        **kwargs: base layer arguments such as `name` and `dtype`.

    Input shape:
        `(B, H, W, 3)` or `(H, W, 3)`, or a dict (see `BaseAugmentation`).

    Output shape:
        Same as the input, in the layer's compute dtype.

    Example:

    >>> layer = keras_augment.layers.RandomGrayscale(0.5, seed=0)
    >>> layer(tf.zeros([2, 8, 8, 3])).shape
    TensorShape([2, 8, 8, 3])
    """

    required_channels = 3

    def __init__(self, factor=0.5, data_format=None, seed=None, **kwargs):
        super().__init__(data_format=data_format, seed=seed, **kwargs)
        if not is_number(factor) or not 0 <= factor <= 1:
            raise ValueError(
                f"{self._owner}: `factor` must be a probability in [0, 1]; "
                f"received factor={factor!r}."
            )
        self.factor = float(factor)

    def sample_parameters(self, sampler, images_shape):
        return {"apply": sampler.bernoulli([images_shape[0]], self.factor)}

    def transform_images(self, images, transformation):
        return compiled(_grayscale_where)(images, transformation["apply"])


@keras.saving.register_keras_serializable(package="keras_augment")
class RandomInvert(BaseAugmentation):
    """Inverts each image with a random probability drawn from `factor`.

    Drop-in for `keras.layers.RandomInvert`: a sample is inverted when
    `U(0, 1) < U(factor)`. Inversion maps `x` to `low + high - x`, which is
    Keras's `high - x` for ranges starting at 0.

    Args:
        factor: a number in [0, 1] (meaning `(0, factor)`) or a pair.
        value_range: `(low, high)` of the input pixels. Defaults to `(0, 255)`.
        seed: integer seed of the layer's own random draws.
        data_format: `"channels_last"` or `"channels_first"`.
        **kwargs: base layer arguments such as `name` and `dtype`.

    Input shape:
        `(B, H, W, C)` or `(H, W, C)`, or a dict (see `BaseAugmentation`).

    Output shape:
        Same as the input, in the layer's compute dtype.

    Example:

    >>> layer = keras_augment.layers.RandomInvert(0.5, seed=0)
    >>> layer(tf.zeros([2, 8, 8, 3])).shape
    TensorShape([2, 8, 8, 3])
    """

    def __init__(self, factor=1.0, value_range=(0, 255), seed=None, data_format=None, **kwargs):
        super().__init__(value_range=value_range, seed=seed, data_format=data_format, **kwargs)
        self.factor = standardize_factor(factor, self._owner, (0.0, 1.0))

    def sample_parameters(self, sampler, images_shape):
        return {"apply": probability_flags(sampler, images_shape[0], self.factor)}

    def transform_images(self, images, transformation):
        return compiled(_invert_where)(images, transformation["apply"], self.value_range)


@keras.saving.register_keras_serializable(package="keras_augment")
class RandomPosterization(BaseAugmentation):
    """Keeps only the `bits` most significant bits of each 8-bit pixel.

    Drop-in for `keras.layers.RandomPosterization` (PIL's
    `ImageOps.posterize`): each sample draws an integer number of bits in
    `[low, high)` of `factor` (exactly `low` when both are equal).

    Args:
        factor: an integer `f` in [1, 8] (meaning `(1, f)`) or a pair.
        value_range: `(low, high)` of the input pixels. Defaults to `(0, 255)`.
        data_format: `"channels_last"` or `"channels_first"`.
        seed: integer seed of the layer's own random draws.
        **kwargs: base layer arguments such as `name` and `dtype`.

    Input shape:
        `(B, H, W, C)` or `(H, W, C)`, or a dict (see `BaseAugmentation`).

    Output shape:
        Same as the input, in the layer's compute dtype.

    Example:

    >>> layer = keras_augment.layers.RandomPosterization((2, 6), seed=0)
    >>> layer(tf.zeros([2, 8, 8, 3])).shape
    TensorShape([2, 8, 8, 3])
    """

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed=None, **kwargs):
        super().__init__(value_range=value_range, data_format=data_format, seed=seed, **kwargs)
        low, high = standardize_factor(factor, self._owner, (1.0, 8.0))
        self.factor = (int(low), int(high))

    def sample_parameters(self, sampler, images_shape):
        low, high = self.factor
        if low == high:
            return {"bits": tf.fill([images_shape[0]], low)}
        return {"bits": sampler.integers([images_shape[0]], low, high)}

    def transform_images(self, images, transformation):
        return compiled(colour.posterize)(images, transformation["bits"], self.value_range)


@keras.saving.register_keras_serializable(package="keras_augment")
class Solarization(BaseAugmentation):
    """Brightens then inverts every pixel at or above a random threshold.

    Drop-in for `keras.layers.Solarization` (PIL's `ImageOps.solarize` after
    an addition). Each sample draws an addition and a threshold, on the 0..255
    scale, from `addition_factor * 255` and `threshold_factor * 255`. (Keras
    3.15 forgets to scale the lower bound of a pair by 255; that only matters
    for pairs whose lower bound is not 0.)

    Args:
        addition_factor: a number in [0, 1] (meaning `(0, f)`) or a pair.
        threshold_factor: a number in [0, 1] (meaning `(0, f)`) or a pair.
        value_range: `(low, high)` of the input pixels. Defaults to `(0, 255)`.
        seed: integer seed of the layer's own random draws.
        **kwargs: base layer arguments such as `name` and `dtype`.

    Input shape:
        `(B, H, W, C)` or `(H, W, C)`, or a dict (see `BaseAugmentation`).

    Output shape:
        Same as the input, in the layer's compute dtype.

    Example:

    >>> layer = keras_augment.layers.Solarization(threshold_factor=(0.4, 0.6), seed=0)
    >>> layer(tf.zeros([2, 8, 8, 3])).shape
    TensorShape([2, 8, 8, 3])
    """

    def __init__(
        self, addition_factor=0.0, threshold_factor=0.0, value_range=(0, 255), seed=None, **kwargs
    ):
        super().__init__(value_range=value_range, seed=seed, **kwargs)
        owner = self._owner
        self.addition_factor = standardize_factor(
            addition_factor, owner, (0.0, 1.0), "addition_factor"
        )
        self.threshold_factor = standardize_factor(
            threshold_factor, owner, (0.0, 1.0), "threshold_factor"
        )

    def sample_parameters(self, sampler, images_shape):
        batch_size = [images_shape[0]]
        additions = sampler.uniform(batch_size, *(255.0 * f for f in self.addition_factor))
        thresholds = sampler.uniform(batch_size, *(255.0 * f for f in self.threshold_factor))
        return {"additions": additions, "thresholds": thresholds}

    def transform_images(self, images, transformation):
        return compiled(colour.solarize)(
            images, transformation["thresholds"], self.value_range, transformation["additions"]
        )


@keras.saving.register_keras_serializable(package="keras_augment")
class AutoContrast(BaseAugmentation):
    """Stretches each channel of each image to the full value range.

    Drop-in for `keras.layers.AutoContrast` (same output); equals PIL's
    `ImageOps.autocontrast` up to PIL's truncation to integers. Constant
    channels are returned unchanged.

    Args:
        value_range: `(low, high)` of the input pixels. Defaults to `(0, 255)`.
        **kwargs: base layer arguments such as `name` and `dtype`.

    Input shape:
        `(B, H, W, C)` or `(H, W, C)`, or a dict (see `BaseAugmentation`).

    Output shape:
        Same as the input, in the layer's compute dtype.

    Example:

    >>> layer = keras_augment.layers.AutoContrast()
    >>> layer(tf.zeros([2, 8, 8, 3])).shape
    TensorShape([2, 8, 8, 3])
    """

    random = False

    def __init__(self, value_range=(0, 255), **kwargs):
        super().__init__(value_range=value_range, **kwargs)

    def transform_images(self, images, transformation):
        return compiled(colour.autocontrast)(images, self.value_range)


@keras.saving.register_keras_serializable(package="keras_augment")
class Equalization(BaseAugmentation):
    """Equalizes the histogram of each channel of each image.

    Same arguments as `keras.layers.Equalization`, with PIL's
    `ImageOps.equalize` lookup table computed per image. Keras 3.15 builds one
    histogram for the whole batch and uses a different table, so it matches
    this layer only approximately, and only for single-image batches.

    Args:
        value_range: `(low, high)` of the input pixels. Defaults to `(0, 255)`.
        bins: number of histogram bins (2 to 256). Defaults to 256.
        data_format: `"channels_last"` or `"channels_first"`.
        **kwargs: base layer arguments such as `name` and `dtype`.

    Input shape:
        `(B, H, W, C)` or `(H, W, C)`, or a dict (see `BaseAugmentation`).

    Output shape:
        Same as the input, in the layer's compute dtype.

    Example:

    >>> layer = keras_augment.layers.Equalization()
    >>> layer(tf.zeros([2, 8, 8, 3])).shape
    TensorShape([2, 8, 8, 3])
    """

    random = False

    def __init__(self, value_range=(0, 255), bins=256, data_format=None, **kwargs):
        super().__init__(value_range=value_range, data_format=data_format, **kwargs)
        if not isinstance(bins, int) or isinstance(bins, bool) or not 2 <= bins <= 256:
            raise ValueError(
                f"{self._owner}: `bins` must be an integer in [2, 256]; received bins={bins!r}."
            )
        self.bins = bins

    def transform_images(self, images, transformation):
        return tf.cast(colour.equalize(images, self.value_range, self.bins), images.dtype)
