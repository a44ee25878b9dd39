"""Shared base of non-rigid warps: one displacement field per sample, one resample.

A warp layer only builds a `[B, H, W, 2]` field `d` (see
`keras_augment.ops.warp`); output pixel `p` reads the input at
`matrix @ (p + d(p))`. The matrix is the identity for a layer on its own; a
`Pipeline` puts there the composed matrix of the geometric layers before the
warp, so the whole chain resamples once.
"""

import tensorflow as tf

from keras_augment.layers.base import (
    BOUNDING_BOXES,
    IMAGES,
    KEYPOINTS,
    SEGMENTATION_MASKS,
    BaseAugmentation,
)
from keras_augment.ops import geometry
from keras_augment.ops import mixing as mixing_ops
from keras_augment.ops import warp as warp_ops
from keras_augment.ops.resample import FILL_MODES, INTERPOLATIONS, resample

MATRIX = "matrix"
DISPLACEMENTS = "displacements"


def box_outline_points(boxes):
    """Corners and edge midpoints `[B, N * 8, 2]` of xyxy boxes `[B, N, 4]`."""
    x1, y1, x2, y2 = tf.unstack(boxes, 4, axis=-1)
    xm, ym = (x1 + x2) / 2, (y1 + y2) / 2
    xs = tf.stack([x1, xm, x2, x2, x2, xm, x1, x1], -1)
    ys = tf.stack([y1, y1, y1, ym, y2, y2, y2, ym], -1)
    points = tf.stack([xs, ys], -1)  # [B, N, 8, 2]
    return tf.reshape(points, tf.stack([tf.shape(boxes)[0], -1, 2]))


def forward_map(points, matrices, displacements):
    """Output positions of input points `[B, K, 2]` under `matrix @ (p + d(p))`."""
    on_warp_plane = geometry.transform_points(points, geometry.invert(matrices))
    return warp_ops.forward_points(on_warp_plane, displacements)


def warp_batch(layer, batch, matrices, displacements):
    """Warp every key of a standardized batch through a matrix and a field.

    Images use the layer's interpolation and fill; masks use nearest and fill
    0. Keypoints move through the numerically inverted map and, when they
    have a third (visibility) column, it is zeroed where they left the image.
    Boxes become the box around their moved corners and edge midpoints (an
    approximation: a warped edge may bulge between those points), clipped to
    the image; boxes left with less than `min_visibility` of their moved
    area, or none, become padding (class -1).
    """
    images = batch[IMAGES]
    shape = tf.shape(images)
    height, width = shape[1], shape[2]
    output = dict(batch)
    warped = resample(
        images, matrices, None, layer.interpolation, layer.fill_mode, layer.fill_value, displacements
    )
    if layer.value_range is not None:
        warped = tf.clip_by_value(warped, *[tf.cast(v, warped.dtype) for v in layer.value_range])
    output[IMAGES] = warped
    if SEGMENTATION_MASKS in batch:
        output[SEGMENTATION_MASKS] = resample(
            batch[SEGMENTATION_MASKS], matrices, None, "nearest", layer.fill_mode, 0.0, displacements
        )
    if KEYPOINTS in batch:
        keypoints = batch[KEYPOINTS]
        moved = tf.cast(forward_map(keypoints[..., :2], matrices, displacements), keypoints.dtype)
        rest = keypoints[..., 2:]
        if keypoints.shape[-1] is not None and keypoints.shape[-1] >= 3:
            x, y = moved[..., 0], moved[..., 1]
            inside = (x >= 0) & (y >= 0) & (x < tf.cast(width, x.dtype)) & (y < tf.cast(height, y.dtype))
            visibility = rest[..., :1] * tf.cast(inside, rest.dtype)[..., None]
            rest = tf.concat([visibility, rest[..., 1:]], -1)
        output[KEYPOINTS] = tf.concat([moved, rest], -1)
    if BOUNDING_BOXES in batch:
        output[BOUNDING_BOXES] = layer._transform_boxes(
            batch[BOUNDING_BOXES], {MATRIX: matrices, DISPLACEMENTS: displacements}, shape, warped
        )
    return output


class WarpAugmentation(BaseAugmentation):
    """Base of layers that move pixels through a per-sample displacement field.

    A subclass implements `sample_displacements(sampler, images_shape)`
    returning a float `[B, H, W, 2]` field and sets `interpolation`,
    `fill_mode`, `fill_value` and `min_visibility` in its constructor.
    """

    geometric = True
    warp = True
    interpolation = "bilinear"
    fill_mode = "constant"
    fill_value = 0.0
    min_visibility = 0.0

    def _check_resample_arguments(self, interpolation, fill_mode):
        for name, value, choices in (
            ("interpolation", interpolation, INTERPOLATIONS),
            ("fill_mode", fill_mode, FILL_MODES),
        ):
            if value not in choices:
                raise ValueError(
                    f"{self._owner}: `{name}` must be one of {choices}; received {name}={value!r}."
                )

    def sample_displacements(self, sampler, images_shape):
        raise NotImplementedError(f"{type(self).__name__} must define sample_displacements.")

    def sample_parameters(self, sampler, images_shape):
        return {
            MATRIX: geometry.identity(images_shape[0]),
            DISPLACEMENTS: self.sample_displacements(sampler, images_shape),
        }

    def _transform_batch(self, batch, transformation):
        return warp_batch(self, batch, transformation[MATRIX], transformation[DISPLACEMENTS])

    def transform_images(self, images, transformation):
        return self._transform_batch({IMAGES: images}, transformation)[IMAGES]

    def transform_bounding_boxes(self, bounding_boxes, transformation, images_shape):
        boxes = bounding_boxes["boxes"]
        valid = mixing_ops.box_areas(boxes) > 0
        if "classes" in bounding_boxes:
            valid &= bounding_boxes["classes"] >= 0
        points = forward_map(
            box_outline_points(boxes), transformation[MATRIX], transformation[DISPLACEMENTS]
        )
        points = tf.reshape(points, tf.concat([tf.shape(boxes)[:2], [8, 2]], 0))
        moved = tf.concat([tf.reduce_min(points, -2), tf.reduce_max(points, -2)], -1)
        height = tf.cast(images_shape[1], moved.dtype)
        width = tf.cast(images_shape[2], moved.dtype)
        image = tf.stack([0.0, 0.0, width, height])[None]
        clipped = mixing_ops.intersect_boxes(moved, tf.tile(image, [tf.shape(moved)[0], 1]))
        keep = valid & mixing_ops.visible_enough(
            moved, mixing_ops.box_areas(clipped), self.min_visibility
        )
        return mixing_ops.drop_boxes({**bounding_boxes, "boxes": clipped}, keep)

