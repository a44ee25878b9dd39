"""RandomErasing and RandomCutout: rectangles blanked per sample (see
`dropout/base.py` for what happens to masks, boxes and keypoints)."""

import keras
import tensorflow as tf

from keras_augment.layers.core.arguments import check_count_range, is_number, standardize_factor
from keras_augment.layers.core.sampling import probability_flags
from keras_augment.layers.dropout.base import CONSTANT, GAUSSIAN_NOISE, DropoutAugmentation
from keras_augment.ops import dropout

@keras.saving.register_keras_serializable(package="keras_augment")
class RandomErasing(DropoutAugmentation):
    """Erases one random rectangle of each image, with a random probability.

    Drop-in for `keras.layers.RandomErasing`: an image is erased when
    `U(0, 1) < U(factor)`; the rectangle's width and height are
    `sqrt(U(scale))` of the image's, each drawn on its own, at a uniform
    position. `fill_value=None` fills with Gaussian noise `N(0, high)`
    clipped to `value_range`, as Keras does.

    Args:
        factor: erasing probability: a number in [0, 1] (meaning `(0, f)`) or a pair.
        scale: a number `s` in [0, 1] (meaning `(0, s)`) or a pair: the range of
            the squared side fractions.
        fill_value: None (noise), a number, or one number per channel.
        value_range: `(low, high)` of the input pixels. Defaults to `(0, 255)`.
        seed: integer seed of the layer's own random draws.
        data_format: `"channels_last"` or `"channels_first"`.
        mask_fill_value: None leaves segmentation masks unchanged; a number is
            written into erased mask pixels.
        **kwargs: base layer arguments such as `name` and `dtype`.

    Input shape:
        `(B, H, W, C)` or `(H, W, C)`, or a dict (see `BaseAugmentation`).

    Output shape:
        Same as the input, in the layer's compute dtype.

    Example:

    >>> layer = keras_augment.layers.RandomErasing(fill_value=0.0, seed=0)
    >>> layer(tf.ones([2, 8, 8, 3])).shape
    TensorShape([2, 8, 8, 3])
    """

    def __init__(
        self,
        factor=1.0,
        scale=(0.02, 0.33),
        fill_value=None,
        value_range=(0, 255),
        seed=None,
        data_format=None,
        mask_fill_value=None,
        **kwargs,
    ):
        super().__init__(value_range=value_range, seed=seed, data_format=data_format, **kwargs)
        self.factor = standardize_factor(factor, self._owner, (0.0, 1.0))
        self.scale = standardize_factor(scale, self._owner, (0.0, 1.0), "scale")
        valid = fill_value is None or is_number(fill_value) or (
            isinstance(fill_value, (tuple, list)) and all(map(is_number, fill_value))
        )
        if not valid:
            raise ValueError(
                f"{self._owner}: `fill_value` must be None, a number or a list of "
                f"numbers (one per channel); received fill_value={fill_value!r}."
            )
        self._check_fill(CONSTANT, 0.0, mask_fill_value)
        self.fill_value = list(fill_value) if isinstance(fill_value, tuple) else fill_value
        self.mask_fill_value = mask_fill_value

    def sample_parameters(self, sampler, images_shape):
        batch_size = images_shape[0]
        height = tf.cast(images_shape[1], tf.float32)
        width = tf.cast(images_shape[2], tf.float32)
        sides = tf.sqrt(sampler.uniform([batch_size, 2], *self.scale))
        box_width, box_height = sides[:, 0] * width, sides[:, 1] * height
        x0 = sampler.uniform([batch_size]) * (width - box_width)
        y0 = sampler.uniform([batch_size]) * (height - box_height)
        boxes = tf.stack([x0, y0, x0 + box_width, y0 + box_height], -1)[:, None, :]
        parameters = {
            "boxes": boxes,
            "apply": probability_flags(sampler, batch_size, self.factor),
        }
        if self.fill_value is None:
            low, high = self.value_range
            noise = sampler.normal(images_shape) * high
            parameters["noise"] = tf.clip_by_value(noise, low, high)
        return parameters

    def _fill(self, transformation):
        if "noise" in transformation:
            return transformation["noise"]
        return tf.clip_by_value(
            tf.constant(self.fill_value, tf.float32), self.value_range[0], self.value_range[1]
        )

    fill_kernel = staticmethod(dropout.fill_rectangles)

    def mask_arguments(self, transformation):
        return transformation["boxes"], transformation["apply"][:, None]


