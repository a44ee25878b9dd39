"""The harness itself: each check must fail on a layer broken in its way."""

import keras
import numpy as np
import pytest
import tensorflow as tf
from harness import CHECKS, LayerCase, run_check

from keras_augment.layers import RandomBrightness
from keras_augment.layers.core.sampling import standardize_seed


@keras.saving.register_keras_serializable(package="keras_augment_tests")
class WrongConfig(RandomBrightness):
    def get_config(self):
        return {**super().get_config(), "factor": 0.0}


@keras.saving.register_keras_serializable(package="keras_augment_tests")
class WrongSymbolicShape(RandomBrightness):
    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:-1]) + (input_shape[-1] + 1,)


@keras.saving.register_keras_serializable(package="keras_augment_tests")
class IgnoresSeed(RandomBrightness):
    def sample_parameters(self, sampler, images_shape):
        return {"delta": tf.random.uniform(images_shape[:1], -50.0, 50.0)}


@keras.saving.register_keras_serializable(package="keras_augment_tests")
class OneDrawPerBatch(RandomBrightness):
    def sample_parameters(self, sampler, images_shape):
        delta = sampler.uniform([1], -50.0, 50.0)
        return {"delta": tf.tile(delta, images_shape[:1])}


@keras.saving.register_keras_serializable(package="keras_augment_tests")
class DependsOnBatch(RandomBrightness):
    def transform_images(self, images, transformation):
        return super().transform_images(images, transformation) - tf.reduce_mean(images)


@keras.saving.register_keras_serializable(package="keras_augment_tests")
class MutatesInput(RandomBrightness):
    def __call__(self, data, *args, **kwargs):
        if isinstance(data, np.ndarray):
            data[..., 0] = 0
        return super().__call__(data, *args, **kwargs)


@keras.saving.register_keras_serializable(package="keras_augment_tests")
class AugmentsAtInference(RandomBrightness):
    def call(self, data, training=True, seed=None):
        return super().call(data, training=True, seed=seed)


@keras.saving.register_keras_serializable(package="keras_augment_tests")
class KeepsInputDtype(RandomBrightness):
    def call(self, data, training=True, seed=None):
        out = super().call(data, training=training, seed=seed)
        return tf.cast(out, tf.convert_to_tensor(data).dtype)


@keras.saving.register_keras_serializable(package="keras_augment_tests")
class FailsOnEmptyBatch(RandomBrightness):
    def transform_images(self, images, transformation):
        first = images[0]  # an empty batch has no first image
        return super().transform_images(images, transformation) + 0.0 * tf.reduce_sum(first)


class NotRegistered(RandomBrightness):
    pass


@keras.saving.register_keras_serializable(package="keras_augment_tests")
class FrozenAtTrace(RandomBrightness):
    calls = 0

    def transform_images(self, images, transformation):
        # Python state read at trace time, as Python `random` would be.
        type(self).calls += 1
        return super().transform_images(images, transformation) + float(type(self).calls)


@tf.function(jit_compile=True)
def _uniform_under_xla(seed, count):
    return tf.random.stateless_uniform(tf.reshape(count, [1]), seed, -50.0, 50.0)


@keras.saving.register_keras_serializable(package="keras_augment_tests")
class DrawsDifferInGraph(RandomBrightness):
    """The bug the promises issue found: draws under XLA fed a seed that the
    graph optimizer can fold when it is a Python constant, so a traced call
    draws with TensorFlow's kernels and an eager one with XLA's."""

    def _draw(self, batch, seed):
        seed = standardize_seed(self.seed_generator.next() if seed is None else seed)
        return {"delta": _uniform_under_xla(seed, tf.shape(batch["images"])[0])}


@keras.saving.register_keras_serializable(package="keras_augment_tests")
class IgnoresConstructorSeed(RandomBrightness):
    def __init__(self, factor, seed=None, **kwargs):
        super().__init__(factor, seed=seed, **kwargs)
        self.seed_generator = keras.random.SeedGenerator(None)


BROKEN = {
    "config_round_trip": WrongConfig,
    "symbolic_shape": WrongSymbolicShape,
    "execution_modes": (IgnoresSeed, DrawsDifferInGraph),
    "constructor_seed": IgnoresConstructorSeed,
    "seed_varies": OneDrawPerBatch,
    "batched_equals_stacked": DependsOnBatch,
    "no_input_mutation": MutatesInput,
    "inference_identity": AugmentsAtInference,
    "input_dtypes": KeepsInputDtype,
    "batch_sizes": FailsOnEmptyBatch,
    "keras_save_load": NotRegistered,
    "saved_model_export": FrozenAtTrace,
}


def test_every_check_has_a_broken_layer():
    assert set(BROKEN) == set(CHECKS)


@pytest.mark.parametrize("check", sorted(BROKEN))
def test_check_passes_on_the_sound_layer(check):
    assert run_check(LayerCase(RandomBrightness, {"factor": 0.3, "seed": 1}), check) is None


BROKEN_CASES = [
    (check, layer)
    for check, layers in sorted(BROKEN.items())
    for layer in (layers if isinstance(layers, tuple) else (layers,))
]


@pytest.mark.parametrize("check,broken", BROKEN_CASES, ids=[f"{c}-{b.__name__}" for c, b in BROKEN_CASES])
def test_check_fails_on_the_broken_layer(check, broken):
    case = LayerCase(broken, {"factor": 0.3, "seed": 1})
    with pytest.raises(Exception) as caught:
        run_check(case, check)
    # The failure must come from the check's own assertion, or from the one
    # thing broken (a crash on an empty batch, an unknown class on load).
    allowed = {
        "batch_sizes": (AssertionError, tf.errors.InvalidArgumentError, ValueError),
        "keras_save_load": (AssertionError, TypeError, ValueError),
    }.get(check, AssertionError)
    assert isinstance(caught.value, allowed), repr(caught.value)
