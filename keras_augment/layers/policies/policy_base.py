"""Shared engine of the policies: per-sample op slots run on batch partitions.

A policy draws, for every image and every op slot, an op index into its op
table and a `[2]` vector of signed levels. Each slot then runs as follows:

- the batch positions are split by op with `tf.dynamic_partition`, and
  each kernel gathers only the images that drew it (no op is computed for
  the others);
- all geometric ops of the slot form one partition, warped once by the
  shared resampler with each image's own matrix;
- the pieces are put back in batch order with `tf.dynamic_stitch` (the
  last slot gathers them back and casts to the output dtype in one
  compiled step).

Partitions are padded (by repeating their last image) to a bucket size:
exact up to 8, then four sizes per doubling (10, 12, 14, 16, 20, 24, ...),
so the XLA-compiled kernels compile a bounded number of times (20 sizes for
a batch of 64) while padding wastes at most a quarter of a partition.
Masks, boxes and keypoints follow the same per-slot matrices, slot after
slot.
"""

import tensorflow as tf

from keras_augment.layers.base import BaseAugmentation
from keras_augment.layers.geometric_base import check_choice
from keras_augment.layers.policies import op_table
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


def bucket_size(count, batch_size):
    """`count` rounded up to a bucket: exact up to 8, then a multiple of
    2 ** (octave - 2) where 2 ** octave < count <= 2 ** (octave + 1); at
    most `batch_size`."""
    powers = tf.constant([2**k for k in range(31)], tf.int32)
    octave = tf.reduce_sum(tf.cast(powers <= count - 1, tf.int32)) - 1
    step = tf.bitwise.left_shift(1, tf.maximum(octave - 2, 0))
    return tf.minimum((count + step - 1) // step * step, batch_size)


def run_on_partition(images, extra, positions, function, batch_size):
    """`function(images[positions], extra[positions])`, computed on the rows
    gathered straight from the batch and padded to a bucket size (by
    repeating the last row). An empty partition runs the kernel on an empty
    batch, which costs nothing and needs no `tf.cond`."""
    count = tf.shape(positions)[0]
    if tf.executing_eagerly() and int(count) == 0:
        return images[:0]  # eager calls need not trace kernels for size 0
    rows = tf.gather(positions, tf.minimum(tf.range(bucket_size(count, batch_size)), count - 1))
    output = function(tf.gather(images, rows), tf.gather(extra, rows))
    return tf.cast(output[:count], images.dtype)


class PolicyAugmentation(BaseAugmentation):
    """Base of RandAugment, TrivialAugmentWide and AutoAugment.

    A subclass sets `self.table` (tuple of `(op name, maximum)`) and
    implements `draw_slots(sampler, batch_size)` returning `op_ids [B, S]`
    and signed `levels [B, S, 2]`.
    """

    geometric = True
    accepts_uint8_images = True

    def _init_policy(self, table, interpolation, fill_mode, fill_value):
        self.table = op_table.validate_table(table, self._owner)
        self.interpolation = check_choice(self._owner, "interpolation", interpolation, INTERPOLATIONS)
        self.fill_mode = check_choice(self._owner, "fill_mode", fill_mode, FILL_MODES)
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

    def draw_slots(self, sampler, batch_size):
        raise NotImplementedError(f"{type(self).__name__} must define draw_slots.")

    def sample_parameters(self, sampler, images_shape):
        op_ids, levels = self.draw_slots(sampler, images_shape[0])
        return self.complete_parameters(op_ids, levels, images_shape)

    def complete_parameters(self, op_ids, levels, images_shape):
        """Add each slot's matrices to drawn (or hand-made) op ids and levels."""
        op_ids = tf.cast(op_ids, tf.int32)
        levels = tf.cast(levels, tf.float32)
        height = tf.cast(images_shape[1], tf.float32)
        width = tf.cast(images_shape[2], tf.float32)
        matrices = _compiled_slot_matrices(op_ids, levels, height, width, self.table)
        return {OP_IDS: op_ids, LEVELS: levels, MATRICES: matrices}

    # ----------------------------------------------------------------- images
    def _run_slot(self, images, op_ids, levels, matrices, output_dtype=None):
        batch_size = tf.shape(images)[0]
        partitions = tf.gather(self._partition_of_op, op_ids)
        # Only the batch positions are partitioned; each kernel gathers its
        # rows from the batch once.
        positions = tf.dynamic_partition(tf.range(batch_size), partitions, len(self.table) + 1)
        outputs = []
        for index, rows in enumerate(positions):
            if index == self._geometric_partition:
                outputs.append(run_on_partition(images, matrices, rows, self._warp, batch_size))
                continue
            name, maximum = self.table[index]
            if name not in op_table.COLOUR_KERNELS:
                # identity, or a geometric op (whose own partition is empty)
                outputs.append(tf.gather(images, rows))
                continue
            kernel = op_table.kernel_for(name, images.dtype == tf.uint8)
            value_range = self._value_range()

            def apply(sub_images, sub_levels, kernel=kernel, maximum=maximum, value_range=value_range):
                return kernel(sub_images, sub_levels, maximum, value_range)

            outputs.append(run_on_partition(images, levels, rows, apply, batch_size))
        if output_dtype is None or tf.as_dtype(output_dtype) == images.dtype:
            stitched = tf.dynamic_stitch(positions, outputs)
        else:
            # Put the pieces back in order and cast in one compiled gather:
            # cheaper than a stitch followed by a cast of the whole batch.
            inverse = tf.math.invert_permutation(tf.concat(positions, 0))
            stitched = compiled(_reorder)(tf.concat(outputs, 0), inverse, tf.as_dtype(output_dtype))
        return tf.ensure_shape(stitched, images.shape)

    def _warp(self, images, matrices):
        return resample(
            images, matrices, None, self.interpolation, self.fill_mode, self.fill_value, images.dtype
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
        images = self.working_images(images)
        slots = transformation[OP_IDS].shape[1]
        if slots == 0:
            return tf.cast(images, self.compute_dtype)
        for slot in range(slots):
            images = self._run_slot(
                images,
                transformation[OP_IDS][:, slot],
                transformation[LEVELS][:, slot],
                transformation[MATRICES][:, slot],
                # The last slot also casts to the output dtype.
                self.compute_dtype if slot == slots - 1 else None,
            )
        return images

    # ----------------------------------------------------------------- targets
    def _is_geometric(self, op_ids):
        return tf.equal(tf.gather(self._partition_of_op, op_ids), self._geometric_partition)

    def transform_segmentation_masks(self, masks, transformation):
        batch_size = tf.shape(masks)[0]
        for slot in range(transformation[OP_IDS].shape[1]):
            moved = tf.cast(self._is_geometric(transformation[OP_IDS][:, slot]), tf.int32)
            positions = tf.dynamic_partition(tf.range(batch_size), moved, 2)

            def warp(sub_masks, sub_matrices):
                return resample(sub_masks, sub_matrices, None, "nearest", "constant", 0.0)

            warped = run_on_partition(
                masks, transformation[MATRICES][:, slot], positions[1], warp, batch_size
            )
            kept = tf.gather(masks, positions[0])
            masks = tf.ensure_shape(tf.dynamic_stitch(positions, [kept, warped]), masks.shape)
        return masks

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
