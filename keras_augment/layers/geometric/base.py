"""Shared base of geometric layers: one matrix per sample, one resample.

A geometric layer only draws its parameters and builds a `[B, 3, 3]` matrix
from output points to input points (see `keras_augment.ops.geometry`); this
base warps images, masks, boxes and keypoints with it through the one
geometric path (`warp_batch`). `Pipeline` multiplies the matrices of
consecutive geometric layers and warps once.
"""

import dataclasses

import tensorflow as tf

from keras_augment.layers.core.arguments import check_resample_arguments
from keras_augment.layers.core.base import IMAGES, BaseAugmentation
from keras_augment.layers.core.sampling import RandomSampler
from keras_augment.layers.geometric.warp_batch import WarpSettings, warp_batch
from keras_augment.ops import geometry
from keras_augment.ops.compiled import cached_function, compiled, xla_available

MATRIX = "matrix"


def image_size(images_shape):
    """Float `(height, width)` of an `[B, H, W, C]` shape tensor."""
    return tf.cast(images_shape[1], tf.float32), tf.cast(images_shape[2], tf.float32)


def aspect_crop_window(images_shape, height, width):
    """Keras's centred crop to the aspect ratio of `height x width`
    (`smart_resize`, `crop_to_aspect_ratio`): `(top, left, crop_h, crop_w)`."""
    in_height, in_width = images_shape[1], images_shape[2]
    crop_height = tf.cast(tf.cast(in_width * height, tf.float32) / width, tf.int32)
    crop_height = tf.maximum(tf.minimum(in_height, crop_height), 1)
    crop_width = tf.cast(tf.cast(in_height * width, tf.float32) / height, tf.int32)
    crop_width = tf.maximum(tf.minimum(in_width, crop_width), 1)
    top = tf.cast(tf.cast(in_height - crop_height, tf.float32) / 2, tf.int32)
    left = tf.cast(tf.cast(in_width - crop_width, tf.float32) / 2, tf.int32)
    return top, left, crop_height, crop_width


def window_matrices(images_shape, top, left, crop_height, crop_width, height, width):
    """`[B, 3, 3]` matrices sampling one window (scalars) for every sample."""
    batch = images_shape[:1]
    return geometry.crop_and_resize(
        tf.fill(batch, tf.cast(top, tf.float32)),
        tf.fill(batch, tf.cast(left, tf.float32)),
        tf.cast(crop_height, tf.float32),
        tf.cast(crop_width, tf.float32),
        height,
        width,
    )


@compiled
def _compose(matrices):
    return geometry.compose(*matrices)


def compose_matrices(matrices):
    """`geometry.compose` under XLA, bit-identical in eager and graph mode."""
    return _compose(list(matrices))


