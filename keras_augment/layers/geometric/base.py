"""Shared base of geometric layers: one matrix per sample, one resample.

A geometric layer only draws its parameters and builds a `[B, 3, 3]` matrix
from output points to input points (see `keras_augment.ops.geometry`); this
base warps images, masks, boxes and keypoints with it. `Pipeline` multiplies
the matrices of consecutive geometric layers and warps once.
"""

import tensorflow as tf

from keras_augment.layers.core.arguments import check_resample_arguments
from keras_augment.layers.core.base import (
    BOUNDING_BOXES,
    IMAGES,
    KEYPOINTS,
    SEGMENTATION_MASKS,
    BaseAugmentation,
)
from keras_augment.ops import bounding_boxes as box_ops
from keras_augment.ops import geometry
from keras_augment.ops import keypoints as keypoint_ops
from keras_augment.ops import warp as warp_ops
from keras_augment.layers.core.sampling import RandomSampler
from keras_augment.ops.compiled import compiled, xla_available
from keras_augment.ops.resample import resample

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


_DRAW_FUNCTIONS = {}


@compiled
def _compose(matrices):
    return geometry.compose(*matrices)


def compose_matrices(matrices):
    """`geometry.compose` under XLA, bit-identical in eager and graph mode."""
    return _compose(list(matrices))


def move_bounding_boxes(
    bounding_boxes, move, input_shape, output_size, bounding_box_format, owner, min_area, min_visibility
):
    """Move boxes with `move` (absolute xyxy in, absolute xyxy out) under the
    box rules of `ops.bounding_boxes`: corners sorted and unusable boxes
    dropped before the move, then clipped to the output and dropped (class
    -1) when they left it."""
    if bounding_box_format is None:
        raise ValueError(
            f"{owner} received `bounding_boxes` but was built without "
            "`bounding_box_format`; pass e.g. bounding_box_format='xyxy'."
        )
    out_height, out_width = output_size
    boxes = dict(bounding_boxes)
    boxes["boxes"] = box_ops.to_xyxy(
        boxes["boxes"], bounding_box_format, input_shape[1], input_shape[2]
    )
    boxes = box_ops.usable_boxes(boxes, input_shape[1], input_shape[2])
    # A dropped box is a point at the origin; moved, it stays without area.
    boxes["boxes"] = move(boxes["boxes"])
    boxes = box_ops.clip_and_drop(boxes, out_height, out_width, min_area, min_visibility)
    boxes["boxes"] = box_ops.from_xyxy(boxes["boxes"], bounding_box_format, out_height, out_width)
    return boxes


def warp_batch(
    batch,
    matrices,
    output_size,
    interpolation,
    fill_mode,
    fill_value,
    bounding_box_format=None,
    owner="keras_augment",
    min_area=0.0,
    min_visibility=0.0,
    dtype=None,
    displacements=None,
    value_range=None,
):
    """Warp every key of a standardized batch with one matrix per sample,
    optionally after a per-pixel displacement field.

    Output pixel `p` reads the input at `matrices @ (p + displacements(p))`
    (`displacements` as in `ops.resample`; None for a matrix alone). Images
    use `interpolation`, come out in `dtype` (default: their own) and are
    clipped to `value_range` when given; masks always use nearest and fill 0
    outside. Keypoints move and, when they carry a third visibility column,
    it is zeroed for points that left the image. Boxes are moved corner by
    corner through a matrix; through a field they become the box around
    their moved corners and edge midpoints (an approximation: a warped edge
    may bulge between those points). Either way they are clipped, and
    dropped (class -1) when they leave the image.
    """
    images = batch[IMAGES]
    input_shape = tf.shape(images)
    fill_mode = fill_mode or "constant"
    output = dict(batch)
    warped = resample(
        images,
        matrices,
        output_size,
        interpolation,
        fill_mode,
        fill_value,
        output_dtype=dtype,
        displacements=displacements,
    )
    if value_range is not None:
        warped = tf.clip_by_value(warped, *[tf.cast(v, warped.dtype) for v in value_range])
    output[IMAGES] = warped
    out_height, out_width = tf.shape(warped)[1], tf.shape(warped)[2]
    if SEGMENTATION_MASKS in batch:
        output[SEGMENTATION_MASKS] = resample(
            batch[SEGMENTATION_MASKS],
            matrices,
            output_size,
            "nearest",
            fill_mode,
            0.0,
            displacements=displacements,
        )
    if displacements is None:
        forward = geometry.invert(matrices) if {KEYPOINTS, BOUNDING_BOXES} & set(batch) else None

        def move_keypoints(keypoints):
            return keypoint_ops.transform_keypoints(keypoints, forward)

        def move_boxes(xyxy):
            return box_ops.transform_boxes(xyxy, forward)

    else:

        def move_keypoints(keypoints):
            moved = warp_ops.forward_map(keypoints[..., :2], matrices, displacements)
            return tf.concat([tf.cast(moved, keypoints.dtype), keypoints[..., 2:]], -1)

        def move_boxes(xyxy):
            # Corners and edge midpoints through the field: an approximation.
            points = warp_ops.forward_map(box_ops.outline_points(xyxy), matrices, displacements)
            points = tf.reshape(points, tf.concat([tf.shape(xyxy)[:2], [8, 2]], 0))
            return box_ops.enclosing_boxes(points)

    if KEYPOINTS in batch:
        moved = move_keypoints(batch[KEYPOINTS])
        output[KEYPOINTS] = keypoint_ops.flag_visibility(moved, out_height, out_width)
    if BOUNDING_BOXES in batch:
        output[BOUNDING_BOXES] = move_bounding_boxes(
            batch[BOUNDING_BOXES],
            move_boxes,
            input_shape,
            (out_height, out_width),
            bounding_box_format,
            owner,
            min_area,
            min_visibility,
        )
    return output


