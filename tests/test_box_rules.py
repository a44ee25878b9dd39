"""The box rules of `keras_augment.ops.bounding_boxes`, over every layer that
accepts boxes.

One table of boxes (inside, partly outside, wholly outside, reversed corners,
degenerate, NaN, infinite, padding, near the far edges) goes through every exported image layer
built with `bounding_box_format="xyxy"`, on non-square odd-sized images.
Where the geometry is exact (layers that leave boxes in place, flips, half
and quarter turns, whole-pixel translations, zoom by 2, crops, resizing by
exact scales) the expected boxes and classes are computed here; elsewhere
the test checks that kept boxes lie inside the output with their class,
dropped boxes are zeros with class -1, and a reversed box comes out as its
sorted twin.
"""

import re

import numpy as np
import pytest
from cases import all_cases
from harness import random_images

from keras_augment import layers
from keras_augment.layers.core.base import BaseAugmentation

HEIGHT, WIDTH = 13, 20
TABLE = [  # (name, xyxy box, class)
    ("inside", [2.0, 3.0, 8.0, 9.0], 1),
    ("partly_outside", [-4.0, 2.0, 5.0, 6.0], 2),
    ("wholly_outside", [-9.0, -9.0, -2.0, -1.0], 3),
    ("beyond_the_right_edge", [WIDTH + 1.0, 2.0, WIDTH + 6.0, 6.0], 4),
    ("reversed", [8.0, 9.0, 2.0, 3.0], 5),
    ("degenerate", [4.0, 4.0, 4.0, 9.0], 6),
    ("on_the_edge_outside", [WIDTH, 2.0, WIDTH + 4.0, 6.0], 7),
    ("nan", [np.nan, 1.0, 3.0, 4.0], 8),
    ("infinite", [1.0, 1.0, np.inf, 4.0], 9),
    ("padding", [2.0, 3.0, 8.0, 9.0], -1),
    # Near the far edges of the longer and shorter axes: a rule that mixes
    # up height and width clips these wrongly.
    ("near_the_right_edge", [14.0, 2.0, 19.0, 6.0], 10),
    ("partly_below", [2.0, HEIGHT - 3.0, 6.0, HEIGHT + 3.0], 11),
]
ROW = {name: index for index, (name, _, _) in enumerate(TABLE)}
ALWAYS_DROPPED = [
    "wholly_outside", "beyond_the_right_edge", "degenerate", "on_the_edge_outside",
    "nan", "infinite", "padding",
]
N = len(TABLE)
# Documented refusals: AugMix mixes differently warped copies, and
# GenerativeAugment replaces images with generated ones.
REFUSED = {"AugMix", "GenerativeAugment"}


def _data(batch=2, height=HEIGHT, width=WIDTH, channels=3):
    boxes = np.array([box for _, box, _ in TABLE], "float32")
    classes = np.array([cls for _, _, cls in TABLE], "int32")
    return {
        "images": random_images((batch, height, width, channels), "float32"),
        "bounding_boxes": {
            "boxes": np.tile(boxes[None], (batch, 1, 1)),
            "classes": np.tile(classes[None], (batch, 1)),
        },
    }


def _expected(move, out_height, out_width, batch=2):
    """The rules computed here: sort, drop the unusable, move, clip, drop the empty.

    `move(sample, xs, ys)` maps input corner coordinates to output ones.
    """
    boxes = np.zeros((batch, N, 4), "float32")
    classes = np.full((batch, N), -1, "int32")
    for sample in range(batch):
        for row, (name, box, cls) in enumerate(TABLE):
            if name in ALWAYS_DROPPED:
                continue
            x1, y1, x2, y2 = box
            xs, ys = np.array([x1, x2, x1, x2]), np.array([y1, y1, y2, y2])
            xs, ys = move(sample, xs, ys)
            moved = np.array([xs.min(), ys.min(), xs.max(), ys.max()])
            clipped = np.clip(moved, 0, [out_width, out_height, out_width, out_height])
            if (clipped[2] - clipped[0]) * (clipped[3] - clipped[1]) > 0:
                boxes[sample, row], classes[sample, row] = clipped, cls
    return boxes, classes


def _check_exact(out, expected, atol=1e-4):
    boxes, classes = expected
    np.testing.assert_array_equal(np.asarray(out["classes"]), classes)
    np.testing.assert_allclose(np.asarray(out["boxes"]), boxes, atol=atol)