@keras.saving.register_keras_serializable(package="keras_augment")
class RandomCutout(DropoutAugmentation):
    """Cuts several rectangular holes out of each image.

    Each sample draws its number of holes from `num_holes`; each hole draws
    its height and width as fractions of the image's from `height_factor`
    and `width_factor`, and its centre uniformly over the image (holes may
    extend past the border and be cropped by it).

    Args:
        height_factor: hole height fraction: a number `f` in [0, 1]
            (meaning `(0, f)`) or a pair.
        width_factor: hole width fraction, as `height_factor`.
        num_holes: holes per image: an integer or an inclusive pair.
        fill_mode: `"constant"` (fill with `fill_value`) or `"gaussian_noise"`.
        fill_value: pixel value of constant fills.
        mask_fill_value: None leaves segmentation masks unchanged; a number is
            written into cut mask pixels.
        value_range: `(low, high)` of the input pixels. Defaults to `(0, 255)`.
        seed: integer seed of the layer's own random draws.
        **kwargs: base layer arguments such as `name` and `dtype`.

    Input shape:
        `(B, H, W, C)` or `(H, W, C)`, or a dict (see `BaseAugmentation`).

    Output shape:
        Same as the input, in the layer's compute dtype.

    Example:

    >>> layer = keras_augment.layers.RandomCutout(0.2, 0.2, num_holes=(1, 4), seed=0)
    >>> layer(tf.ones([2, 8, 8, 3])).shape
    TensorShape([2, 8, 8, 3])
    """

    def __init__(
        self,
        height_factor,
        width_factor,
        num_holes=1,
        fill_mode=CONSTANT,
        fill_value=0.0,
        mask_fill_value=None,
        value_range=(0, 255),
        seed=None,
        **kwargs,
    ):
        super().__init__(value_range=value_range, seed=seed, **kwargs)
        owner = self._owner
        self.height_factor = standardize_factor(height_factor, owner, (0.0, 1.0), "height_factor")
        self.width_factor = standardize_factor(width_factor, owner, (0.0, 1.0), "width_factor")
        self.num_holes = check_count_range(num_holes, "num_holes", owner)
        self._check_fill(fill_mode, fill_value, mask_fill_value)
        self.fill_mode = fill_mode
        self.fill_value = fill_value
        self.mask_fill_value = mask_fill_value

    def sample_parameters(self, sampler, images_shape):
        batch_size = images_shape[0]
        most = self.num_holes[1]
        height = tf.cast(images_shape[1], tf.float32)
        width = tf.cast(images_shape[2], tf.float32)
        hole_height = sampler.uniform([batch_size, most], *self.height_factor) * height
        hole_width = sampler.uniform([batch_size, most], *self.width_factor) * width
        centre_y = sampler.uniform([batch_size, most]) * height
        centre_x = sampler.uniform([batch_size, most]) * width
        counts = sampler.integers([batch_size], self.num_holes[0], most + 1)
        parameters = {
            "boxes": tf.stack(
                [
                    centre_x - hole_width / 2,
                    centre_y - hole_height / 2,
                    centre_x + hole_width / 2,
                    centre_y + hole_height / 2,
                ],
                -1,
            ),
            "active": tf.range(most)[None, :] < counts[:, None],
        }
        if self.fill_mode == GAUSSIAN_NOISE:
            parameters["noise"] = self._noise(sampler, images_shape)
        return parameters

    fill_kernel = staticmethod(dropout.fill_rectangles)

    def mask_arguments(self, transformation):
        return transformation["boxes"], transformation["active"]
