"""keras_augment: data augmentation layers, generators and pipelines for Keras 3.

`import keras_augment` loads the layers (and so Keras and TensorFlow) and
registers them with Keras, so `keras.models.load_model` finds them in a
`.keras` file. `keras_augment.data`, `.models`, `.export`, `.ops`, `.spec`
and `.visualize` load on first use.

It imports on every Keras 3 backend: the layers run TensorFlow kernels, in
`tf.data` on any backend (`keras_augment.backends` says how); `.models` and
`.export` need the TensorFlow backend.

The `keras-augment` command asks for nothing to load up front (see
`keras_augment_cli`), so `--help` and usage errors answer without
TensorFlow.
"""

import importlib
import sys

__version__ = "0.1.0"

_LAZY_SUBMODULES = ("layers", "ops", "data", "models", "export", "spec", "visualize")

__all__ = list(_LAZY_SUBMODULES) + ["__version__"]


def __getattr__(name):
    if name in _LAZY_SUBMODULES:
        module = importlib.import_module(f"keras_augment.{name}")
        globals()[name] = module
        return module
    raise AttributeError(f"module 'keras_augment' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY_SUBMODULES))


if not getattr(sys.modules.get("keras_augment_cli"), "DEFER_IMPORTS", False):
    from keras_augment import layers  # noqa: F401  (registers the layers with Keras)
