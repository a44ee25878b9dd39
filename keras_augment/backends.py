"""How keras_augment runs under every Keras 3 backend.

The layers' kernels are TensorFlow ops whatever `keras.backend.backend()`
says, as for Keras core's preprocessing layers inside `tf.data`:

* in a TensorFlow graph (`tf.data`, `tf.function`) a layer takes and
  returns TensorFlow tensors;
* called eagerly on concrete values (NumPy, TensorFlow, JAX or PyTorch
  arrays) it runs the same kernels and returns the backend's tensors;
* traced by another backend (a JAX-compiled model step) it cannot run and
  says to move it into the `tf.data` pipeline.

The layer's seed state is a TensorFlow variable on every backend, so one
seed gives bit-identical output on all of them.
"""

import threading

import keras
import numpy as np
import tensorflow as tf

TENSORFLOW = "tensorflow"
_nesting = threading.local()


def check_keras_backend():
    """Raise an ImportError unless Keras 3 is installed (any backend will do)."""
    version = keras.version()
    if not version.startswith("3."):
        raise ImportError(
            f"keras_augment needs Keras 3; Keras {version} is installed. "
            "Run `pip install 'keras>=3'`."
        )


def on_tensorflow():
    """True when Keras runs on the TensorFlow backend."""
    return keras.backend.backend() == TENSORFLOW


def require_tensorflow(what, error=RuntimeError):
    """Refuse to go on unless Keras runs on the TensorFlow backend.

    Args:
        what: the feature that needs TensorFlow and why, e.g.
            "keras_augment.models (its models train with TensorFlow)".
        error: the exception class to raise (ImportError at import time).
    """
    if on_tensorflow():
        return
    raise error(
        f"{what} needs the TensorFlow backend of Keras, but Keras runs on the "
        f"'{keras.backend.backend()}' backend. Set KERAS_BACKEND=tensorflow "
        "before Python imports keras and start a new process. The "
        "augmentation layers work on every backend inside a tf.data pipeline."
    )


def attach_seed_generator(layer, seed):
    """Give `layer` its `seed_generator`, whose state is a TensorFlow variable.

    On another backend the default state would be, e.g., a JAX array, which
    a `tf.data` graph cannot read or update. There the generator is also
    left out of the layer's variables: a JAX-compiled model step would
    receive the TensorFlow variable as its state and fail with an error
    that names neither the layer nor the fix (the call names both).
    """
    if on_tensorflow():
        layer.seed_generator = keras.random.SeedGenerator(seed)
        return
    # Keras core's tf.data layers hand their seed generators a backend object
    # and keep them untracked the same way (keras.src has no public twin).
    from keras.src.utils.backend_utils import DynamicBackend
    from keras.src.utils.tracking import DotNotTrackScope

    with DotNotTrackScope():
        layer.seed_generator = keras.random.SeedGenerator(
            seed, backend=DynamicBackend(TENSORFLOW)
        )


def image_resize(images, size, **kwargs):
    """`keras.ops.image.resize` computed by TensorFlow on every backend.

    Keras's op follows the backend, and a JAX resize cannot take a `tf.data`
    graph tensor. Elsewhere the float result keeps the resize's dtype, where
    Keras would cast it back to the input's: callers cast it themselves.
    """
    if on_tensorflow():
        return keras.ops.image.resize(images, size, **kwargs)
    from keras.src.utils.backend_utils import DynamicBackend

    return DynamicBackend(TENSORFLOW).image.resize(images, size, **kwargs)


def call_layer(layer, keras_call, args, kwargs):
    """Run `keras_call` (the layer's `keras.layers.Layer.__call__`) with
    TensorFlow tensors whatever the backend; see the module docstring."""
    if on_tensorflow():
        return keras_call(*args, **kwargs)
    # Keras would turn the inputs into the backend's tensors (a JAX array
    # cannot hold a tf.data graph tensor) and refuse TensorFlow tensors
    # given positionally; inputs are converted below instead.
    layer._convert_input_args = False
    layer._allow_non_tensor_positional_args = True
    if any(isinstance(x, keras.KerasTensor) for x in tf.nest.flatten((args, kwargs))):
        return keras_call(*args, **kwargs)  # a functional model's build: shapes only
    from keras.src.backend.common.stateless_scope import in_stateless_scope

    if keras.backend.backend() == "jax" and in_stateless_scope():
        # JAX's trainer steps are stateless: the seed state's update would
        # be dropped and every step would draw the same parameters. (PyTorch
        # uses the scope only to infer shapes; its steps update state.)
        raise _in_model_error(layer, "a call inside a stateless model step")
    outermost = tf.executing_eagerly() and not getattr(_nesting, "depth", 0)
    args, kwargs = tf.nest.map_structure(lambda x: _to_tensorflow(layer, x), (args, kwargs))
    _nesting.depth = getattr(_nesting, "depth", 0) + 1
    try:
        outputs = keras_call(*args, **kwargs)
    finally:
        _nesting.depth -= 1
    return tf.nest.map_structure(_to_backend, outputs) if outermost else outputs


def _to_tensorflow(layer, value):
    """One input as Keras's TensorFlow backend would convert it: arrays to
    tensors, floats autocast to the layer's input dtype, other values as
    they are."""
    if not tf.is_tensor(value):
        if keras.ops.is_tensor(value):
            value = _backend_to_numpy(layer, value)
        if not hasattr(value, "__array__"):
            return value  # Python numbers, strings, None
        try:
            value = tf.convert_to_tensor(value)
        except TypeError:
            value = tf.convert_to_tensor(value, dtype=layer.input_dtype)
    if (
        layer.autocast
        and value.dtype.is_floating
        and value.dtype != tf.as_dtype(layer.input_dtype)
    ):
        value = tf.cast(value, layer.input_dtype)
    return value


def _backend_to_numpy(layer, value):
    try:
        return keras.ops.convert_to_numpy(value)
    except (TypeError, RuntimeError) as error:  # a tracer holds no values
        received = f"a {type(value).__name__} traced by {keras.backend.backend()}"
        raise _in_model_error(layer, received) from error


def _in_model_error(layer, received):
    backend = keras.backend.backend()
    return RuntimeError(
        f"{layer._owner} runs TensorFlow ops, so on the '{backend}' backend "
        f"it needs concrete values outside a model's training step; it "
        f"received {received} (e.g. inside a compiled model's fit, evaluate "
        "or predict). Move the layer out of the model into the tf.data "
        "input pipeline: `dataset.map(layer)`."
    )


def _to_backend(value):
    """An eager output as the backend's tensor (strings stay TensorFlow
    tensors: other backends have no string tensors)."""
    if isinstance(value, tf.Tensor) and value.dtype != tf.string:
        return keras.ops.convert_to_tensor(np.asarray(value))
    return value
