"""Colour layers: Keras parity for fixed parameters, signatures, per-sample
frequencies (chi-square with fixed seeds) and argument validation."""

import inspect

import keras
import numpy as np
import pytest
import tensorflow as tf
from scipy.stats import chisquare

from keras_augment import layers

TWINS = [
    "AutoContrast", "Equalization", "RandomColorDegeneration", "RandomColorJitter",
    "RandomErasing", "RandomGaussianBlur", "RandomGrayscale", "RandomHue", "RandomInvert",
    "RandomPosterization", "RandomSaturation", "RandomSharpness", "Solarization",
]


def _images(shape=(4, 9, 7, 3), seed=1):
    return np.random.default_rng(seed).integers(0, 256, shape).astype("float32")


@pytest.mark.parametrize("name", TWINS)
def test_signature_extends_keras(name):
    ours = [p for p in inspect.signature(getattr(layers, name).__init__).parameters if p != "kwargs"]
    theirs = [p for p in inspect.signature(getattr(keras.layers, name).__init__).parameters if p != "kwargs"]
    assert ours[: len(theirs)] == theirs
    for parameter in theirs[1:]:
        default = inspect.signature(getattr(keras.layers, name).__init__).parameters[parameter].default
        ours_default = inspect.signature(getattr(layers, name).__init__).parameters[parameter].default
        assert ours_default == default, (name, parameter)


def _keras(name, *args, **kwargs):
    return getattr(keras.layers, name)(*args, **kwargs)


def test_saturation_hue_degeneration_match_keras():
    x = _images()
    multipliers = np.array([0.0, 0.3, 1.0, 0.8], "float32")
    ours = layers.RandomSaturation(0.5).apply_transformation(x, {"factor": tf.constant(multipliers)})
    theirs = _keras("RandomSaturation", 0.5).transform_images(x, {"factor": multipliers})
    np.testing.assert_allclose(ours, theirs, atol=2e-3)
    deltas = np.array([-0.5, -0.2, 0.1, 0.45], "float32")
    ours = layers.RandomHue(0.5).apply_transformation(x, {"factor": tf.constant(deltas)})
    theirs = _keras("RandomHue", 0.5).transform_images(x, {"factor": deltas})
    np.testing.assert_allclose(ours, theirs, atol=2e-3)
    factors = np.array([-0.7, 0.0, 0.5, 1.0], "float32")
    ours = layers.RandomColorDegeneration(1.0).apply_transformation(x, {"factor": tf.constant(factors)})
    theirs = _keras("RandomColorDegeneration", 1.0).transform_images(x, {"factor": factors.reshape(4, 1, 1, 1)})
    np.testing.assert_allclose(ours, theirs, atol=2e-3)


def test_grayscale_invert_posterization_solarization_match_keras():
    x = _images()
    flags = np.array([True, False, True, False])
    ours = layers.RandomGrayscale().apply_transformation(x, {"apply": tf.constant(flags)})
    theirs = _keras("RandomGrayscale").transform_images(x, flags.reshape(4, 1, 1, 1))
    np.testing.assert_allclose(ours, theirs, atol=1e-3)
    ours = layers.RandomInvert().apply_transformation(x, {"apply": tf.constant(flags)})
    theirs = _keras("RandomInvert").transform_images(x, {"apply_inversion": flags})
    np.testing.assert_allclose(ours, theirs, atol=1e-4)
    bits = np.array([1, 3, 5, 8])
    ours = layers.RandomPosterization(8).apply_transformation(x, {"bits": tf.constant(bits)})
    theirs = _keras("RandomPosterization", 8).transform_images(x, {"shift_factor": (8 - bits).astype("uint8")})
    np.testing.assert_allclose(ours, theirs, atol=1e-4)
    additions = np.array([0.0, 30.0, 100.0, 255.0], "float32")
    thresholds = np.array([0.0, 128.0, 200.0, 50.0], "float32")
    ours = layers.Solarization().apply_transformation(
        x, {"additions": tf.constant(additions), "thresholds": tf.constant(thresholds)}
    )
    theirs = _keras("Solarization").transform_images(
        x, {"additions": additions.reshape(4, 1, 1, 1), "thresholds": thresholds.reshape(4, 1, 1, 1)}
    )
    np.testing.assert_allclose(ours, theirs, atol=1e-4)


