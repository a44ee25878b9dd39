"""SpecAugment: time warp, frequency masks and time masks with published policies."""

import keras

from keras_augment.layers.audio.base import SpectrogramAugmentation
from keras_augment.layers.audio.masking import (
    FrequencyMasking,
    TimeMasking,
    TimeWarp,
    check_mask_value,
)
from keras_augment.layers.core.sampling import RandomSampler
from keras_augment.ops import audio as audio_ops

# Park et al. 2019, Table 1: W, F, m_F, T, p, m_T. "relative" is ours: its
# widths are fractions of the input's frames and bins, so it fits short clips;
# one mask of each kind and no warp, as chosen on the validation split of
# examples/spoken_digits.py (two of each with a 5% warp lost 14 points there).
POLICIES = {
    "relative": dict(time_warp=0, frequency_mask_width=0.15, frequency_masks=1,
                     time_mask_width=0.1, time_mask_proportion=1.0, time_masks=1),
    "LB": dict(time_warp=80, frequency_mask_width=27, frequency_masks=1,
               time_mask_width=100, time_mask_proportion=1.0, time_masks=1),
    "LD": dict(time_warp=80, frequency_mask_width=27, frequency_masks=2,
               time_mask_width=100, time_mask_proportion=1.0, time_masks=2),
    "SM": dict(time_warp=40, frequency_mask_width=15, frequency_masks=2,
               time_mask_width=70, time_mask_proportion=0.2, time_masks=2),
    "SS": dict(time_warp=40, frequency_mask_width=27, frequency_masks=2,
               time_mask_width=40, time_mask_proportion=0.2, time_masks=2),
}


@keras.saving.register_keras_serializable(package="keras_augment")
class SpecAugment(SpectrogramAugmentation):
    """SpecAugment (Park et al., 2019): time warp, then frequency and time masks.

    `policy` picks the parameters. The paper's four count frames and bins
    and assume long utterances (LibriSpeech, Switchboard): "LB" (LibriSpeech
    basic: W=80, F=27, m_F=1, T=100, p=1, m_T=1), "LD" (LibriSpeech double:
    m_F=2, m_T=2), "SM" and "SS" (Switchboard mild and strong). On a clip of
    about a second (100 frames) one LB or LD time mask may cover all of it.
    "relative" (the default; not from the paper) scales with the input, so
    it fits short clips: no time warp, one frequency mask of at most 15% of
    the bins and one time mask of at most 10% of the frames (chosen on the
    validation split of `examples/spoken_digits.py`, where two of each with
    a 5% warp cost 14 points). Any argument given explicitly overrides the
    policy's value, e.g. `time_warp=0.05, frequency_masks=2, time_masks=2`.

    Widths and `time_warp` are integers (frames or bins) or floats in
    [0, 1] (fractions of the input's frames or bins, rounded down).

    Args:
        policy: "relative" (default), "LB", "LD", "SM" or "SS".
        time_warp: `W`, largest time-warp displacement; 0 disables warping.
        frequency_mask_width: `F`, largest frequency-mask width.
        frequency_masks: `m_F`, number of frequency masks.
        time_mask_width: `T`, largest time-mask width.
        time_mask_proportion: `p`, largest fraction of time one mask covers.
        time_masks: `m_T`, number of time masks.
        mask_value: what masked bins are set to: "mean" (the default) is
            each sample's mean over time and frequency (per channel) of the
            spectrogram after the time warp, before masking (the paper
            masks its mean-normalised input with zero, which is this);
            "min" is each sample's minimum, silence for a log or dB
            spectrogram such as `keras.layers.MelSpectrogram`'s; or a
            number.
        seed: integer seed of the layer's own random draws.
        **kwargs: base layer arguments such as `name`.

    Input shape:
        `(B, T, F)`, `(B, T, F, C)` or a single `(T, F)` log-mel
        spectrograms; or a dict with an "audio" key.

    Output shape:
        Same as the input, in the compute dtype.

    Example:

    >>> layer = keras_augment.layers.SpecAugment()  # "relative", mask "mean"
    >>> layer(tf.ones([2, 100, 40]), seed=0).shape
    TensorShape([2, 100, 40])
    """

    def __init__(
        self,
        policy="relative",
        time_warp=None,
        frequency_mask_width=None,
        frequency_masks=None,
        time_mask_width=None,
        time_mask_proportion=None,
        time_masks=None,
        mask_value="mean",
        seed=None,
        **kwargs,
    ):
        super().__init__(seed=seed, **kwargs)
        if policy not in POLICIES:
            raise ValueError(
                f"{self._owner}: `policy` must be one of {sorted(POLICIES)}; "
                f"received policy={policy!r}."
            )
        given = dict(
            time_warp=time_warp, frequency_mask_width=frequency_mask_width,
            frequency_masks=frequency_masks, time_mask_width=time_mask_width,
            time_mask_proportion=time_mask_proportion, time_masks=time_masks,
        )
        settings = {k: POLICIES[policy][k] if v is None else v for k, v in given.items()}
        self.policy = policy
        self.settings = settings
        self.mask_value = check_mask_value(mask_value, self._owner)
        self.time_warp, self.frequency_mask_width = time_warp, frequency_mask_width
        self.frequency_masks, self.time_mask_width = frequency_masks, time_mask_width
        self.time_mask_proportion, self.time_masks = time_mask_proportion, time_masks
        self.steps = []
        if settings["time_warp"]:
            self.steps.append(TimeWarp(settings["time_warp"]))
        self.steps.append(FrequencyMasking(
            settings["frequency_mask_width"], settings["frequency_masks"], mask_value
        ))
        self.steps.append(TimeMasking(
            settings["time_mask_width"], settings["time_masks"],
            settings["time_mask_proportion"], mask_value,
        ))

    def sample_parameters(self, sampler, images_shape):
        return [
            step.sample_parameters(RandomSampler(sampler.next_seed()), images_shape)
            for step in self.steps
        ]

    def transform_spectrograms(self, spectrograms, transformation):
        if len(self.steps) == 3:
            spectrograms = self.steps[0].transform_spectrograms(spectrograms, transformation[0])
        frequency, time = transformation[-2:]
        # Both masks write the same value, so one fused pass equals the two steps.
        return audio_ops.mask_time_and_frequency(
            spectrograms,
            (time["starts"], time["widths"]),
            (frequency["starts"], frequency["widths"]),
            self.mask_value,
        )
