"""The shared layer test harness.

Every layer exported by `keras_augment.layers` registers at least one
`LayerCase` in a module of `tests/cases/`; `tests/test_layer_contract.py` runs
every check below on every case. Each check is a plain function that raises
`AssertionError` with a message, so `tests/test_harness.py` can show that a
deliberately broken layer fails it.
"""

import dataclasses
import json
import os
import tempfile

import keras
import numpy as np
import tensorflow as tf


def random_images(shape, dtype, seed=0):
    """uint8-valued images in the requested dtype (floats keep 0..255)."""
    values = np.random.default_rng(seed).integers(0, 256, size=shape)
    return values.astype(dtype)


@dataclasses.dataclass
class LayerCase:
    """A layer class with constructor arguments and the inputs to test it on.

    Attributes:
        layer: the layer class.
        kwargs: constructor keyword arguments.
        shape: batched input shape.
        make_input: `(shape, dtype, seed) -> np.ndarray`; random images by
            default. Non-image layers (text, audio) give their own.
        dtypes: input dtypes that must work.
        skip: names of checks that do not apply, mapped to the reason.
        id: test id; defaults to the class name.
    """

    layer: type
    kwargs: dict = dataclasses.field(default_factory=dict)
    shape: tuple = (4, 12, 12, 3)
    make_input: object = random_images
    dtypes: tuple = ("uint8", "float32")
    skip: dict = dataclasses.field(default_factory=dict)
    id: str = None

    def __post_init__(self):
        self.id = self.id or self.layer.__name__

    def build(self):
        return self.layer(**self.kwargs)

    def inputs(self, dtype=None, shape=None, seed=0):
        return self.make_input(shape or self.shape, dtype or self.dtypes[-1], seed)


def _as_numpy(value):
    return tf.nest.map_structure(lambda t: np.asarray(t), value)


def assert_identical(actual, expected, what):
    actual, expected = _as_numpy(actual), _as_numpy(expected)
    tf.nest.assert_same_structure(actual, expected)
    for a, e in zip(tf.nest.flatten(actual), tf.nest.flatten(expected)):
        assert a.shape == e.shape, f"{what}: shape {a.shape} != {e.shape}"
        assert a.dtype == e.dtype, f"{what}: dtype {a.dtype} != {e.dtype}"
        if a.dtype.kind in "fc":
            same = np.array_equal(a, e, equal_nan=True)
        else:
            same = np.array_equal(a, e)
        assert same, f"{what}: values differ (max abs diff {_max_diff(a, e)})"


def _max_diff(a, e):
    if a.dtype.kind in "OSU":
        return "n/a"
    return float(np.max(np.abs(a.astype(np.float64) - e.astype(np.float64)), initial=0))


def _normalised(config):
    # JSON turns tuples into lists; compare what a saved file would hold.
    return json.loads(json.dumps(config, default=str))


# --------------------------------------------------------------------- checks
def check_config_round_trip(case):
    layer = case.build()
    config = layer.get_config()
    clone = type(layer).from_config(config)
    assert _normalised(clone.get_config()) == _normalised(config), (
        f"{case.id}: get_config differs after from_config:\n"
        f"{clone.get_config()}\n!=\n{config}"
    )
    x = case.inputs()
    assert_identical(clone(x, seed=7), layer(x, seed=7), f"{case.id}: clone output")


def check_symbolic_shape(case):
    layer = case.build()
    dtype = case.dtypes[-1]
    symbolic = layer(keras.Input(shape=case.shape[1:], dtype=dtype))
    eager = layer(case.inputs(dtype), seed=3)
    expected = (None,) + tuple(eager.shape[1:])
    assert tuple(symbolic.shape) == expected, (
        f"{case.id}: symbolic output shape {tuple(symbolic.shape)} but eager "
        f"output has shape {tuple(eager.shape)}"
    )


def check_execution_modes(case):
    """Eager, tf.function and tf.data (AUTOTUNE) agree bit for bit."""
    layer = case.build()
    batches = [case.inputs(seed=i) for i in range(3)]
    seeds = [11, 0, 123456]
    eager = [layer(b, seed=s) for b, s in zip(batches, seeds)]
    graph_fn = tf.function(lambda b, s: layer(b, seed=s))
    for i, (b, s) in enumerate(zip(batches, seeds)):
        assert_identical(
            graph_fn(b, tf.constant(s, tf.int64)), eager[i], f"{case.id}: tf.function vs eager"
        )
    dataset = tf.data.Dataset.from_tensor_slices(
        (np.stack(batches), np.array(seeds, np.int64))
    ).map(lambda b, s: layer(b, seed=s), num_parallel_calls=tf.data.AUTOTUNE)
    for i, out in enumerate(dataset):
        assert_identical(out, eager[i], f"{case.id}: tf.data vs eager (batch {i})")


def check_seed_varies(case):
    """Different seeds give different outputs, and samples draw their own."""
    layer = case.build()
    x = np.repeat(case.inputs()[:1], case.shape[0], axis=0)
    a, b = _as_numpy(layer(x, seed=1)), _as_numpy(layer(x, seed=2))
    assert not np.array_equal(a, b), f"{case.id}: seeds 1 and 2 gave identical outputs"
    assert any(not np.array_equal(a[0], a[i]) for i in range(1, len(a))), (
        f"{case.id}: identical inputs in one batch all got the same output; "
        "parameters must be drawn per sample"
    )


