"""Augmentation layers. Every class exported here follows `BaseAugmentation`."""

from keras_augment.layers.base import BaseAugmentation
from keras_augment.layers.brightness import RandomBrightness
from keras_augment.layers.cut_mix import CutMix
from keras_augment.layers.distortions import (
    RandomGridDistortion,
    RandomOpticalDistortion,
    RandomThinPlateSpline,
)
from keras_augment.layers.elastic_transform import RandomElasticTransform
from keras_augment.layers.flip import RandomFlip
from keras_augment.layers.mix_up import MixUp
from keras_augment.layers.mosaic import Mosaic
from keras_augment.layers.pipeline import Pipeline

__all__ = [
    "BaseAugmentation",
    "CutMix",
    "MixUp",
    "Mosaic",
    "Pipeline",
    "RandomBrightness",
    "RandomElasticTransform",
    "RandomFlip",
    "RandomGridDistortion",
    "RandomOpticalDistortion",
    "RandomThinPlateSpline",
]
