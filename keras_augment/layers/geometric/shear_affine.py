"""RandomShear (drop-in for Keras core) and RandomAffine (all in one matrix)."""

import math

import keras
import tensorflow as tf

from keras_augment.layers.core.arguments import check_shear_factor, check_zoom_factor, standardize_factor
from keras_augment.layers.geometric.base import MATRIX, FilledGeometricAugmentation, image_size
from keras_augment.ops import geometry


@keras.saving.register_keras_serializable(package="keras_augment")
class RandomShear(FilledGeometricAugmentation):
    """Shears each image along x and y by its own random amounts.

    Drop-in for `keras.layers.RandomShear`: the input is sampled at
    `x + sx * y`, `y + sy * x` (pixel-index plane, origin at the top-left
    pixel), and one random sign per sample flips both shears, as in Keras.

    Args:
        x_factor: a number `f` in `[0, 1]` for `sx` in `[-f, f]`, or a pair.
        y_factor: the same for `sy`.
        interpolation: `"bilinear"` or `"nearest"`.
        fill_mode: `"reflect"`, `"wrap"`, `"constant"` or `"nearest"`.
        fill_value: value outside the image when `fill_mode="constant"`.
        data_format: `"channels_last"` or `"channels_first"`.
        seed: integer seed of the layer's own random draws.
        **kwargs: base layer arguments such as `bounding_box_format`.

    Input shape:
        `(B, H, W, C)` or `(H, W, C)`, or a dict (see `BaseAugmentation`).

    Output shape:
        Same as the input.

    Example:

    >>> layer = keras_augment.layers.RandomShear(0.2, 0.2, seed=0)
    >>> layer(tf.zeros([2, 16, 16, 3])).shape
    TensorShape([2, 16, 16, 3])
    """

    def __init__(
        self,
        x_factor=0.0,
        y_factor=0.0,
        interpolation="bilinear",
        fill_mode="reflect",
        fill_value=0.0,
        data_format=None,
        seed=None,
        **kwargs,
    ):
        super().__init__(fill_mode, interpolation, fill_value, seed, data_format, **kwargs)
        self.x_factor = check_shear_factor(x_factor, "x_factor", self._owner)
        self.y_factor = check_shear_factor(y_factor, "y_factor", self._owner)

    def sample_parameters(self, sampler, images_shape):
        batch = images_shape[:1]
        sign = tf.where(sampler.bernoulli(batch, 0.5), -1.0, 1.0)
        shear_x = sampler.uniform(batch, *self.x_factor) * sign
        shear_y = sampler.uniform(batch, *self.y_factor) * sign
        # Keras shears about the centre of the top-left pixel.
        matrix = geometry.shear(shear_x, shear_y, 0.5, 0.5)
        return {"shear": tf.stack([shear_x, shear_y], -1), MATRIX: matrix}


@keras.saving.register_keras_serializable(package="keras_augment")
class RandomAffine(FilledGeometricAugmentation):
    """Rotation, translation, scale and shear in one per-sample matrix.

    The input is sampled through `translate @ rotate @ scale @ shear`, all
    about the image centre, and resampled once.

    Args:
        rotation_factor: fraction of a full turn, a number `f` for
            `[-f, f]` or a pair (as `RandomRotation`).
        height_translation_factor: fraction of the height (as
            `RandomTranslation`).
        width_translation_factor: fraction of the width.
        zoom_factor: the sampling scale is `1 + zoom`, a number or a pair in
            `(-1, 1]` (as `RandomZoom`; positive zooms out).
        shear_factor: shear angle as a fraction of 90 degrees, a number or a
            pair; x and y shears are drawn independently.
        fill_mode: `"reflect"`, `"wrap"`, `"constant"` or `"nearest"`.
        interpolation: `"bilinear"` or `"nearest"`.
        fill_value: value outside the image when `fill_mode="constant"`.
        min_area: boxes whose visible area is smaller (pixels) are dropped.
        min_visibility: boxes keeping a smaller fraction of their area
            inside the image are dropped.
        seed: integer seed of the layer's own random draws.
        data_format: `"channels_last"` or `"channels_first"`.
        **kwargs: base layer arguments such as `bounding_box_format`.

    Input shape:
        `(B, H, W, C)` or `(H, W, C)`, or a dict (see `BaseAugmentation`).

    Output shape:
        Same as the input.

    Example:

    >>> layer = keras_augment.layers.RandomAffine(0.05, 0.1, 0.1, 0.1, 0.05)
    >>> layer(tf.zeros([2, 16, 16, 3]), seed=0).shape
    TensorShape([2, 16, 16, 3])
    """

    def __init__(
        self,
        rotation_factor=0.0,
        height_translation_factor=0.0,
        width_translation_factor=0.0,
        zoom_factor=0.0,
        shear_factor=0.0,
        fill_mode="reflect",
        interpolation="bilinear",
        fill_value=0.0,
        min_area=0.0,
        min_visibility=0.0,
        seed=None,
        data_format=None,
        **kwargs,
    ):
        super().__init__(fill_mode, interpolation, fill_value, seed, data_format, **kwargs)
        owner = self._owner
        self.rotation_factor = standardize_factor(rotation_factor, owner, (-1e9, 1e9), "rotation_factor")
        self.height_translation_factor = standardize_factor(
            height_translation_factor, owner, name="height_translation_factor"
        )
        self.width_translation_factor = standardize_factor(
            width_translation_factor, owner, name="width_translation_factor"
        )
        self.zoom_factor = check_zoom_factor(zoom_factor, "zoom_factor", owner)
        self.shear_factor = standardize_factor(shear_factor, owner, (-0.99, 0.99), "shear_factor")
        for name, value in (("min_area", min_area), ("min_visibility", min_visibility)):
            if not isinstance(value, (int, float)) or value < 0:
                raise ValueError(f"{owner}: `{name}` must be a number >= 0; received {value!r}.")
        self.min_area = float(min_area)
        self.min_visibility = float(min_visibility)

    def sample_parameters(self, sampler, images_shape):
        batch = images_shape[:1]
        height, width = image_size(images_shape)
        center_x, center_y = width / 2, height / 2
        angle = sampler.uniform(batch, *self.rotation_factor) * (2 * math.pi)
        dy = sampler.uniform(batch, *self.height_translation_factor) * height
        dx = sampler.uniform(batch, *self.width_translation_factor) * width
        zoom = 1.0 + sampler.uniform(batch, *self.zoom_factor)
        shear_x = tf.tan(sampler.uniform(batch, *self.shear_factor) * (math.pi / 2))
        shear_y = tf.tan(sampler.uniform(batch, *self.shear_factor) * (math.pi / 2))
        matrix = geometry.compose(
            geometry.translation(dx, dy),
            geometry.rotation(angle, center_x, center_y),
            geometry.scaling(zoom, zoom, center_x, center_y),
            geometry.shear(shear_x, shear_y, center_x, center_y),
        )
        return {MATRIX: matrix}
