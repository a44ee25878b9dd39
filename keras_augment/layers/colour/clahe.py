"""CLAHE: contrast-limited adaptive histogram equalisation with a random limit."""

import keras
import tensorflow as tf

from keras_augment.layers.core.arguments import check_integer_pair, check_positive_range
from keras_augment.layers.core.base import BaseAugmentation
from keras_augment.ops.clahe import clahe


@keras.saving.register_keras_serializable(package="keras_augment")
class CLAHE(BaseAugmentation):
    """Equalises each image's histogram tile by tile, with limited contrast.

    OpenCV's `createCLAHE(clipLimit, tileGridSize).apply` on each channel
    of each image (see `keras_augment.ops.clahe` for the rules), with the
    clip limit drawn per sample from `clip_limit`. Pixels are rounded to 256
    levels of `value_range` first, as OpenCV works on 8-bit images. Each
    channel is equalised on its own; to keep hues, apply it to a luminance
    channel instead.

    Args:
        clip_limit: a positive number, or a pair `(low, high)` from which
            each sample draws its limit uniformly. OpenCV's `clipLimit`:
            a bin of a tile's histogram keeps at most `clip_limit` times the
            count of a flat histogram. Defaults to `(1.0, 4.0)`.
        tile_grid_size: `(rows, columns)` of tiles. Defaults to `(8, 8)`.
        value_range: `(low, high)` of the input pixels. Defaults to `(0, 255)`.
        seed: integer seed of the layer's own random draws.
        data_format: `"channels_last"` or `"channels_first"`.
        **kwargs: base layer arguments such as `name` and `dtype`.

    Input shape:
        `(B, H, W, C)` or `(H, W, C)`, or a dict (see `BaseAugmentation`).

    Output shape:
        Same as the input, in the layer's compute dtype.

    Example:

    >>> layer = keras_augment.layers.CLAHE(clip_limit=2.0, tile_grid_size=(4, 4))
    >>> layer(tf.zeros([2, 16, 16, 3])).shape
    TensorShape([2, 16, 16, 3])
    """

    def __init__(
        self, clip_limit=(1.0, 4.0), tile_grid_size=(8, 8), value_range=(0, 255), seed=None, data_format=None, **kwargs
    ):
        super().__init__(value_range=value_range, seed=seed, data_format=data_format, **kwargs)
        self.clip_limit = check_positive_range(clip_limit, "clip_limit", self._owner)
        self.random = self.clip_limit[0] != self.clip_limit[1]
        self.tile_grid_size = check_integer_pair(tile_grid_size, "tile_grid_size", self._owner)

    def sample_parameters(self, sampler, images_shape):
        return {"clip_limit": sampler.uniform(images_shape[:1], *self.clip_limit)}

    def transform_images(self, images, transformation):
        output = clahe(images, transformation["clip_limit"], self.tile_grid_size, self.value_range)
        return tf.cast(output, images.dtype)
