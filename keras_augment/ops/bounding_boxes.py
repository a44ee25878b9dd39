"""Bounding-box format conversions.

Boxes are float tensors of shape `[..., 4]`. Pixel formats use the continuous
image plane: `(0, 0)` is the top-left corner of the top-left pixel and
`(width, height)` the bottom-right corner of the image. Relative formats
divide x by width and y by height.
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
