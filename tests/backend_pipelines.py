"""One seeded `tf.data` pipeline per layer family, run under any Keras backend.

    KERAS_BACKEND=jax python tests/backend_pipelines.py OUTPUT.npz

writes every output to OUTPUT.npz; `tests/test_backends.py` compares the
file bit for bit with the TensorFlow backend's (run in its own process).
Under another backend the script also checks what that backend's users
see outside `tf.data` (`check_backend_behaviour`) and exits non-zero, with
the failure on stderr, when a check fails.
"""

import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

import harness  # noqa: E402
from cases.audio import random_spectrograms, random_waveforms  # noqa: E402
from cases.text import SYNONYMS, random_sentences  # noqa: E402
from keras_augment import layers  # noqa: E402

BATCHES, BATCH = 3, 4
SEEDS = np.array([11, 0, 123456], np.int64)


def _images(seed, size=(17, 20)):
    return harness.random_images((BATCH, *size, 3), "uint8", seed)


def _detection(seed):
    rng = np.random.default_rng(seed)
    corner = rng.uniform(0, 8, (BATCH, 2, 2))
    boxes = np.concatenate([corner, corner + rng.uniform(2, 9, (BATCH, 2, 2))], -1)
    return {
        "images": _images(seed),
        "labels": rng.integers(0, 5, BATCH).astype("int32"),
        "bounding_boxes": {"boxes": boxes.astype("float32"), "classes": np.ones((BATCH, 2), "int32")},
    }


def _classification(seed):
    labels = np.random.default_rng(seed).integers(0, 5, BATCH)
    return {"images": _images(seed), "labels": np.eye(5, dtype="float32")[labels]}


# name -> (layer factory taking a constructor seed, input factory taking a seed)
FAMILIES = {
    # A fused chain, then a bicubic resize (Keras's resize, not the fused path).
    "geometric": (
        lambda seed: layers.Pipeline([
            layers.RandomFlip("horizontal"), layers.RandomRotation(0.1),
            layers.RandomTranslation(0.1, 0.1), layers.RandomZoom(0.2),
            layers.Resizing(12, 14, interpolation="bicubic"),
        ], bounding_box_format="xyxy", seed=seed),
        _detection,
    ),
    "colour": (
        lambda seed: layers.Pipeline([
            layers.RandomBrightness(0.2), layers.RandomContrast(0.3),
            layers.RandomHue(0.2), layers.RandomGaussianBlur(0.5),
        ], seed=seed),
        _images,
    ),
    "policy": (lambda seed: layers.RandAugment(num_ops=2, factor=0.5, seed=seed), _images),
    "mixing": (
        lambda seed: layers.Pipeline([layers.CutMix(), layers.MixUp()], seed=seed),
        _classification,
    ),
    "warping": (lambda seed: layers.RandomElasticTransform(factor=1.0, scale=0.5, seed=seed), _images),
    "text": (
        lambda seed: layers.EDA(synonyms=SYNONYMS, seed=seed),
        lambda seed: random_sentences((BATCH,), seed=seed),
    ),
    "audio-spectrogram": (
        lambda seed: layers.SpecAugment(policy="LD", time_warp=5, time_mask_width=10, seed=seed),
        lambda seed: random_spectrograms((BATCH, 41, 16), seed=seed),
    ),
    "audio-waveform": (
        lambda seed: layers.Pipeline([layers.RandomGain(), layers.RandomTimeShift(0.3)], seed=seed),
        lambda seed: random_waveforms((BATCH, 257), "int16", seed),
    ),
}


def _stacked(family):
    make_input = FAMILIES[family][1]
    return tf.nest.map_structure(lambda *b: np.stack(b), *[make_input(i) for i in range(BATCHES)])


def run_family(family):
    """Outputs of one family's pipeline: seeds given per call, mapped with
    parallel calls, then the layer's own seed generator, mapped in order
    (its draws follow the order of the calls)."""
    make_layer = FAMILIES[family][0]
    dataset = tf.data.Dataset.from_tensor_slices((_stacked(family), SEEDS))
    layer = make_layer(None)
    seeded = dataset.map(lambda b, s: layer(b, seed=s), num_parallel_calls=2, deterministic=True)
    own_layer = make_layer(7)
    own = dataset.map(lambda b, s: own_layer(b))
    return {"call_seed": list(seeded), "layer_seed": list(own)}


