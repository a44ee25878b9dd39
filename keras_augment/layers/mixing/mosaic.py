"""Mosaic: four samples tiled around a random center."""

import numbers

import keras
import tensorflow as tf

from keras_augment.layers.core.base import KEYPOINTS
from keras_augment.layers.core.arguments import check_output_size, check_unit_interval, check_unit_pair
from keras_augment.layers.mixing.base import MixingAugmentation, draw_permutation
from keras_augment.ops import bounding_boxes as box_ops
from keras_augment.ops import mixing as mixing_ops


@keras.saving.register_keras_serializable(package="keras_augment")
class Mosaic(MixingAugmentation):
    """Tiles four images of the batch around a random center (Mosaic).

    Each output sample is made of itself and three partners (drawn from the
    seed), one per quadrant around a center drawn in `offset` of the output
    size; the sample itself lands in a random quadrant. Images keep their
    scale: each quadrant shows the corner of its image that faces the center,
    so no pixel is resampled. Where the output is larger than an image, the
    uncovered part is `fill_value`.

    Labels are mixed by the area each image covers. Segmentation masks are
    tiled with the pixels (0 where uncovered). Boxes (`bounding_box_format`
    required) of all four images are moved and clipped to the part of their
    image that is visible; boxes with less than `min_visibility` of their area
    visible become padding (class -1). The box axis grows fourfold. Keypoints
    (with a visibility column: x, y, visibility, ...) of all four images move
    the same way, and those outside the visible part of their image get
    visibility 0; the keypoint axis grows fourfold too.

    Args:
        output_size: `(height, width)` of the output, or None for the input size.
        offset: range, as fractions of the output size, of the mosaic center.
        fill_value: pixel value where no image covers the output.
        min_visibility: boxes with a smaller visible fraction are dropped;
            fully hidden boxes always are.
        num_classes: one-hot encode integer labels to this many classes.
        seed: integer seed of the layer's own random draws.
        data_format: `"channels_last"` or `"channels_first"`.
        **kwargs: base layer arguments such as `bounding_box_format`, `name`.

    Input shape:
        `(B, H, W, C)` or `(H, W, C)`, or a dict with `images` and optionally
        `labels`, `segmentation_masks`, `bounding_boxes` and `keypoints`.

    Output shape:
        `(B, height, width, C)` with the `output_size`, in the compute dtype.

    Example:

    >>> layer = keras_augment.layers.Mosaic(output_size=(64, 64), seed=0)
    >>> layer(tf.zeros([4, 32, 32, 3])).shape
    TensorShape([4, 64, 64, 3])
    """

    def __init__(
        self,
        output_size=None,
        offset=(0.25, 0.75),
        fill_value=0.0,
        min_visibility=0.0,
        num_classes=None,
        seed=None,
        data_format=None,
        **kwargs,
    ):
        super().__init__(num_classes=num_classes, seed=seed, data_format=data_format, **kwargs)
        self.output_size = check_output_size(output_size, "output_size", self._owner)
        self.offset = check_unit_pair(offset, "offset", self._owner)
        if not isinstance(fill_value, numbers.Real):
            raise ValueError(
                f"{self._owner}: `fill_value` must be a number; received {fill_value!r}."
            )
        self.fill_value = float(fill_value)
        self.min_visibility = check_unit_interval(min_visibility, "min_visibility", self._owner)

    def _output_size(self, images_shape):
        if self.output_size is None:
            return images_shape[1], images_shape[2]
        return self.output_size

    def compute_image_output_shape(self, images_shape):
        if self.output_size is None:
            return images_shape
        return (images_shape[0], *self.output_size, images_shape[3])

    def sample_parameters(self, sampler, images_shape):
        batch_size, height, width = images_shape[0], images_shape[1], images_shape[2]
        output_height, output_width = self._output_size(images_shape)
        members = [tf.range(batch_size)] + [draw_permutation(sampler, batch_size) for _ in range(3)]
        members = tf.stack(members, 1)
        # Put the sample itself in a random quadrant: roll each row.
        shift = sampler.integers([batch_size], 0, 4)
        quadrant_member = (tf.range(4)[None, :] - shift[:, None]) % 4
        sources = tf.gather(members, quadrant_member, batch_dims=1)
        low, high = self.offset
        size = tf.cast(tf.stack([output_height, output_width]), tf.float32)
        centers = tf.cast(tf.floor(sampler.uniform([batch_size, 2], low, high) * size), tf.int32)
        offsets, regions = mixing_ops.mosaic_sources(
            centers, output_height, output_width, height, width
        )
        visible = mixing_ops.mosaic_visible_regions(offsets, regions, height, width)
        areas = tf.cast(
            (visible[..., 2] - visible[..., 0]) * (visible[..., 3] - visible[..., 1]), tf.float32
        )
        weights = tf.math.divide_no_nan(areas, tf.reduce_sum(areas, 1, keepdims=True))
        return {
            "sources": sources,
            "weights": weights,
            "centers": centers,
            "offsets": offsets,
            "visible_regions": visible,
        }

    def _tile(self, images, transformation, fill_value):
        output_height, output_width = self._output_size(tf.shape(images))
        return mixing_ops.mosaic_pixels(
            images,
            transformation["sources"],
            transformation["offsets"],
            transformation["centers"],
            output_height,
            output_width,
            fill_value,
        )

    def transform_images(self, images, transformation):
        return self._tile(images, transformation, self.fill_value)

    def transform_segmentation_masks(self, masks, transformation):
        return self._tile(masks, transformation, 0)

    def transform_keypoints(self, keypoints, transformation, images_shape):
        if keypoints.shape[-1] is not None and keypoints.shape[-1] < 3:
            raise ValueError(
                f"{self._owner}: {KEYPOINTS} need a visibility column (x, y, visibility, "
                f"...), to flag the points hidden under another image; received "
                f"{KEYPOINTS} of shape {keypoints.shape}."
            )
        dtype = keypoints.dtype
        offsets = tf.cast(transformation["offsets"], dtype)  # [B, 4, (dy, dx)]
        visible = tf.cast(transformation["visible_regions"], dtype)  # [B, 4, yxyx]
        parts = []
        for quadrant in range(4):
            part = tf.gather(keypoints, transformation["sources"][:, quadrant])
            x = part[..., 0] - offsets[:, quadrant, 1:2]
            y = part[..., 1] - offsets[:, quadrant, 0:1]
            y0, x0, y1, x1 = (v[:, None] for v in tf.unstack(visible[:, quadrant], 4, -1))
            shown = tf.cast((x >= x0) & (x < x1) & (y >= y0) & (y < y1), dtype)
            parts.append(
                tf.concat(
                    [tf.stack([x, y, part[..., 2] * shown], -1), part[..., 3:]], axis=-1
                )
            )
        return tf.concat(parts, axis=1)

    def transform_bounding_boxes(self, bounding_boxes, transformation, images_shape):
        dtype = bounding_boxes["boxes"].dtype
        offsets = tf.cast(transformation["offsets"], dtype)  # [B, 4, (dy, dx)]
        visible = tf.cast(transformation["visible_regions"], dtype)  # [B, 4, yxyx]
        parts = []
        for quadrant in range(4):
            part = mixing_ops.gather_boxes(bounding_boxes, transformation["sources"][:, quadrant])
            dy, dx = offsets[:, quadrant, 0], offsets[:, quadrant, 1]
            shift = tf.stack([dx, dy, dx, dy], -1)[:, None, :]
            moved = part["boxes"] - shift
            y0, x0, y1, x1 = tf.unstack(visible[:, quadrant], 4, -1)
            clipped = mixing_ops.intersect_boxes(moved, tf.stack([x0, y0, x1, y1], -1))
            keep = mixing_ops.visible_enough(
                moved, box_ops.area(clipped), self.min_visibility
            )
            parts.append(box_ops.drop_boxes({**part, "boxes": clipped}, keep))
        return mixing_ops.concat_boxes(parts)
