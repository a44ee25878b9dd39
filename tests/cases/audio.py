"""Harness cases for the audio layers: spectrograms and waveforms."""

import numpy as np
from harness import LayerCase

from keras_augment import layers


def random_spectrograms(shape, dtype="float32", seed=0):
    """Log-mel-like values: positive, varying along time and frequency."""
    rng = np.random.default_rng(seed)
    return (rng.random(shape) * 10.0 + 1.0).astype(dtype)


def random_waveforms(shape, dtype="float32", seed=0):
    """Tones with random frequencies plus a little noise, as int16-valued PCM.

    Values are whole numbers so int16 and float32 inputs are equal.
    """
    rng = np.random.default_rng(seed)
    batch, length = shape
    times = np.arange(length)[None, :] / 8000.0
    frequencies = rng.uniform(100, 1000, size=(batch, 1))
    tones = 0.5 * np.sin(2 * np.pi * frequencies * times) + 0.01 * rng.standard_normal(shape)
    return np.round(tones * 1000).astype(dtype)


def noise_clips(seed=0):
    """Three short noise clips of different lengths, one shorter than the inputs."""
    rng = np.random.default_rng(seed)
    return [(rng.standard_normal(n) * 300).astype(np.float32) for n in (100, 400, 61)]


def impulse_responses(seed=0):
    """Three small decaying responses whose direct path is not their first sample."""
    rng = np.random.default_rng(seed)
    responses = []
    for delay, length in ((3, 40), (0, 25), (7, 60)):
        tail = rng.standard_normal(length) * np.exp(-np.arange(length) / 8.0) * 0.4
        responses.append(np.concatenate([np.zeros(delay), [1.0], tail]).astype(np.float32))
    return responses


SPECTROGRAM = dict(shape=(5, 41, 16), make_input=random_spectrograms, dtypes=("float32",))
SPECTROGRAM_CHANNELS = dict(
    shape=(5, 41, 16, 2), make_input=random_spectrograms, dtypes=("float32",),
    # tests/test_audio_layers.py covers empty and single batches with channels.
    skip={"batch_sizes": "a single (T, F, C) spectrogram reads as a batch (B, T, F); "
                         "single spectrograms are (T, F)"},
)
WAVEFORM = dict(shape=(5, 257), make_input=random_waveforms, dtypes=("int16", "float32"))

CASES = [
    LayerCase(layers.TimeMasking, {"max_width": 10, "count": 2, "seed": 0}, **SPECTROGRAM),
    LayerCase(layers.TimeMasking, {"max_width": 30, "max_proportion": 0.2, "mask_value": -1.0},
              id="TimeMasking-proportion-channels", **SPECTROGRAM_CHANNELS),
    LayerCase(layers.FrequencyMasking, {"max_width": 6, "count": 2}, **SPECTROGRAM),
    LayerCase(layers.TimeWarp, {"max_warp": 8, "seed": 1}, **SPECTROGRAM),
    LayerCase(layers.SpecAugment, {"policy": "LD", "time_warp": 5, "time_mask_width": 10},
              id="SpecAugment-LD", **SPECTROGRAM),
    LayerCase(layers.SpecAugment, {"policy": "LB"}, id="SpecAugment-LB", **SPECTROGRAM_CHANNELS),
    LayerCase(layers.SpecAugment, {}, id="SpecAugment-relative", **SPECTROGRAM),
    LayerCase(layers.TimeMasking, {"max_width": 0.25, "count": 2, "mask_value": "min"},
              id="TimeMasking-fraction-min", **SPECTROGRAM),
    LayerCase(layers.RandomGain, {"seed": 0}, **WAVEFORM),
    LayerCase(layers.AddBackgroundNoise, {"noise": noise_clips(), "seed": 4}, **WAVEFORM),
    LayerCase(layers.AddBackgroundNoise, {"noise": noise_clips(1), "min_snr_db": -5.0,
                                          "max_snr_db": 5.0, "rate": 0.7},
              id="AddBackgroundNoise-rate", **WAVEFORM),
    LayerCase(layers.ApplyImpulseResponse, {"impulse_responses": impulse_responses(), "seed": 6},
              **WAVEFORM),
    LayerCase(layers.RandomNoise, {"min_snr_db": 5.0, "max_snr_db": 20.0}, **WAVEFORM),
    LayerCase(layers.RandomTimeShift, {"max_shift": 0.3, "seed": 2}, **WAVEFORM),
    LayerCase(layers.RandomTimeShift, {"rollover": True}, id="RandomTimeShift-rollover", **WAVEFORM),
    LayerCase(layers.RandomSpeed, {"min_rate": 0.8, "max_rate": 1.25}, **WAVEFORM),
    LayerCase(layers.RandomPitchShift, {"frame_length": 64, "frame_step": 16, "seed": 3}, **WAVEFORM),
]

CASES.append(LayerCase(
    layers.Pipeline,
    {"layers": [layers.RandomGain(), layers.RandomNoise(), layers.RandomSpeed()], "seed": 5},
    id="Pipeline-waveform", **WAVEFORM,
))
