"""Audio augmentation layers on spectrograms and waveforms."""

from keras_augment.layers.audio.acoustics import AddBackgroundNoise, ApplyImpulseResponse
from keras_augment.layers.audio.base import SpectrogramAugmentation, WaveformAugmentation
from keras_augment.layers.audio.masking import FrequencyMasking, TimeMasking, TimeWarp
from keras_augment.layers.audio.spec_augment import POLICIES, SpecAugment
from keras_augment.layers.audio.waveform import (
    RandomGain,
    RandomNoise,
    RandomPitchShift,
    RandomSpeed,
    RandomTimeShift,
)

__all__ = [
    "AddBackgroundNoise",
    "ApplyImpulseResponse",
    "FrequencyMasking",
    "POLICIES",
    "RandomGain",
    "RandomNoise",
    "RandomPitchShift",
    "RandomSpeed",
    "RandomTimeShift",
    "SpecAugment",
    "SpectrogramAugmentation",
    "TimeMasking",
    "TimeWarp",
    "WaveformAugmentation",
]