def test_autocontrast_sharpness_blur_match_keras():
    x = _images() * 0.5 + 30
    np.testing.assert_allclose(layers.AutoContrast()(x), _keras("AutoContrast")(x), atol=1e-3)
    factors = np.array([0.0, 0.25, 0.5, 1.0], "float32")
    ours = layers.RandomSharpness(1.0).apply_transformation(x, {"factor": tf.constant(factors)})
    theirs = _keras("RandomSharpness", 1.0).transform_images(x, {"factor": factors})
    # Keras zero-pads the border; inside the image both are the same.
    np.testing.assert_allclose(np.asarray(ours)[:, 1:-1, 1:-1], np.asarray(theirs)[:, 1:-1, 1:-1], atol=1e-3)
    flags = np.array([True, True, False, True])
    sigma = np.array([0.8, 1.7], "float32")
    ours = layers.RandomGaussianBlur(kernel_size=5, sigma=(0.5, 2.0)).apply_transformation(
        x, {"apply": tf.constant(flags), "sigma": tf.constant(np.tile(sigma, (4, 1)))}
    )
    theirs = _keras("RandomGaussianBlur", kernel_size=5, sigma=(0.5, 2.0)).transform_images(
        x, {"should_apply_blur": flags, "blur_factor": sigma}
    )
    np.testing.assert_allclose(ours, theirs, atol=1e-3)


def test_equalization_is_close_to_keras_for_single_images():
    # PIL's integer step makes small images differ more; 128x128 keeps it small.
    x = _images((1, 128, 128, 3))
    difference = np.abs(np.asarray(layers.Equalization()(x)) - np.asarray(_keras("Equalization")(x)))
    assert difference.mean() < 2.0 and difference.max() <= 8.0


def test_color_jitter_matches_keras_parts_in_order():
    x = _images()
    parameters = {
        "brightness": np.array([-20.0, 0.0, 15.0, 40.0], "float32"),
        "contrast": np.array([0.5, 1.0, 1.3, 0.8], "float32"),
        "saturation": np.array([0.2, 1.0, 0.7, 0.0], "float32"),
        "hue": np.array([0.1, -0.2, 0.0, 0.3], "float32"),
    }
    layer = layers.RandomColorJitter(
        brightness_factor=0.5, contrast_factor=0.5, saturation_factor=0.5, hue_factor=0.5
    )
    ours = layer.apply_transformation(x, {k: tf.constant(v) for k, v in parameters.items()})
    theirs = _keras("RandomBrightness", 0.5).transform_images(
        x, {"rgb_delta": parameters["brightness"].reshape(4, 1, 1, 1)}
    )
    theirs = _keras("RandomContrast", 0.5).transform_images(
        theirs, {"contrast_factor": parameters["contrast"].reshape(4, 1, 1, 1)}
    )
    theirs = _keras("RandomSaturation", 0.5).transform_images(theirs, {"factor": parameters["saturation"]})
    theirs = _keras("RandomHue", 0.5).transform_images(theirs, {"factor": parameters["hue"]})
    np.testing.assert_allclose(ours, theirs, atol=5e-3)


def test_factor_ranges_follow_keras_docs():
    x = np.full((2000, 1, 1, 3), 128.0, "float32")
    multipliers = layers.RandomSaturation((0.2, 0.6)).get_random_transformation(x, seed=0)["factor"]
    drawn = np.asarray(multipliers) / (1 + np.asarray(multipliers))
    assert 0.2 <= drawn.min() and drawn.max() <= 0.6
    deltas = np.asarray(layers.RandomHue(0.4).get_random_transformation(x, seed=0)["factor"])
    assert np.abs(deltas).max() <= 0.2 and (deltas < 0).mean() > 0.4
    contrast = layers.RandomColorJitter(contrast_factor=0.3).get_random_transformation(x, seed=0)["contrast"]
    assert 0.7 <= np.min(contrast) < 0.75 and 1.25 < np.max(contrast) <= 1.3


def _chi_square_p(counts, probabilities):
    counts = np.asarray(counts, float)
    return chisquare(counts, np.asarray(probabilities) * counts.sum()).pvalue


