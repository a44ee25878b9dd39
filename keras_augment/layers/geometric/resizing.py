"""Resizing: drop-in for `keras.layers.Resizing` on the matrix path."""

import keras
import tensorflow as tf

from keras_augment import backends
from keras_augment.layers.core.arguments import check_size
from keras_augment.layers.core.inputs import IMAGES
from keras_augment.layers.geometric.base import (
    MATRIX,
    GeometricAugmentation,
    aspect_crop_window,
    window_matrices,
)
from keras_augment.layers.geometric.warp_batch import warp_batch

MATRIX_INTERPOLATIONS = ("bilinear", "nearest")
INTERPOLATIONS = ("bilinear", "nearest", "bicubic", "area", "lanczos3", "lanczos5", "gaussian", "mitchellcubic")


@keras.saving.register_keras_serializable(package="keras_augment")
class Resizing(GeometricAugmentation):
    """Resizes images to `height x width`, in training and inference.

    Drop-in for `keras.layers.Resizing`. Bilinear and nearest resizing
    without antialiasing are a scale matrix (half-pixel centres, as
    `tf.image.resize`), so they fuse with neighbouring geometric layers in a
    `Pipeline`; other interpolations and `antialias=True` use
    `tf.image.resize` and move boxes and keypoints by the same scale.

    Args:
        height: output height.
        width: output width.
        interpolation: `"bilinear"`, `"nearest"`, `"bicubic"`, `"area"`,
            `"lanczos3"`, `"lanczos5"`, `"gaussian"` or `"mitchellcubic"`.
        crop_to_aspect_ratio: crop the centre to the target aspect ratio
            first instead of distorting it.
        pad_to_aspect_ratio: pad (with `fill_value`) to the target aspect
            ratio first instead of distorting it.
        fill_mode: only `"constant"`, as Keras.
        fill_value: value of the padding.
        antialias: antialias when downsampling (uses `tf.image.resize`).
        data_format: `"channels_last"` or `"channels_first"`.
        **kwargs: base layer arguments such as `bounding_box_format`.

    Input shape:
        `(B, H, W, C)` or `(H, W, C)`, or a dict (see `BaseAugmentation`).

    Output shape:
        `(B, height, width, C)`.

    Example:

    >>> layer = keras_augment.layers.Resizing(8, 10)
    >>> layer(tf.zeros([2, 16, 16, 3])).shape
    TensorShape([2, 8, 10, 3])
    """

    random = False
    applies_at_inference = True

    def __init__(
        self,
        height,
        width,
        interpolation="bilinear",
        crop_to_aspect_ratio=False,
        pad_to_aspect_ratio=False,
        fill_mode="constant",
        fill_value=0.0,
        antialias=False,
        data_format=None,
        **kwargs,
    ):
        super().__init__(data_format=data_format, **kwargs)
        owner = self._owner
        check_size(height, width, owner)
        if interpolation not in INTERPOLATIONS:
            raise ValueError(
                f"{owner}: `interpolation` must be one of {INTERPOLATIONS}; "
                f"received interpolation={interpolation!r}."
            )
        if fill_mode != "constant":
            raise ValueError(f"{owner}: only fill_mode='constant' is supported; received {fill_mode!r}.")
        if crop_to_aspect_ratio and pad_to_aspect_ratio:
            raise ValueError(
                f"{owner}: only one of `crop_to_aspect_ratio` and `pad_to_aspect_ratio` "
                "can be True."
            )
        self.height = height
        self.width = width
        self.interpolation = interpolation
        self.crop_to_aspect_ratio = crop_to_aspect_ratio
        self.pad_to_aspect_ratio = pad_to_aspect_ratio
        self.fill_value = float(fill_value)
        self.antialias = antialias
        self.fusable = interpolation in MATRIX_INTERPOLATIONS and not antialias
        # Inside the image the resize clamps at the edges; only padding fills.
        self.fill_mode = "constant" if pad_to_aspect_ratio else None

    def output_size(self):
        return (self.height, self.width)

    def sample_parameters(self, sampler, images_shape):
        in_height, in_width = images_shape[1], images_shape[2]
        if self.crop_to_aspect_ratio:
            window = aspect_crop_window(images_shape, self.height, self.width)
        elif self.pad_to_aspect_ratio:
            pad_height = tf.cast(tf.cast(in_width * self.height, tf.float32) / self.width, tf.int32)
            pad_height = tf.maximum(in_height, pad_height)
            pad_width = tf.cast(tf.cast(in_height * self.width, tf.float32) / self.height, tf.int32)
            pad_width = tf.maximum(in_width, pad_width)
            top = -tf.cast(tf.cast(pad_height - in_height, tf.float32) / 2, tf.int32)
            left = -tf.cast(tf.cast(pad_width - in_width, tf.float32) / 2, tf.int32)
            window = (top, left, pad_height, pad_width)
        else:
            window = (0, 0, in_height, in_width)
        return {MATRIX: window_matrices(images_shape, *window, self.height, self.width)}

    def transform_batch(self, batch, transformation):
        if self.fusable:
            return super().transform_batch(batch, transformation)
        # Other kernels: crop/pad with the matrix path at full resolution is
        # not possible, so resize the images with TF and move the rest.
        images = batch[IMAGES]
        resized = backends.image_resize(
            tf.cast(images, self.compute_dtype),  # Keras rounds integer results
            (self.height, self.width),
            interpolation=self.interpolation,
            crop_to_aspect_ratio=self.crop_to_aspect_ratio,
            pad_to_aspect_ratio=self.pad_to_aspect_ratio,
            fill_value=self.fill_value,
            antialias=self.antialias,
            data_format="channels_last",
        )
        others = dict(batch)
        others[IMAGES] = images[..., :1]  # a cheap stand-in giving the output size
        settings = self.warp_settings(interpolation="nearest", min_area=0.0, min_visibility=0.0, dtype=None)
        warped = warp_batch(others, transformation[MATRIX], settings)
        warped[IMAGES] = tf.cast(resized, self.compute_dtype)
        return warped