def check_batched_equals_stacked(case):
    layer = case.build()
    x = case.inputs()
    transformation = layer.get_random_transformation(x, seed=5)
    batched = layer.apply_transformation(x, transformation)
    for i in range(case.shape[0]):
        one = tf.nest.map_structure(lambda t: t[i : i + 1], transformation)
        single = layer.apply_transformation(x[i : i + 1], one)
        if np.asarray(batched).dtype.kind in "OSU":  # strings: exact match
            assert_identical(single[0], batched[i], f"{case.id}: sample {i} alone vs batch")
            continue
        np.testing.assert_allclose(
            np.asarray(single)[0], np.asarray(batched)[i], rtol=1e-5, atol=1e-4,
            err_msg=f"{case.id}: sample {i} alone differs from the batch",
        )


def check_no_input_mutation(case):
    layer = case.build()
    x = case.inputs()
    before = x.copy()
    layer(x, seed=1)
    tensor = tf.constant(before)
    layer(tensor, seed=1)
    assert np.array_equal(x, before), f"{case.id}: the layer mutated its NumPy input"
    assert np.array_equal(tensor.numpy(), before), f"{case.id}: the layer mutated its tensor input"


def check_inference_identity(case):
    layer = case.build()
    for dtype in case.dtypes:
        x = case.inputs(dtype)
        out = _as_numpy(layer(x, training=False))
        expected = np.asarray(x).astype(out.dtype)
        assert out.shape == expected.shape and np.array_equal(out, expected), (
            f"{case.id}: training=False must return the input ({dtype} input)"
        )


def check_input_dtypes(case):
    layer = case.build()
    outputs = []
    for dtype in case.dtypes:
        out = layer(case.inputs(dtype), seed=9)
        assert out.dtype == layer.compute_dtype, (
            f"{case.id}: {dtype} input gave {out.dtype.name}, expected the "
            f"compute dtype {layer.compute_dtype}"
        )
        outputs.append(np.asarray(out))
    for out in outputs[1:]:
        np.testing.assert_allclose(
            out, outputs[0], atol=1e-3,
            err_msg=f"{case.id}: inputs of equal value but other dtype differ",
        )


def check_batch_sizes(case):
    layer = case.build()
    for size in (0, 1):
        x = case.inputs(shape=(size,) + tuple(case.shape[1:]))
        out = layer(x, seed=4)
        assert out.shape[0] == size, f"{case.id}: batch of {size} gave shape {out.shape}"
    x = case.inputs(shape=(1,) + tuple(case.shape[1:]))
    single = layer(x[0], seed=4)
    batched = layer(x, seed=4)
    assert_identical(single, batched[0], f"{case.id}: single (unbatched) input vs batch of one")


def check_keras_save_load(case):
    layer = case.build()
    model = keras.Sequential([keras.Input(case.shape[1:], dtype=case.dtypes[-1]), layer])
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "model.keras")
        model.save(path)
        loaded = keras.saving.load_model(path, safe_mode=True)
    reloaded = loaded.layers[-1]
    assert type(reloaded) is type(layer), f"{case.id}: reloaded a {type(reloaded)}"
    x = case.inputs()
    assert_identical(reloaded(x, seed=21), layer(x, seed=21), f"{case.id}: .keras reload output")


def check_saved_model_export(case):
    from keras_augment.export import export_augmenter

    layer = case.build()
    dtype = case.dtypes[-1]
    x = case.inputs(dtype)
    with tempfile.TemporaryDirectory() as folder:
        export_augmenter(layer, folder, case.shape[1:], dtype)
        loaded = tf.saved_model.load(folder)
        served = loaded.signatures["serving_default"](images=tf.constant(x), seed=tf.constant(8, tf.int64))
    assert_identical(served["images"], layer(x, seed=8), f"{case.id}: SavedModel vs layer")


CHECKS = {
    "config_round_trip": check_config_round_trip,
    "symbolic_shape": check_symbolic_shape,
    "execution_modes": check_execution_modes,
    "seed_varies": check_seed_varies,
    "batched_equals_stacked": check_batched_equals_stacked,
    "no_input_mutation": check_no_input_mutation,
    "inference_identity": check_inference_identity,
    "input_dtypes": check_input_dtypes,
    "batch_sizes": check_batch_sizes,
    "keras_save_load": check_keras_save_load,
    "saved_model_export": check_saved_model_export,
}


def run_check(case, name):
    """Run one named check unless the case skips it; return the skip reason."""
    if name in case.skip:
        return case.skip[name]
    layer_cls = case.layer
    if name == "seed_varies" and not getattr(layer_cls, "random", True):
        return "the layer draws no random parameters"
    if name == "batched_equals_stacked" and not getattr(layer_cls, "per_sample", True):
        return "the layer mixes samples of a batch"
    CHECKS[name](case)
    return None
