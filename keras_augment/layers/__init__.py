"""Augmentation layers. Every class exported here follows `BaseAugmentation`."""

from keras_augment.layers.affine import RandomRotation, RandomTranslation, RandomZoom
from keras_augment.layers.audio import (
    FrequencyMasking,
    RandomGain,
    RandomNoise,
    RandomPitchShift,
    RandomSpeed,
    RandomTimeShift,
    SpecAugment,
    TimeMasking,
    TimeWarp,
)
from keras_augment.layers.base import BaseAugmentation
from keras_augment.layers.brightness import RandomBrightness
from keras_augment.layers.contrast import RandomContrast
from keras_augment.layers.crop import CenterCrop, RandomCrop, RandomResizedCrop
from keras_augment.layers.flip import RandomFlip
from keras_augment.layers.generative import GenerativeAugment
from keras_augment.layers.perspective import RandomPerspective
from keras_augment.layers.pipeline import Pipeline
from keras_augment.layers.probability import RandomApply, RandomChoice
from keras_augment.layers.resizing import Resizing
from keras_augment.layers.shear_affine import RandomAffine, RandomShear
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
    "CenterCrop",
    "EDA",
    "FrequencyMasking",
    "GenerativeAugment",
    "Pipeline",
    "RandomAffine",
    "RandomApply",
    "RandomBrightness",
    "RandomCharacterNoise",
    "RandomChoice",
    "RandomContrast",
    "RandomCrop",
    "RandomFlip",
    "RandomGain",
    "RandomNoise",
    "RandomPerspective",
    "RandomPitchShift",
    "RandomResizedCrop",
    "RandomRotation",
    "RandomShear",
    "RandomSpeed",
    "RandomTimeShift",
    "RandomTranslation",
    "RandomWordDeletion",
    "RandomWordInsertion",
    "RandomWordSwap",
    "RandomZoom",
    "Resizing",
    "SpecAugment",
    "SynonymReplacement",
    "TimeMasking",
    "TimeWarp",
]
