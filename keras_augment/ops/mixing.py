"""Batched kernels for layers that mix samples: MixUp, CutMix and Mosaic.

Pure TensorFlow, no randomness: the layers draw the partners, weights and
rectangles, these kernels apply them. Rectangles are integer pixel bounds
`[y0, x0, y1, x1]` (end exclusive); boxes are absolute `xyxy` floats.
"""

import tensorflow as tf

from keras_augment.ops import bounding_boxes as box_ops
from keras_augment.ops.compiled import compiled


def _per_sample(values, rank):
    """Reshape `[B]` to `[B, 1, ..., 1]` of the given rank."""
    return tf.reshape(values, tf.concat([tf.shape(values)[:1], tf.ones([rank - 1], tf.int32)], 0))


@compiled
def blend(images, partners, weights, dtype=tf.float32):
    """`weights * images + (1 - weights) * images[partners]`, per sample.

    Args:
        images: `[B, ...]` of any real dtype (uint8 is read directly).
        partners: int `[B]` index of each sample's partner.
        weights: float `[B]` weight of the sample itself.
        dtype: float dtype of the result.
    """
    images = tf.cast(images, dtype)
    weights = _per_sample(tf.cast(weights, dtype), images.shape.rank)
    return weights * images + (1 - weights) * tf.gather(images, partners)


def rectangle_masks(rectangles, height, width):
    """Boolean `[B, H, W]`: True inside each sample's rectangle.

    Args:
        rectangles: int `[B, 4]` as `[y0, x0, y1, x1]`, end exclusive.
        height: output height.
        width: output width.
    """
    rows = tf.range(height)[None, :, None]
    cols = tf.range(width)[None, None, :]
    y0, x0, y1, x1 = [r[:, None, None] for r in tf.unstack(rectangles, 4, axis=-1)]
    return (rows >= y0) & (rows < y1) & (cols >= x0) & (cols < x1)


@compiled
def paste_rectangles(images, partners, rectangles, dtype=None):
    """Replace each sample's rectangle with the same pixels of its partner.

    Compiled with XLA (like `blend`), the mask, gather and select run as one
    pass over the batch.

    Args:
        images: `[B, H, W, C]` of any dtype (images or masks).
        partners: int `[B]`.
        rectangles: int `[B, 4]` as `[y0, x0, y1, x1]`.
        dtype: dtype of the result; defaults to the input's.
    """
    shape = tf.shape(images)
    inside = rectangle_masks(rectangles, shape[1], shape[2])[..., None]
    return tf.cast(tf.where(inside, tf.gather(images, partners), images), dtype or images.dtype)


def intersect_boxes(boxes, regions):
    """Clip `[B, N, 4]` xyxy boxes to `[B, 4]` xyxy regions; empty boxes collapse."""
    regions = regions[:, None, :]
    low = tf.maximum(boxes[..., :2], regions[..., :2])
    high = tf.minimum(boxes[..., 2:], regions[..., 2:])
    return tf.concat([low, tf.maximum(high, low)], -1)


def subtract_rectangle(boxes, regions):
    """Bounding box of each box minus a hidden rectangle, and the visible area.

    The part of a box left visible around a rectangle is not a box; its
    bounding box shrinks only where the rectangle covers a whole side strip.

    Args:
        boxes: float `[B, N, 4]` xyxy.
        regions: float `[B, 4]` xyxy hidden rectangle of each sample.

    Returns:
        `(boxes, visible_area)` of shapes `[B, N, 4]` and `[B, N]`.
    """
    hidden = box_ops.area(intersect_boxes(boxes, regions))
    visible_area = box_ops.area(boxes) - hidden
    x1, y1, x2, y2 = tf.unstack(boxes, 4, axis=-1)
    rx1, ry1, rx2, ry2 = [r[:, None] for r in tf.unstack(regions, 4, axis=-1)]
    covers_x = (rx1 <= x1) & (rx2 >= x2)
    covers_y = (ry1 <= y1) & (ry2 >= y2)
    new_y1 = tf.where(covers_x & (ry1 <= y1) & (ry2 > y1), tf.minimum(ry2, y2), y1)
    new_y2 = tf.where(covers_x & (ry2 >= y2) & (ry1 < y2), tf.maximum(ry1, y1), y2)
    new_x1 = tf.where(covers_y & (rx1 <= x1) & (rx2 > x1), tf.minimum(rx2, x2), x1)
    new_x2 = tf.where(covers_y & (rx2 >= x2) & (rx1 < x2), tf.maximum(rx1, x1), x2)
    return tf.stack([new_x1, new_y1, new_x2, new_y2], -1), visible_area