class GeometricAugmentation(BaseAugmentation):
    """Base of layers that move pixels through one matrix per sample.

    A subclass implements `draw_parameters` returning at least
    `{"matrix": [B, 3, 3]}` (output point to input point), and sets
    `interpolation`, `fill_mode` and `fill_value`. Layers that change the
    image size override `output_size`. Layers that also act at inference
    (crops, resizing) set `applies_at_inference` and `inference_parameters`.

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

    def draw_parameters(self, sampler, images_shape):
        """Draw parameters and build `{"matrix": [B, 3, 3], ...}`.

        Runs inside an XLA-compiled function, so `images_shape` holds
        compile-time constants and `sampler` may be None at inference.
        """
        raise NotImplementedError(f"{type(self).__name__} must define draw_parameters.")

    def sample_parameters(self, sampler, images_shape):
        # The parameter maths runs under XLA: TF's graph optimizer would
        # otherwise reassociate float constants in tf.function but not in
        # eager mode, and seeded outputs must be bit-identical in both.
        seed = tf.zeros([2], tf.int64) if sampler is None else sampler.next_seed()
        shape_carrier = tf.zeros(tf.concat([images_shape[:3], [0]], 0))
        return self._parameters_function()(seed, shape_carrier, sampler is not None)

    def _parameters_function(self):
        function = self.__dict__.get("_compiled_draw")
        if function is None:
            # Layers with equal settings share one compiled function (and its
            # XLA cache), so rebuilding a layer does not recompile.
            key = self._draw_cache_key()
            function = _DRAW_FUNCTIONS.get(key)
        if function is None:

            def draw(seed, shape_carrier, random):
                images_shape = tf.concat([tf.shape(shape_carrier)[:3], [1]], 0)
                sampler = RandomSampler(seed) if random else None
                return self.draw_parameters(sampler, images_shape)

            function = tf.function(draw, jit_compile=xla_available())
            if key is not None:
                _DRAW_FUNCTIONS[key] = function
        object.__setattr__(self, "_compiled_draw", function)
        return function

    def _draw_cache_key(self):
        config = getattr(getattr(self, "_auto_config", None), "config", None)
        if config is None:
            return None
        settings = {k: v for k, v in config.items() if k not in ("name", "seed")}
        try:
            return (type(self), repr(sorted(settings.items())))
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
        return self.sample_parameters(None, images_shape)

    def call(self, data, training=True, seed=None):
        batch, restore = self._standardize(data)
        if training:
            batch = self._transform_batch(batch, self._draw(batch, seed))
        elif self.applies_at_inference:
            parameters = self.inference_parameters(tf.shape(batch[IMAGES]))
            batch = self._transform_batch(batch, parameters)
        batch[IMAGES] = tf.cast(batch[IMAGES], self.compute_dtype)
        return restore(batch)

    def _transform_batch(self, batch, transformation):
        return warp_batch(
            batch,
            transformation[MATRIX],
            self.output_size(),
            self.interpolation,
            self.fill_mode,
            self.fill_value,
            self.bounding_box_format,
            self._owner,
            self.min_area,
            self.min_visibility,
            self.compute_dtype,
        )

    def transform_images(self, images, transformation):
        return self._transform_batch({IMAGES: images}, transformation)[IMAGES]
