"""Augmentation layers. Every class exported here follows `BaseAugmentation`."""

from keras_augment.layers.base import BaseAugmentation
from keras_augment.layers.brightness import RandomBrightness
from keras_augment.layers.flip import RandomFlip
from keras_augment.layers.pipeline import Pipeline
from keras_augment.layers.text import (
    EDA,
    RandomCharacterNoise,
    RandomWordDeletion,
    RandomWordInsertion,
    RandomWordSwap,
    SynonymReplacement,
)

__all__ = [
    "BaseAugmentation",
    "EDA",
    "Pipeline",
    "RandomBrightness",
    "RandomCharacterNoise",
    "RandomFlip",
    "RandomWordDeletion",
    "RandomWordInsertion",
    "RandomWordSwap",
    "SynonymReplacement",
]
