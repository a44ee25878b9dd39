"""RandomFlip: per-sample horizontal and/or vertical flips."""

import keras
import tensorflow as tf

from keras_augment.layers.core.base import BaseAugmentation
from keras_augment.ops import geometry

HORIZONTAL = "horizontal"
VERTICAL = "vertical"
HORIZONTAL_AND_VERTICAL = "horizontal_and_vertical"
MODES = (HORIZONTAL, VERTICAL, HORIZONTAL_AND_VERTICAL)


def _where_flipped(flags, flipped, original):
    shape = tf.concat([tf.shape(flags), tf.ones([tf.rank(original) - 1], tf.int32)], 0)
    return tf.where(tf.reshape(flags, shape), flipped, original)


@keras.saving.register_keras_serializable(package="keras_augment")
class RandomFlip(BaseAugmentation):
    """Randomly flips each image left-right and/or top-bottom.

    Drop-in for `keras.layers.RandomFlip`. Each sample draws its own flips.
    With `mode="horizontal_and_vertical"` the two flips are drawn
    independently (each with probability 0.5), as in `tf.keras` 2.x and
    KerasCV, where Keras 3 ties them to one draw. Boxes, masks and keypoints
    are flipped with the image; boxes follow the box rules of
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

    geometric = True
    # Pipeline fuses it through its matrix with neighbouring geometric layers.
    fusable = True
    interpolation = None
    fill_mode = None
    fill_value = 0.0
    min_area = 0.0
    min_visibility = 0.0

    def output_size(self):
        return None

    def output_images_shape(self, images_shape):
        return images_shape

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
        return {"horizontal": horizontal, "vertical": vertical, "matrix": matrix}

    def _flip_pixels(self, pixels, transformation):
        pixels = _where_flipped(transformation["horizontal"], tf.reverse(pixels, [2]), pixels)
        return _where_flipped(transformation["vertical"], tf.reverse(pixels, [1]), pixels)

    def transform_images(self, images, transformation):
        return self._flip_pixels(images, transformation)

    def transform_segmentation_masks(self, masks, transformation):
        return self._flip_pixels(masks, transformation)

    def transform_bounding_boxes(self, bounding_boxes, transformation, images_shape):
        height = tf.cast(images_shape[1], tf.float32)
        width = tf.cast(images_shape[2], tf.float32)
        boxes = bounding_boxes["boxes"]
        x1, y1, x2, y2 = tf.unstack(boxes, 4, axis=-1)
        flipped_x = tf.stack([width - x2, y1, width - x1, y2], -1)
        boxes = _where_flipped(transformation["horizontal"], flipped_x, boxes)
        x1, y1, x2, y2 = tf.unstack(boxes, 4, axis=-1)
        flipped_y = tf.stack([x1, height - y2, x2, height - y1], -1)
        boxes = _where_flipped(transformation["vertical"], flipped_y, boxes)
        return {**bounding_boxes, "boxes": boxes}

    def transform_keypoints(self, keypoints, transformation, images_shape):
        height = tf.cast(images_shape[1], keypoints.dtype)
        width = tf.cast(images_shape[2], keypoints.dtype)
        x, y, rest = keypoints[..., :1], keypoints[..., 1:2], keypoints[..., 2:]
        x = _where_flipped(transformation["horizontal"], width - x, x)
        y = _where_flipped(transformation["vertical"], height - y, y)
        return tf.concat([x, y, rest], -1)
