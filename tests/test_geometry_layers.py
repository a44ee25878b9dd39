"""Geometric layers: Keras parity for fixed parameters, and boxes/masks/keypoints consistency."""

import inspect

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_augment import layers
from keras_augment.ops import geometry


def _images(shape=(3, 20, 24, 3)):
    return np.random.default_rng(0).uniform(0, 1, shape).astype("float32")


def _interior_mae(a, b, border=3):
    a, b = np.asarray(a), np.asarray(b)
    return float(np.abs(a - b)[:, border:-border, border:-border].mean())


DROP_INS = [
    "RandomRotation", "RandomTranslation", "RandomZoom", "RandomShear", "RandomCrop",
    "RandomPerspective", "CenterCrop", "Resizing", "RandomContrast", "RandomFlip",
]


@pytest.mark.parametrize("name", DROP_INS)
def test_constructor_matches_keras(name):
    ours = inspect.signature(getattr(layers, name).__init__).parameters
    theirs = inspect.signature(getattr(keras.layers, name).__init__).parameters
    assert list(ours) == list(theirs)
    for key in ours:
        assert ours[key].default == theirs[key].default, key


# Fixed draws of RandomRotation, RandomTranslation, RandomZoom and RandomShear
# are compared with Keras over the whole image, for every fill mode, in
# tests/test_fill_modes.py.


def test_shear_matches_keras_for_given_shears():
    x = _images()
    shears = np.array([[0.2, -0.1], [-0.3, 0.0], [0.1, 0.25]], "float32")
    theirs = keras.layers.RandomShear(0.3, 0.3).transform_images(x, {"shear_factor": shears})
    matrix = geometry.shear(shears[:, 0], shears[:, 1], 0.5, 0.5)
    ours = layers.RandomShear(0.3, 0.3).apply_transformation(x, {"matrix": matrix})
    assert _interior_mae(ours, theirs) < 1e-3
    # The layer draws shears with Keras's meaning (one sign for both axes).
    drawn = layers.RandomShear((0.2, 0.2), (0.1, 0.1)).get_random_transformation(x, seed=1)
    np.testing.assert_allclose(np.abs(drawn["shear"].numpy()), [[0.2, 0.1]] * 3, atol=1e-6)


def test_perspective_matches_keras_for_given_corners():
    x = _images()
    start = np.array([[[0, 0], [23, 0], [0, 19], [23, 19]]] * 3, "float32")
    end = start * (1 + np.random.default_rng(3).uniform(-0.1, 0.1, start.shape)).astype("float32")
    theirs = keras.layers.RandomPerspective().transform_images(
        x, {"apply_perspective": np.array([True] * 3), "start_points": start, "end_points": end,
            "input_shape": x.shape}
    )
    matrix = geometry.from_pixel_index_plane(geometry.homography(start, end))
    ours = layers.RandomPerspective().apply_transformation(x, {"matrix": matrix})
    assert _interior_mae(ours, theirs) < 1e-3


@pytest.mark.parametrize(
    "kwargs",
    [
        {"height": 10, "width": 30},
        {"height": 31, "width": 12, "interpolation": "nearest"},
        {"height": 10, "width": 10, "crop_to_aspect_ratio": True},
        {"height": 12, "width": 30, "pad_to_aspect_ratio": True, "fill_value": 0.3},
        {"height": 9, "width": 7, "interpolation": "bicubic", "antialias": True},
    ],
)
def test_resizing_matches_keras(kwargs):
    x = _images()
    ours, theirs = layers.Resizing(**kwargs)(x), keras.layers.Resizing(**kwargs)(x)
    assert ours.shape == theirs.shape
    assert _interior_mae(ours, theirs, border=1) < 1e-3
    assert _interior_mae(layers.Resizing(**kwargs)(x, training=False), theirs, border=1) < 1e-3


@pytest.mark.parametrize("size", [(8, 10), (30, 12)])
def test_center_crop_matches_keras(size):
    x = _images()
    ours, theirs = layers.CenterCrop(*size)(x), keras.layers.CenterCrop(*size)(x)
    assert ours.shape == theirs.shape
    assert _interior_mae(ours, theirs, border=1) < 1e-3