class GeometricAugmentation(BaseAugmentation):
    """Base of layers that move pixels through one matrix per sample.

    A subclass implements `sample_parameters` returning at least
    `{"matrix": [B, 3, 3]}` (output point to input point), and sets
    `interpolation`, `fill_mode` and `fill_value`. Layers that change the
    image size override `output_size`. Layers that also act at inference
    (crops, resizing) set `applies_at_inference` and may override
    `inference_parameters`.

    `sample_parameters` runs inside an XLA-compiled function, so
    `images_shape` holds compile-time constants, and `sampler` is None when
    `inference_parameters` asks for the parameters used at inference.

    `fill_mode=None` on a layer means it never samples outside its input, so
    it fuses with any neighbour in a `Pipeline`.
    """

    geometric = True
    fusable = True
    accepts_uint8_images = True
    applies_at_inference = False
    interpolation = "bilinear"
    fill_mode = None
    fill_value = 0.0
    min_area = 0.0
    min_visibility = 0.0
    # False for layers whose draws involve no float maths to keep identical
    # across modes; they draw straight from the call's sampler.
    draws_under_xla = True

    def sample_parameters(self, sampler, images_shape):
        raise NotImplementedError(f"{type(self).__name__} must define sample_parameters.")

    def draw_transformation(self, sampler, images_shape):
        # The parameter maths runs under XLA: TF's graph optimizer would
        # otherwise reassociate float constants in tf.function but not in
        # eager mode, and seeded outputs must be bit-identical in both.
        if not self.draws_under_xla and sampler is not None:
            return self.sample_parameters(sampler, images_shape)
        seed = tf.zeros([2], tf.int64) if sampler is None else sampler.next_seed()
        shape_carrier = tf.zeros(tf.concat([images_shape[:3], [0]], 0))
        return self._parameters_function()(seed, shape_carrier, sampler is not None)

    def _parameters_function(self):
        function = self.__dict__.get("_compiled_draw")
        if function is not None:
            return function

        def draw(seed, shape_carrier, random):
            images_shape = tf.concat([tf.shape(shape_carrier)[:3], [1]], 0)
            sampler = RandomSampler(seed) if random else None
            return self.sample_parameters(sampler, images_shape)

        # Layers with equal settings share one compiled function (and its
        # XLA cache), so rebuilding a layer does not recompile.
        key = self._draw_cache_key()
        if key is None:
            function = tf.function(draw, jit_compile=xla_available())
        else:
            function = cached_function(key, draw, autograph=True)
        object.__setattr__(self, "_compiled_draw", function)
        return function

    def _draw_cache_key(self):
        config = getattr(getattr(self, "_auto_config", None), "config", None)
        if config is None:
            return None
        settings = {k: v for k, v in config.items() if k not in ("name", "seed")}
        try:
            return ("draw", type(self), repr(sorted(settings.items())))
        except TypeError:
            return None

    def _check_resample_arguments(self, interpolation, fill_mode):
        check_resample_arguments(interpolation, fill_mode, self._owner)

    def output_size(self):
        """Static `(height, width)` of the output, or None for the input size."""
        return None

    def output_images_shape(self, images_shape):
        """Dynamic `[B, H, W, C]` shape tensor of the output images."""
        size = self.output_size()
        if size is None:
            return images_shape
        return tf.stack([images_shape[0], size[0], size[1], images_shape[3]])

    def compute_image_output_shape(self, images_shape):
        size = self.output_size()
        if size is None:
            return images_shape
        return (images_shape[0], size[0], size[1], images_shape[3])

    def inference_parameters(self, images_shape):
        """Parameters used when `training=False` and `applies_at_inference`."""
        return self.draw_transformation(None, images_shape)

    def transform_at_inference(self, batch):
        if not self.applies_at_inference:
            return batch
        return self.transform_batch(batch, self.inference_parameters(tf.shape(batch[IMAGES])))

    def warp_settings(self, **changes):
        """This layer's `WarpSettings`, with `changes` applied."""
        settings = WarpSettings(
            output_size=self.output_size(),
            interpolation=self.interpolation,
            fill_mode=self.fill_mode,
            fill_value=self.fill_value,
            bounding_box_format=self.bounding_box_format,
            owner=self._owner,
            min_area=self.min_area,
            min_visibility=self.min_visibility,
            dtype=self.compute_dtype,
        )
        return dataclasses.replace(settings, **changes)

    def transform_batch(self, batch, transformation):
        return warp_batch(batch, transformation[MATRIX], self.warp_settings())

    def transform_images(self, images, transformation):
        return self.transform_batch({IMAGES: images}, transformation)[IMAGES]


class FilledGeometricAugmentation(GeometricAugmentation):
    """A geometric layer with Keras's `fill_mode`/`interpolation`/`fill_value`."""

    def __init__(self, fill_mode, interpolation, fill_value, seed, data_format, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self._check_resample_arguments(interpolation, fill_mode)
        self.fill_mode = fill_mode
        self.interpolation = interpolation
        self.fill_value = float(fill_value)
