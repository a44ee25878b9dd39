"""CLAHE against OpenCV's createCLAHE, channel by channel."""

import cv2
import numpy as np
import pytest

from keras_augment import layers


def _images(shape, seed=0):
    """Low-contrast gradients with noise: most levels unused, as CLAHE expects."""
    rng = np.random.default_rng(seed)
    batch, height, width, channels = shape
    ramp = np.linspace(60, 140, width)[None, None, :, None] + np.linspace(0, 30, height)[None, :, None, None]
    noise = rng.normal(0, 12, shape)
    return np.clip(ramp + noise, 0, 255).round().astype("uint8")


def _opencv(images, clip_limits, tile_grid_size):
    rows, columns = tile_grid_size
    output = np.empty_like(images)
    for i, (image, limit) in enumerate(zip(images, clip_limits)):
        clahe = cv2.createCLAHE(clipLimit=float(limit), tileGridSize=(columns, rows))
        for c in range(image.shape[-1]):
            output[i, ..., c] = clahe.apply(np.ascontiguousarray(image[..., c]))
    return output


def _assert_close_to_opencv(ours, theirs):
    # Same integer rules and the same float32 blend, rounded the same way:
    # every level agrees.
    np.testing.assert_array_equal(np.asarray(ours).astype("uint8"), theirs)


@pytest.mark.parametrize(
    "shape, tile_grid_size, clip_limit",
    [
        ((2, 32, 32, 1), (4, 4), 2.0),  # the grid divides the image
        ((2, 37, 50, 3), (8, 8), 3.0),  # neither side divides: mirrored out
        ((1, 40, 45, 1), (5, 4), 40.0),  # one side divides: OpenCV still adds a tile there
        ((1, 30, 24, 2), (3, 6), 0.5),  # limit below one count per bin
    ],
)
def test_matches_opencv(shape, tile_grid_size, clip_limit):
    x = _images(shape, seed=shape[1])
    ours = layers.CLAHE(clip_limit=clip_limit, tile_grid_size=tile_grid_size)(x)
    _assert_close_to_opencv(ours, _opencv(x, [clip_limit] * shape[0], tile_grid_size))


def test_each_sample_draws_its_clip_limit():
    x = _images((6, 24, 24, 1), seed=1)
    layer = layers.CLAHE(clip_limit=(1.0, 6.0), tile_grid_size=(3, 3))
    limits = np.asarray(layer.get_random_transformation(x, seed=4)["clip_limit"])
    assert len(set(limits.tolist())) == 6 and limits.min() >= 1.0 and limits.max() < 6.0
    _assert_close_to_opencv(layer(x, seed=4), _opencv(x, limits, (3, 3)))


def test_value_range_is_a_scaled_copy():
    x = _images((2, 20, 20, 3), seed=2)
    on_bytes = layers.CLAHE(clip_limit=2.0, tile_grid_size=(2, 2))(x)
    on_unit = layers.CLAHE(clip_limit=2.0, tile_grid_size=(2, 2), value_range=(0, 1))(x / 255.0)
    np.testing.assert_allclose(on_unit, np.asarray(on_bytes) / 255.0, atol=1e-6)


def test_spreads_a_narrow_histogram():
    x = _images((1, 32, 32, 1), seed=3)
    out = np.asarray(layers.CLAHE(clip_limit=4.0, tile_grid_size=(2, 2))(x))
    assert out.std() > 1.5 * x.std()


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"clip_limit": 0}, "`clip_limit` must be a positive number or a pair"),
        ({"clip_limit": (1.0, -2.0)}, "`clip_limit` must be a positive number or a pair"),
        ({"tile_grid_size": (0, 2)}, r"`tile_grid_size` must be a pair of integers >= 1"),
        ({"tile_grid_size": 8}, r"`tile_grid_size` must be a pair of integers >= 1"),
    ],
)
def test_refuses_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match="CLAHE.*" + message):
        layers.CLAHE(**kwargs)


def test_images_smaller_than_the_grid_are_mirrored_as_opencv_does():
    x = _images((2, 5, 3, 2), seed=4)
    ours = layers.CLAHE(clip_limit=2.0, tile_grid_size=(8, 8))(x)
    _assert_close_to_opencv(ours, _opencv(x, [2.0, 2.0], (8, 8)))
