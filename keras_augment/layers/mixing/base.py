"""What MixUp, CutMix and Mosaic share: partner draws and label mixing.

A mixing layer's transformation always holds `sources` (int `[B, S]`: the
samples each output is made of; for MixUp and CutMix the sample itself
first, then its partner) and `weights`
(float `[B, S]`: the share of the output each source covers, summing to 1).
Labels are mixed with exactly these weights, so label mass follows pixel mass.
"""

import tensorflow as tf

from keras_augment.layers.core.arguments import check_integer
from keras_augment.layers.core.base import BOUNDING_BOXES, IMAGES, BaseAugmentation


def draw_permutation(sampler, batch_size):
    """A stateless random permutation of `range(batch_size)`."""
    return tf.argsort(sampler.uniform([batch_size]), stable=True)


def draw_beta(sampler, shape, alpha):
    """Beta(alpha, alpha) draws as a ratio of two stateless gamma draws."""
    alpha = tf.broadcast_to(tf.cast(alpha, tf.float32), shape)
    first = tf.random.stateless_gamma(shape, sampler.next_seed(), alpha)
    second = tf.random.stateless_gamma(shape, sampler.next_seed(), alpha)
    total = first + second
    # Both gammas can underflow to 0 for tiny alpha; call that an even mix.
    return tf.where(total > 0, first / tf.where(total > 0, total, 1.0), 0.5)


class MixingAugmentation(BaseAugmentation):
    """Base of layers whose outputs are made of several input samples.

    Subclasses fill `sources` and `weights` (see the module docstring) in
    `sample_parameters` and may define `transform_bounding_boxes(bounding_boxes,
    transformation, images_shape)` on absolute `xyxy` boxes.

    Args:
        num_classes: number of classes, used to one-hot encode integer labels.
            Without it integer labels raise, since they cannot be mixed.
    """

    per_sample = False
    # Whether `transform_bounding_boxes` needs boxes converted to absolute xyxy.
    boxes_need_format = True

    def __init__(self, num_classes=None, **kwargs):
        super().__init__(**kwargs)
        self.num_classes = (
            None if num_classes is None else check_integer(num_classes, "num_classes", self._owner, minimum=1)
        )

    def label_distributions(self, labels):
        """Float `[B, num_classes]` labels: one-hot from integers, else as given."""
        if labels.dtype.is_integer:
            if self.num_classes is None:
                raise ValueError(
                    f"{self._owner} received integer labels of shape {labels.shape}, "
                    "which cannot be mixed; pass one-hot or soft labels of shape "
                    "(B, num_classes), or set `num_classes` to one-hot encode them."
                )
            if labels.shape.rank == 2 and labels.shape[-1] == 1:
                labels = labels[:, 0]
            if labels.shape.rank != 1:
                raise ValueError(
                    f"{self._owner} expected integer labels of shape (B,) or (B, 1); "
                    f"received shape {labels.shape}."
                )
            return tf.one_hot(self._checked_class_ids(labels), self.num_classes, dtype=self.compute_dtype)
        if not labels.dtype.is_floating or labels.shape.rank != 2:
            raise ValueError(
                f"{self._owner} expected one-hot or soft float labels of shape "
                f"(B, num_classes) or integer class ids; received dtype "
                f"{labels.dtype.name} with shape {labels.shape}."
            )
        return labels

    def _checked_class_ids(self, labels):
        """Class ids, refused (at run time, they are data) outside [0, num_classes):
        `tf.one_hot` would silently give them rows of zeros."""
        message = (
            f"{self._owner} expected integer labels in [0, {self.num_classes}) "
            f"(num_classes={self.num_classes}); received a label outside that range."
        )
        if tf.executing_eagerly():
            values = labels.numpy()
            if values.size and (values.min() < 0 or values.max() >= self.num_classes):
                bad = sorted({int(v) for v in values.ravel() if v < 0 or v >= self.num_classes})
                raise ValueError(message.replace("a label", f"labels {bad[:5]}"))
            return labels
        in_range = tf.reduce_all((labels >= 0) & (labels < self.num_classes))
        with tf.control_dependencies([tf.debugging.Assert(in_range, [message, labels])]):
            return tf.identity(labels)

    def transform_labels(self, labels, transformation):
        labels = self.label_distributions(labels)
        weights = tf.cast(transformation["weights"], labels.dtype)
        gathered = tf.gather(labels, transformation["sources"])  # [B, S, K]
        return tf.reduce_sum(weights[..., None] * gathered, axis=1)

    def transform_bounding_boxes(self, bounding_boxes, transformation, images_shape):
        return self._unsupported(BOUNDING_BOXES)

    def transform_batch(self, batch, transformation):
        # Given a format, the base already mixed the boxes under the box
        # rules. Without one, MixUp still moves boxes in any format, and the
        # others refuse them.
        output = super().transform_batch(batch, transformation)
        if BOUNDING_BOXES in batch and self.bounding_box_format is None:
            images_shape = tf.shape(batch[IMAGES])
            if self.boxes_need_format:
                output[BOUNDING_BOXES] = self._transform_boxes(
                    batch[BOUNDING_BOXES], transformation, images_shape, tf.shape(output[IMAGES])
                )
            else:
                output[BOUNDING_BOXES] = self.transform_bounding_boxes(
                    batch[BOUNDING_BOXES], transformation, images_shape
                )
        return output