def _check_rules(out, out_height, out_width):
    """What holds for every layer, exact or not."""
    boxes, classes = np.asarray(out["boxes"]), np.asarray(out["classes"])
    assert boxes.shape[1] % N == 0 and np.isfinite(boxes).all()
    given = np.array([cls for _, _, cls in TABLE])[np.arange(boxes.shape[1]) % N]
    kept = classes >= 0
    assert (classes[kept] == np.broadcast_to(given, classes.shape)[kept]).all()
    assert (boxes[~kept] == 0).all() and (classes[~kept] == -1).all()
    x1, y1, x2, y2 = np.moveaxis(boxes, -1, 0)
    assert (x1[kept] >= 0).all() and (y1[kept] >= 0).all()
    assert (x2[kept] <= out_width).all() and (y2[kept] <= out_height).all()
    assert ((x2 - x1)[kept] > 0).all() and ((y2 - y1)[kept] > 0).all()
    for name in ALWAYS_DROPPED:
        assert (classes[:, ROW[name]::N] == -1).all(), name
    # Reversed corners mean the rectangle between them: the sorted twin.
    np.testing.assert_array_equal(boxes[:, ROW["reversed"]::N], boxes[:, ROW["inside"]::N])
    np.testing.assert_array_equal(kept[:, ROW["reversed"]::N], kept[:, ROW["inside"]::N])


def _image_cases():
    """One image case per exported layer class, and the wrappers' variants."""
    chosen, seen = [], set()
    for case in all_cases():
        if case.layer.input_key != "images" or len(case.shape) != 4:
            continue  # text and audio layers (and Pipelines of them)
        if case.layer not in seen or case.layer in (layers.RandomApply, layers.RandomChoice):
            seen.add(case.layer)
            chosen.append(case)
    return chosen


CASES = _image_cases()


def _build(case, **extra):
    return case.layer(**dict(case.kwargs, bounding_box_format="xyxy", **extra))


def test_every_exported_image_layer_is_in_the_table():
    image_classes = {case.layer for case in CASES}
    for name in layers.__all__:
        cls = getattr(layers, name)
        if cls is BaseAugmentation or not issubclass(cls, BaseAugmentation):
            continue
        takes_images = cls.input_key == "images" and cls.batched_ranks == (4,)
        assert takes_images == (cls in image_classes), name


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_box_rules_hold(case):
    layer = _build(case)
    fixed = getattr(case.layer, "generator", None) is not None or "generator" in case.kwargs
    height, width = (case.shape[1], case.shape[2]) if fixed else (HEIGHT, WIDTH)
    data = _data(height=height, width=width, channels=case.shape[-1])
    if type(layer).__name__ in REFUSED:
        message = (
            f"{layer._owner} does not transform `bounding_boxes` yet; remove "
            "that key or use a layer that supports it."
        )
        with pytest.raises(ValueError, match=re.escape(message)):
            layer(data, training=True, seed=3)
        return
    out = layer(data, training=True, seed=3)
    out_height, out_width = out["images"].shape[1:3]
    _check_rules(out["bounding_boxes"], out_height, out_width)
    if not layer.geometric and layer.per_sample:
        # A layer that moves no pixels leaves kept boxes where they were.
        _check_exact(out["bounding_boxes"], _expected(lambda s, x, y: (x, y), HEIGHT, WIDTH), 0)


def _run(layer, data=None):
    data = data or _data()
    out = layer(data, training=True, seed=5)["bounding_boxes"]
    return out, data


def _affine(matrix):
    """A move by a fixed forward 2x3 matrix about nothing in particular."""
    matrix = np.asarray(matrix, "float64")
    return lambda s, x, y: (matrix[0, 0] * x + matrix[0, 1] * y + matrix[0, 2],
                            matrix[1, 0] * x + matrix[1, 1] * y + matrix[1, 2])


def _about_centre(cos, sin):
    # Counter-clockwise on screen (y down): a point right of the centre goes up.
    cx, cy = WIDTH / 2, HEIGHT / 2
    return lambda s, x, y: (cx + cos * (x - cx) + sin * (y - cy), cy - sin * (x - cx) + cos * (y - cy))


