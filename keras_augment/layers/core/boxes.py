"""The one box rule every layer that moves or keeps boxes goes through."""

from keras_augment.ops import bounding_boxes as box_ops


def move_bounding_boxes(
    bounding_boxes, move, input_shape, output_shape, bounding_box_format, owner, min_area=0.0, min_visibility=0.0
):
    """Move boxes under the box rules of `ops.bounding_boxes`.

    Corners are sorted and unusable boxes dropped before `move`; the moved
    boxes are clipped to the output and dropped (class -1) when they left it.

    Args:
        bounding_boxes: dict with `boxes` `[B, N, 4]` in `bounding_box_format`.
        move: maps the dict, its boxes in absolute `xyxy` pixels of the input,
            to the same dict with boxes in absolute `xyxy` pixels of the output.
        input_shape: `[B, H, W, C]` shape tensor of the input images.
        output_shape: `[B, H, W, C]` shape tensor of the output images.
        bounding_box_format: the boxes' format; None raises.
        owner: the layer named in errors.
        min_area: boxes keeping less than this area (pixels) are dropped.
        min_visibility: boxes keeping less than this fraction are dropped.
    """
    if bounding_box_format is None:
        raise ValueError(
            f"{owner} received `bounding_boxes` but was built without "
            "`bounding_box_format`; pass e.g. bounding_box_format='xyxy'."
        )
    out_height, out_width = output_shape[1], output_shape[2]
    boxes = dict(bounding_boxes)
    boxes["boxes"] = box_ops.to_xyxy(boxes["boxes"], bounding_box_format, input_shape[1], input_shape[2])
    boxes = box_ops.usable_boxes(boxes, input_shape[1], input_shape[2])
    # A dropped box is a point at the origin; moved, it stays without area.
    boxes = move(boxes)
    boxes = box_ops.clip_and_drop(boxes, out_height, out_width, min_area, min_visibility)
    boxes["boxes"] = box_ops.from_xyxy(boxes["boxes"], bounding_box_format, out_height, out_width)
    return boxes
