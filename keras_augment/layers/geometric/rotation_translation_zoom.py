"""RandomRotation, RandomTranslation and RandomZoom: drop-ins for Keras core.

Each draws per-sample parameters, builds one matrix per sample and resamples
once with the XLA-compiled kernel; inside a `Pipeline` consecutive geometric
layers share a single resample.
"""

import keras
import tensorflow as tf

from keras_augment.layers.core.arguments import check_zoom_factor, standardize_factor
from keras_augment.layers.geometric.base import MATRIX, FilledGeometricAugmentation, image_size
from keras_augment.ops import geometry


@keras.saving.register_keras_serializable(package="keras_augment")
class RandomRotation(FilledGeometricAugmentation):
    """Rotates each image by its own random angle about the image centre.

    Drop-in for `keras.layers.RandomRotation`: `factor` is a fraction of a
    full turn; positive angles turn the content counter-clockwise.

    Args:
        factor: a number `f` for angles in `[-f, f] * 360` degrees, or a pair
            `(low, high)`.
        fill_mode: `"reflect"`, `"wrap"`, `"constant"` or `"nearest"`.
        interpolation: `"bilinear"` or `"nearest"`.
        seed: integer seed of the layer's own random draws.
        fill_value: value outside the image when `fill_mode="constant"`.
        data_format: `"channels_last"` or `"channels_first"`.
        **kwargs: base layer arguments such as `bounding_box_format`.

    Input shape:
        `(B, H, W, C)` or `(H, W, C)`, or a dict (see `BaseAugmentation`).

    Output shape:
        Same as the input.

    Example:

    >>> layer = keras_augment.layers.RandomRotation(0.1, seed=0)
    >>> layer(tf.zeros([2, 16, 16, 3])).shape
    TensorShape([2, 16, 16, 3])
    """

    def __init__(
        self,
        factor,
        fill_mode="reflect",
        interpolation="bilinear",
        seed=None,
        fill_value=0.0,
        data_format=None,
        **kwargs,
    ):
        super().__init__(fill_mode, interpolation, fill_value, seed, data_format, **kwargs)
        self.factor = standardize_factor(factor, self._owner, bounds=(-1e9, 1e9))

    def sample_parameters(self, sampler, images_shape):
        low, high = self.factor
        angle = sampler.uniform(images_shape[:1], low * 360.0, high * 360.0)
        height, width = image_size(images_shape)
        matrix = geometry.rotation(geometry.degrees_to_radians(angle), width / 2, height / 2)
        return {"angle": angle, MATRIX: matrix}


@keras.saving.register_keras_serializable(package="keras_augment")
class RandomTranslation(FilledGeometricAugmentation):
    """Shifts each image by its own random fraction of its height and width.

    Drop-in for `keras.layers.RandomTranslation`: positive factors move the
    content down and right.

    Args:
        height_factor: a number `f` for shifts in `[-f, f] * height`, or a
            pair `(low, high)`, within `[-1, 1]`.
        width_factor: the same for the width.
        fill_mode: `"reflect"`, `"wrap"`, `"constant"` or `"nearest"`.
        interpolation: `"bilinear"` or `"nearest"`.
        seed: integer seed of the layer's own random draws.
        fill_value: value outside the image when `fill_mode="constant"`.
        data_format: `"channels_last"` or `"channels_first"`.
        **kwargs: base layer arguments such as `bounding_box_format`.

    Input shape:
        `(B, H, W, C)` or `(H, W, C)`, or a dict (see `BaseAugmentation`).

    Output shape:
        Same as the input.

    Example:

    >>> layer = keras_augment.layers.RandomTranslation(0.1, 0.1, seed=0)
    >>> layer(tf.zeros([2, 16, 16, 3])).shape
    TensorShape([2, 16, 16, 3])
    """

    def __init__(
        self,
        height_factor,
        width_factor,
        fill_mode="reflect",
        interpolation="bilinear",
        seed=None,
        fill_value=0.0,
        data_format=None,
        **kwargs,
    ):
        super().__init__(fill_mode, interpolation, fill_value, seed, data_format, **kwargs)
        self.height_factor = standardize_factor(height_factor, self._owner, name="height_factor")
        self.width_factor = standardize_factor(width_factor, self._owner, name="width_factor")

    def sample_parameters(self, sampler, images_shape):
        batch = images_shape[:1]
        height, width = image_size(images_shape)
        dy = sampler.uniform(batch, *self.height_factor) * height
        dx = sampler.uniform(batch, *self.width_factor) * width
        return {"translation": tf.stack([dx, dy], -1), MATRIX: geometry.translation(dx, dy)}


@keras.saving.register_keras_serializable(package="keras_augment")
class RandomZoom(FilledGeometricAugmentation):
    """Zooms each image in or out by its own random factor about its centre.

    Drop-in for `keras.layers.RandomZoom`: the input is sampled at
    `centre + (1 + factor) * (output - centre)`, so positive factors zoom
    out and negative ones zoom in.

    Args:
        height_factor: a number `f` for factors in `[-f, f]`, or a pair
            `(low, high)`, within `(-1, 1]`.
        width_factor: the same for the width; None keeps the aspect ratio
            (one draw for both axes).
        fill_mode: `"reflect"`, `"wrap"`, `"constant"` or `"nearest"`.
        interpolation: `"bilinear"` or `"nearest"`.
        seed: integer seed of the layer's own random draws.
        fill_value: value outside the image when `fill_mode="constant"`.
        data_format: `"channels_last"` or `"channels_first"`.
        **kwargs: base layer arguments such as `bounding_box_format`.

    Input shape:
        `(B, H, W, C)` or `(H, W, C)`, or a dict (see `BaseAugmentation`).

    Output shape:
        Same as the input.

    Example:

    >>> layer = keras_augment.layers.RandomZoom(0.2, seed=0)
    >>> layer(tf.zeros([2, 16, 16, 3])).shape
    TensorShape([2, 16, 16, 3])
    """

    def __init__(
        self,
        height_factor,
        width_factor=None,
        fill_mode="reflect",
        interpolation="bilinear",
        seed=None,
        fill_value=0.0,
        data_format=None,
        **kwargs,
    ):
        super().__init__(fill_mode, interpolation, fill_value, seed, data_format, **kwargs)
        self.height_factor = check_zoom_factor(height_factor, "height_factor", self._owner)
        self.width_factor = (
            None if width_factor is None else check_zoom_factor(width_factor, "width_factor", self._owner)
        )

    def sample_parameters(self, sampler, images_shape):
        batch = images_shape[:1]
        height, width = image_size(images_shape)
        zoom_y = 1.0 + sampler.uniform(batch, *self.height_factor)
        zoom_x = zoom_y if self.width_factor is None else 1.0 + sampler.uniform(batch, *self.width_factor)
        matrix = geometry.scaling(zoom_x, zoom_y, width / 2, height / 2)
        return {"zoom": tf.stack([zoom_x, zoom_y], -1), MATRIX: matrix}
