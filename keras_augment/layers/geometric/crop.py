"""Crops: RandomCrop (per-sample offsets), CenterCrop and RandomResizedCrop."""

import math

import keras
import tensorflow as tf

from keras_augment.layers.core.arguments import check_choice, check_positive_pair, check_size
from keras_augment.layers.geometric.base import (
    MATRIX,
    GeometricAugmentation,
    aspect_crop_window,
    window_matrices,
)
from keras_augment.ops import geometry
from keras_augment.ops.resample import INTERPOLATIONS


class _SizedGeometricAugmentation(GeometricAugmentation):
    """A geometric layer with a fixed `height x width` output."""

    def __init__(self, height, width, seed=None, data_format=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        check_size(height, width, self._owner)
        self.height = height
        self.width = width

    def output_size(self):
        return (self.height, self.width)

    def _smart_resize_matrices(self, images_shape):
        """Keras's `smart_resize`: centred aspect-ratio crop, then resize."""
        window = aspect_crop_window(images_shape, self.height, self.width)
        return window_matrices(images_shape, *window, self.height, self.width)


@keras.saving.register_keras_serializable(package="keras_augment")
class RandomCrop(_SizedGeometricAugmentation):
    """Crops a random `height x width` window, at its own offset per sample.

    Drop-in for `keras.layers.RandomCrop`, except that Keras draws one offset
    per batch. When the input is not larger than the target in both
    dimensions, and at inference, it crops the centre to the target aspect
    ratio and resizes, as Keras does.

    Args:
        height: output height.
        width: output width.
        seed: integer seed of the layer's own random draws.
        data_format: `"channels_last"` or `"channels_first"`.
        name: layer name.
        **kwargs: base layer arguments such as `bounding_box_format`.

    Input shape:
        `(B, H, W, C)` or `(H, W, C)`, or a dict (see `BaseAugmentation`).

    Output shape:
        `(B, height, width, C)`.

    Example:

    >>> layer = keras_augment.layers.RandomCrop(8, 8, seed=0)
    >>> layer(tf.zeros([2, 16, 16, 3])).shape
    TensorShape([2, 8, 8, 3])
    """

    applies_at_inference = True

    def __init__(self, height, width, seed=None, data_format=None, name=None, **kwargs):
        super().__init__(height, width, seed=seed, data_format=data_format, name=name, **kwargs)

    def sample_parameters(self, sampler, images_shape):
        batch = images_shape[:1]
        in_height, in_width = images_shape[1], images_shape[2]
        top = tf.floor(sampler.uniform(batch, 0.0, tf.cast(in_height - self.height + 1, tf.float32)))
        left = tf.floor(sampler.uniform(batch, 0.0, tf.cast(in_width - self.width + 1, tf.float32)))
        crops = geometry.crop_and_resize(top, left, self.height, self.width, self.height, self.width)
        larger = (in_height > self.height) & (in_width > self.width)
        matrix = tf.where(larger, crops, self._smart_resize_matrices(images_shape))
        return {MATRIX: matrix}

    def inference_parameters(self, images_shape):
        return {MATRIX: self._smart_resize_matrices(images_shape)}


@keras.saving.register_keras_serializable(package="keras_augment")
class CenterCrop(_SizedGeometricAugmentation):
    """Crops the central `height x width` window (in training and inference).

    Drop-in for `keras.layers.CenterCrop`: an input smaller than the target
    is centre-cropped to the target aspect ratio and resized up.

    Args:
        height: output height.
        width: output width.
        data_format: `"channels_last"` or `"channels_first"`.
        **kwargs: base layer arguments such as `bounding_box_format`.

    Input shape:
        `(B, H, W, C)` or `(H, W, C)`, or a dict (see `BaseAugmentation`).

    Output shape:
        `(B, height, width, C)`.

    Example:

    >>> layer = keras_augment.layers.CenterCrop(8, 8)
    >>> layer(tf.zeros([2, 16, 16, 3])).shape
    TensorShape([2, 8, 8, 3])
    """

    random = False
    applies_at_inference = True

    def __init__(self, height, width, data_format=None, **kwargs):
        super().__init__(height, width, data_format=data_format, **kwargs)

    def sample_parameters(self, sampler, images_shape):
        in_height, in_width = images_shape[1], images_shape[2]
        top = (in_height - self.height) // 2
        left = (in_width - self.width) // 2
        crops = window_matrices(images_shape, top, left, self.height, self.width, self.height, self.width)
        fits = (top >= 0) & (left >= 0)
        return {MATRIX: tf.where(fits, crops, self._smart_resize_matrices(images_shape))}


@keras.saving.register_keras_serializable(package="keras_augment")
class RandomResizedCrop(_SizedGeometricAugmentation):
    """Crops a random window of random area and aspect ratio, resized to
    `height x width` (the Inception crop), independently per sample.

    The window covers a fraction `U(scale)` of the image area with an aspect
    ratio (width / height) drawn log-uniformly from `ratio`; a window larger
    than the image is shrunk to fit, keeping its centre inside.

    Args:
        height: output height.
        width: output width.
        scale: `(low, high)` fraction of the image area.
        ratio: `(low, high)` aspect ratio of the window.
        interpolation: `"bilinear"` or `"nearest"`.
        seed: integer seed of the layer's own random draws.
        data_format: `"channels_last"` or `"channels_first"`.
        **kwargs: base layer arguments such as `bounding_box_format`.

    Input shape:
        `(B, H, W, C)` or `(H, W, C)`, or a dict (see `BaseAugmentation`).

    Output shape:
        `(B, height, width, C)`.

    Example:

    >>> layer = keras_augment.layers.RandomResizedCrop(8, 8, seed=0)
    >>> layer(tf.zeros([2, 16, 16, 3])).shape
    TensorShape([2, 8, 8, 3])
    """

    def __init__(
        self,
        height,
        width,
        scale=(0.08, 1.0),
        ratio=(3.0 / 4.0, 4.0 / 3.0),
        interpolation="bilinear",
        seed=None,
        data_format=None,
        **kwargs,
    ):
        super().__init__(height, width, seed=seed, data_format=data_format, **kwargs)
        self.scale = check_positive_pair(scale, "scale", self._owner, upper=1.0)
        self.ratio = check_positive_pair(ratio, "ratio", self._owner)
        self.interpolation = check_choice(interpolation, "interpolation", self._owner, INTERPOLATIONS)

    def sample_parameters(self, sampler, images_shape):
        batch = images_shape[:1]
        in_height = tf.cast(images_shape[1], tf.float32)
        in_width = tf.cast(images_shape[2], tf.float32)
        area = sampler.uniform(batch, *self.scale) * in_height * in_width
        log_ratio = sampler.uniform(batch, math.log(self.ratio[0]), math.log(self.ratio[1]))
        aspect = tf.exp(log_ratio)
        crop_width = tf.minimum(tf.sqrt(area * aspect), in_width)
        crop_height = tf.minimum(tf.sqrt(area / aspect), in_height)
        top = sampler.uniform(batch) * (in_height - crop_height)
        left = sampler.uniform(batch) * (in_width - crop_width)
        matrix = geometry.crop_and_resize(top, left, crop_height, crop_width, self.height, self.width)
        return {"crop": tf.stack([top, left, crop_height, crop_width], -1), MATRIX: matrix}
