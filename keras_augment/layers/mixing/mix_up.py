"""MixUp: blend each sample with a partner from the same batch."""

import numbers

import keras
import tensorflow as tf

from keras_augment.layers.mixing.base import MixingAugmentation, draw_beta, draw_permutation
from keras_augment.ops import mixing as mixing_ops


@keras.saving.register_keras_serializable(package="keras_augment")
class MixUp(MixingAugmentation):
    """Blends each image with a random partner of its batch (MixUp).

    Drop-in for `keras.layers.MixUp`: each sample draws its own weight
    `lambda ~ Beta(alpha, alpha)` and partner (a random permutation of the
    batch drawn from the seed), and the output is
    `lambda * image + (1 - lambda) * partner`. Labels are mixed with the
    same `lambda`. Segmentation masks and keypoints cannot be blended: each
    sample keeps those of its dominant source (the one with weight >= 0.5).
    Both sets of boxes stay visible, so the partner's boxes are appended
    (the box axis doubles); boxes may be in any format and pass unchanged,
    or, given a `bounding_box_format`, follow the box rules of
    `keras_augment.ops.bounding_boxes`.

    Args:
        alpha: positive float, the Beta distribution's concentration. Small
            values mix little. Defaults to 0.2.
        data_format: `"channels_last"` or `"channels_first"`.
        seed: integer seed of the layer's own random draws.
        num_classes: one-hot encode integer labels to this many classes.
            Without it integer labels raise a ValueError.
        **kwargs: base layer arguments such as `name` and `dtype`.

    Input shape:
        `(B, H, W, C)` or `(H, W, C)`, or a dict with `images` and optionally
        `labels` (`(B, K)` floats, or `(B,)` ints with `num_classes`),
        `segmentation_masks`, `bounding_boxes` and `keypoints`.

    Output shape:
        Images as the input, in the compute dtype; labels `(B, K)` floats.

    Example:

    >>> layer = keras_augment.layers.MixUp(alpha=0.4, num_classes=10, seed=0)
    >>> out = layer({"images": tf.zeros([8, 32, 32, 3]), "labels": tf.range(8)})
    >>> out["labels"].shape
    TensorShape([8, 10])
    """

    boxes_need_format = False
    accepts_uint8_images = True

    def __init__(self, alpha=0.2, data_format=None, seed=None, num_classes=None, **kwargs):
        super().__init__(num_classes=num_classes, data_format=data_format, seed=seed, **kwargs)
        if not isinstance(alpha, numbers.Real) or isinstance(alpha, bool) or alpha <= 0:
            raise ValueError(
                f"{self._owner}: `alpha` must be a positive number; received alpha={alpha!r}."
            )
        self.alpha = float(alpha)

    def sample_parameters(self, sampler, images_shape):
        batch_size = images_shape[0]
        partners = draw_permutation(sampler, batch_size)
        weights = draw_beta(sampler, [batch_size], self.alpha)
        return {
            "sources": tf.stack([tf.range(batch_size), partners], 1),
            "weights": tf.stack([weights, 1 - weights], 1),
        }

    def transform_images(self, images, transformation):
        return mixing_ops.blend(
            images,
            transformation["sources"][:, 1],
            transformation["weights"][:, 0],
            tf.as_dtype(self.compute_dtype),
        )

    def _dominant(self, values, transformation):
        dominant = tf.where(transformation["weights"][:, 0] >= 0.5, 0, 1)
        return tf.gather(values, tf.gather(transformation["sources"], dominant, batch_dims=1))

    def transform_segmentation_masks(self, masks, transformation):
        return self._dominant(masks, transformation)

    def transform_keypoints(self, keypoints, transformation, images_shape):
        return self._dominant(keypoints, transformation)

    def transform_bounding_boxes(self, bounding_boxes, transformation, images_shape):
        sources = transformation["sources"]
        return mixing_ops.concat_boxes(
            [bounding_boxes, mixing_ops.gather_boxes(bounding_boxes, sources[:, 1])]
        )

