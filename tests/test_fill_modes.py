"""Keras parity over the whole image for every fill mode.

Each layer with a Keras core twin taking `fill_mode` runs with one fixed
draw (a factor pair `(f, f)`, or given shears) on non-square odd-sized
images, built so that a fifth or more of the output is fill. Outputs are
compared pixel by pixel over the whole image, borders included, so a wrong
fill mode, or a fold off by one pixel, fails by far more than the tolerance.

`wrap` is compared with Keras run in `constant` mode on the image tiled
5 x 5 (`np.pad(mode="wrap")`, the periodic extension made explicit), cropped
back to the middle tile: Keras's own `wrap` (TensorFlow's
`ImageProjectiveTransformV3`) repeats the edge pixel at the seam
(`a b c d | a b c d` comes out as `... c d d b c d` for a shift by 2.1 px),
against its documentation, so it cannot serve as the reference.
"""

import keras
import numpy as np
import pytest

from keras_augment import layers
from keras_augment.ops import geometry

FILL_MODES = ("constant", "reflect", "wrap", "nearest")
SHAPE = (2, 15, 21, 3)
# Float noise between two bilinear implementations; a wrong fill mode moves
# the fill pixels by about 0.3 on these 0..1 images.
TOLERANCE = 1e-4
TILES = 5  # odd: the tiled image has the middle tile's centre
# Factors are scaled for the tiled image (translations are fractions of the size).
FIXED = {
    "RandomTranslation": (
        {"height_factor": (0.4, 0.4), "width_factor": (-0.45, -0.45)},
        {"height_factor": (0.4 / TILES, 0.4 / TILES), "width_factor": (-0.45 / TILES, -0.45 / TILES)},
    ),
    "RandomRotation": ({"factor": (0.125, 0.125)}, None),
    # Zooms chosen so that no nearest-neighbour read falls on a tie.
    "RandomZoom": ({"height_factor": (0.45, 0.45), "width_factor": (0.63, 0.63)}, None),
}


def _images():
    return np.random.default_rng(7).uniform(0, 1, SHAPE).astype("float32")


def _tiled(x):
    pad = ((0, 0), (2 * x.shape[1],) * 2, (2 * x.shape[2],) * 2, (0, 0))
    return np.pad(x, pad, mode="wrap")


def _middle_tile(tiled):
    tiled = np.asarray(tiled)
    height, width = tiled.shape[1] // TILES, tiled.shape[2] // TILES
    return tiled[:, 2 * height : 3 * height, 2 * width : 3 * width]


def _compare(ours, theirs, fill_mode):
    ours, theirs = np.asarray(ours), np.asarray(theirs)
    assert ours.shape == theirs.shape == SHAPE
    error = np.abs(ours - theirs)
    worst = np.unravel_index(np.argmax(error), error.shape)
    assert error.max() < TOLERANCE, (
        f"fill_mode={fill_mode}: max difference {error.max():.3g} at {worst}; "
        f"{(error > TOLERANCE).mean():.1%} of the values differ"
    )


def _fill_fraction(layer_class, kwargs):
    """Share of output pixels that read outside the input (constant fill)."""
    ones = np.ones(SHAPE, "float32")
    out = layer_class(**kwargs, fill_mode="constant", fill_value=0.0, interpolation="nearest")(
        ones, training=True
    )
    return float((np.asarray(out) == 0).mean())


@pytest.mark.parametrize("name", sorted(FIXED))
def test_the_fill_region_is_large(name):
    assert _fill_fraction(getattr(layers, name), FIXED[name][0]) > 0.2


@pytest.mark.parametrize("interpolation", ["bilinear", "nearest"])
@pytest.mark.parametrize("fill_mode", FILL_MODES)
@pytest.mark.parametrize("name", sorted(FIXED))
def test_fixed_draws_match_keras_over_the_whole_image(name, fill_mode, interpolation):
    x = _images()
    factors, tiled_factors = FIXED[name]
    settings = dict(fill_value=0.7, interpolation=interpolation)
    ours = getattr(layers, name)(**factors, fill_mode=fill_mode, **settings)(x, training=True)
    if fill_mode == "wrap":
        keras_layer = getattr(keras.layers, name)(**(tiled_factors or factors), fill_mode="constant", **settings)
        theirs = _middle_tile(keras_layer(_tiled(x), training=True))
    else:
        theirs = getattr(keras.layers, name)(**factors, fill_mode=fill_mode, **settings)(x, training=True)
    _compare(ours, theirs, fill_mode)


@pytest.mark.parametrize("fill_mode", FILL_MODES)
def test_given_shears_match_keras_over_the_whole_image(fill_mode):
    x = _images()
    shears = np.array([[0.6, -0.5], [-0.7, 0.4]], "float32")
    kwargs = dict(x_factor=0.7, y_factor=0.7, fill_mode=fill_mode, fill_value=0.7)
    # Keras shears about the top-left pixel centre, (0.5, 0.5) on our plane.
    matrix = geometry.shear(shears[:, 0], shears[:, 1], 0.5, 0.5)
    ours = layers.RandomShear(**kwargs).apply_transformation(x, {"matrix": matrix})
    if fill_mode == "wrap":
        # Keras cannot shear about another point, so the tiled reference is
        # our constant mode, about the middle tile's top-left pixel centre.
        height, width = SHAPE[1:3]
        centred = geometry.shear(shears[:, 0], shears[:, 1], 2 * width + 0.5, 2 * height + 0.5)
        constant = layers.RandomShear(**dict(kwargs, fill_mode="constant"))
        theirs = _middle_tile(constant.apply_transformation(_tiled(x), {"matrix": centred}))
    else:
        theirs = keras.layers.RandomShear(**kwargs).transform_images(x, {"shear_factor": shears})
    _compare(ours, theirs, fill_mode)
