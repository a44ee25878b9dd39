"""RandomContrast: scales each image's deviation from its per-channel mean."""

import keras

from keras_augment.layers.core.arguments import check_contrast_factor
from keras_augment.layers.core.base import BaseAugmentation
from keras_augment.ops import colour as colour_ops
from keras_augment.ops.compiled import compiled


@keras.saving.register_keras_serializable(package="keras_augment")
class RandomContrast(BaseAugmentation):
    """Adjusts each image's contrast by its own random factor.

    Drop-in for `keras.layers.RandomContrast`: each sample draws
    `c ~ U(1 - lower, 1 + upper)` and returns
    `(x - mean) * c + mean`, with the mean taken over height and width per
    channel, clipped to `value_range`. A single number `f` means
    `lower = upper = f`, as Keras documents (Keras 3.x code draws from
    `[1, 1 + f]` for a single number; pass `(0, f)` for that).

    Args:
        factor: a number or a pair `(lower, upper)` in `[0, 1]`.
        value_range: `(low, high)` range of the input pixels. Defaults to
            `(0, 255)`.
        seed: integer seed of the layer's own random draws.
        **kwargs: base layer arguments such as `name` and `dtype`.

    Input shape:
        `(B, H, W, C)` or `(H, W, C)`, or a dict (see `BaseAugmentation`).

    Output shape:
        Same as the input, in the layer's compute dtype.

    Example:

    >>> layer = keras_augment.layers.RandomContrast(0.2, seed=0)
    >>> layer(tf.fill([2, 4, 4, 3], 100.0)).shape
    TensorShape([2, 4, 4, 3])
    """

    def __init__(self, factor, value_range=(0, 255), seed=None, **kwargs):
        super().__init__(value_range=value_range, seed=seed, **kwargs)
        self.factor = factor
        self._range = check_contrast_factor(factor, "factor", self._owner)

    def sample_parameters(self, sampler, images_shape):
        contrast = sampler.uniform(images_shape[:1], *self._range)
        return {"contrast_factor": contrast}

    def transform_images(self, images, transformation):
        # The same kernel RandomColorJitter uses: one contrast rule in the project.
        return compiled(colour_ops.contrast)(
            images, transformation["contrast_factor"], self.value_range
        )
