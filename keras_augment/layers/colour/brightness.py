"""RandomBrightness: adds a per-sample offset to every pixel."""

import keras
from keras_augment.layers.core.arguments import standardize_factor
from keras_augment.layers.core.base import BaseAugmentation
from keras_augment.ops import colour as colour_ops
from keras_augment.ops.compiled import compiled


@keras.saving.register_keras_serializable(package="keras_augment")
class RandomBrightness(BaseAugmentation):
    """Randomly brightens or darkens each image by a uniform offset.

    Drop-in for `keras.layers.RandomBrightness`: each sample draws
    `delta ~ U(factor)`, adds `delta * (high - low)` of `value_range` to every
    pixel and clips the result to `value_range`.

    Args:
        factor: a number `f` in [-1, 1] (meaning `(-f, f)`) or a pair of
            numbers in [-1, 1]. -1 turns every image black, 1 white.
        value_range: `(low, high)` range of the input pixels. Defaults to
            `(0, 255)`.
        seed: integer seed of the layer's own random draws.
        **kwargs: base layer arguments such as `name` and `dtype`.

    Input shape:
        `(B, H, W, C)` or `(H, W, C)`, or a dict (see `BaseAugmentation`).

    Output shape:
        Same as the input, in the layer's compute dtype.

    Example:

    >>> layer = keras_augment.layers.RandomBrightness(0.2, seed=0)
    >>> layer(tf.fill([2, 4, 4, 3], 100.0), seed=1).shape
    TensorShape([2, 4, 4, 3])
    """

    def __init__(self, factor, value_range=(0, 255), seed=None, **kwargs):
        super().__init__(value_range=value_range, seed=seed, **kwargs)
        self.factor = standardize_factor(factor, self._owner)

    def sample_parameters(self, sampler, images_shape):
        low, high = self.value_range
        delta = sampler.uniform(images_shape[:1], self.factor[0], self.factor[1])
        return {"delta": delta * (high - low)}

    def transform_images(self, images, transformation):
        return compiled(colour_ops.brightness)(images, transformation["delta"], self.value_range)
