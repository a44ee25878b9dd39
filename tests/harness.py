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
    shape: tuple = (5, 11, 14, 3)  # odd batch, odd and non-square images
    make_input: object = random_images
    dtypes: tuple = ("uint8", "float32")
    skip: dict = dataclasses.field(default_factory=dict)
    id: str = None

    def __post_init__(self):
        self.id = self.id or self.layer.__name__

    def build(self, **overrides):
        return self.layer(**{**self.kwargs, **overrides})

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


def _dict_input(layer, x):
    return {getattr(layer, "input_key", "images"): x}


def _from_dict(layer, output):
    return output[getattr(layer, "input_key", "images")]


def check_execution_modes(case):
    """One seed, one output: eager, `tf.function` and `tf.data` (parallel)
    agree bit for bit for every supported dtype, plain and dict inputs, and
    every way a call seed is given (Python int, NumPy int, tensor; as a
    constant inside the traced function or as its argument)."""
    layer = case.build()
    seeds = [11, 0, 123456]
    for dtype in case.dtypes:
        batches = [case.inputs(dtype, seed=i) for i in range(3)]
        eager = [layer(b, seed=s) for b, s in zip(batches, seeds)]
        what = f"{case.id} ({dtype})"
        tensor_seed_fn = tf.function(lambda b, s: layer(b, seed=s))
        for i, (b, s) in enumerate(zip(batches, seeds)):
            assert_identical(
                tensor_seed_fn(b, tf.constant(s, tf.int64)), eager[i], f"{what}: tf.function (tensor seed {s}) vs eager"
            )
        assert_identical(layer(batches[0], seed=np.int64(seeds[0])), eager[0], f"{what}: NumPy seed vs int seed")
        assert_identical(
            _from_dict(layer, layer(_dict_input(layer, batches[1]), seed=seeds[1])), eager[1], f"{what}: dict vs plain"
        )
        # A Python-constant seed inside the traced function (a dict input there too).
        constant_seed_fn = tf.function(lambda b: _from_dict(layer, layer(_dict_input(layer, b), seed=seeds[2])))
        assert_identical(constant_seed_fn(batches[2]), eager[2], f"{what}: tf.function (constant seed) vs eager")
    # tf.data with the last dtype: seeds as elements, and as a constant.
    slices = (np.stack(batches), np.array(seeds, np.int64))
    dataset = tf.data.Dataset.from_tensor_slices(slices).map(
        lambda b, s: layer(b, seed=s), num_parallel_calls=tf.data.AUTOTUNE
    )
    for i, out in enumerate(dataset):
        assert_identical(out, eager[i], f"{what}: tf.data vs eager (batch {i})")
    constant = tf.data.Dataset.from_tensor_slices(slices[0][:1]).map(
        lambda b: layer(b, seed=seeds[0]), num_parallel_calls=2
    )
    assert_identical(next(iter(constant)), eager[0], f"{what}: tf.data (constant seed) vs eager")


def check_constructor_seed(case):
    """A seed given to the constructor (Python or NumPy int) fixes the sequence
    of draws, the same eagerly and in a `tf.function`."""
    x = case.inputs()
    first = case.build(seed=5)
    sequence = [_as_numpy(first(x)) for _ in range(2)]
    numpy_seeded = case.build(seed=np.int64(5))
    assert_identical(numpy_seeded(x), sequence[0], f"{case.id}: NumPy constructor seed")
    traced = case.build(seed=5)
    call = tf.function(lambda b: traced(b))
    for i in range(2):
        assert_identical(call(x), sequence[i], f"{case.id}: constructor seed in tf.function, call {i}")


def _differs(a, b, scale):
    """Outputs differ by more than rounding noise (or as strings)."""
    a, b = np.asarray(a), np.asarray(b)
    if a.dtype.kind in "OSU":
        return not np.array_equal(a, b)
    return float(np.max(np.abs(a.astype(np.float64) - b.astype(np.float64)), initial=0)) > scale


def check_seed_varies(case):
    """Different seeds give different outputs, and samples draw their own:
    most samples of a batch of one repeated input differ from the first,
    by more than rounding noise."""
    layer = case.build()
    size = case.shape[0]
    x = np.repeat(case.inputs()[:1], size, axis=0)
    x_values = np.asarray(x)
    scale = 1e-3 * float(np.max(np.abs(x_values), initial=1)) if x_values.dtype.kind not in "OSU" else 0
    changed = distinct = 0
    pairs = [(1, 2), (3, 4), (5, 6)]
    for first, second in pairs:
        a, b = _as_numpy(layer(x, seed=first)), _as_numpy(layer(x, seed=second))
        changed += sum(_differs(a[i], b[i], scale) for i in range(size))
        distinct += sum(_differs(a[0], a[i], scale) for i in range(1, size))
    assert changed >= len(pairs), (
        f"{case.id}: three pairs of seeds changed only {changed} of {len(pairs) * size} samples"
    )
    assert distinct >= len(pairs), (
        f"{case.id}: only {distinct} of {len(pairs) * (size - 1)} copies of one input got an output "
        "other than their batch's first; parameters must be drawn per sample"
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
    """Batches of 0 and 1 work, with values: an empty batch gives an empty
    output of a batch of one's shape and dtype, and a single (unbatched)
    sample equals a batch of one. (Odd batch sizes are the cases' default.)"""
    layer = case.build()
    one = case.inputs(shape=(1,) + tuple(case.shape[1:]))
    batched_tensor = layer(one, seed=4)
    batched = _as_numpy(batched_tensor)
    assert_identical(layer(one[0], seed=4), batched_tensor[0], f"{case.id}: single (unbatched) input vs batch of one")
    empty = _as_numpy(layer(case.inputs(shape=(0,) + tuple(case.shape[1:])), seed=4))
    assert empty.shape == (0,) + batched.shape[1:] and empty.dtype == batched.dtype, (
        f"{case.id}: batch of 0 gave {empty.shape} {empty.dtype}, expected "
        f"{(0,) + batched.shape[1:]} {batched.dtype}"
    )


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
    "constructor_seed": check_constructor_seed,
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
    if name in ("seed_varies", "constructor_seed") and not getattr(layer_cls, "random", True):
        return "the layer draws no random parameters"
    if name == "batched_equals_stacked" and not getattr(layer_cls, "per_sample", True):
        return "the layer mixes samples of a batch"
    CHECKS[name](case)
    return None
