"""Layers without a Keras core twin: gamma, Gaussian noise, channel shuffle."""

import keras
import tensorflow as tf

from keras_augment.layers.core.arguments import check_multiplier_range, standardize_factor
from keras_augment.layers.core.base import BaseAugmentation
from keras_augment.ops import colour
from keras_augment.ops.compiled import compiled


@keras.saving.register_keras_serializable(package="keras_augment")
class RandomGamma(BaseAugmentation):
    """Applies a random gamma curve `x ** gamma` to each image.

    Pixels are mapped to [0, 1] from `value_range`, raised to a per-sample
    `gamma ~ U(factor)` and mapped back. Gamma below 1 brightens.

    Args:
        factor: a number `f` in [0, 1) (gammas in `(1 - f, 1 + f)`) or a
            pair of positive gammas.
        value_range: `(low, high)` of the input pixels. Defaults to `(0, 255)`.
        seed: integer seed of the layer's own random draws.
        **kwargs: base layer arguments such as `name` and `dtype`.

    Input shape:
        `(B, H, W, C)` or `(H, W, C)`, or a dict (see `BaseAugmentation`).

    Output shape:
        Same as the input, in the layer's compute dtype.

    Example:

    >>> layer = keras_augment.layers.RandomGamma((0.7, 1.5), seed=0)
    >>> layer(tf.zeros([2, 8, 8, 3])).shape
    TensorShape([2, 8, 8, 3])
    """

    def __init__(self, factor=0.5, value_range=(0, 255), seed=None, **kwargs):
        super().__init__(value_range=value_range, seed=seed, **kwargs)
        self.factor = check_multiplier_range(factor, "factor", self._owner)

    def sample_parameters(self, sampler, images_shape):
        return {"gamma": sampler.uniform([images_shape[0]], *self.factor)}

    def transform_images(self, images, transformation):
        return compiled(colour.gamma)(images, transformation["gamma"], self.value_range)


@keras.saving.register_keras_serializable(package="keras_augment")
class RandomGaussianNoise(BaseAugmentation):
    """Adds zero-mean Gaussian noise of a random strength to each image.

    Each sample draws a standard deviation from `stddev` (a fraction of the
    value range's width), adds noise with it and clips to the value range.

    Args:
        stddev: a number `s` in [0, 1] (meaning `(0, s)`) or a pair.
        per_channel: if False, one noise value per pixel is shared by all
            channels (luminance noise). Defaults to True.
        value_range: `(low, high)` of the input pixels. Defaults to `(0, 255)`.
        seed: integer seed of the layer's own random draws.
        **kwargs: base layer arguments such as `name` and `dtype`.

    Input shape:
        `(B, H, W, C)` or `(H, W, C)`, or a dict (see `BaseAugmentation`).

    Output shape:
        Same as the input, in the layer's compute dtype.

    Example:

    >>> layer = keras_augment.layers.RandomGaussianNoise(0.1, seed=0)
    >>> layer(tf.zeros([2, 8, 8, 3])).shape
    TensorShape([2, 8, 8, 3])
    """

    def __init__(self, stddev=0.1, per_channel=True, value_range=(0, 255), seed=None, **kwargs):
        super().__init__(value_range=value_range, seed=seed, **kwargs)
        self.stddev = standardize_factor(stddev, self._owner, (0.0, 1.0), "stddev")
        if not isinstance(per_channel, bool):
            raise ValueError(
                f"{self._owner}: `per_channel` must be a bool; received "
                f"per_channel={per_channel!r}."
            )
        self.per_channel = per_channel

    def sample_parameters(self, sampler, images_shape):
        batch_size = images_shape[0]
        low, high = self.value_range
        # Scaled bounds rather than scaling the draw: graph optimizers fold
        # constant multiplication chains, which would change the rounding.
        stddev = sampler.uniform([batch_size], *(s * (high - low) for s in self.stddev))
        channels = images_shape[3] if self.per_channel else 1
        noise_shape = tf.stack([batch_size, images_shape[1], images_shape[2], channels])
        # Noise is a per-sample parameter like any other: drawn here, statelessly.
        noise = sampler.normal(noise_shape)
        return {"noise": noise * stddev[:, None, None, None]}

    def transform_images(self, images, transformation):
        return compiled(_add_noise)(images, transformation["noise"], self.value_range)


def _add_noise(images, noise, value_range):
    return colour.clip(images + tf.cast(noise, images.dtype), value_range)


@keras.saving.register_keras_serializable(package="keras_augment")
class RandomChannelShuffle(BaseAugmentation):
    """Randomly permutes the channels of each image.

    Every sample draws its own permutation, uniformly among all `C!`.

    Args:
        seed: integer seed of the layer's own random draws.
        data_format: `"channels_last"` or `"channels_first"`.
        **kwargs: base layer arguments such as `name` and `dtype`.

    Input shape:
        `(B, H, W, C)` or `(H, W, C)`, or a dict (see `BaseAugmentation`).

    Output shape:
        Same as the input, in the layer's compute dtype.

    Example:

    >>> layer = keras_augment.layers.RandomChannelShuffle(seed=0)
    >>> layer(tf.zeros([2, 8, 8, 3])).shape
    TensorShape([2, 8, 8, 3])
    """

    def __init__(self, seed=None, data_format=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)

    def sample_parameters(self, sampler, images_shape):
        # Sorting i.i.d. uniforms gives a uniform random permutation.
        keys = sampler.uniform(tf.stack([images_shape[0], images_shape[3]]))
        return {"permutation": tf.argsort(keys, axis=-1)}

    def transform_images(self, images, transformation):
        return compiled(colour.channel_shuffle)(images, transformation["permutation"])
