"""Bounding-box format conversions and the box rules every layer follows.

Boxes are float tensors of shape `[..., 4]`. Pixel formats use the continuous
image plane: `(0, 0)` is the top-left corner of the top-left pixel and
`(width, height)` the bottom-right corner of the image. Relative formats
divide x by width and y by height.

The box rules, applied by every layer that moves boxes (`usable_boxes` on
the way in, `clip_and_drop` on the way out):

- A box with x2 < x1 (or y2 < y1) means the rectangle between its corners.
- A box is dropped (zeros, class -1) when it is padding (class -1), holds a
  NaN or infinite coordinate, lies wholly outside the image, or has no area
  once clipped to the image.
- A kept box is clipped to the output image.
"""

import tensorflow as tf

FORMATS = (
    "xyxy",
    "rel_xyxy",
    "xywh",
    "rel_xywh",
    "center_xywh",
    "rel_center_xywh",
    "yxyx",
    "rel_yxyx",
    "center_yxhw",
)


def validate_format(bounding_box_format, owner="keras_augment"):
    """Raise a ValueError naming `owner` unless the format is known."""
    if bounding_box_format not in FORMATS:
        raise ValueError(
            f"{owner}: unknown bounding_box_format {bounding_box_format!r}; "
            f"expected one of {', '.join(FORMATS)}."
        )
    return bounding_box_format


def _scale(boxes, height, width, inverse):
    height = tf.cast(height, boxes.dtype)
    width = tf.cast(width, boxes.dtype)
    scale = tf.stack([width, height, width, height])
    return boxes / scale if inverse else boxes * scale


def to_xyxy(boxes, source, height=None, width=None):
    """Convert `boxes` from `source` format to absolute `xyxy`."""
    validate_format(source)
    boxes = tf.convert_to_tensor(boxes)
    if not boxes.dtype.is_floating:
        boxes = tf.cast(boxes, tf.float32)
    a, b, c, d = tf.unstack(boxes, 4, axis=-1)
    relative = source.startswith("rel_")
    base = source[4:] if relative else source
    if base == "xyxy":
        out = [a, b, c, d]
    elif base == "xywh":
        out = [a, b, a + c, b + d]
    elif base == "center_xywh":
        out = [a - c / 2, b - d / 2, a + c / 2, b + d / 2]
    elif base == "yxyx":
        out = [b, a, d, c]
    else:  # center_yxhw
        out = [b - d / 2, a - c / 2, b + d / 2, a + c / 2]
    out = tf.stack(out, axis=-1)
    if relative:
        out = _scale(out, height, width, inverse=False)
    return out


def from_xyxy(boxes, target, height=None, width=None):
    """Convert absolute `xyxy` boxes to the `target` format."""
    validate_format(target)
    relative = target.startswith("rel_")
    base = target[4:] if relative else target
    if relative:
        boxes = _scale(boxes, height, width, inverse=True)
    x1, y1, x2, y2 = tf.unstack(boxes, 4, axis=-1)
    if base == "xyxy":
        out = [x1, y1, x2, y2]
    elif base == "xywh":
        out = [x1, y1, x2 - x1, y2 - y1]
    elif base == "center_xywh":
        out = [(x1 + x2) / 2, (y1 + y2) / 2, x2 - x1, y2 - y1]
    elif base == "yxyx":
        out = [y1, x1, y2, x2]
    else:  # center_yxhw
        out = [(y1 + y2) / 2, (x1 + x2) / 2, y2 - y1, x2 - x1]
    return tf.stack(out, axis=-1)


def convert_format(boxes, source, target, height=None, width=None):
    """Convert boxes between any two formats of `FORMATS`.

    Args:
        boxes: float tensor `[..., 4]`.
        source: format of `boxes`.
        target: wanted format.
        height: image height in pixels, needed when either format is relative.
        width: image width in pixels, needed when either format is relative.

    Returns:
        A float tensor `[..., 4]` in the `target` format.
    """
    needs_size = source.startswith("rel_") or target.startswith("rel_")
    if needs_size and (height is None or width is None):
        raise ValueError(
            f"convert_format: converting {source!r} to {target!r} needs the "
            "image `height` and `width`."
        )
    return from_xyxy(to_xyxy(boxes, source, height, width), target, height, width)


# ------------------------------------------------------------------ geometry
def box_corners(boxes):
    """`[..., 4]` xyxy boxes to their `[..., 4, 2]` corner points."""
    x1, y1, x2, y2 = tf.unstack(boxes, 4, axis=-1)
    return tf.stack(
        [tf.stack([x1, y1], -1), tf.stack([x2, y1], -1), tf.stack([x1, y2], -1), tf.stack([x2, y2], -1)],
        axis=-2,
    )


def outline_points(boxes):
    """Corners and edge midpoints `[B, N * 8, 2]` of xyxy boxes `[B, N, 4]`."""
    x1, y1, x2, y2 = tf.unstack(boxes, 4, axis=-1)
    xm, ym = (x1 + x2) / 2, (y1 + y2) / 2
    xs = tf.stack([x1, xm, x2, x2, x2, xm, x1, x1], -1)
    ys = tf.stack([y1, y1, y1, ym, y2, y2, y2, ym], -1)
    points = tf.stack([xs, ys], -1)  # [B, N, 8, 2]
    return tf.reshape(points, tf.stack([tf.shape(boxes)[0], -1, 2]))


