"""Colour, filter and dropout kernels against slow NumPy / PIL / SciPy references.

Tolerances (on the 0..255 scale) and why:
- exact: posterize, solarize, equalize, invert, channel shuffle (integer LUT ops).
- 1: autocontrast, brightness (PIL truncates its LUT / blend to integers).
- 1.5: colour, sharpness (PIL rounds its grayscale / smoothed image to integers
  before blending, and its luma weights are 0.299/0.587/0.114).
- 2.5: contrast (PIL also rounds the gray mean to an integer).
- 1e-3: saturation, hue, gamma, blur (float references).
"""

import colorsys

import numpy as np
import pytest
import tensorflow as tf
from PIL import Image, ImageEnhance, ImageOps
from scipy import ndimage

from keras_augment.ops import colour, dropout, filters

RANGE = (0.0, 255.0)


def _images(shape=(4, 10, 9, 3), seed=0):
    return np.random.default_rng(seed).integers(0, 256, shape).astype(np.uint8)


def _per_image(function, images, magnitudes):
    return np.stack(
        [np.asarray(function(Image.fromarray(image), m), np.float64) for image, m in zip(images, magnitudes)]
    ).reshape(images.shape)


def _assert_close(actual, expected, tolerance):
    difference = np.abs(np.asarray(actual, np.float64) - np.asarray(expected, np.float64))
    assert difference.max() <= tolerance, f"max difference {difference.max()} > {tolerance}"


def test_posterize_matches_pil():
    images = _images()
    bits = np.array([1, 3, 6, 8])
    ours = colour.posterize(tf.constant(images, tf.float32), bits, RANGE)
    _assert_close(ours, _per_image(ImageOps.posterize, images, bits), 0)


def test_posterize_in_unit_range_matches_pil():
    images = _images()
    ours = colour.posterize(tf.constant(images / 255.0, tf.float32), np.full(4, 2), (0.0, 1.0))
    expected = _per_image(ImageOps.posterize, images, [2] * 4) / 255.0
    _assert_close(ours, expected, 1e-6)


def test_solarize_matches_pil():
    images = _images()
    thresholds = np.array([0, 64, 128, 256])
    ours = colour.solarize(tf.constant(images, tf.float32), thresholds, RANGE)
    _assert_close(ours, _per_image(ImageOps.solarize, images, thresholds), 0)


def test_solarize_addition_brightens_and_clips_first():
    images = _images()
    ours = colour.solarize(tf.constant(images, tf.float32), np.full(4, 128), RANGE, np.full(4, 50))
    brightened = np.clip(images.astype(np.float64) + 50, 0, 255)
    _assert_close(ours, np.where(brightened < 128, brightened, 255 - brightened), 0)


def test_solarize_add_matches_numpy():
    images = _images()
    additions = np.array([0, 40, 110, -30])
    ours = colour.solarize_add(tf.constant(images, tf.float32), additions, RANGE)
    added = np.clip(images + additions[:, None, None, None], 0, 255)
    _assert_close(ours, np.where(images < 128, added, images), 0)


@pytest.mark.parametrize("shape", [(4, 10, 9, 3), (3, 16, 16, 1)])
def test_equalize_matches_pil(shape):
    images = _images(shape)
    images[1] = images[1] // 64 * 30  # few levels
    images[2] = 77  # one level: unchanged
    ours = colour.equalize(tf.constant(images, tf.float32), RANGE)
    expected = _per_image(lambda image, _: ImageOps.equalize(image), images.squeeze(-1) if shape[-1] == 1 else images, [0] * len(images))
    _assert_close(ours, expected.reshape(shape), 0)