EXACT = [
    ("half_turn", lambda: layers.RandomRotation((0.5, 0.5), bounding_box_format="xyxy"),
     _about_centre(-1.0, 0.0), (HEIGHT, WIDTH)),
    ("quarter_turn", lambda: layers.RandomRotation((0.25, 0.25), bounding_box_format="xyxy"),
     _about_centre(0.0, 1.0), (HEIGHT, WIDTH)),
    ("translation", lambda: layers.RandomTranslation((3 / HEIGHT, 3 / HEIGHT), (-0.25, -0.25),
                                                     bounding_box_format="xyxy"),
     _affine([[1, 0, -5], [0, 1, 3]]), (HEIGHT, WIDTH)),
    ("zoom_in_by_two", lambda: layers.RandomZoom((-0.5, -0.5), bounding_box_format="xyxy"),
     _affine([[2, 0, -WIDTH / 2], [0, 2, -HEIGHT / 2]]), (HEIGHT, WIDTH)),
    ("centre_crop", lambda: layers.CenterCrop(7, 9, bounding_box_format="xyxy"),
     _affine([[1, 0, -5], [0, 1, -3]]), (7, 9)),
    ("resizing", lambda: layers.Resizing(26, 10, bounding_box_format="xyxy"),
     _affine([[0.5, 0, 0], [0, 2, 0]]), (26, 10)),
]


@pytest.mark.parametrize("build,move,size", [e[1:] for e in EXACT], ids=[e[0] for e in EXACT])
def test_exact_boxes_where_the_geometry_is_exact(build, move, size):
    out, _ = _run(build())
    _check_exact(out, _expected(move, *size))


@pytest.mark.parametrize("mode", ["horizontal", "vertical", "horizontal_and_vertical"])
def test_flips_give_exact_boxes(mode):
    layer = layers.RandomFlip(mode, bounding_box_format="xyxy")
    data = _data(batch=4)
    flips = layer.get_random_transformation(data, seed=11)
    horizontal, vertical = np.asarray(flips["horizontal"]), np.asarray(flips["vertical"])

    def move(sample, x, y):
        return (WIDTH - x if horizontal[sample] else x, HEIGHT - y if vertical[sample] else y)

    out = layer.apply_transformation(data, flips)["bounding_boxes"]
    _check_exact(out, _expected(move, HEIGHT, WIDTH, batch=4), 0)


def test_random_crop_gives_exact_boxes():
    layer = layers.RandomCrop(7, 9, bounding_box_format="xyxy")
    data = _data(batch=3)
    crop = layer.get_random_transformation(data, seed=2)
    offsets = np.asarray(crop["matrix"])[:, :2, 2]  # (left, top) of each window

    def move(sample, x, y):
        return x - offsets[sample, 0], y - offsets[sample, 1]

    out = layer.apply_transformation(data, crop)["bounding_boxes"]
    _check_exact(out, _expected(move, 7, 9, batch=3))


def test_a_flip_then_no_rotation_keeps_the_reversed_box():
    pipeline = layers.Pipeline(
        [layers.RandomFlip("horizontal"), layers.RandomRotation(0.0)], bounding_box_format="xyxy"
    )
    out, _ = _run(pipeline)
    assert (np.asarray(out["classes"])[:, ROW["reversed"]] == 5).all()
    _check_rules(out, HEIGHT, WIDTH)


@pytest.mark.parametrize("fmt", ["rel_yxyx", "center_xywh"])
def test_rules_hold_in_other_formats(fmt):
    from keras_augment.ops import bounding_boxes as box_ops

    data = _data()
    raw = data["bounding_boxes"]["boxes"]
    data["bounding_boxes"]["boxes"] = np.asarray(box_ops.from_xyxy(raw, fmt, HEIGHT, WIDTH))
    out, _ = _run(layers.RandomRotation((0.5, 0.5), bounding_box_format=fmt), data)
    boxes, classes = _expected(_about_centre(-1.0, 0.0), HEIGHT, WIDTH)
    got = np.asarray(box_ops.to_xyxy(out["boxes"], fmt, HEIGHT, WIDTH))
    np.testing.assert_array_equal(np.asarray(out["classes"]), classes)
    np.testing.assert_allclose(np.where(classes[..., None] >= 0, got, 0), boxes, atol=1e-4)
