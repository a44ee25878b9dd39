"""CutMix: paste a rectangle of a partner sample into each sample."""

import keras
import tensorflow as tf

from keras_augment.layers.core.arguments import check_unit_interval, standardize_factor
from keras_augment.layers.mixing.base import (
    MixingAugmentation,
    draw_beta,
    draw_permutation,
)
from keras_augment.ops import bounding_boxes as box_ops
from keras_augment.ops import mixing as mixing_ops


@keras.saving.register_keras_serializable(package="keras_augment")
class CutMix(MixingAugmentation):
    """Pastes a random rectangle of a partner image into each image (CutMix).

    Drop-in for `keras.layers.CutMix`. Each sample draws its own Beta
    concentration `alpha` in `factor`, a weight `lambda ~ Beta(alpha, alpha)`,
    a partner (a random permutation of the batch drawn from the seed) and a
    rectangle of `(1 - lambda)` of the image area centred anywhere in the
    image, as in the CutMix paper. The rectangle is clipped to the image and
    rounded to whole pixels, and the label weight is recomputed from the
    pixels actually pasted, so label mass equals pixel mass exactly.

    Segmentation masks are pasted with the pixels. Boxes (`bounding_box_format`
    required) keep the part of each box still visible: a sample's own boxes
    lose the pasted strip when it covers a whole side, the partner's boxes are
    clipped to the rectangle and appended (the box axis doubles); boxes with
    less than `min_visibility` of their area visible become padding (class
    -1). Keypoints are returned unchanged.

    Args:
        factor: a float `f` for the range `(0, f)`, or a pair in `[0, 1]`, of
            the Beta concentration. Defaults to 1.0 (uniform `lambda`).
        seed: integer seed of the layer's own random draws.
        data_format: `"channels_last"` or `"channels_first"`.
        num_classes: one-hot encode integer labels to this many classes.
        min_visibility: boxes with a smaller visible fraction of their area
            are dropped; fully hidden boxes always are. Defaults to 0.
        **kwargs: base layer arguments such as `bounding_box_format`, `name`.

    Input shape:
        `(B, H, W, C)` or `(H, W, C)`, or a dict with `images` and optionally
        `labels`, `segmentation_masks`, `bounding_boxes` and `keypoints`.

    Output shape:
        Images as the input, in the compute dtype; labels `(B, K)` floats.

    Example:

    >>> layer = keras_augment.layers.CutMix(seed=0)
    >>> labels = tf.one_hot(tf.range(4), 4)
    >>> out = layer({"images": tf.zeros([4, 32, 32, 3]), "labels": labels})
    >>> out["images"].shape
    TensorShape([4, 32, 32, 3])
    """

    accepts_uint8_images = True

    def __init__(
        self,
        factor=1.0,
        seed=None,
        data_format=None,
        num_classes=None,
        min_visibility=0.0,
        **kwargs,
    ):
        super().__init__(num_classes=num_classes, seed=seed, data_format=data_format, **kwargs)
        self.factor = standardize_factor(factor, self._owner, bounds=(0.0, 1.0))
        self.min_visibility = check_unit_interval(min_visibility, "min_visibility", self._owner)

    def sample_parameters(self, sampler, images_shape):
        batch_size, height, width = images_shape[0], images_shape[1], images_shape[2]
        partners = draw_permutation(sampler, batch_size)
        # A floor, not `+ 1e-6`: graph rewrites may fold additions of constants.
        alpha = tf.maximum(sampler.uniform([batch_size], self.factor[0], self.factor[1]), 1e-6)
        lam = draw_beta(sampler, [batch_size], alpha)
        ratio = tf.sqrt(1.0 - lam)
        height_f, width_f = tf.cast(height, tf.float32), tf.cast(width, tf.float32)
        cut_height = tf.cast(tf.round(ratio * height_f), tf.int32)
        cut_width = tf.cast(tf.round(ratio * width_f), tf.int32)
        center_y = tf.cast(tf.floor(sampler.uniform([batch_size]) * height_f), tf.int32)
        center_x = tf.cast(tf.floor(sampler.uniform([batch_size]) * width_f), tf.int32)
        y0 = tf.clip_by_value(center_y - cut_height // 2, 0, height)
        y1 = tf.clip_by_value(center_y + cut_height - cut_height // 2, 0, height)
        x0 = tf.clip_by_value(center_x - cut_width // 2, 0, width)
        x1 = tf.clip_by_value(center_x + cut_width - cut_width // 2, 0, width)
        pasted = tf.cast((y1 - y0) * (x1 - x0), tf.float32) / (height_f * width_f)
        return {
            "sources": tf.stack([tf.range(batch_size), partners], 1),
            "weights": tf.stack([1.0 - pasted, pasted], 1),
            "rectangles": tf.stack([y0, x0, y1, x1], 1),
        }

    def transform_images(self, images, transformation):
        return mixing_ops.paste_rectangles(
            images,
            transformation["sources"][:, 1],
            transformation["rectangles"],
            tf.as_dtype(self.compute_dtype),
        )

    def transform_segmentation_masks(self, masks, transformation):
        return mixing_ops.paste_rectangles(
            masks, transformation["sources"][:, 1], transformation["rectangles"]
        )

    def transform_bounding_boxes(self, bounding_boxes, transformation, images_shape):
        boxes = bounding_boxes["boxes"]
        y0, x0, y1, x1 = tf.unstack(tf.cast(transformation["rectangles"], boxes.dtype), 4, -1)
        region = tf.stack([x0, y0, x1, y1], -1)
        own_boxes, own_visible = mixing_ops.subtract_rectangle(boxes, region)
        own = box_ops.drop_boxes(
            {**bounding_boxes, "boxes": own_boxes},
            mixing_ops.visible_enough(boxes, own_visible, self.min_visibility),
        )
        partner = mixing_ops.gather_boxes(bounding_boxes, transformation["sources"][:, 1])
        clipped = mixing_ops.intersect_boxes(partner["boxes"], region)
        visible = mixing_ops.visible_enough(
            partner["boxes"], box_ops.area(clipped), self.min_visibility
        )
        partner = box_ops.drop_boxes({**partner, "boxes": clipped}, visible)
        return mixing_ops.concat_boxes([own, partner])
