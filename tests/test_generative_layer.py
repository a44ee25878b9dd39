"""GenerativeAugment beyond the shared harness: labels, modes, tf.data, models."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_augment import layers, models

VALUE_RANGE = (0, 16)


@pytest.fixture(scope="module")
def conditional_model():
    return models.ConditionalVAE((8, 8, 1), 10, latent_dim=4, width=8, value_range=VALUE_RANGE, seed=0)


def batch(size=6, seed=0):
    rng = np.random.default_rng(seed)
    images = rng.integers(0, 17, (size, 8, 8, 1)).astype("float32")
    return {"images": images, "labels": rng.integers(0, 10, size).astype("int64")}


def test_rate_one_replaces_every_sample_with_its_class(conditional_model):
    layer = layers.GenerativeAugment(conditional_model, rate=1.0)
    data = batch()
    transformation = layer.get_random_transformation(data, seed=3)
    output = layer.apply_transformation(data, transformation)
    expected = conditional_model.decode_latents(transformation["z"], data["labels"])
    np.testing.assert_allclose(output["images"], expected, rtol=1e-5, atol=1e-5)
    np.testing.assert_array_equal(output["labels"], data["labels"])


def test_rate_zero_changes_nothing(conditional_model):
    data = batch()
    output = layers.GenerativeAugment(conditional_model, rate=0.0)(data, seed=1)
    np.testing.assert_array_equal(output["images"], data["images"])


def test_replace_touches_only_the_chosen_samples(conditional_model):
    layer = layers.GenerativeAugment(conditional_model, rate=0.5)
    data = batch(32)
    transformation = layer.get_random_transformation(data, seed=5)
    chosen = np.asarray(transformation["chosen"])
    assert 0 < chosen.sum() < 32
    output = layer.apply_transformation(data, transformation)
    np.testing.assert_array_equal(output["images"][~chosen], data["images"][~chosen])
    assert not np.allclose(output["images"][chosen], data["images"][chosen])


def test_one_hot_labels_condition_like_indices(conditional_model):
    layer = layers.GenerativeAugment(conditional_model, rate=1.0)
    data = batch()
    one_hot = {**data, "labels": np.eye(10, dtype="float32")[data["labels"]]}
    np.testing.assert_allclose(
        layer(one_hot, seed=2)["images"], layer(data, seed=2)["images"], rtol=1e-6
    )


def test_append_adds_synthetic_twins_with_their_labels_in_tf_data(conditional_model):
    layer = layers.GenerativeAugment(conditional_model, rate=0.5, mode="append", seed=4)
    data = batch(16)
    eager = layer(data, seed=9)
    transformation = layer.get_random_transformation(data, seed=9)
    chosen = np.asarray(transformation["chosen"])
    extra = int(chosen.sum())
    assert eager["images"].shape[0] == 16 + extra and eager["labels"].shape[0] == 16 + extra
    np.testing.assert_array_equal(eager["images"][:16], data["images"])
    np.testing.assert_array_equal(eager["labels"][16:], data["labels"][chosen])
    dataset = tf.data.Dataset.from_tensors(data).map(lambda b: layer(b, seed=9))
    for served in dataset:
        np.testing.assert_array_equal(served["images"], eager["images"])


def test_a_pipeline_draws_for_the_appended_samples_too(conditional_model):
    # Layers after an appending GenerativeAugment see the grown batch: their
    # per-sample draws are made for it, and the same call seed repeats them.
    pipeline = layers.Pipeline(
        [
            layers.RandomFlip("horizontal"),
            layers.GenerativeAugment(conditional_model, rate=0.5, mode="append"),
            layers.RandomBrightness(0.3, value_range=VALUE_RANGE),
        ]
    )
    data = batch(16)
    first = pipeline(data, seed=7)
    assert first["images"].shape[0] > 16 and first["labels"].shape[0] == first["images"].shape[0]
    np.testing.assert_array_equal(pipeline(data, seed=7)["images"], first["images"])
    dataset = tf.data.Dataset.from_tensors(data).map(lambda b: pipeline(b, seed=7))
    for served in dataset:
        np.testing.assert_allclose(served["images"], first["images"], rtol=1e-6, atol=1e-5)


def test_unconditional_uniform_soft_labels():
    gan = models.GAN((8, 8, 1), latent_dim=4, width=8, value_range=VALUE_RANGE, seed=0)
    layer = layers.GenerativeAugment(gan, rate=0.5, unconditional_labels="uniform")
    data = batch(16)
    one_hot = {**data, "labels": np.eye(10, dtype="float32")[data["labels"]]}
    output = layer(one_hot, seed=1)
    chosen = np.asarray(layer.get_random_transformation(one_hot, seed=1)["chosen"])
    np.testing.assert_allclose(output["labels"][chosen], 0.1)
    np.testing.assert_array_equal(output["labels"][~chosen], one_hot["labels"][~chosen])
    with pytest.raises(ValueError, match="one-hot"):
        layer(data, seed=1)


def test_in_a_model_graph_it_trains_and_is_identity_at_inference():
    gan = models.GAN((8, 8, 1), latent_dim=4, width=8, value_range=VALUE_RANGE, seed=0)
    inputs = keras.Input((8, 8, 1))
    x = layers.GenerativeAugment(gan, rate=0.5, seed=0)(inputs)
    x = keras.layers.Flatten()(x)
    model = keras.Model(inputs, keras.layers.Dense(10, activation="softmax")(x))
    model.compile("adam", "sparse_categorical_crossentropy")
    data = batch(16)
    model.fit(data["images"], data["labels"], epochs=1, verbose=0)
    np.testing.assert_allclose(model.predict(data["images"], verbose=0), model(data["images"], training=False), rtol=1e-5)


def test_bad_inputs_raise(conditional_model):
    layer = layers.GenerativeAugment(conditional_model)
    with pytest.raises(ValueError, match="conditional"):
        layer(batch()["images"], seed=0)
    with pytest.raises(ValueError, match="segmentation_masks"):
        layer({**batch(), "segmentation_masks": np.zeros((6, 8, 8, 1))}, seed=0)
    with pytest.raises(ValueError, match="rate"):
        layers.GenerativeAugment(conditional_model, rate=1.5)
    with pytest.raises(ValueError, match="mode"):
        layers.GenerativeAugment(conditional_model, mode="mix")
    with pytest.raises(ValueError, match="generator"):
        layers.GenerativeAugment("not a model")
