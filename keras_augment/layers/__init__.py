"""Augmentation layers. Every class exported here follows `BaseAugmentation`."""

from keras_augment.backends import check_keras_backend

check_keras_backend()

from keras_augment.layers.geometric.rotation_translation_zoom import RandomRotation, RandomTranslation, RandomZoom
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
from keras_augment.layers.core.base import BaseAugmentation
from keras_augment.layers.colour.brightness import RandomBrightness
from keras_augment.layers.colour.contrast import RandomContrast
from keras_augment.layers.geometric.crop import CenterCrop, RandomCrop, RandomResizedCrop
from keras_augment.layers.colour.hue_saturation import (
    RandomColorDegeneration,
    RandomColorJitter,
    RandomHue,
    RandomSaturation,
)
from keras_augment.layers.colour.clahe import CLAHE
from keras_augment.layers.colour.filters import (
    RandomGaussianBlur,
    RandomJpegQuality,
    RandomSharpness,
)
from keras_augment.layers.colour.noise import RandomChannelShuffle, RandomGamma, RandomGaussianNoise
from keras_augment.layers.colour.pixel_maps import (
    AutoContrast,
    Equalization,
    RandomGrayscale,
    RandomInvert,
    RandomPosterization,
    Solarization,
)
from keras_augment.layers.dropout.erasing import RandomCutout, RandomErasing
from keras_augment.layers.dropout.grid_mask import GridMask
from keras_augment.layers.geometric.flip import RandomFlip
from keras_augment.layers.generative import GenerativeAugment
from keras_augment.layers.mixing.cut_mix import CutMix
from keras_augment.layers.warp.distortions import (
    RandomGridDistortion,
    RandomOpticalDistortion,
    RandomThinPlateSpline,
)
from keras_augment.layers.warp.elastic import RandomElasticTransform
from keras_augment.layers.mixing.mix_up import MixUp
from keras_augment.layers.mixing.mosaic import Mosaic
from keras_augment.layers.geometric.perspective import RandomPerspective
from keras_augment.layers.compose.pipeline import Pipeline
from keras_augment.layers.policies import AugMix, AutoAugment, RandAugment, TrivialAugmentWide
from keras_augment.layers.compose.probability import RandomApply, RandomChoice
from keras_augment.layers.geometric.resizing import Resizing
from keras_augment.layers.geometric.rotate90 import RandomRotate90
from keras_augment.layers.geometric.shear_affine import RandomAffine, RandomShear
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
    "CLAHE",
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
    "RandomRotate90",
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
