"""Augmentation layers. Every class exported here follows `BaseAugmentation`."""

from keras_augment._backend import check_keras_backend

check_keras_backend()

from keras_augment.layers.affine import RandomRotation, RandomTranslation, RandomZoom
from keras_augment.layers.audio import (
    AddBackgroundNoise,
    ApplyImpulseResponse,
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
from keras_augment.layers.generative import GenerativeAugment
from keras_augment.layers.cut_mix import CutMix
from keras_augment.layers.distortions import (
    RandomGridDistortion,
    RandomOpticalDistortion,
    RandomThinPlateSpline,
)
from keras_augment.layers.elastic_transform import RandomElasticTransform
from keras_augment.layers.mix_up import MixUp
from keras_augment.layers.mosaic import Mosaic
from keras_augment.layers.perspective import RandomPerspective
from keras_augment.layers.pipeline import Pipeline
from keras_augment.layers.policies import AugMix, AutoAugment, RandAugment, TrivialAugmentWide
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
    "AddBackgroundNoise",
    "ApplyImpulseResponse",
    "AugMix",
    "AutoAugment",
    "AutoContrast",
    "BaseAugmentation",
    "CenterCrop",
    "CutMix",
    "EDA",
    "Equalization",
    "FrequencyMasking",
    "GenerativeAugment",
    "GridMask",
    "MixUp",
    "Mosaic",
    "Pipeline",
    "RandAugment",
    "RandomAffine",
    "RandomApply",
    "RandomBrightness",
    "RandomChannelShuffle",
    "RandomCharacterNoise",
    "RandomChoice",
    "RandomColorDegeneration",
    "RandomColorJitter",
    "RandomContrast",
    "RandomCrop",
    "RandomCutout",
    "RandomElasticTransform",
    "RandomErasing",
    "RandomFlip",
    "RandomGain",
    "RandomGamma",
    "RandomGaussianBlur",
    "RandomGaussianNoise",
    "RandomGrayscale",
    "RandomGridDistortion",
    "RandomHue",
    "RandomInvert",
    "RandomJpegQuality",
    "RandomNoise",
    "RandomOpticalDistortion",
    "RandomPerspective",
    "RandomPitchShift",
    "RandomPosterization",
    "RandomResizedCrop",
    "RandomRotation",
    "RandomSaturation",
    "RandomSharpness",
    "RandomShear",
    "RandomSpeed",
    "RandomThinPlateSpline",
    "RandomTimeShift",
    "RandomTranslation",
    "RandomWordDeletion",
    "RandomWordInsertion",
    "RandomWordSwap",
    "RandomZoom",
    "Resizing",
    "Solarization",
    "SpecAugment",
    "SynonymReplacement",
    "TimeMasking",
    "TimeWarp",
    "TrivialAugmentWide",
]
