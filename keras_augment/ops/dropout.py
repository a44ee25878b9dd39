"""Batched masks for erasing-style augmentations (cutout, erasing, GridMask).

Masks are boolean `[B, H, W, 1]`, True where pixels are dropped, built in
closed form from per-sample parameters: no per-image loop, no resampling.
"""

import math

import tensorflow as tf


def rectangle_masks(height, width, boxes, active=None):
    """Union of axis-aligned rectangles per image.

    Args:
        height, width: image size (ints or scalar tensors).
        boxes: `[B, N, 4]` float `(x0, y0, x1, y1)` in pixels; pixel `(x, y)`
            (its top-left corner) is inside when `x0 <= x < x1` and
            `y0 <= y < y1`, as in Keras `RandomErasing`.
        active: optional `[B, N]` bool; inactive rectangles are ignored.

    Returns:
        `[B, H, W, 1]` bool.
    """
    boxes = tf.cast(boxes, tf.float32)
    xs = tf.range(tf.cast(width, tf.float32))[None, None, :]
    ys = tf.range(tf.cast(height, tf.float32))[None, None, :]
    x0, y0, x1, y1 = tf.unstack(boxes[..., None], 4, axis=2)
    inside_x = tf.cast((xs >= x0) & (xs < x1), tf.float32)  # [B, N, W]
    inside_y = tf.cast((ys >= y0) & (ys < y1), tf.float32)  # [B, N, H]
    if active is not None:
        inside_y = inside_y * tf.cast(active, tf.float32)[..., None]
    # Rectangle n covers (y, x) when both indicators are 1: a batched outer
    # product summed over n is a single matmul.
    counts = tf.einsum("bnh,bnw->bhw", inside_y, inside_x)
    return (counts > 0.5)[..., None]


def grid_masks(height, width, unit_sizes, ratios, angles, offsets):
    """GridMask: a rotated grid of dropped squares.

    Each image's grid has cells of side `unit_sizes` pixels; in each cell a
    square of side `ratios * unit_sizes` is dropped. The grid is rotated by
    `angles` (radians) about the image centre and shifted by `offsets`.

    Args:
        height, width: image size.
        unit_sizes: `[B]` cell sides in pixels (> 0).
        ratios: `[B]` dropped fraction of a cell's side, in [0, 1].
        angles: `[B]` rotations in radians.
        offsets: `[B, 2]` grid shifts (x, y) in pixels.

    Returns:
        `[B, H, W, 1]` bool.
    """
    height_f = tf.cast(height, tf.float32)
    width_f = tf.cast(width, tf.float32)
    ys = tf.range(height_f)[None, :, None] + 0.5 - height_f / 2
    xs = tf.range(width_f)[None, None, :] + 0.5 - width_f / 2

    def column(values):
        return tf.reshape(tf.cast(values, tf.float32), [-1, 1, 1])

    cos, sin = column(tf.cos(angles)), column(tf.sin(angles))
    offsets = tf.cast(offsets, tf.float32)
    u = cos * xs + sin * ys + column(offsets[:, 0])
    v = cos * ys - sin * xs + column(offsets[:, 1])
    unit = column(unit_sizes)
    side = unit * column(ratios)
    dropped = (tf.math.floormod(u, unit) < side) & (tf.math.floormod(v, unit) < side)
    return dropped[..., None]


def fill_masked(images, masks, fill):
    """Replace masked pixels with `fill` (a scalar, `[C]` or image-shaped)."""
    fill = tf.cast(fill, images.dtype)
    return tf.where(masks, fill, images)


def fill_rectangles(images, boxes, active, fill):
    """`fill_masked` with `rectangle_masks` of the images' size."""
    shape = tf.shape(images)
    return fill_masked(images, rectangle_masks(shape[1], shape[2], boxes, active), fill)


def fill_grid(images, unit_sizes, ratios, angles, offsets, fill):
    """`fill_masked` with `grid_masks` of the images' size."""
    shape = tf.shape(images)
    masks = grid_masks(shape[1], shape[2], unit_sizes, ratios, angles, offsets)
    return fill_masked(images, masks, fill)


def full_turn(fraction):
    """A fraction of a full turn in radians."""
    return fraction * 2.0 * math.pi
