"""Augmentation layers. Every class exported here follows `BaseAugmentation`."""

from keras_augment.layers.audio import (
    FrequencyMasking,
    RandomGain,
    RandomNoise,
    RandomSpeed,
    RandomTimeShift,
    SpecAugment,
    TimeMasking,
    TimeWarp,
)
from keras_augment.layers.base import BaseAugmentation
from keras_augment.layers.brightness import RandomBrightness
from keras_augment.layers.flip import RandomFlip
from keras_augment.layers.generative import GenerativeAugment
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
    "FrequencyMasking",
    "GenerativeAugment",
    "Pipeline",
    "RandomBrightness",
    "RandomCharacterNoise",
    "RandomFlip",
    "RandomGain",
    "RandomNoise",
    "RandomSpeed",
    "RandomTimeShift",
    "RandomWordDeletion",
    "RandomWordInsertion",
    "RandomWordSwap",
    "SpecAugment",
    "SynonymReplacement",
    "TimeMasking",
    "TimeWarp",
]