def visible_enough(original_boxes, visible_area, min_visibility):
    """Boolean `[B, N]`: some part is visible and at least `min_visibility` of it."""
    area = box_ops.area(original_boxes)
    return (visible_area > 0) & (visible_area >= min_visibility * area)


def gather_boxes(bounding_boxes, partners):
    """Every `[B, N, ...]` entry of a box dict, taken from the partner samples."""
    return {key: tf.gather(value, partners) for key, value in bounding_boxes.items()}


def concat_boxes(parts):
    """Concatenate box dicts along the box axis."""
    return {key: tf.concat([part[key] for part in parts], 1) for key in parts[0]}


def mosaic_sources(centers, output_height, output_width, height, width):
    """Per-quadrant offsets that place four images around each mosaic center.

    Quadrant q (0 top-left, 1 top-right, 2 bottom-left, 3 bottom-right) shows
    its image untouched in scale, with the image corner that faces the center
    sitting on the center. Output pixel (y, x) of quadrant q reads source
    pixel (y + offset_y[q], x + offset_x[q]).

    Args:
        centers: int `[B, 2]` mosaic center as (y, x) in output pixels.
        output_height, output_width: output size.
        height, width: input image size.

    Returns:
        `(offsets, regions)`: int `[B, 4, 2]` (dy, dx) and int `[B, 4, 4]`
        quadrant rectangles `[y0, x0, y1, x1]` in output pixels.
    """
    cy, cx = centers[:, 0], centers[:, 1]
    zeros = tf.zeros_like(cy)
    offset_y = tf.stack([height - cy, height - cy, -cy, -cy], 1)
    offset_x = tf.stack([width - cx, -cx, width - cx, -cx], 1)
    full_h = zeros + output_height
    full_w = zeros + output_width
    y0 = tf.stack([zeros, zeros, cy, cy], 1)
    y1 = tf.stack([cy, cy, full_h, full_h], 1)
    x0 = tf.stack([zeros, cx, zeros, cx], 1)
    x1 = tf.stack([cx, full_w, cx, full_w], 1)
    return tf.stack([offset_y, offset_x], -1), tf.stack([y0, x0, y1, x1], -1)


def mosaic_visible_regions(offsets, regions, height, width):
    """Quadrant rectangles cut to where their source image exists: `[B, 4, 4]`."""
    y0, x0, y1, x1 = tf.unstack(regions, 4, axis=-1)
    dy, dx = offsets[..., 0], offsets[..., 1]
    y0 = tf.maximum(y0, -dy)
    x0 = tf.maximum(x0, -dx)
    y1 = tf.maximum(tf.minimum(y1, height - dy), y0)
    x1 = tf.maximum(tf.minimum(x1, width - dx), x0)
    return tf.stack([y0, x0, y1, x1], -1)


def mosaic_pixels(images, sources, offsets, centers, output_height, output_width, fill_value):
    """Assemble `[B, OH, OW, C]` mosaics by integer gathers (no resampling).

    Args:
        images: `[B, H, W, C]` of any dtype.
        sources: int `[B, 4]` sample index shown in each quadrant.
        offsets: from `mosaic_sources`.
        centers: int `[B, 2]` mosaic center (y, x).
        output_height, output_width: output size.
        fill_value: value where no source pixel exists.
    """
    shape = tf.shape(images)
    height, width = shape[1], shape[2]
    rows = tf.range(output_height)[None, :]
    cols = tf.range(output_width)[None, :]
    center_y = centers[:, :1]
    center_x = centers[:, 1:]
    bottom = tf.cast(rows >= center_y, tf.int32)  # [B, OH]
    right = tf.cast(cols >= center_x, tf.int32)  # [B, OW]
    quadrant = 2 * bottom[:, :, None] + right[:, None, :]  # [B, OH, OW]
    source_y = rows[:, :, None] + tf.gather(offsets[..., 0], quadrant, batch_dims=1)
    source_x = cols[:, None, :] + tf.gather(offsets[..., 1], quadrant, batch_dims=1)
    source = tf.gather(sources, quadrant, batch_dims=1)
    valid = (source_y >= 0) & (source_y < height) & (source_x >= 0) & (source_x < width)
    indices = tf.stack(
        [source, tf.clip_by_value(source_y, 0, height - 1), tf.clip_by_value(source_x, 0, width - 1)],
        -1,
    )
    pixels = tf.gather_nd(images, indices)
    return tf.where(valid[..., None], pixels, tf.cast(fill_value, images.dtype))
