"""Augmentation layers. Every class exported here follows `BaseAugmentation`."""

from keras_augment.layers.base import BaseAugmentation
from keras_augment.layers.brightness import RandomBrightness
from keras_augment.layers.flip import RandomFlip
from keras_augment.layers.generative import GenerativeAugment
from keras_augment.layers.pipeline import Pipeline

__all__ = [
    "BaseAugmentation",
    "GenerativeAugment",
    "Pipeline",
    "RandomBrightness",
    "RandomFlip",
]