def test_random_crop_offsets_are_per_sample_and_exact():
    x = np.repeat(_images((1, 20, 24, 3)), 8, axis=0)
    out = np.asarray(layers.RandomCrop(7, 9)(x, seed=3))
    offsets = set()
    for sample in out:
        for top in range(14):
            for left in range(16):
                if np.array_equal(sample, x[0, top : top + 7, left : left + 9]):
                    offsets.add((top, left))
    assert len(offsets) > 1, "every sample got the same crop"
    # At inference it crops the centre to the aspect ratio and resizes, as
    # Keras documents (Keras 3.x code returns the uncropped input).
    theirs = keras.layers.Resizing(7, 9, crop_to_aspect_ratio=True)(x)
    assert _interior_mae(layers.RandomCrop(7, 9)(x, training=False), theirs, border=1) < 1e-3


def test_random_contrast_matches_keras_for_given_factors():
    x = _images() * 255
    factors = np.array([0.7, 1.0, 1.3], "float32")
    ours = layers.RandomContrast(0.5).apply_transformation(x, {"contrast_factor": factors})
    theirs = keras.layers.RandomContrast(0.5).transform_images(
        x, {"contrast_factor": factors.reshape(3, 1, 1, 1)}
    )
    np.testing.assert_allclose(ours, theirs, atol=1e-3)
    drawn = layers.RandomContrast((0.2, 0.4)).get_random_transformation(x, seed=0)
    assert (0.8 <= drawn["contrast_factor"].numpy()).all() and (drawn["contrast_factor"].numpy() <= 1.4).all()


@pytest.mark.parametrize(
    "layer,message",
    [
        (lambda: layers.RandomRotation(0.1, fill_mode="mirror"), "RandomRotation.*fill_mode"),
        (lambda: layers.RandomZoom(-1.0), "RandomZoom.*height_factor"),
        (lambda: layers.RandomCrop(0, 4), "RandomCrop.*height"),
        (lambda: layers.Resizing(4, 4, crop_to_aspect_ratio=True, pad_to_aspect_ratio=True), "Resizing"),
        (lambda: layers.RandomShear(1.5), "RandomShear.*x_factor"),
        (lambda: layers.RandomResizedCrop(4, 4, scale=(0, 2)), "RandomResizedCrop.*scale"),
        (lambda: layers.RandomApply(layers.Resizing(4, 4)), "RandomApply.*image size"),
    ],
)
def test_bad_arguments_raise_value_errors_naming_the_layer(layer, message):
    with pytest.raises(ValueError, match=message):
        layer()


def _rectangle_batch(batch=6, height=31, width=37):
    images = np.zeros((batch, height, width, 3), "float32")
    masks = np.zeros((batch, height, width, 1), "int32")
    images[:, 10:20, 8:22] = 1.0
    masks[:, 10:20, 8:22] = 1
    boxes = np.tile(np.array([[[8.0, 10.0, 22.0, 20.0]]], "float32"), (batch, 1, 1))
    keypoints = np.tile(np.array([[[15.0, 15.0, 1.0]]], "float32"), (batch, 1, 1))
    return {
        "images": images,
        "segmentation_masks": masks,
        "bounding_boxes": {"boxes": boxes, "classes": np.ones((batch, 1), "int32")},
        "keypoints": keypoints,
    }


CHAINS = {
    "rotate": [layers.RandomRotation(0.2, fill_mode="constant")],
    "flip-rotate-translate-zoom": [
        layers.RandomFlip(),
        layers.RandomRotation(0.15, fill_mode="constant"),
        layers.RandomTranslation(0.1, 0.1, fill_mode="constant"),
        layers.RandomZoom(0.2, fill_mode="constant"),
    ],
    "shear-perspective": [layers.RandomShear(0.2, 0.2, fill_mode="constant"), layers.RandomPerspective(scale=0.3)],
    "affine-crop-resize": [
        layers.RandomAffine(0.1, 0.1, 0.1, 0.2, 0.05, fill_mode="constant"),
        layers.RandomCrop(24, 24),
        layers.Resizing(40, 30),
    ],
    "resized-crop": [layers.RandomResizedCrop(20, 28, scale=(0.3, 1.0))],
    "choice": [layers.RandomChoice([layers.RandomRotation(0.3, fill_mode="constant"), layers.RandomFlip()])],
}


