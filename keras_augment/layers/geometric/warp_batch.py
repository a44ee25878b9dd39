"""The one geometric path: every pixel-moving layer warps a batch here.

`warp_batch` moves images, masks, keypoints and boxes of a standardized batch
with one `[B, 3, 3]` matrix per sample (output point to input point),
optionally after a per-pixel displacement field. Geometric layers, warps,
`Pipeline`'s fused runs and the probability wrappers all call it, so the
keys follow one rule whichever layer moved them.
"""

import dataclasses

import tensorflow as tf

from keras_augment.layers.core.boxes import move_bounding_boxes
from keras_augment.layers.core.inputs import BOUNDING_BOXES, IMAGES, KEYPOINTS, SEGMENTATION_MASKS
from keras_augment.ops import bounding_boxes as box_ops
from keras_augment.ops import geometry
from keras_augment.ops import keypoints as keypoint_ops
from keras_augment.ops import warp_points
from keras_augment.ops.resample import resample


@dataclasses.dataclass(frozen=True)
class WarpSettings:
    """How `warp_batch` resamples and which rules the moved keys follow.

    Attributes:
        output_size: static `(height, width)` of the output, or None for the
            input size.
        interpolation: `"bilinear"` or `"nearest"` for images (masks always
            use nearest).
        fill_mode: Keras fill mode outside the input; None means the layer
            never samples outside it (treated as `"constant"`).
        fill_value: value outside the input with `fill_mode="constant"`.
        bounding_box_format: format of the boxes; None refuses boxes.
        owner: the layer named in errors.
        min_area: moved boxes keeping less area (pixels) are dropped.
        min_visibility: moved boxes keeping less of their area are dropped.
        dtype: dtype of the warped images; None keeps theirs.
        value_range: `(low, high)` the warped images are clipped to, or None.
    """

    output_size: tuple = None
    interpolation: str = "bilinear"
    fill_mode: str = None
    fill_value: float = 0.0
    bounding_box_format: str = None
    owner: str = "keras_augment"
    min_area: float = 0.0
    min_visibility: float = 0.0
    dtype: object = None
    value_range: tuple = None


def warp_batch(batch, matrices, settings, displacements=None):
    """Warp every key of a standardized batch with one matrix per sample.

    Output pixel `p` reads the input at `matrices @ (p + displacements(p))`
    (`displacements` as in `ops.resample`; None for a matrix alone).
    Keypoints move and, when they carry a third visibility column, it is
    zeroed for points that left the image. Boxes are moved corner by corner
    through a matrix; through a field they become the box around their moved
    corners and edge midpoints (an approximation: a warped edge may bulge
    between those points). Either way they follow the box rule of
    `core.boxes`.

    Args:
        batch: dict with `images` `[B, H, W, C]` and optionally masks,
            keypoints and boxes, as `BaseAugmentation` standardizes them.
        matrices: float `[B, 3, 3]` output-to-input matrices.
        settings: a `WarpSettings`.
        displacements: optional per-pixel field (see `ops.resample`).
    """
    images = batch[IMAGES]
    input_shape = tf.shape(images)
    fill_mode = settings.fill_mode or "constant"
    output = dict(batch)
    warped = resample(
        images,
        matrices,
        settings.output_size,
        settings.interpolation,
        fill_mode,
        settings.fill_value,
        output_dtype=settings.dtype,
        displacements=displacements,
    )
    if settings.value_range is not None:
        warped = tf.clip_by_value(warped, *[tf.cast(v, warped.dtype) for v in settings.value_range])
    output[IMAGES] = warped
    output_shape = tf.shape(warped)
    if SEGMENTATION_MASKS in batch:
        output[SEGMENTATION_MASKS] = resample(
            batch[SEGMENTATION_MASKS],
            matrices,
            settings.output_size,
            "nearest",
            fill_mode,
            0.0,
            displacements=displacements,
        )
    move_points, move_boxes = _point_movers(batch, matrices, displacements)
    if KEYPOINTS in batch:
        moved = move_points(batch[KEYPOINTS])
        output[KEYPOINTS] = keypoint_ops.flag_visibility(moved, output_shape[1], output_shape[2])
    if BOUNDING_BOXES in batch:
        output[BOUNDING_BOXES] = move_bounding_boxes(
            batch[BOUNDING_BOXES],
            lambda boxes: {**boxes, "boxes": move_boxes(boxes["boxes"])},
            input_shape,
            output_shape,
            settings.bounding_box_format,
            settings.owner,
            settings.min_area,
            settings.min_visibility,
        )
    return output


def _point_movers(batch, matrices, displacements):
    """Functions moving keypoints `[B, K, D]` and xyxy boxes `[B, N, 4]` from
    input to output positions."""
    if displacements is None:
        forward = geometry.invert(matrices) if {KEYPOINTS, BOUNDING_BOXES} & set(batch) else None

        def move_keypoints(keypoints):
            return keypoint_ops.transform_keypoints(keypoints, forward)

        def move_boxes(xyxy):
            return box_ops.transform_boxes(xyxy, forward)

        return move_keypoints, move_boxes

    def move_keypoints(keypoints):
        moved = warp_points.forward_map(keypoints[..., :2], matrices, displacements)
        return tf.concat([tf.cast(moved, keypoints.dtype), keypoints[..., 2:]], -1)

    def move_boxes(xyxy):
        # Corners and edge midpoints through the field: an approximation.
        points = warp_points.forward_map(box_ops.outline_points(xyxy), matrices, displacements)
        points = tf.reshape(points, tf.concat([tf.shape(xyxy)[:2], [8, 2]], 0))
        return box_ops.enclosing_boxes(points)

    return move_keypoints, move_boxes
