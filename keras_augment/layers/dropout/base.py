"""Shared base of the dropout layers: they blank regions of each image.

Boxes and keypoints are left as they are; segmentation masks are left alone
too, unless `mask_fill_value` is given, in which case dropped pixels of the
masks get that value (e.g. an `ignore` class).
"""

import tensorflow as tf

from keras_augment.layers.core.arguments import is_number
from keras_augment.layers.core.base import BaseAugmentation
from keras_augment.ops.compiled import compiled

CONSTANT = "constant"
GAUSSIAN_NOISE = "gaussian_noise"
FILL_MODES = (CONSTANT, GAUSSIAN_NOISE)


class DropoutAugmentation(BaseAugmentation):
    """Shared plumbing: subclasses set `fill_kernel`, an `ops.dropout.fill_*`
    function, and implement `mask_arguments(transformation)`, the arguments it
    takes between the images and the fill."""

    def _check_fill(self, fill_mode, fill_value, mask_fill_value):
        if fill_mode not in FILL_MODES:
            raise ValueError(
                f"{self._owner}: `fill_mode` must be one of {FILL_MODES}; "
                f"received fill_mode={fill_mode!r}."
            )
        if not is_number(fill_value):
            raise ValueError(
                f"{self._owner}: `fill_value` must be a number; received fill_value={fill_value!r}."
            )
        if mask_fill_value is not None and not is_number(mask_fill_value):
            raise ValueError(
                f"{self._owner}: `mask_fill_value` must be a number or None; "
                f"received mask_fill_value={mask_fill_value!r}."
            )

    def _noise(self, sampler, images_shape):
        # Noise centred in the value range, a quarter of its width wide.
        low, high = self.value_range or (0.0, 255.0)
        noise = sampler.normal(images_shape, (low + high) / 2, (high - low) / 4)
        return tf.clip_by_value(noise, low, high)

    def _fill(self, transformation):
        if "noise" in transformation:
            return transformation["noise"]
        return self.fill_value

    def transform_images(self, images, transformation):
        arguments = self.mask_arguments(transformation)
        return compiled(self.fill_kernel)(images, *arguments, self._fill(transformation))

    def transform_segmentation_masks(self, masks, transformation):
        if self.mask_fill_value is None:
            return masks
        return self.fill_kernel(masks, *self.mask_arguments(transformation), self.mask_fill_value)
