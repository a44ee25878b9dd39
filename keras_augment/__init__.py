"""keras_augment: data augmentation layers, generators and pipelines for Keras 3.

Importing the package checks that Keras runs on the TensorFlow backend.
"""

from keras_augment._backend import check_keras_backend

check_keras_backend()

from keras_augment import layers  # noqa: E402
from keras_augment import ops  # noqa: E402

__version__ = "0.1.0"

__all__ = ["layers", "ops", "__version__"]
