"""The findings of the promises issue on layers, seeds and errors, one test each."""

import subprocess
import sys

import numpy as np
import pytest
import tensorflow as tf

import keras_augment as ka
from keras_augment.layers.core.sampling import RandomSampler


def images(shape=(4, 15, 22, 3), seed=0):
    return np.random.default_rng(seed).uniform(0, 255, shape).astype("float32")


# --- 2. one seed, one output ------------------------------------------------
SEEDED_LAYERS = {
    "RandomRotation": lambda: ka.layers.RandomRotation(0.2),
    "RandomZoom": lambda: ka.layers.RandomZoom(0.3),
    "RandomCrop": lambda: ka.layers.RandomCrop(9, 11),
    "RandomResizedCrop": lambda: ka.layers.RandomResizedCrop(9, 11),
    "RandomElasticTransform": lambda: ka.layers.RandomElasticTransform(),
    "Pipeline": lambda: ka.layers.Pipeline([ka.layers.RandomFlip(), ka.layers.RandomRotation(0.3)]),
}


@pytest.mark.parametrize("name", sorted(SEEDED_LAYERS))
def test_constant_seed_in_tf_function_equals_eager(name):
    layer = SEEDED_LAYERS[name]()
    x = images()
    eager = layer(x, training=True, seed=42)
    graph = tf.function(lambda t: layer(t, training=True, seed=42))(x)
    np.testing.assert_array_equal(np.asarray(graph), np.asarray(eager))


def test_sampler_draws_agree_under_xla_and_constant_folding():
    # The draws themselves: a Python-constant seed folded by the graph
    # optimizer must not switch them to other kernels than eager uses.
    layer = ka.layers.RandomRotation(0.5)
    x = images((6, 9, 9, 3))
    eager = layer.get_random_transformation(x, seed=7)
    graph = tf.function(lambda t: layer.get_random_transformation(t, seed=7))(x)
    tf.nest.map_structure(lambda a, b: np.testing.assert_array_equal(a, b), eager, graph)


def test_sampler_is_deterministic_for_a_seed():
    a = RandomSampler(3).uniform([5])
    b = RandomSampler(3).uniform([5])
    np.testing.assert_array_equal(a, b)


# --- 4. silent wrong results ------------------------------------------------
@pytest.mark.parametrize("layer_name", ["CutMix", "MixUp", "Mosaic"])
def test_mixing_refuses_labels_outside_num_classes(layer_name):
    layer = getattr(ka.layers, layer_name)(num_classes=10, seed=0)
    batch = {"images": images(), "labels": np.array([1, 12, -1, 3])}
    with pytest.raises(ValueError, match=rf"{layer_name}.*\[0, 10\).*\[-1, 12\]"):
        layer(batch, training=True)
    dataset = tf.data.Dataset.from_tensors(batch).map(lambda b: layer(b, training=True, seed=1))
    with pytest.raises(tf.errors.InvalidArgumentError, match=rf"{layer_name}.*\[0, 10\)"):
        next(iter(dataset))


def test_mixing_keeps_labels_summing_to_one():
    layer = ka.layers.CutMix(num_classes=10, seed=0)
    out = layer({"images": images(), "labels": np.array([1, 9, 0, 3])}, training=True)
    np.testing.assert_allclose(np.sum(out["labels"], axis=-1), 1.0, rtol=1e-6)


# --- 6. unclear errors -------------------------------------------------------
def test_aug_mix_on_four_channels_names_the_layer():
    with pytest.raises(ValueError, match=r"AugMix.*1 or 3 channels.*\(2, 8, 8, 4\)"):
        ka.layers.AugMix(seed=0)(np.zeros((2, 8, 8, 4), np.uint8), training=True)


def test_ragged_images_are_refused_clearly():
    ragged = tf.ragged.constant([[[[1.0, 2.0, 3.0]]], [[[1.0, 2.0, 3.0]], [[4.0, 5.0, 6.0]]]], ragged_rank=1)
    with pytest.raises(ValueError, match="RandomFlip.*dense tensor.*RaggedTensor"):
        ka.layers.RandomFlip()(ragged, training=True)


def test_unknown_channels_are_checked_when_the_data_arrives():
    layer = ka.layers.RandomHue(0.2, seed=0)
    traced = tf.function(lambda x: layer(x, training=True), input_signature=[tf.TensorSpec([None] * 4)])
    assert traced(images((2, 6, 6, 3))).shape == (2, 6, 6, 3)
    with pytest.raises(tf.errors.InvalidArgumentError, match="RandomHue.*3 channels"):
        traced(images((2, 6, 6, 1)))
    pipeline = ka.layers.Pipeline([ka.layers.RandomFlip(), ka.layers.RandomHue(0.2)])
    traced = tf.function(lambda x: pipeline(x, training=True), input_signature=[tf.TensorSpec([None] * 4)])
    with pytest.raises(tf.errors.InvalidArgumentError, match="Pipeline.*3 channels"):
        traced(images((2, 6, 6, 1)))


def test_numpy_integer_seeds_work_in_the_constructor_and_the_call():
    x = images()
    a = ka.layers.RandomRotation(0.3, seed=np.int64(3))
    b = ka.layers.RandomRotation(0.3, seed=3)
    np.testing.assert_array_equal(a(x), b(x))
    assert a.get_config()["seed"] == 3 and type(a.get_config()["seed"]) is int
    np.testing.assert_array_equal(a(x, seed=np.int32(5)), a(x, seed=5))


@pytest.mark.parametrize("seed", [True, 1.5, 2**63, "3"])
def test_bad_seeds_are_refused_with_the_layer_named(seed):
    with pytest.raises(ValueError, match=r"RandomRotation.*`seed` must be an integer in the int64 range"):
        ka.layers.RandomRotation(0.3, seed=seed)
    with pytest.raises(ValueError, match=r"RandomRotation.*`seed` must be an integer"):
        ka.layers.RandomRotation(0.3)(images(), seed=seed)


# --- 7. two rules for one thing ------------------------------------------------
def test_contrast_pair_means_the_same_in_every_layer():
    x = images((64, 4, 4, 3))
    seed_factors = []
    for layer in (
        ka.layers.RandomContrast((0.3, 0.1)),
        ka.layers.RandomColorJitter(contrast_factor=(0.3, 0.1)),
    ):
        drawn = layer.get_random_transformation(x, seed=0)
        values = np.asarray(drawn.get("contrast_factor", drawn.get("contrast")))
        seed_factors.append(values)
        assert values.min() >= 0.7 - 1e-6 and values.max() <= 1.1 + 1e-6, values
        assert values.min() < 0.8 and values.max() > 1.0, "draws must cover [0.7, 1.1]"


# --- 8. newcomer friction -----------------------------------------------------
def test_subpackages_resolve_from_the_package():
    assert callable(ka.data.load)
    assert hasattr(ka.models, "ConditionalVAE")
    assert callable(ka.export.export_augmenter)


def test_import_does_not_load_the_data_or_model_modules():
    code = (
        "import sys, keras_augment\n"
        "loaded = [m for m in ('keras_augment.data', 'keras_augment.models', 'keras_augment.export') if m in sys.modules]\n"
        "assert not loaded, loaded\n"
        "import keras_augment.layers\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, timeout=120)