def test_autocontrast_matches_pil():
    images = (_images() // 2 + 40).astype(np.uint8)
    images[3, ..., 1] = 9  # constant channel is unchanged
    ours = colour.autocontrast(tf.constant(images, tf.float32), RANGE)
    expected = _per_image(lambda image, _: ImageOps.autocontrast(image), images, [0] * 4)
    _assert_close(ours, expected, 1)
    np.testing.assert_array_equal(np.asarray(ours)[3, ..., 1], 9)


@pytest.mark.parametrize(
    "ours, theirs, tolerance",
    [
        (colour.enhance_color, ImageEnhance.Color, 1.5),
        (colour.enhance_brightness, ImageEnhance.Brightness, 1),
        (colour.enhance_contrast, ImageEnhance.Contrast, 2.5),
        (filters.sharpness, ImageEnhance.Sharpness, 1.5),
    ],
    ids=["color", "brightness", "contrast", "sharpness"],
)
def test_enhance_ops_match_pil(ours, theirs, tolerance):
    images = _images()
    factors = np.array([0.0, 0.4, 1.0, 1.8], np.float32)
    actual = ours(tf.constant(images, tf.float32), factors, RANGE)
    expected = _per_image(lambda image, f: theirs(image).enhance(float(f)), images, factors)
    _assert_close(actual, expected, tolerance)


def _hsv_reference(images, change):
    output = np.empty(images.shape, np.float64)
    for index in np.ndindex(images.shape[:3]):
        h, s, v = colorsys.rgb_to_hsv(*(images[index] / 255.0))
        output[index] = np.array(colorsys.hsv_to_rgb(*change(index[0], h, s, v))) * 255.0
    return output


def test_saturation_matches_colorsys():
    images = _images()
    factors = np.array([0.0, 0.5, 1.0, 3.0], np.float32)
    ours = colour.saturation(tf.constant(images, tf.float32), factors, RANGE)
    expected = _hsv_reference(images, lambda b, h, s, v: (h, min(s * factors[b], 1.0), v))
    _assert_close(ours, expected, 1e-3)


def test_hue_matches_colorsys():
    images = _images()
    deltas = np.array([-0.5, -0.1, 0.0, 0.3], np.float32)
    ours = colour.hue(tf.constant(images, tf.float32), deltas, RANGE)
    expected = _hsv_reference(images, lambda b, h, s, v: ((h + deltas[b]) % 1.0, s, v))
    _assert_close(ours, expected, 1e-3)


def test_grayscale_invert_gamma_and_channel_shuffle_match_numpy():
    images = _images()
    x = tf.constant(images, tf.float32)
    weights = np.array(colour.GRAYSCALE_WEIGHTS)
    _assert_close(colour.grayscale(x), (images @ weights)[..., None], 1e-3)
    _assert_close(colour.invert(x, RANGE), 255.0 - images, 0)
    gammas = np.array([0.5, 1.0, 1.5, 3.0], np.float32)
    expected = 255.0 * (images / 255.0) ** gammas[:, None, None, None]
    _assert_close(colour.gamma(x, gammas, RANGE), expected, 1e-3)
    permutations = np.array([[2, 0, 1], [0, 1, 2], [1, 2, 0], [2, 1, 0]])
    expected = np.stack([image[..., p] for image, p in zip(images, permutations)])
    _assert_close(colour.channel_shuffle(x, permutations), expected, 0)


def test_contrast_matches_keras_formula():
    images = _images().astype(np.float64)
    factors = np.array([0.0, 0.5, 1.0, 1.7])
    mean = images.mean(axis=(1, 2), keepdims=True)
    expected = np.clip((images - mean) * factors[:, None, None, None] + mean, 0, 255)
    _assert_close(colour.contrast(tf.constant(images, tf.float32), factors, RANGE), expected, 1e-3)


def test_gaussian_blur_matches_scipy_with_zero_padding():
    images = _images((3, 11, 13, 2)).astype(np.float64)
    sigmas = np.array([[0.5, 2.0], [1.0, 1.0], [3.0, 0.7]], np.float32)
    kernel_size = (5, 3)
    ours = filters.gaussian_blur(tf.constant(images, tf.float32), sigmas, kernel_size)

    def weights(sigma, size):
        x = np.arange(size) - (size - 1) / 2
        w = np.exp(-0.5 * (x / sigma) ** 2)
        return w / w.sum()

    for b in range(3):
        kernel = np.outer(weights(sigmas[b, 1], kernel_size[1]), weights(sigmas[b, 0], kernel_size[0]))
        for c in range(2):
            expected = ndimage.correlate(images[b, ..., c], kernel, mode="constant")
            _assert_close(np.asarray(ours)[b, ..., c], expected, 1e-3)


def test_jpeg_quality_matches_tf_per_image_and_degrades_with_quality():
    images = _images((3, 16, 16, 3))
    qualities = np.array([5, 50, 100])
    ours = np.asarray(filters.jpeg_quality(tf.constant(images, tf.float32), qualities, RANGE))
    for image, quality, out in zip(images, qualities, ours):
        expected = tf.image.adjust_jpeg_quality(image, int(quality)).numpy()
        _assert_close(out, expected, 0)
    errors = np.abs(ours - images).mean(axis=(1, 2, 3))
    assert errors[0] > errors[1] > errors[2]


def test_rectangle_masks_match_numpy():
    boxes = np.array([[[1.5, 0.0, 4.0, 3.2], [-2.0, 5.0, 3.0, 20.0]], [[0, 0, 0, 0], [2.0, 2.0, 7.0, 5.0]]])
    active = np.array([[True, True], [True, False]])
    ours = np.asarray(dropout.rectangle_masks(6, 7, boxes, active))[..., 0]
    expected = np.zeros((2, 6, 7), bool)
    for b, n in zip(*np.nonzero(active)):
        x0, y0, x1, y1 = boxes[b, n]
        for y, x in np.ndindex(6, 7):
            expected[b, y, x] |= x0 <= x < x1 and y0 <= y < y1
    np.testing.assert_array_equal(ours, expected)


def test_grid_masks_match_numpy():
    units, ratios = np.array([4.0, 6.5]), np.array([0.5, 0.3])
    angles, offsets = np.array([0.0, 0.6]), np.array([[1.0, 2.0], [0.3, 4.1]])
    ours = np.asarray(dropout.grid_masks(9, 12, units, ratios, angles, offsets))[..., 0]
    for b in range(2):
        for y, x in np.ndindex(9, 12):
            cx, cy = x + 0.5 - 6.0, y + 0.5 - 4.5
            c, s = np.cos(angles[b]), np.sin(angles[b])
            u, v = c * cx + s * cy + offsets[b, 0], c * cy - s * cx + offsets[b, 1]
            side = units[b] * ratios[b]
            assert ours[b, y, x] == ((u % units[b] < side) and (v % units[b] < side)), (b, y, x)
    unrotated = np.asarray(dropout.grid_masks(40, 40, [10.0], [0.5], [0.0], [[0.0, 0.0]]))
    assert abs(unrotated.mean() - 0.25) < 1e-6


@pytest.mark.parametrize(
    "op, magnitudes",
    [
        (lambda x, m: colour.saturation(x, m, RANGE), [0.2, 1.4]),
        (lambda x, m: colour.hue(x, m, RANGE), [0.1, -0.3]),
        (lambda x, m: colour.posterize(x, m, RANGE), [2, 5]),
        (lambda x, m: colour.solarize(x, m, RANGE), [50.0, 200.0]),
        (lambda x, m: colour.enhance_color(x, m, RANGE), [0.1, 1.9]),
        (lambda x, m: filters.sharpness(x, m, RANGE), [0.0, 2.0]),
        (lambda x, m: colour.gamma(x, m, RANGE), [0.5, 2.0]),
    ],
)
def test_kernels_apply_each_sample_its_own_magnitude(op, magnitudes):
    images = np.repeat(_images((1, 8, 8, 3)), 2, axis=0).astype(np.float32)
    batched = np.asarray(op(tf.constant(images), np.array(magnitudes)))
    for i, magnitude in enumerate(magnitudes):
        single = np.asarray(op(tf.constant(images[i : i + 1]), np.array([magnitude])))
        np.testing.assert_allclose(batched[i], single[0], atol=1e-4)
    assert not np.array_equal(batched[0], batched[1])


def test_kernels_compile_with_xla():
    images = tf.constant(_images(), tf.float32)
    magnitudes = tf.constant([0.2, 0.5, 1.0, 1.5])

    @tf.function(jit_compile=True)
    def run(x, m):
        x = colour.saturation(x, m, RANGE)
        x = colour.enhance_contrast(x, m, RANGE)
        x = colour.solarize(x, m * 100, RANGE)
        x = colour.posterize(x, tf.cast(m * 4 + 1, tf.int32), RANGE)
        x = filters.sharpness(x, m, RANGE)
        return colour.autocontrast(x, RANGE)

    assert run(images, magnitudes).shape == images.shape
    indices = tf.function(colour.equalization_indices, jit_compile=True)(images, RANGE)
    histograms = colour.channel_histograms(indices)
    tables = tf.function(colour.equalization_tables, jit_compile=True)(histograms, RANGE)
    np.testing.assert_array_equal(tf.gather(tables, indices), colour.equalize(images, RANGE))


def test_sharpness_eight_bit_is_the_float_kernel_rounded():
    images = tf.constant(np.random.default_rng(3).integers(0, 256, (3, 9, 7, 3)), tf.uint8)
    factors = tf.constant([0.0, 1.3, 2.0])
    expected = tf.round(filters.sharpness(tf.cast(images, tf.float32), factors, (0.0, 255.0)))
    ours = filters.sharpness_eight_bit(images, factors)
    assert ours.dtype == tf.uint8
    np.testing.assert_array_equal(ours.numpy(), expected.numpy().astype(np.uint8))
    # The one-pixel border keeps its values, as PIL's filters do.
    np.testing.assert_array_equal(ours.numpy()[:, 0], images.numpy()[:, 0])
    np.testing.assert_array_equal(ours.numpy()[:, :, -1], images.numpy()[:, :, -1])


def test_eight_bit_kernels_read_rows_in_place():
    # With `rows`, the uint8 kernels give what they give on `images[rows]`.
    from keras_augment.ops import eight_bit

    images = tf.constant(np.random.default_rng(4).integers(0, 256, (5, 9, 7, 3)), tf.uint8)
    rows = tf.constant([3, 0, 3], tf.int32)
    picked = tf.gather(images, rows)
    for kernel in (eight_bit.equalize, eight_bit.autocontrast):
        np.testing.assert_array_equal(kernel(images, rows).numpy(), kernel(picked).numpy())
    factors = tf.constant([0.2, 1.0, 1.8])
    np.testing.assert_array_equal(
        filters.sharpness_eight_bit(images, factors, rows).numpy(),
        filters.sharpness_eight_bit(picked, factors).numpy(),
    )
