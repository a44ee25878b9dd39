"""Reliability sweep: every image layer meets bad input with a clear error or a
documented, correct result, and never crashes the process.

Documented results (also in the README):
- NaN and Inf pixels pass through the arithmetic as IEEE values; no check is
  made on the hot path, and nothing crashes.
- An empty batch gives an empty batch; 1x1 and very large images work.
- Boxes wholly outside the image are dropped (class -1); a box with x2 < x1 or
  y2 < y1 means the rectangle between its corners (the box rules of
  `keras_augment.ops.bounding_boxes`, tested in full in test_box_rules.py).
"""

import re

import numpy as np
import pytest
import tensorflow as tf
from cases import all_cases
from harness import random_images

IMAGE_CASES = [c for c in all_cases() if c.make_input is random_images]
IDS = [c.id for c in IMAGE_CASES]
# Crash tests on extreme inputs run once per layer class: its variants (other
# fill modes, policies) share its kernels, and each compiles for minutes in all.
ONE_PER_LAYER = [c for i, c in enumerate(IMAGE_CASES) if c.layer not in {d.layer for d in IMAGE_CASES[:i]}]


def _layer_named_in(error, layer):
    return type(layer).__name__ in str(error)


@pytest.mark.parametrize("case", IMAGE_CASES, ids=IDS)
@pytest.mark.parametrize("shape", [(2, 1, 4, 4, 3), (4, 4), (4,)])
def test_wrong_rank(case, shape):
    layer = case.build()
    with pytest.raises(ValueError, match="rank") as caught:
        layer(np.zeros(shape, "float32"))
    assert _layer_named_in(caught.value, layer)


@pytest.mark.parametrize("case", IMAGE_CASES, ids=IDS)
@pytest.mark.parametrize("images", [tf.fill([1, 4, 4, 3], "x"), np.zeros((1, 4, 4, 3), bool)], ids=["string", "bool"])
def test_wrong_dtype(case, images):
    layer = case.build()
    with pytest.raises(ValueError, match="dtype") as caught:
        layer(images)
    assert _layer_named_in(caught.value, layer)


@pytest.mark.parametrize("case", [c for c in IMAGE_CASES if c.layer.required_channels], ids=lambda c: c.id)
def test_wrong_channels(case):
    layer = case.build()
    required = case.layer.required_channels
    wrong = (max(required) if isinstance(required, tuple) else required) + 1
    shape = tuple(case.shape[:-1]) + (wrong,)
    with pytest.raises(ValueError, match="channels") as caught:
        layer(np.zeros(shape, "float32"))
    assert _layer_named_in(caught.value, layer)


@pytest.mark.parametrize("case", ONE_PER_LAYER, ids=lambda c: c.id)
def test_nan_and_inf_pixels_do_not_crash(case):
    images = case.inputs("float32")
    images[0, 0, 0, 0] = np.nan
    images[-1, -1, -1, -1] = np.inf
    out = case.build()(images, seed=1)
    assert out.shape[0] == images.shape[0]


@pytest.mark.parametrize("case", IMAGE_CASES, ids=IDS)
def test_empty_batch_in_a_dict(case):
    data = {"images": case.inputs(shape=(0,) + tuple(case.shape[1:])), "labels": np.zeros((0,), "int32")}
    layer = case.build()
    if getattr(layer, "per_sample", True) is False:
        pytest.skip("mixing layers need partners; covered by their own tests")
    out = layer(data, seed=1)
    assert out["images"].shape[0] == 0 and out["labels"].shape[0] == 0


def _fixed_size(case):
    """Layers whose images must have one size (a generator's output) refuse others."""
    return getattr(case.layer, "generator", None) is not None or "generator" in case.kwargs


@pytest.mark.parametrize("case", ONE_PER_LAYER, ids=lambda c: c.id)
@pytest.mark.parametrize("size", [1, 1024])
def test_tiny_and_large_images(case, size):
    channels = case.shape[-1]
    images = random_images((1, size, size, channels), "uint8")
    layer = case.build()
    if _fixed_size(case):
        with pytest.raises(ValueError, match="generator's shape") as caught:
            layer(images, seed=2)
        assert _layer_named_in(caught.value, layer)
        return
    out = layer(images, seed=2)
    assert out.shape[0] == 1 and out.shape[-1] == channels
    assert np.isfinite(np.asarray(out)).all()


@pytest.mark.parametrize("case", IMAGE_CASES, ids=IDS)
def test_masks_of_the_wrong_size(case):
    layer = case.build()
    images = case.inputs()
    masks = np.zeros(images.shape[:1] + (images.shape[1] + 1, images.shape[2]), "int32")
    with pytest.raises(ValueError, match="segmentation_masks") as caught:
        layer({"images": images, "segmentation_masks": masks})
    assert _layer_named_in(caught.value, layer)


@pytest.mark.parametrize("case", IMAGE_CASES, ids=IDS)
def test_labels_of_the_wrong_batch_size(case):
    layer = case.build()
    images = case.inputs()
    with pytest.raises(ValueError, match="labels") as caught:
        layer({"images": images, "labels": np.zeros(images.shape[0] + 1, "int32")})
    assert _layer_named_in(caught.value, layer)


# The documented refusals: AugMix mixes differently warped copies, and
# GenerativeAugment replaces images with generated ones.
REFUSES_BOXES = {"AugMix", "GenerativeAugment"}


@pytest.mark.parametrize("case", [c for c in IMAGE_CASES if c.layer.geometric], ids=lambda c: c.id)
def test_boxes_outside_the_image_and_reversed_corners(case):
    kwargs = dict(case.kwargs, bounding_box_format="xyxy")
    layer = case.layer(**kwargs)
    batch, height, width = case.shape[0], case.shape[1], case.shape[2]
    boxes = np.tile(
        np.array(
            [[[-5.0, -5.0, -1.0, -1.0], [width + 1.0, 0.0, width + 9.0, 3.0],
              [3.0, 4.0, 1.0, 2.0], [1.0, 2.0, 3.0, 4.0]]],
            "float32",
        ),
        (batch, 1, 1),
    )
    data = {"images": case.inputs(), "bounding_boxes": {"boxes": boxes, "classes": np.ones((batch, 4), "int32")}}
    if type(layer).__name__ in REFUSES_BOXES:
        message = (
            f"{layer._owner} does not transform `bounding_boxes` yet; remove that key "
            "or use a layer that supports it."
        )
        with pytest.raises(ValueError, match=re.escape(message)):
            layer(data, training=True, seed=3)
        return
    out = layer(data, training=True, seed=3)["bounding_boxes"]
    got, classes = np.asarray(out["boxes"]), np.asarray(out["classes"])
    assert got.shape == boxes.shape and np.isfinite(got).all()
    # Boxes wholly outside the image are dropped: zeros, class -1.
    assert (classes[:, :2] == -1).all() and (got[:, :2] == 0).all()
    # Reversed corners mean the rectangle between them: the sorted box's twin.
    np.testing.assert_array_equal(got[:, 2], got[:, 3])
    np.testing.assert_array_equal(classes[:, 2], classes[:, 3])
