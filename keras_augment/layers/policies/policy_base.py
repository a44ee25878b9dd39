"""Shared engine of the policies: per-sample op slots run on batch partitions.

A policy draws, for every image and every op slot, an op index into its op
table and a `[2]` vector of signed levels. Each slot then runs as follows:

- the batch is split by op (`partitions.run_partitions`), and each kernel
  reads only the images that drew it (no op is computed for the others),
  in place: the row gather fuses into its compiled first pass, so no copy
  of the images is made;
- all geometric ops of the slot form one partition, warped once by the
  shared resampler with each image's own matrix;
- the slot's pieces are concatenated, and the next slot reads its images
  from them by row; after the last slot one compiled gather puts the
  images back in batch order and casts them to the output dtype.

Partitions are padded (by repeating their last image) to a bucket size:
exact up to 8, then four sizes per doubling (10, 12, 14, 16, 20, 24, ...),
so the XLA-compiled kernels compile a bounded number of times (20 sizes for
a batch of 64) while padding wastes at most a quarter of a partition.
Masks, boxes and keypoints follow the same per-slot matrices, slot after
slot.
"""

import functools

import tensorflow as tf

from keras_augment.layers.core.base import BaseAugmentation
from keras_augment.layers.core.arguments import check_choice
from keras_augment.layers.policies import op_table
from keras_augment.layers.policies.partitions import run_partitions
from keras_augment.ops import bounding_boxes as box_ops
from keras_augment.ops import keypoints as keypoint_ops
from keras_augment.ops.compiled import compiled
from keras_augment.ops.geometry import invert
from keras_augment.ops.resample import FILL_MODES, INTERPOLATIONS, resample

OP_IDS = "op_ids"
LEVELS = "levels"
MATRICES = "matrices"


def _slot_matrices(op_ids, levels, height, width, table):
    slots = op_ids.shape[1]
    if slots == 0:  # num_ops=0: nothing to warp
        return tf.zeros([tf.shape(op_ids)[0], 0, 3, 3])
    return tf.stack(
        [
            op_table.slot_matrices(op_ids[:, s], levels[:, s], height, width, table)
            for s in range(slots)
        ],
        axis=1,
    )


_compiled_slot_matrices = compiled(_slot_matrices)


