"""Augmentation layers. Every class exported here follows `BaseAugmentation`."""

from keras_augment.layers.base import BaseAugmentation
from keras_augment.layers.brightness import RandomBrightness
from keras_augment.layers.colour import (
    RandomColorDegeneration,
    RandomColorJitter,
    RandomHue,
    RandomSaturation,
)
from keras_augment.layers.colour_filters import (
    RandomGaussianBlur,
    RandomJpegQuality,
    RandomSharpness,
)
from keras_augment.layers.colour_noise import RandomChannelShuffle, RandomGamma, RandomGaussianNoise
from keras_augment.layers.colour_pixel import (
    AutoContrast,
    Equalization,
    RandomGrayscale,
    RandomInvert,
    RandomPosterization,
    Solarization,
)
from keras_augment.layers.dropout import RandomCutout, RandomErasing
from keras_augment.layers.dropout_grid import GridMask
from keras_augment.layers.flip import RandomFlip
from keras_augment.layers.pipeline import Pipeline

__all__ = [
    "AutoContrast",
    "BaseAugmentation",
    "Equalization",
    "GridMask",
    "Pipeline",
    "RandomBrightness",
    "RandomChannelShuffle",
    "RandomColorDegeneration",
    "RandomColorJitter",
    "RandomCutout",
    "RandomErasing",
    "RandomFlip",
    "RandomGamma",
    "RandomGaussianBlur",
    "RandomGaussianNoise",
    "RandomGrayscale",
    "RandomHue",
    "RandomInvert",
    "RandomJpegQuality",
    "RandomPosterization",
    "RandomSaturation",
    "RandomSharpness",
    "Solarization",
]
