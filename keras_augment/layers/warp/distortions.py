"""Grid, optical (lens) and thin-plate-spline distortions, per sample."""

import keras
import tensorflow as tf

from keras_augment.layers.core.arguments import check_integer, standardize_factor
from keras_augment.layers.warp.base import DISPLACEMENTS, WarpAugmentation
from keras_augment.ops import warp as warp_ops

_COMMON_ARGUMENTS = """        interpolation: `"bilinear"` or `"nearest"`.
        fill_mode: `"reflect"`, `"wrap"`, `"constant"` or `"nearest"`.
        fill_value: value outside the image for `fill_mode="constant"`.
        min_visibility: boxes keeping less of their warped area inside the
            image become padding (class -1).
        seed: integer seed of the layer's own random draws.
        data_format: `"channels_last"` or `"channels_first"`.
        **kwargs: base layer arguments such as `bounding_box_format`, `name`.

    Input shape:
        `(B, H, W, C)` or `(H, W, C)`, or a dict (see `BaseAugmentation`).

    Output shape:
        Same as the input, in the layer's compute dtype.
"""


class _Distortion(WarpAugmentation):
    def __init__(
        self,
        interpolation="bilinear",
        fill_mode="constant",
        fill_value=0.0,
        min_visibility=0.0,
        seed=None,
        data_format=None,
        **kwargs,
    ):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self._check_resample_arguments(interpolation, fill_mode)
        self.interpolation = interpolation
        self.fill_mode = fill_mode
        self.fill_value = float(fill_value)
        self.min_visibility = float(min_visibility)


@keras.saving.register_keras_serializable(package="keras_augment")
class RandomGridDistortion(_Distortion):
    """Stretches the cells of a coarse grid by random amounts (grid distortion).

    Each axis is cut into `num_steps` equal cells; per sample and per cell,
    the output shows a stretch of the input `1 + u` times as long, with `u`
    drawn in `distort_limit`, rescaled so the image edges stay in place (like
    albumentations' `GridDistortion` with `normalized=True`). The field is
    separable and piecewise linear.

    Args:
        num_steps: grid cells per axis.
        distort_limit: a float `l` for `(-l, l)` or a pair inside `(-1, 1)`.
{{common_arguments}}
    Example:

    >>> layer = keras_augment.layers.RandomGridDistortion(num_steps=4, seed=0)
    >>> layer(tf.zeros([2, 32, 32, 3])).shape
    TensorShape([2, 32, 32, 3])
    """

    def __init__(self, num_steps=5, distort_limit=0.3, **kwargs):
        super().__init__(**kwargs)
        self.num_steps = check_integer(num_steps, "num_steps", self._owner, minimum=1)
        self.distort_limit = standardize_factor(
            distort_limit, self._owner, bounds=(-0.99, 0.99), name="distort_limit"
        )

    def sample_parameters(self, sampler, images_shape):
        batch, height, width = images_shape[0], images_shape[1], images_shape[2]
        units_x = sampler.uniform([batch, self.num_steps])
        units_y = sampler.uniform([batch, self.num_steps])
        return {DISPLACEMENTS: warp_ops.grid_field(units_x, units_y, self.distort_limit, height, width)}


@keras.saving.register_keras_serializable(package="keras_augment")
class RandomOpticalDistortion(_Distortion):
    """Radial lens distortion: barrel (`k > 0`) or pincushion (`k < 0`).

    Per sample, `k` is drawn in `distort_limit` and output point `(x, y)`
    (normalised by the image size, about the centre) samples the input at
    `(x, y) * (1 + k r^2 + k r^4)`: OpenCV's camera model with `k1 = k2 = k`
    and focal lengths `(W, H)`, as albumentations' `OpticalDistortion`.

    Args:
        distort_limit: a float `l` for `(-l, l)` or a pair inside `[-1, 1]`.
            Beyond about `-0.35` the corners fold over.
{{common_arguments}}
    Example:

    >>> layer = keras_augment.layers.RandomOpticalDistortion(0.1, seed=0)
    >>> layer(tf.zeros([2, 32, 32, 3])).shape
    TensorShape([2, 32, 32, 3])
    """

    def __init__(self, distort_limit=0.05, **kwargs):
        super().__init__(**kwargs)
        self.distort_limit = standardize_factor(
            distort_limit, self._owner, bounds=(-1.0, 1.0), name="distort_limit"
        )

    def sample_parameters(self, sampler, images_shape):
        batch, height, width = images_shape[0], images_shape[1], images_shape[2]
        units = sampler.uniform([batch])
        return {DISPLACEMENTS: warp_ops.optical_field(units, self.distort_limit, height, width)}


@keras.saving.register_keras_serializable(package="keras_augment")
class RandomThinPlateSpline(_Distortion):
    """Jitters a grid of control points and warps smoothly between them.

    A `num_control_points x num_control_points` grid spans the image; per
    sample, each point moves by Gaussian noise of standard deviation
    `s / 10` of the image size, with `s` drawn in `scale_range`, and a
    thin-plate spline through the moved points gives the field (as
    albumentations' `ThinPlateSpline`), evaluated exactly at every pixel.

    Args:
        scale_range: `(low, high)` in `[0, 1]` of the jitter strength.
        num_control_points: control points per side, at least 2.
{{common_arguments}}
    Example:

    >>> layer = keras_augment.layers.RandomThinPlateSpline(seed=0)
    >>> layer(tf.zeros([2, 32, 32, 3])).shape
    TensorShape([2, 32, 32, 3])
    """

    def __init__(self, scale_range=(0.2, 0.4), num_control_points=4, **kwargs):
        super().__init__(**kwargs)
        self.scale_range = standardize_factor(
            scale_range, self._owner, bounds=(0.0, 1.0), name="scale_range"
        )
        self.num_control_points = check_integer(
            num_control_points, "num_control_points", self._owner, minimum=2
        )

    def sample_parameters(self, sampler, images_shape):
        batch, height, width = images_shape[0], images_shape[1], images_shape[2]
        side = tf.linspace(0.0, 1.0, self.num_control_points)
        source = tf.reshape(tf.stack(tf.meshgrid(side, side), -1), [-1, 2])
        normals = sampler.normal(tf.stack([batch, self.num_control_points**2, 2]))
        target = warp_ops.jitter_points(source, normals, sampler.uniform([batch]), self.scale_range)
        return {DISPLACEMENTS: warp_ops.thin_plate_field(source, target, height, width)}


for _layer in (RandomGridDistortion, RandomOpticalDistortion, RandomThinPlateSpline):
    _layer.__doc__ = _layer.__doc__.replace("{{common_arguments}}", _COMMON_ARGUMENTS)
