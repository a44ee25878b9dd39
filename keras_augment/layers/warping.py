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
from keras_augment.layers.geometric_base import check_choice, move_bounding_boxes
from keras_augment.ops import bounding_boxes as box_ops
from keras_augment.ops import geometry
from keras_augment.ops import keypoints as keypoint_ops
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
    return warp_ops.forward_points(on_warp_plane, warp_ops.dense_field(displacements))


def warp_batch(
    batch,
    matrices,
    displacements,
    output_size,
    interpolation,
    fill_mode,
    fill_value,
    value_range=None,
    bounding_box_format=None,
    owner="keras_augment",
    min_area=0.0,
    min_visibility=0.0,
    dtype=None,
):
    """Warp every key of a standardized batch through a field, then a matrix.

    Output pixel `p` reads the input at `matrices @ (p + displacements(p))`.
    Images use `interpolation` and are clipped to `value_range` when given;
    masks use nearest and fill 0. Keypoints move through the numerically
    inverted map and, with a third (visibility) column, are flagged when they
    leave the image. Boxes become the box around their moved corners and
    edge midpoints (an approximation: a warped edge may bulge between those
    points), clipped, and dropped (class -1) like the geometric layers' boxes.

    Args:
        output_size: static `(height, width)` of the output (the field's
            size), or None for the input size.
        dtype: dtype of the output images (uint8 input is read directly);
            defaults to the input's.
    """
    images = batch[IMAGES]
    input_shape = tf.shape(images)
    output = dict(batch)
    warped = resample(
        images,
        matrices,
        output_size,
        interpolation,
        fill_mode,
        fill_value,
        output_dtype=dtype,
        displacements=displacements,
    )
    if value_range is not None:
        warped = tf.clip_by_value(warped, *[tf.cast(v, warped.dtype) for v in value_range])
    output[IMAGES] = warped
    out_height, out_width = tf.shape(warped)[1], tf.shape(warped)[2]
    if SEGMENTATION_MASKS in batch:
        output[SEGMENTATION_MASKS] = resample(
            batch[SEGMENTATION_MASKS],
            matrices,
            output_size,
            "nearest",
            fill_mode,
            0.0,
            displacements=displacements,
        )
    if KEYPOINTS in batch:
        keypoints = batch[KEYPOINTS]
        moved = tf.cast(forward_map(keypoints[..., :2], matrices, displacements), keypoints.dtype)
        moved = tf.concat([moved, keypoints[..., 2:]], -1)
        output[KEYPOINTS] = keypoint_ops.flag_visibility(moved, out_height, out_width)
    if BOUNDING_BOXES in batch:

        def move(xyxy):
            # Corners and edge midpoints through the field: an approximation.
            points = forward_map(box_outline_points(xyxy), matrices, displacements)
            points = tf.reshape(points, tf.concat([tf.shape(xyxy)[:2], [8, 2]], 0))
            return box_ops.enclosing_boxes(points)

        output[BOUNDING_BOXES] = move_bounding_boxes(
            batch[BOUNDING_BOXES],
            move,
            input_shape,
            (out_height, out_width),
            bounding_box_format,
            owner,
            min_area,
            min_visibility,
        )
    return output


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

    def call(self, data, training=None, seed=None):
        # Layers that read uint8 directly still return the compute dtype,
        # also at inference where nothing is transformed.
        output = super().call(data, training=training, seed=seed)
        if isinstance(output, dict):
            return {**output, IMAGES: tf.cast(output[IMAGES], self.compute_dtype)}
        return tf.cast(output, self.compute_dtype)

    def _check_resample_arguments(self, interpolation, fill_mode):
        check_choice(self._owner, "interpolation", interpolation, INTERPOLATIONS)
        check_choice(self._owner, "fill_mode", fill_mode, FILL_MODES)

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
            transformation[DISPLACEMENTS],
            None,
            self.interpolation,
            self.fill_mode,
            self.fill_value,
            self.value_range,
            self.bounding_box_format,
            self._owner,
            self.min_area,
            self.min_visibility,
            self.compute_dtype,
        )

    def transform_images(self, images, transformation):
        return self._transform_batch({IMAGES: images}, transformation)[IMAGES]
