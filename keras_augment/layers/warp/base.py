"""Shared base of non-rigid warps: one displacement field per sample, one resample.

A warp layer only builds a `[B, H, W, 2]` field `d` (see
`keras_augment.ops.warp`); output pixel `p` reads the input at
`matrix @ (p + d(p))`. The matrix is the identity for a layer on its own; a
`Pipeline` puts there the composed matrix of the geometric layers before the
warp, so the whole chain resamples once.
"""

import tensorflow as tf

from keras_augment.layers.core.base import IMAGES, BaseAugmentation
from keras_augment.layers.core.arguments import check_resample_arguments
from keras_augment.layers.geometric.base import warp_batch
from keras_augment.ops import geometry

MATRIX = "matrix"
DISPLACEMENTS = "displacements"


class WarpAugmentation(BaseAugmentation):
    """Base of layers that move pixels through a per-sample displacement field.

    A subclass implements `sample_displacements(sampler, images_shape)`
    returning a float `[B, H, W, 2]` field (or parts that broadcast to it) and sets `interpolation`,
    `fill_mode`, `fill_value` and `min_visibility` in its constructor.
    """

    geometric = True
    warp = True
    accepts_uint8_images = True
    interpolation = "bilinear"
    fill_mode = "constant"
    fill_value = 0.0
    min_area = 0.0
    min_visibility = 0.0

    def call(self, data, training=True, seed=None):
        # Layers that read uint8 directly still return the compute dtype,
        # also at inference where nothing is transformed.
        output = super().call(data, training=training, seed=seed)
        if isinstance(output, dict):
            return {**output, IMAGES: tf.cast(output[IMAGES], self.compute_dtype)}
        return tf.cast(output, self.compute_dtype)

    def _check_resample_arguments(self, interpolation, fill_mode):
        check_resample_arguments(interpolation, fill_mode, self._owner)

    def output_size(self):
        """Warps keep the image size (read by a fusing `Pipeline`)."""
        return None

    def sample_displacements(self, sampler, images_shape):
        raise NotImplementedError(f"{type(self).__name__} must define sample_displacements.")

    def sample_parameters(self, sampler, images_shape):
        return {
            MATRIX: geometry.identity(images_shape[0]),
            DISPLACEMENTS: self.sample_displacements(sampler, images_shape),
        }

    def _transform_batch(self, batch, transformation):
        return warp_batch(
            batch,
            transformation[MATRIX],
            None,
            self.interpolation,
            self.fill_mode,
            self.fill_value,
            self.bounding_box_format,
            self._owner,
            self.min_area,
            self.min_visibility,
            self.compute_dtype,
            displacements=transformation[DISPLACEMENTS],
            value_range=self.value_range,
        )

    def transform_images(self, images, transformation):
        return self._transform_batch({IMAGES: images}, transformation)[IMAGES]
