"""RandomElasticTransform: smooth random displacement fields, per sample."""

import keras
import tensorflow as tf

from keras_augment.layers.core.arguments import standardize_factor
from keras_augment.layers.warp.base import DISPLACEMENTS, WarpAugmentation
from keras_augment.ops import warp as warp_ops


@keras.saving.register_keras_serializable(package="keras_augment")
class RandomElasticTransform(WarpAugmentation):
    """Warps each image with its own smooth random displacement field.

    Drop-in for `keras.layers.RandomElasticTransform`, with the same
    arguments and field statistics: a sample is warped with probability drawn
    in `factor`; its strength `s` is drawn in `scale` (per sample, where Keras
    draws one for the batch), giving `alpha = 0.1 * s * max(H, W)` and
    `sigma = 0.05 * s * min(H, W)`; the field is Gaussian noise of standard
    deviation `sigma` blurred with a Gaussian of width `sigma` and multiplied
    by `alpha`. Unlike Keras, x and y displacements are independent, and the
    noise is drawn on a grid of about 48 points across the short side, blurred
    with two small matrix products and resized (see `keras_augment.ops.warp.elastic_field`),
    so the cost does not grow with `sigma`. The result is clipped to
    `value_range`, as in Keras.

    Masks follow with nearest sampling, keypoints through the inverted field,
    boxes as the box around their warped corners and edge midpoints (an
    approximation); `bounding_box_format` is needed for boxes. Inside a
    `Pipeline` the warp shares one resample with the geometric layers before it.

    Args:
        factor: probability range of warping a sample: a float `f` for
            `(0, f)` or a pair in `[0, 1]`. Defaults to 1.0.
        scale: strength range, a float `s` for `(0, s)` or a pair in `[0, 1]`.
        interpolation: `"bilinear"` or `"nearest"`.
        fill_mode: `"reflect"`, `"wrap"`, `"constant"` or `"nearest"`
            (Keras's `"mirror"` is not supported).
        fill_value: value outside the image for `fill_mode="constant"`.
        value_range: `(low, high)` the output is clipped to.
        seed: integer seed of the layer's own random draws.
        data_format: `"channels_last"` or `"channels_first"`.
        **kwargs: base layer arguments such as `bounding_box_format`, `name`.

    Input shape:
        `(B, H, W, C)` or `(H, W, C)`, or a dict (see `BaseAugmentation`).

    Output shape:
        Same as the input, in the layer's compute dtype.

    Example:

    >>> layer = keras_augment.layers.RandomElasticTransform(scale=0.5, seed=0)
    >>> layer(tf.zeros([2, 64, 64, 3])).shape
    TensorShape([2, 64, 64, 3])
    """

    def __init__(
        self,
        factor=1.0,
        scale=1.0,
        interpolation="bilinear",
        fill_mode="reflect",
        fill_value=0.0,
        value_range=(0, 255),
        seed=None,
        data_format=None,
        min_visibility=0.0,
        **kwargs,
    ):
        super().__init__(value_range=value_range, seed=seed, data_format=data_format, **kwargs)
        self.factor = standardize_factor(factor, self._owner, bounds=(0.0, 1.0))
        self.scale = standardize_factor(scale, self._owner, bounds=(0.0, 1.0), name="scale")
        self._check_resample_arguments(interpolation, fill_mode)
        self.interpolation = interpolation
        self.fill_mode = fill_mode
        self.fill_value = float(fill_value)
        self.min_visibility = float(min_visibility)

    def sample_parameters(self, sampler, images_shape):
        batch, height, width = images_shape[0], images_shape[1], images_shape[2]
        probability = sampler.uniform([batch], self.factor[0], self.factor[1])
        applied = sampler.uniform([batch]) < probability
        strength_units = sampler.uniform([batch])
        stride = warp_ops.field_stride(height, width)
        noise = sampler.normal(
            tf.stack([batch, (height + stride - 1) // stride, (width + stride - 1) // stride, 2])
        )
        field = warp_ops.elastic_field(noise, strength_units, self.scale, applied, stride, height, width)
        return {DISPLACEMENTS: field}
