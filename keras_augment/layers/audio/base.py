"""Shared plumbing of the audio layers: input kinds and validation."""

from keras_augment.layers.core.base import BaseAugmentation


class _AudioAugmentation(BaseAugmentation):
    input_key = "audio"
    description = ""

    def __init__(self, seed=None, **kwargs):
        # Audio axes are fixed: the image data_format setting does not apply.
        super().__init__(seed=seed, data_format="channels_last", **kwargs)

    def _check_images(self, images):
        ranks = tuple(range(min(self.batched_ranks) - 1, max(self.batched_ranks) + 1))
        if not (images.dtype.is_integer or images.dtype.is_floating) or images.shape.rank not in ranks:
            raise ValueError(
                f"{self._owner} expected {self.description} of an integer or "
                f"float dtype; received dtype {images.dtype.name} with shape "
                f"{images.shape}."
            )


class SpectrogramAugmentation(_AudioAugmentation):
    """Base of layers on spectrograms `[B, T, F]` or `[B, T, F, C]` (one: `[T, F]`).

    Subclasses implement `transform_spectrograms` on `[B, T, F, C]`.
    """

    batched_ranks = (3, 4)
    description = "spectrograms (B, T, F), (B, T, F, C) or a single (T, F)"

    def transform_images(self, images, transformation):
        if images.shape.rank == 3:
            return self.transform_spectrograms(images[..., None], transformation)[..., 0]
        return self.transform_spectrograms(images, transformation)

    def transform_spectrograms(self, spectrograms, transformation):
        raise NotImplementedError(f"{type(self).__name__} must define transform_spectrograms.")


class WaveformAugmentation(_AudioAugmentation):
    """Base of layers on waveforms `[B, T]` (one: `[T]`)."""

    batched_ranks = (2,)
    description = "waveforms (B, T) or a single (T,)"