# A 24x24 crop resized to 40x30 stretches pixels by up to 5/3; the
# RandomResizedCrop windows by up to about 1.8.
UPSCALING = {"affine-crop-resize": 5 / 3, "resized-crop": 2.0}


@pytest.mark.parametrize("name", sorted(CHAINS))
def test_boxes_masks_and_keypoints_follow_the_image(name):
    augment = layers.Pipeline(CHAINS[name], bounding_box_format="xyxy")
    out = augment(_rectangle_batch(), training=True, seed=5)
    images, masks = np.asarray(out["images"]), np.asarray(out["segmentation_masks"])[..., 0]
    boxes = np.asarray(out["bounding_boxes"]["boxes"])
    classes = np.asarray(out["bounding_boxes"]["classes"])
    keypoints = np.asarray(out["keypoints"])
    for i in range(len(images)):
        ys, xs = np.nonzero(masks[i])
        bright = np.nonzero(images[i, ..., 0] > 0.5)
        if len(ys) == 0:
            continue
        assert classes[i, 0] == 1, "a visible rectangle lost its box"
        x1, y1, x2, y2 = boxes[i, 0]
        # Pixel centres of the warped rectangle lie inside the box, and the
        # box is tight: no side more than 2 px beyond them (a pixel's
        # diagonal, and a corner's wedge of missed centres), scaled by the
        # chain's largest upscaling.
        slack = 2.0 * UPSCALING.get(name, 1.0)
        for rows, cols in ((ys, xs), bright):
            assert (cols + 0.5 >= x1 - 1).all() and (cols + 0.5 <= x2 + 1).all()
            assert (rows + 0.5 >= y1 - 1).all() and (rows + 0.5 <= y2 + 1).all()
            assert cols.min() + 0.5 - x1 <= slack and x2 - cols.max() - 0.5 <= slack, (x1, x2, cols.min(), cols.max())
            assert rows.min() + 0.5 - y1 <= slack and y2 - rows.max() - 0.5 <= slack, (y1, y2, rows.min(), rows.max())
        # The centre keypoint lands on the rectangle when still visible.
        x, y, visible = keypoints[i, 0]
        if visible:
            row, col = int(np.clip(y, 0, masks.shape[1] - 1)), int(np.clip(x, 0, masks.shape[2] - 1))
            assert masks[i, max(row - 1, 0) : row + 2, max(col - 1, 0) : col + 2].any()


def test_boxes_leaving_the_image_are_dropped():
    data = _rectangle_batch(batch=2)
    layer = layers.RandomTranslation((0.9, 0.9), (0.9, 0.9), fill_mode="constant", bounding_box_format="xyxy")
    out = layer(data, training=True, seed=0)
    assert np.asarray(out["bounding_boxes"]["classes"]).tolist() == [[-1], [-1]]


def test_random_apply_rate_zero_and_one():
    x = _images()
    rotate = layers.RandomRotation((0.1, 0.1))
    np.testing.assert_array_equal(layers.RandomApply(rotate, rate=0.0)(x, seed=1), x)
    np.testing.assert_allclose(layers.RandomApply(rotate, rate=1.0)(x, seed=1), rotate(x), atol=1e-5)
    brighten = layers.RandomBrightness((0.2, 0.2))
    mixed = np.asarray(layers.RandomApply(brighten, rate=0.5)(x * 100, seed=4))
    changed = [not np.allclose(mixed[i], x[i] * 100) for i in range(3)]
    assert 0 < sum(changed) < 3
    np.testing.assert_allclose(mixed[changed], np.asarray(brighten(x * 100))[changed], atol=1e-3)


def test_random_choice_transforms_each_sample_with_one_branch():
    x = np.repeat(_images((1, 20, 24, 3)), 16, axis=0) * 255
    branches = [layers.RandomBrightness((-0.2, -0.2)), layers.RandomBrightness((0.2, 0.2))]
    out = np.asarray(layers.RandomChoice(branches)(x, seed=2))
    options = [np.asarray(branch(x[:1]))[0] for branch in branches]
    which = [[np.allclose(sample, option, atol=1e-3) for option in options] for sample in out]
    assert all(sum(w) == 1 for w in which)
    assert {w.index(True) for w in which} == {0, 1}
