"""`training` exactly as Keras core's preprocessing layers: augment unless
called with `training=False`, which Keras passes in `predict`, `evaluate` and
`model.export()`."""

import keras
import numpy as np
import pytest
import tensorflow as tf

import keras_augment as ka


def _augmenters():
    ours = keras.Sequential([ka.layers.RandomFlip("horizontal"), ka.layers.RandomRotation(0.2)])
    core = keras.Sequential([keras.layers.RandomFlip("horizontal"), keras.layers.RandomRotation(0.2)])
    return {"keras_augment": ours, "keras core": core}


def _images():
    # Asymmetric content, so a flip or a rotation always moves pixels.
    return np.random.default_rng(0).uniform(0, 255, (8, 15, 21, 3)).astype("float32")


@pytest.mark.parametrize("name", ["keras_augment", "keras core"])
def test_sequential_augments_eagerly_and_in_dataset_map(name):
    augment = _augmenters()[name]
    x = _images()
    eager = np.asarray(augment(x))
    assert np.mean(np.abs(eager - x)) > 5.0, f"{name}: eager call left the images unchanged"
    mapped = tf.data.Dataset.from_tensor_slices(x).batch(4).map(lambda b: augment(b))
    out = np.concatenate([np.asarray(b) for b in mapped])
    assert np.mean(np.abs(out - x)) > 5.0, f"{name}: dataset.map left the images unchanged"


@pytest.mark.parametrize("name", ["keras_augment", "keras core"])
def test_model_is_the_identity_in_predict_and_evaluate(name):
    augment = _augmenters()[name]
    x = _images()
    model = keras.Sequential([keras.Input((15, 21, 3)), augment])
    np.testing.assert_array_equal(model.predict(x, verbose=0), x)
    model.compile(loss="mse")
    assert model.evaluate(x, x, verbose=0) == 0.0
    # Called inside a model without `training`, Keras core augments, and so do we.
    assert np.mean(np.abs(np.asarray(model(x)) - x)) > 5.0


def test_saved_models_behave_as_keras_core_does(tmp_path):
    """`model.export()` (Keras 3.15) serves `model.__call__` without `training`:
    Keras core's layers augment there, and ours do the same."""
    x = _images()
    augmented = {}
    for name, augment in _augmenters().items():
        model = keras.Sequential([keras.Input((15, 21, 3)), augment])
        model.export(str(tmp_path / name.replace(" ", "_")), verbose=False)
        loaded = tf.saved_model.load(str(tmp_path / name.replace(" ", "_")))
        augmented[name] = bool(np.mean(np.abs(np.asarray(loaded.serve(tf.constant(x))) - x)) > 5.0)
    assert augmented["keras_augment"] == augmented["keras core"], augmented


def test_fit_augments():
    # A layer that records whether it was asked to augment during fit.
    seen = []

    class Spy(ka.layers.RandomBrightness):
        def call(self, data, training=True, seed=None):
            seen.append(training)
            return super().call(data, training=training, seed=seed)

    model = keras.Sequential([keras.Input((4, 4, 3)), Spy(0.2), keras.layers.Flatten(), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse", run_eagerly=True)
    model.fit(np.zeros((4, 4, 4, 3), "float32"), np.zeros((4, 1)), epochs=1, verbose=0)
    assert seen and all(seen)