def enclosing_boxes(corners):
    """The xyxy box enclosing each set of points `[..., P, 2]`."""
    low = tf.reduce_min(corners, axis=-2)
    high = tf.reduce_max(corners, axis=-2)
    return tf.concat([low, high], axis=-1)


def transform_boxes(boxes, forward_matrices):
    """Move xyxy boxes `[B, N, 4]` with input-to-output matrices `[B, 3, 3]`.

    Each box becomes the axis-aligned box enclosing its four moved corners.
    """
    from keras_augment.ops import geometry

    boxes = tf.cast(boxes, tf.float32)
    corners = box_corners(boxes)  # [B, N, 4, 2]
    shape = tf.shape(corners)
    flat = tf.reshape(corners, [shape[0], -1, 2])
    moved = geometry.transform_points(flat, forward_matrices)
    return enclosing_boxes(tf.reshape(moved, shape))


def area(boxes):
    x1, y1, x2, y2 = tf.unstack(boxes, 4, axis=-1)
    return tf.maximum(x2 - x1, 0.0) * tf.maximum(y2 - y1, 0.0)


def clip_boxes(boxes, height, width):
    """Clip xyxy boxes to the image `[0, width] x [0, height]`."""
    height = tf.cast(height, boxes.dtype)
    width = tf.cast(width, boxes.dtype)
    x1, y1, x2, y2 = tf.unstack(boxes, 4, axis=-1)
    return tf.stack(
        [
            tf.clip_by_value(x1, 0.0, width),
            tf.clip_by_value(y1, 0.0, height),
            tf.clip_by_value(x2, 0.0, width),
            tf.clip_by_value(y2, 0.0, height),
        ],
        axis=-1,
    )


def clip_and_filter(boxes, height, width, min_area=0.0, min_visibility=0.0):
    """Clip xyxy boxes to the image and say which ones to keep.

    A box is kept when its clipped area is positive, at least `min_area`
    pixels, and at least `min_visibility` of its unclipped area.

    Returns:
        `(clipped_boxes, keep)` with `keep` a boolean `[...]` tensor.
    """
    clipped = clip_boxes(boxes, height, width)
    clipped_area = area(clipped)
    full_area = area(boxes)
    keep = clipped_area > 0.0
    keep &= clipped_area >= min_area
    keep &= clipped_area >= min_visibility * full_area
    return clipped, keep


def order_corners(boxes):
    """xyxy boxes with each pair of corners sorted: `[3, 4, 1, 2]` becomes
    `[1, 2, 3, 4]`, the rectangle between the given corners."""
    x1, y1, x2, y2 = tf.unstack(boxes, 4, axis=-1)
    return tf.stack(
        [tf.minimum(x1, x2), tf.minimum(y1, y2), tf.maximum(x1, x2), tf.maximum(y1, y2)], -1
    )


def usable_boxes(bounding_boxes, height, width):
    """Apply the input side of the box rules to absolute xyxy boxes.

    Corners are sorted; padding (class -1), boxes with a NaN or infinite
    coordinate and boxes with no area inside the `height x width` image are
    dropped. Kept boxes are not clipped: a layer moves the whole box and
    `clip_and_drop` clips the result.

    Args:
        bounding_boxes: dict with `boxes` `[B, N, 4]` (absolute xyxy) and
            optionally `classes` `[B, N]`.
        height: height of the image the boxes lie on.
        width: width of that image.

    Returns:
        The dict with sorted boxes and dropped ones as zeros, class -1.
    """
    boxes = order_corners(bounding_boxes["boxes"])
    finite = tf.reduce_all(tf.math.is_finite(boxes), axis=-1)
    # A non-finite box would turn into NaN in the arithmetic below.
    boxes = tf.where(finite[..., None], boxes, tf.zeros_like(boxes))
    keep = finite & (area(clip_boxes(boxes, height, width)) > 0.0)
    if "classes" in bounding_boxes:
        keep &= bounding_boxes["classes"] >= 0
    return drop_boxes({**bounding_boxes, "boxes": boxes}, keep)


def clip_and_drop(bounding_boxes, height, width, min_area=0.0, min_visibility=0.0):
    """Apply the output side of the box rules to moved absolute xyxy boxes:
    clip them to the `height x width` image and drop (zeros, class -1) those
    `clip_and_filter` does not keep."""
    clipped, keep = clip_and_filter(bounding_boxes["boxes"], height, width, min_area, min_visibility)
    return drop_boxes({**bounding_boxes, "boxes": clipped}, keep)


def apply_box_rules(bounding_boxes, bounding_box_format, height, width):
    """The box rules for boxes that stay where they are, in their own format
    on a `height x width` image (e.g. the samples a wrapper leaves alone)."""
    boxes = dict(bounding_boxes)
    boxes["boxes"] = to_xyxy(boxes["boxes"], bounding_box_format, height, width)
    boxes = clip_and_drop(usable_boxes(boxes, height, width), height, width)
    boxes["boxes"] = from_xyxy(boxes["boxes"], bounding_box_format, height, width)
    return boxes


def drop_boxes(bounding_boxes, keep):
    """Turn boxes where `keep` is False into padding (zeros, class -1)."""
    output = dict(bounding_boxes)
    output["boxes"] = tf.where(keep[..., None], bounding_boxes["boxes"], 0.0)
    if "classes" in bounding_boxes:
        classes = bounding_boxes["classes"]
        output["classes"] = tf.where(keep, classes, tf.cast(-1, classes.dtype))
    return output
