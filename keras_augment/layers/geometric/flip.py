"""RandomFlip: per-sample horizontal and/or vertical flips."""

import keras
import tensorflow as tf

from keras_augment.layers.core.inputs import IMAGES
from keras_augment.layers.geometric.base import MATRIX, GeometricAugmentation
from keras_augment.ops import geometry

HORIZONTAL = "horizontal"
VERTICAL = "vertical"
HORIZONTAL_AND_VERTICAL = "horizontal_and_vertical"
MODES = (HORIZONTAL, VERTICAL, HORIZONTAL_AND_VERTICAL)


@keras.saving.register_keras_serializable(package="keras_augment")
class RandomFlip(GeometricAugmentation):
    """Randomly flips each image left-right and/or top-bottom.

    Drop-in for `keras.layers.RandomFlip`. Each sample draws its own flips.
    With `mode="horizontal_and_vertical"` the two flips are drawn
    independently (each with probability 0.5), as in `tf.keras` 2.x and
    KerasCV, where Keras 3 ties them to one draw. Boxes, masks and keypoints
    are flipped with the image on the geometric path of every pixel-moving
    layer: a flip maps pixel centres onto pixel centres, so the nearest
    sample is exact; boxes follow the box rules of
    `keras_augment.ops.bounding_boxes` (clipped, and dropped when unusable).

    Args:
        mode: `"horizontal"`, `"vertical"` or `"horizontal_and_vertical"`.
        seed: integer seed of the layer's own random draws.
        data_format: `"channels_last"` or `"channels_first"`.
        **kwargs: base layer arguments such as `bounding_box_format`, `name`
            and `dtype`.

    Input shape:
        `(B, H, W, C)` or `(H, W, C)`, or a dict (see `BaseAugmentation`).

    Output shape:
        Same as the input, in the layer's compute dtype.

    Example:

    >>> layer = keras_augment.layers.RandomFlip("horizontal", seed=0)
    >>> images = tf.zeros([4, 32, 32, 3])
    >>> layer(images).shape
    TensorShape([4, 32, 32, 3])
    """

    # A flip lands on pixel centres: nearest is exact, and inside a Pipeline
    # it does not force bilinear on its neighbours.
    interpolation = "nearest"
    # Boolean flags: nothing for XLA to keep identical across modes.
    draws_under_xla = False

    def __init__(self, mode=HORIZONTAL_AND_VERTICAL, seed=None, data_format=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        if mode not in MODES:
            raise ValueError(
                f"{self._owner}: `mode` must be one of {MODES}; received mode={mode!r}."
            )
        self.mode = mode

    def sample_parameters(self, sampler, images_shape):
        batch_size = images_shape[:1]
        horizontal = sampler.bernoulli(batch_size, 0.5)
        vertical = sampler.bernoulli(batch_size, 0.5)
        no_flip = tf.zeros_like(horizontal)
        horizontal = horizontal if self.mode != VERTICAL else no_flip
        vertical = vertical if self.mode != HORIZONTAL else no_flip
        matrix = geometry.flip(horizontal, vertical, images_shape[1], images_shape[2])
        return {"horizontal": horizontal, "vertical": vertical, MATRIX: matrix}

    def transform_batch(self, batch, transformation):
        # Flags alone (the parameters Keras's RandomFlip takes) are enough:
        # the matrix follows from them.
        if MATRIX not in transformation:
            shape = tf.shape(batch[IMAGES])
            matrix = geometry.flip(transformation["horizontal"], transformation["vertical"], shape[1], shape[2])
            transformation = {**transformation, MATRIX: matrix}
        return super().transform_batch(batch, transformation)
