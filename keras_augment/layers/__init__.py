"""Augmentation layers. Every class exported here follows `BaseAugmentation`."""

from keras_augment.layers.affine import RandomRotation, RandomTranslation, RandomZoom
from keras_augment.layers.base import BaseAugmentation
from keras_augment.layers.brightness import RandomBrightness
from keras_augment.layers.contrast import RandomContrast
from keras_augment.layers.crop import CenterCrop, RandomCrop, RandomResizedCrop
from keras_augment.layers.flip import RandomFlip
from keras_augment.layers.perspective import RandomPerspective
from keras_augment.layers.pipeline import Pipeline
from keras_augment.layers.probability import RandomApply, RandomChoice
from keras_augment.layers.resizing import Resizing
from keras_augment.layers.shear_affine import RandomAffine, RandomShear

__all__ = [
    "BaseAugmentation",
    "CenterCrop",
    "Pipeline",
    "RandomAffine",
    "RandomApply",
    "RandomBrightness",
    "RandomChoice",
    "RandomContrast",
    "RandomCrop",
    "RandomFlip",
    "RandomPerspective",
    "RandomResizedCrop",
    "RandomRotation",
    "RandomShear",
    "RandomTranslation",
    "RandomZoom",
    "Resizing",
]