def flatten(outputs, prefix=""):
    """Nested dicts and lists of tensors as `{"a/0/images": array}`."""
    if isinstance(outputs, dict):
        items = outputs.items()
    elif isinstance(outputs, (list, tuple)):
        items = enumerate(outputs)
    else:
        array = np.asarray(outputs)
        return {prefix: array.astype("S") if array.dtype == object else array}
    flat = {}
    for key, value in items:
        flat.update(flatten(value, f"{prefix}/{key}" if prefix else str(key)))
    return flat


def run_all():
    return flatten({family: run_family(family) for family in FAMILIES})


def check_backend_behaviour():
    """What a user of another backend meets outside `tf.data`."""
    backend = keras.backend.backend()
    layer = FAMILIES["geometric"][0](None)
    data = _detection(0)
    eager = layer(data, seed=int(SEEDS[0]))
    assert keras.ops.is_tensor(eager["images"]) and not tf.is_tensor(eager["images"]), (
        f"eager output on {backend} is a {type(eager['images'])}, not a {backend} tensor"
    )
    in_data = next(iter(tf.data.Dataset.from_tensors(data).map(lambda b: layer(b, seed=SEEDS[0]))))
    harness.assert_identical(eager, in_data, f"{backend}: eager vs tf.data")
    backend_input = keras.ops.convert_to_tensor(data["images"])
    harness.assert_identical(layer(backend_input, seed=3), layer(data["images"], seed=3),
                             f"{backend}: {backend} array input vs NumPy input")
    words = FAMILIES["text"][0](None)(random_sentences((BATCH,)), seed=1)
    assert tf.is_tensor(words) and words.dtype == tf.string, f"text output is a {type(words)}"
    if backend == "jax":
        _check_compiled_jax_call_names_the_fix(layer, backend_input)
    else:  # PyTorch models run eagerly by default: the layer works inside one
        model = keras.Sequential([keras.Input((17, 20, 3)), layers.RandomFlip(seed=1),
                                  keras.layers.Flatten(), keras.layers.Dense(2)])
        model.compile("sgd", "mse")
        model.fit(data["images"].astype("float32"), np.zeros((BATCH, 2)), batch_size=2, verbose=0)
        state = model.layers[0].seed_generator.state.numpy()
        assert state[1] == 2, f"two training steps left the seed state at {state}"
    _check_tensorflow_only_parts_say_so()
    for name in ("RandomContrast", "CutMix", "RandomWordSwap", "SpecAugment-LD"):
        case = next(c for c in _harness_cases() if c.id == name)
        for check in (harness.check_execution_modes, harness.check_constructor_seed,
                      harness.check_config_round_trip, harness.check_keras_save_load):
            check(case)


def _check_compiled_jax_call_names_the_fix(layer, images):
    import jax

    model = keras.Sequential([keras.Input((17, 20, 3)), layers.RandomFlip(name="flip_in_model")])
    for run in (lambda: jax.jit(lambda x: layer(x, training=False))(images),
                lambda: model.predict(images, verbose=0)):
        try:
            run()
        except RuntimeError as error:
            message = str(error)
            assert "layer '" in message and "dataset.map(layer)" in message, message
        else:
            raise AssertionError("a jax-compiled call of a layer did not raise")


def _check_tensorflow_only_parts_say_so():
    for module in ("keras_augment.models", "keras_augment.export"):
        try:
            __import__(module)
        except ImportError as error:
            assert "KERAS_BACKEND=tensorflow" in str(error), str(error)
        else:
            raise AssertionError(f"{module} imported on {keras.backend.backend()}")
    z = keras.Input((4,))
    generator = keras.Model(z, keras.layers.Reshape((2, 2, 1))(keras.layers.Dense(4)(z)))
    try:
        layers.GenerativeAugment(generator)
    except RuntimeError as error:
        assert "GenerativeAugment" in str(error) and "TensorFlow backend" in str(error), str(error)
    else:
        raise AssertionError("GenerativeAugment accepted a generator off TensorFlow")


def _harness_cases():
    # Not cases.all_cases(): the generative cases need the TensorFlow backend.
    from cases import audio, colour, geometric, mixing, text

    return geometric.CASES + colour.CASES + mixing.CASES + text.CASES + audio.CASES


if __name__ == "__main__":
    if keras.backend.backend() != "tensorflow":
        check_backend_behaviour()
    np.savez(sys.argv[1], **run_all())
