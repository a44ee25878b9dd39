"""Augmentation policies: RandAugment, TrivialAugmentWide, AutoAugment, AugMix."""
