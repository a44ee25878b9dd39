"""Shared base of non-rigid warps: one displacement field per sample, one resample.

A warp layer only builds a `[B, H, W, 2]` field `d` (see
`keras_augment.ops.warp`); output pixel `p` reads the input at
`matrix @ (p + d(p))`. The matrix is the identity for a layer on its own; a
`Pipeline` puts there the composed matrix of the geometric layers before the
warp, so the whole chain resamples once.
"""

from keras_augment.layers.geometric.base import MATRIX, GeometricAugmentation
from keras_augment.layers.geometric.warp_batch import warp_batch
from keras_augment.ops import geometry

DISPLACEMENTS = "displacements"


class WarpAugmentation(GeometricAugmentation):
    """Base of layers that move pixels through a per-sample displacement field.

    A subclass implements `sample_parameters(sampler, images_shape)`
    returning `{"displacements": field}`, a float `[B, H, W, 2]` field (or
    parts that broadcast to it), and sets `interpolation`, `fill_mode`,
    `fill_value` and `min_visibility` in its constructor. Warps keep the
    image size; they end a fused run in a `Pipeline` but never join one
    in the middle.
    """

    fusable = False
    warp = True
    fill_mode = "constant"

    def draw_transformation(self, sampler, images_shape):
        # Fields are drawn eagerly, not under the geometric XLA draw.
        return {
            MATRIX: geometry.identity(images_shape[0]),
            **self.sample_parameters(sampler, images_shape),
        }

    def warp_settings(self, **changes):
        return super().warp_settings(value_range=self.value_range, **changes)

    def transform_batch(self, batch, transformation):
        return warp_batch(
            batch, transformation[MATRIX], self.warp_settings(), displacements=transformation[DISPLACEMENTS]
        )