class PolicyAugmentation(BaseAugmentation):
    """Base of RandAugment, TrivialAugmentWide and AutoAugment.

    A subclass sets `self.table` (tuple of `(op name, maximum)`) and, in
    `sample_parameters`, draws `op_ids [B, S]` and signed `levels [B, S, 2]`
    and returns `complete_parameters(op_ids, levels, images_shape)`.
    """

    geometric = True
    accepts_uint8_images = True

    def _init_policy(self, table, interpolation, fill_mode, fill_value):
        self.table = op_table.validate_table(table, self._owner)
        self.interpolation = check_choice(interpolation, "interpolation", self._owner, INTERPOLATIONS)
        self.fill_mode = check_choice(fill_mode, "fill_mode", self._owner, FILL_MODES)
        self.fill_value = float(fill_value)
        # Partition index of each op; every geometric op shares the last one.
        self._geometric_partition = len(self.table)
        self._partition_of_op = tf.constant(
            [
                self._geometric_partition if name in op_table.GEOMETRIC else index
                for index, (name, _) in enumerate(self.table)
            ],
            tf.int32,
        )

    def complete_parameters(self, op_ids, levels, images_shape):
        """Add each slot's matrices to drawn (or hand-made) op ids and levels."""
        op_ids = tf.cast(op_ids, tf.int32)
        levels = tf.cast(levels, tf.float32)
        height = tf.cast(images_shape[1], tf.float32)
        width = tf.cast(images_shape[2], tf.float32)
        matrices = _compiled_slot_matrices(op_ids, levels, height, width, self.table)
        return {OP_IDS: op_ids, LEVELS: levels, MATRICES: matrices}

    # ----------------------------------------------------------------- images
    def _run_slot(self, source, rows, op_ids, levels, matrices):
        """One slot on the images `source[rows]` (in batch order). Returns
        the slot's pieces concatenated and, for each image, its row in them."""
        kernels = {}
        for index, (name, maximum) in enumerate(self.table):
            if name in op_table.GEOMETRIC:
                continue  # all of them are in the geometric partition
            if name in op_table.COLOUR_KERNELS:
                colour_kernel = op_table.kernel_for(name, source.dtype == tf.uint8)
                kernels[index] = functools.partial(
                    _apply_colour, colour_kernel, maximum, self._value_range(), levels
                )
            else:  # identity
                kernels[index] = _copy_rows
        if any(name in op_table.GEOMETRIC for name, _ in self.table):
            kernels[self._geometric_partition] = functools.partial(self._warp, matrices)
        return run_partitions(
            source,
            rows,
            tf.gather(self._partition_of_op, op_ids),
            kernels,
            len(self.table) + 1,
        )

    def run_slots(self, images, op_ids, levels, matrices, output_dtype):
        """Run the slots `op_ids [B, S]` one after another on `images` and
        return them in batch order, cast to `output_dtype`."""
        source, rows = images, tf.range(tf.shape(images)[0])
        for slot in range(op_ids.shape[1]):
            source, rows = self._run_slot(
                source, rows, op_ids[:, slot], levels[:, slot], matrices[:, slot]
            )
        if op_ids.shape[1] == 0:
            return tf.cast(images, output_dtype)
        # Back in batch order and cast in one compiled gather.
        output = compiled(_reorder)(source, rows, tf.as_dtype(output_dtype))
        return tf.ensure_shape(output, images.shape)

    def _warp(self, matrices, source, rows, positions):
        return resample(
            source,
            tf.gather(matrices, positions),
            None,
            self.interpolation,
            self.fill_mode,
            self.fill_value,
            source.dtype,
            image_rows=rows,
        )

    def _value_range(self):
        return tuple(float(v) for v in (self.value_range or (0.0, 255.0)))

    def working_images(self, images):
        """Images as the slots process them: on the 0..255 range, uint8
        pixels rounded after every op (as PIL and torchvision on uint8
        tensors do); on any other range, float32 without rounding."""
        if self._value_range() != (0.0, 255.0):
            return tf.cast(images, tf.float32)
        if images.dtype == tf.uint8:
            return images
        return tf.cast(tf.round(tf.clip_by_value(tf.cast(images, tf.float32), 0.0, 255.0)), tf.uint8)

    def transform_images(self, images, transformation):
        return self.run_slots(
            self.working_images(images),
            transformation[OP_IDS],
            transformation[LEVELS],
            transformation[MATRICES],
            self.compute_dtype,
        )

    # ----------------------------------------------------------------- targets
    def _is_geometric(self, op_ids):
        return tf.equal(tf.gather(self._partition_of_op, op_ids), self._geometric_partition)

    def transform_segmentation_masks(self, masks, transformation):
        source, rows = masks, tf.range(tf.shape(masks)[0])
        for slot in range(transformation[OP_IDS].shape[1]):
            moved = tf.cast(self._is_geometric(transformation[OP_IDS][:, slot]), tf.int32)
            kernels = {
                0: _copy_rows,
                1: functools.partial(_warp_masks, transformation[MATRICES][:, slot]),
            }
            source, rows = run_partitions(source, rows, moved, kernels, 2)
        return tf.ensure_shape(compiled(_reorder)(source, rows, masks.dtype), masks.shape)

    def transform_keypoints(self, keypoints, transformation, images_shape):
        for slot in range(transformation[OP_IDS].shape[1]):
            forward = invert(transformation[MATRICES][:, slot])
            keypoints = keypoint_ops.transform_keypoints(keypoints, forward)
        return keypoint_ops.flag_visibility(keypoints, images_shape[1], images_shape[2])

    def transform_bounding_boxes(self, bounding_boxes, transformation, images_shape):
        boxes = dict(bounding_boxes)
        valid = box_ops.area(boxes["boxes"]) > 0
        if "classes" in boxes:
            valid &= boxes["classes"] >= 0
        for slot in range(transformation[OP_IDS].shape[1]):
            forward = invert(transformation[MATRICES][:, slot])
            moved = box_ops.transform_boxes(boxes["boxes"], forward)
            # Clip after every slot: content warped out of the image is gone.
            moved, keep = box_ops.clip_and_filter(moved, images_shape[1], images_shape[2])
            valid &= keep
            boxes["boxes"] = moved
        return box_ops.drop_boxes(boxes, valid)


def _apply_colour(kernel, maximum, value_range, levels, source, rows, positions):
    return kernel(source, rows, tf.gather(levels, positions), maximum, value_range)


def _copy_rows(source, rows, positions):
    return tf.gather(source, rows)


def _warp_masks(matrices, source, rows, positions):
    return resample(
        source, tf.gather(matrices, positions), None, "nearest", "constant", 0.0, image_rows=rows
    )


def _reorder(pieces, inverse, dtype):
    return tf.cast(tf.gather(pieces, inverse), dtype)


def _scale_levels(units, signs, low, high):
    return signs * (low + units * (high - low))


_compiled_scale_levels = compiled(_scale_levels)


def draw_levels(sampler, shape, low, high):
    """Signed levels: magnitude uniform in `[low, high]`, sign +-1 at random."""
    units = sampler.uniform(shape)
    signs = tf.where(sampler.bernoulli(shape, 0.5), -1.0, 1.0)
    return _compiled_scale_levels(units, signs, float(low), float(high))
