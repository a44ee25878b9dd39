"""RandomErasing, RandomCutout and GridMask: Keras parity, masks, frequencies."""

import keras
import numpy as np
import pytest
import tensorflow as tf
from scipy.stats import chisquare

from keras_augment import layers


def _images(shape=(4, 10, 12, 3), seed=0):
    return np.random.default_rng(seed).integers(1, 256, shape).astype("float32")


def test_random_erasing_matches_keras_for_fixed_rectangles():
    x = _images()
    x0 = np.array([0.0, 2.5, 4.0, 1.0], "float32")
    x1 = np.array([5.0, 7.5, 12.0, 1.0], "float32")
    y0 = np.array([1.0, 0.0, 3.2, 0.0], "float32")
    y1 = np.array([4.0, 10.0, 9.0, 6.0], "float32")
    flags = np.array([True, True, False, True])
    keras_layer = keras.layers.RandomErasing(fill_value=17.0)
    masks = keras_layer._generate_batch_mask(x.shape, (x0, x1, y0, y1))
    theirs = keras_layer.transform_images(
        x, {"apply_erasing": flags, "batch_masks": masks, "fill_value": np.full(x.shape, 17.0, "float32")}
    )
    boxes = np.stack([x0, y0, x1, y1], -1)[:, None, :]
    ours = layers.RandomErasing(fill_value=17.0).apply_transformation(
        x, {"boxes": tf.constant(boxes), "apply": tf.constant(flags)}
    )
    np.testing.assert_array_equal(ours, theirs)


def test_random_erasing_draws_keras_sizes_and_noise():
    x = _images((500, 20, 20, 3))
    out = np.asarray(layers.RandomErasing(scale=(0.04, 0.25), seed=0)(x, seed=1))
    erased = np.any(out != x, axis=-1)
    fractions = erased.mean(axis=(1, 2))
    assert fractions.max() <= 0.25 + 0.1 and fractions.mean() > 0.02
    # Noise is N(0, 255) clipped to the range: about half the erased values are 0.
    values = out[np.broadcast_to(erased[..., None], out.shape)]
    assert 0.4 < np.mean(values == 0.0) < 0.6


def test_erasing_frequency_matches_probability():
    x = _images((3000, 6, 6, 1))
    out = np.asarray(layers.RandomErasing(factor=0.6, scale=(0.5, 0.5), fill_value=0.0, seed=0)(x, seed=2))
    changed = np.any(out != x, axis=(1, 2, 3)).sum()
    # factor 0.6 means a probability drawn from U(0, 0.6): 0.3 on average.
    assert chisquare([changed, 3000 - changed], [900, 2100]).pvalue > 1e-3


@pytest.mark.parametrize(
    "layer",
    [
        layers.RandomErasing(fill_value=0.0, mask_fill_value=255, seed=0),
        layers.RandomCutout(0.4, 0.4, num_holes=3, mask_fill_value=255, seed=0),
        layers.GridMask(ratio_factor=(0.4, 0.6), mask_fill_value=255, seed=0),
    ],
    ids=["erasing", "cutout", "gridmask"],
)
def test_dropped_pixels_get_the_mask_fill_value(layer):
    x = _images((4, 16, 16, 3))
    masks = np.random.default_rng(1).integers(0, 5, (4, 16, 16)).astype("int32")
    boxes = {"boxes": np.array([[[1.0, 2.0, 5.0, 6.0]]] * 4, "float32"), "classes": np.zeros((4, 1), "int32")}
    out = layer({"images": x, "segmentation_masks": masks, "bounding_boxes": boxes}, seed=3)
    dropped = np.all(np.asarray(out["images"]) == 0.0, axis=-1) & np.any(x != 0.0, axis=-1)
    assert dropped.any()
    out_masks = np.asarray(out["segmentation_masks"])
    assert out_masks.dtype == np.int32 and out_masks.shape == masks.shape
    np.testing.assert_array_equal(out_masks[dropped], 255)
    np.testing.assert_array_equal(out_masks[~dropped], masks[~dropped])
    np.testing.assert_array_equal(out["bounding_boxes"]["boxes"], boxes["boxes"])


def test_masks_are_unchanged_without_mask_fill_value():
    masks = np.ones((2, 8, 8), "int32")
    out = layers.RandomCutout(0.5, 0.5, seed=0)({"images": _images((2, 8, 8, 3)), "segmentation_masks": masks})
    np.testing.assert_array_equal(out["segmentation_masks"], masks)


def test_cutout_hole_sizes_and_counts():
    x = np.ones((200, 40, 40, 1), "float32")
    single = np.asarray(layers.RandomCutout((0.25, 0.25), (0.25, 0.25), seed=0)(x, seed=1))
    area = (single == 0).mean(axis=(1, 2, 3))
    # One 10x10 hole, cropped at the border at most to a quarter.
    assert area.max() <= 100 / 1600 + 1e-6 and np.median(area) > 50 / 1600
    several = np.asarray(layers.RandomCutout((0.25, 0.25), (0.25, 0.25), num_holes=(2, 6), seed=0)(x, seed=1))
    assert (several == 0).mean() > (single == 0).mean()


def test_gridmask_drops_about_the_squared_ratio():
    x = np.ones((64, 48, 48, 1), "float32")
    out = np.asarray(layers.GridMask(ratio_factor=(0.5, 0.5), rotation_factor=0.0, seed=0)(x, seed=0))
    np.testing.assert_allclose((out == 0).mean(), 0.25, atol=0.03)
    rotated = np.asarray(layers.GridMask(ratio_factor=(0.5, 0.5), rotation_factor=0.2, seed=0)(x, seed=0))
    assert not np.array_equal(out, rotated)


def test_gaussian_noise_fill_stays_in_range():
    x = np.zeros((8, 16, 16, 3), "float32") + 255.0
    out = np.asarray(layers.GridMask(ratio_factor=(0.6, 0.6), fill_mode="gaussian_noise", seed=0)(x))
    assert out.min() >= 0.0 and out.max() <= 255.0 and (out < 255.0).mean() > 0.1


@pytest.mark.parametrize(
    "build, message",
    [
        (lambda: layers.RandomCutout(0.2, 0.2, num_holes=0), "num_holes"),
        (lambda: layers.RandomCutout(0.2, 0.2, fill_mode="reflect"), "fill_mode"),
        (lambda: layers.GridMask(unit_size_factor=0.0), "unit_size_factor"),
        (lambda: layers.RandomErasing(fill_value="red"), "fill_value"),
        (lambda: layers.GridMask(mask_fill_value="ignore"), "mask_fill_value"),
    ],
)
def test_bad_arguments_raise_value_error_naming_the_layer(build, message):
    with pytest.raises(ValueError, match=message):
        build()


def test_cutout_hole_counts_are_uniform_per_sample():
    x = np.ones((3000, 8, 8, 1), "float32")
    active = layers.RandomCutout(0.2, 0.2, num_holes=(1, 3), seed=0).get_random_transformation(x, seed=4)["active"]
    counts = np.asarray(active).sum(axis=1)
    frequencies = [np.sum(counts == n) for n in (1, 2, 3)]
    assert sum(frequencies) == 3000
    assert chisquare(frequencies, [1000] * 3).pvalue > 1e-3
