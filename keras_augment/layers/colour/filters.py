"""Filter layers: sharpness, Gaussian blur and JPEG quality."""

import keras
import tensorflow as tf

from keras_augment.layers.core.arguments import check_kernel_size, is_number, standardize_factor
from keras_augment.layers.core.base import BaseAugmentation
from keras_augment.layers.core.sampling import probability_flags
from keras_augment.ops import colour, filters
from keras_augment.ops.compiled import compiled


@keras.saving.register_keras_serializable(package="keras_augment")
class RandomSharpness(BaseAugmentation):
    """Randomly sharpens or smooths each image.

    Same arguments as `keras.layers.RandomSharpness`: each sample draws
    `f ~ U(factor)` and blends with PIL's SMOOTH filter using PIL's
    `ImageEnhance.Sharpness` factor `2 f` (0 = smoothed, 0.5 = unchanged,
    1 = sharpened). Inside the image this equals Keras; on the one-pixel
    border it follows PIL, which keeps border pixels, where Keras's zero
    padding darkens them.

    Args:
        factor: a number in [0, 1] (meaning `(0, factor)`) or a pair.
        value_range: `(low, high)` of the input pixels. Defaults to `(0, 255)`.
        data_format: `"channels_last"` or `"channels_first"`.
        seed: integer seed of the layer's own random draws.
        **kwargs: base layer arguments such as `name` and `dtype`.

    Input shape:
        `(B, H, W, C)` or `(H, W, C)`, or a dict (see `BaseAugmentation`).

    Output shape:
        Same as the input, in the layer's compute dtype.

    Example:

    >>> layer = keras_augment.layers.RandomSharpness(0.8, seed=0)
    >>> layer(tf.zeros([2, 8, 8, 3])).shape
    TensorShape([2, 8, 8, 3])
    """

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed=None, **kwargs):
        super().__init__(value_range=value_range, data_format=data_format, seed=seed, **kwargs)
        self.factor = standardize_factor(factor, self._owner, (0.0, 1.0))

    def sample_parameters(self, sampler, images_shape):
        return {"factor": sampler.uniform([images_shape[0]], *self.factor)}

    def transform_images(self, images, transformation):
        return filters.sharpness(images, transformation["factor"], self.value_range, 2.0)


@keras.saving.register_keras_serializable(package="keras_augment")
class RandomGaussianBlur(BaseAugmentation):
    """Blurs each image with a Gaussian of random width, with a random probability.

    Drop-in for `keras.layers.RandomGaussianBlur`: an image is blurred when
    `U(0, 1) < U(factor)`; the standard deviations (horizontal, vertical) are
    drawn from `sigma`, here per sample (Keras draws one pair per batch).
    Zero padding at the border, as Keras.

    Args:
        factor: blur probability: a number in [0, 1] (meaning `(0, f)`) or a pair.
        kernel_size: odd integer, or a pair `(horizontal, vertical)`.
        sigma: a number `s` (meaning `(0, s)`) or a pair of standard deviations.
        value_range: `(low, high)` of the input pixels. Defaults to `(0, 255)`.
        data_format: `"channels_last"` or `"channels_first"`.
        seed: integer seed of the layer's own random draws.
        **kwargs: base layer arguments such as `name` and `dtype`.

    Input shape:
        `(B, H, W, C)` or `(H, W, C)`, or a dict (see `BaseAugmentation`).

    Output shape:
        Same as the input, in the layer's compute dtype.

    Example:

    >>> layer = keras_augment.layers.RandomGaussianBlur(kernel_size=5, seed=0)
    >>> layer(tf.zeros([2, 8, 8, 3])).shape
    TensorShape([2, 8, 8, 3])
    """

    def __init__(
        self,
        factor=1.0,
        kernel_size=3,
        sigma=1.0,
        value_range=(0, 255),
        data_format=None,
        seed=None,
        **kwargs,
    ):
        super().__init__(value_range=value_range, data_format=data_format, seed=seed, **kwargs)
        self.factor = standardize_factor(factor, self._owner, (0.0, 1.0))
        self.kernel_size = check_kernel_size(kernel_size, "kernel_size", self._owner)
        if isinstance(sigma, (tuple, list)) and len(sigma) == 2 and all(map(is_number, sigma)):
            self.sigma = tuple(sorted(float(s) for s in sigma))
        elif is_number(sigma):
            self.sigma = (0.0, abs(float(sigma)))
        else:
            raise ValueError(
                f"{self._owner}: `sigma` must be a number or a pair of numbers; "
                f"received sigma={sigma!r}."
            )
        if self.sigma[0] < 0:
            raise ValueError(f"{self._owner}: `sigma` must be >= 0; received sigma={sigma!r}.")

    def sample_parameters(self, sampler, images_shape):
        batch_size = images_shape[0]
        apply = probability_flags(sampler, batch_size, self.factor)
        # Keras adds 1e-6 to avoid a zero width; shifting the bounds keeps it one op.
        sigmas = sampler.uniform([batch_size, 2], self.sigma[0] + 1e-6, self.sigma[1] + 1e-6)
        return {"apply": apply, "sigma": sigmas}

    def transform_images(self, images, transformation):
        return compiled(_blur_where)(
            images, transformation["apply"], transformation["sigma"], self.kernel_size, self.value_range
        )


def _blur_where(images, flags, sigmas, kernel_size, value_range):
    blurred = filters.gaussian_blur(images, sigmas, kernel_size)
    flags = tf.reshape(flags, [-1, 1, 1, 1])
    return colour.clip(tf.where(flags, blurred, images), value_range)


@keras.saving.register_keras_serializable(package="keras_augment")
class RandomJpegQuality(BaseAugmentation):
    """Re-encodes each image as JPEG at a random quality.

    Each sample draws an integer quality in `[low, high]`. JPEG coding has no
    batched TensorFlow op, so this layer falls back to a per-image
    `tf.map_fn` over `tf.image.adjust_jpeg_quality` (not XLA-compilable);
    pixels are rounded to 8 bits first.

    Args:
        factor: a quality `q` in [0, 100] (meaning `(q, 100)`) or a pair.
        value_range: `(low, high)` of the input pixels. Defaults to `(0, 255)`.
        seed: integer seed of the layer's own random draws.
        **kwargs: base layer arguments such as `name` and `dtype`.

    Input shape:
        `(B, H, W, 1 or 3)` or `(H, W, 1 or 3)`, or a dict.

    Output shape:
        Same as the input, in the layer's compute dtype.

    Example:

    >>> layer = keras_augment.layers.RandomJpegQuality((50, 90), seed=0)
    >>> layer(tf.zeros([2, 8, 8, 3])).shape
    TensorShape([2, 8, 8, 3])
    """

    def __init__(self, factor=(75, 100), value_range=(0, 255), seed=None, **kwargs):
        super().__init__(value_range=value_range, seed=seed, **kwargs)
        if is_number(factor):
            factor = (factor, 100)
        low, high = standardize_factor(factor, self._owner, (0.0, 100.0))
        self.factor = (int(low), int(high))

    def _check_images(self, images):
        super()._check_images(images)
        if images.shape[-1] not in (None, 1, 3):
            raise ValueError(
                f"{self._owner} expected images with 1 or 3 channels; received "
                f"shape {images.shape}."
            )

    def sample_parameters(self, sampler, images_shape):
        low, high = self.factor
        return {"quality": sampler.integers([images_shape[0]], low, high + 1)}

    def transform_images(self, images, transformation):
        return filters.jpeg_quality(images, transformation["quality"], self.value_range)
