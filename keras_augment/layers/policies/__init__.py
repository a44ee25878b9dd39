"""Augmentation policies: RandAugment, TrivialAugmentWide, AutoAugment, AugMix."""

from keras_augment.layers.policies.aug_mix import AugMix
from keras_augment.layers.policies.auto_augment import AutoAugment
from keras_augment.layers.policies.rand_augment import RandAugment
from keras_augment.layers.policies.trivial_augment import TrivialAugmentWide

__all__ = ["AugMix", "AutoAugment", "RandAugment", "TrivialAugmentWide"]
