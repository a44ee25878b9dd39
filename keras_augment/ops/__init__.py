"""Pure, batched TensorFlow kernels: no randomness, no Keras, XLA-compilable."""

from keras_augment.ops import bounding_boxes, geometry, keypoints, resample
from keras_augment.ops.bounding_boxes import convert_format

__all__ = ["bounding_boxes", "convert_format", "geometry", "keypoints", "resample"]
