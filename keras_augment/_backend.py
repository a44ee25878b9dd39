"""Checks that Keras runs on the TensorFlow backend before anything else loads."""

import os


def _backend_error(backend):
    return ImportError(
        "keras_augment needs Keras 3 on the TensorFlow backend, but Keras is set "
        f"to the '{backend}' backend. Set the environment variable "
        "KERAS_BACKEND=tensorflow before Python imports keras (or set "
        "\"backend\": \"tensorflow\" in ~/.keras/keras.json) and start a new "
        "Python process."
    )


def check_keras_backend():
    """Raise an ImportError that says how to fix a non-TensorFlow Keras backend."""
    requested = os.environ.get("KERAS_BACKEND")
    # Checked before importing keras: another backend may not even be installed.
    if requested and requested != "tensorflow":
        raise _backend_error(requested)
    import keras

    backend = keras.backend.backend()
    if backend != "tensorflow":
        raise _backend_error(backend)