@pytest.mark.parametrize(
    "layer, probability",
    [
        (layers.RandomGrayscale(0.3, seed=0), 0.3),
        (layers.RandomInvert((0.2, 0.6), seed=0), 0.4),
        (layers.RandomGaussianBlur((0.5, 0.5), sigma=(1.0, 1.0), seed=0), 0.5),
    ],
    ids=["grayscale", "invert", "blur"],
)
def test_application_frequency_matches_probability(layer, probability):
    image = np.zeros((1, 3, 3, 3), "float32")
    image[0, 1, 1] = [200.0, 30.0, 90.0]
    images = np.repeat(image, 3000, axis=0)
    changed = np.any(np.asarray(layer(images, seed=11)) != images, axis=(1, 2, 3))
    assert 0 < changed.sum() < len(changed)
    assert _chi_square_p([changed.sum(), (~changed).sum()], [probability, 1 - probability]) > 1e-3


def test_posterization_bits_are_uniform_per_sample():
    ramp = np.arange(256, dtype="float32").reshape(1, 16, 16, 1)
    outputs = np.asarray(layers.RandomPosterization((2, 6), seed=0)(np.repeat(ramp, 2000, 0), seed=5))
    bits = np.log2([len(np.unique(o)) for o in outputs]).round().astype(int)
    counts = [np.sum(bits == b) for b in range(2, 6)]
    assert sum(counts) == 2000
    assert _chi_square_p(counts, [0.25] * 4) > 1e-3


def test_channel_shuffle_permutations_are_uniform():
    image = np.array([0.0, 100.0, 200.0], "float32").reshape(1, 1, 1, 3)
    outputs = np.asarray(layers.RandomChannelShuffle(seed=0)(np.repeat(image, 3000, 0), seed=3))
    keys = [tuple((o.ravel() // 100).astype(int)) for o in outputs]
    counts = [keys.count(p) for p in sorted(set(keys))]
    assert len(counts) == 6
    assert _chi_square_p(counts, [1 / 6] * 6) > 1e-3


@pytest.mark.parametrize(
    "build, message",
    [
        (lambda: layers.RandomPosterization(9), "factor"),
        (lambda: layers.RandomGaussianBlur(kernel_size=4), "kernel_size"),
        (lambda: layers.RandomGrayscale(1.5), "factor"),
        (lambda: layers.Equalization(bins=1), "bins"),
        (lambda: layers.RandomGamma((0.0, 2.0)), "factor"),
        (lambda: layers.RandomGaussianNoise(per_channel="yes"), "per_channel"),
        (lambda: layers.RandomJpegQuality((10, 120)), "factor"),
    ],
)
def test_bad_arguments_raise_value_error_naming_the_layer(build, message):
    with pytest.raises(ValueError, match=message):
        build()


def test_rgb_layers_reject_other_channel_counts():
    with pytest.raises(ValueError, match="RandomSaturation.*3 channels"):
        layers.RandomSaturation(0.5)(np.zeros((2, 4, 4, 1), "float32"))
    with pytest.raises(ValueError, match="RandomJpegQuality.*1 or 3 channels"):
        layers.RandomJpegQuality()(np.zeros((2, 4, 4, 4), "float32"))


def test_gaussian_noise_strength_follows_stddev():
    x = np.full((64, 16, 16, 3), 128.0, "float32")
    noise = np.asarray(layers.RandomGaussianNoise((0.1, 0.1), seed=0)(x)) - 128.0
    np.testing.assert_allclose(noise.std(), 25.5, rtol=0.05)
    luminance = np.asarray(layers.RandomGaussianNoise(0.1, per_channel=False, seed=0)(x))
    assert np.all(luminance[..., 0] == luminance[..., 1])


def test_gamma_brightens_below_one():
    x = np.full((1, 2, 2, 3), 64.0, "float32")
    layer = layers.RandomGamma()
    darker = layer.apply_transformation(x, {"gamma": tf.constant([2.0])})
    brighter = layer.apply_transformation(x, {"gamma": tf.constant([0.5])})
    assert np.all(np.asarray(brighter) > 64) and np.all(np.asarray(darker) < 64)


def test_hue_shift_sign_is_a_fair_coin_per_sample():
    red = np.zeros((3000, 1, 1, 3), "float32")
    red[..., 0] = 200.0
    out = np.asarray(layers.RandomHue((0.3, 0.3), seed=0)(red, seed=6))
    # +0.15 of a turn moves red towards green, -0.15 towards blue.
    towards_green = np.sum(out[:, 0, 0, 1] > out[:, 0, 0, 2])
    assert _chi_square_p([towards_green, 3000 - towards_green], [0.5, 0.5]) > 1e-3
    assert 0 < towards_green < 3000
