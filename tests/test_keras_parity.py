"""Drop-in layers match Keras core for fixed parameters."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_augment import layers


def _images():
    return np.random.default_rng(1).uniform(0, 255, (4, 9, 7, 3)).astype("float32")


@pytest.mark.parametrize("mode", ["horizontal", "vertical", "horizontal_and_vertical"])
def test_random_flip_matches_keras_for_fixed_flips(mode):
    x = _images()
    flips = np.array([True, False, True, False])
    ours = layers.RandomFlip(mode).apply_transformation(
        x,
        {
            "horizontal": tf.constant(flips if mode != "vertical" else ~flips & False),
            "vertical": tf.constant(flips if mode != "horizontal" else ~flips & False),
        },
    )
    theirs = keras.layers.RandomFlip(mode).transform_images(
        x, {"flips": flips.reshape(4, 1, 1, 1), "input_shape": x.shape}
    )
    np.testing.assert_array_equal(ours, theirs)


def test_random_flip_signature_matches_keras():
    import inspect

    ours = inspect.signature(layers.RandomFlip.__init__).parameters
    theirs = inspect.signature(keras.layers.RandomFlip.__init__).parameters
    assert list(ours) == list(theirs)


def test_random_brightness_matches_keras_for_a_fixed_factor():
    x = _images()
    ours = layers.RandomBrightness((0.1, 0.1))(x)
    theirs = keras.layers.RandomBrightness((0.1, 0.1))(x)
    np.testing.assert_allclose(ours, theirs, atol=1e-4)
    ours = layers.RandomBrightness((-0.3, -0.3), value_range=(0, 1))(x / 255)
    theirs = keras.layers.RandomBrightness((-0.3, -0.3), value_range=(0, 1))(x / 255)
    np.testing.assert_allclose(ours, theirs, atol=1e-6)


def test_random_brightness_matches_keras_for_given_deltas():
    x = _images()
    delta = np.array([-40.0, 0.0, 25.5, 200.0], "float32")
    ours = layers.RandomBrightness(0.5).apply_transformation(x, {"delta": tf.constant(delta)})
    theirs = keras.layers.RandomBrightness(0.5).transform_images(
        x, {"rgb_delta": delta.reshape(4, 1, 1, 1)}
    )
    np.testing.assert_allclose(ours, theirs, atol=1e-4)


def test_random_brightness_draws_the_same_range_as_keras():
    x = np.full((4000, 1, 1, 1), 100.0, "float32")
    ours = np.asarray(layers.RandomBrightness((-0.2, 0.1), seed=0)(x)).ravel() - 100
    assert ours.min() >= -0.2 * 255 - 1e-3 and ours.max() <= 0.1 * 255 + 1e-3
    np.testing.assert_allclose(ours.mean(), -0.05 * 255, atol=1.0)


def test_random_brightness_signature_matches_keras():
    import inspect

    ours = inspect.signature(layers.RandomBrightness.__init__).parameters
    theirs = inspect.signature(keras.layers.RandomBrightness.__init__).parameters
    assert list(ours) == list(theirs)
