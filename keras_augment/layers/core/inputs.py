"""Input adaptation shared by every layer: dict routing, single vs batched
input, channels-first data, validation and the cast to the compute dtype.

`BaseAugmentation` mixes `InputAdaptation` in; a layer family changes what it
accepts by overriding `_check_images` (text and audio do) or the class
attributes that `BaseAugmentation` documents.
"""

import tensorflow as tf

IMAGES = "images"
LABELS = "labels"
BOUNDING_BOXES = "bounding_boxes"
SEGMENTATION_MASKS = "segmentation_masks"
KEYPOINTS = "keypoints"


def cast_images(batch, dtype):
    """`batch` with its images in `dtype` (a no-op when they already are)."""
    batch = dict(batch)
    batch[IMAGES] = tf.cast(batch[IMAGES], dtype)
    return batch


class InputAdaptation:
    """Turns any accepted input into a batched dict, and back."""

    def _check_images(self, images):
        if not (images.dtype.is_integer or images.dtype.is_floating):
            raise ValueError(
                f"{self._owner} expected images of an integer or float dtype; "
                f"received dtype {images.dtype.name} with shape {images.shape}."
            )
        rank = images.shape.rank
        if rank not in (3, 4):
            raise ValueError(
                f"{self._owner} expected images of rank 3 (H, W, C) or 4 "
                f"(B, H, W, C); received shape {images.shape} with dtype "
                f"{images.dtype.name}."
            )
        channels = images.shape[-1]
        allowed = self._allowed_channels()
        if allowed is not None and channels is not None and channels not in allowed:
            raise ValueError(self._channels_message(images.shape))

    def _allowed_channels(self):
        required = self.required_channels
        if required is None:
            return None
        return tuple(required) if isinstance(required, (tuple, list)) else (required,)

    def _channels_message(self, shape):
        allowed = " or ".join(str(c) for c in self._allowed_channels())
        return f"{self._owner} expected images with {allowed} channels; received shape {shape}."

    def _check_channels_at_run_time(self, images):
        """Channels unknown when traced (e.g. a `tf.function` signature of
        `[None, None, None, None]`) are checked when the data arrives, so the
        error names the layer instead of surfacing from a kernel."""
        allowed = self._allowed_channels()
        if allowed is None or images.shape[-1] is not None:
            return images
        channels = tf.shape(images)[-1]
        ok = tf.reduce_any(tf.equal(channels, tf.constant(allowed, tf.int32)))
        message = self._channels_message("with unknown channels when traced")
        with tf.control_dependencies([tf.debugging.Assert(ok, [message, tf.shape(images)])]):
            return tf.identity(images)

    def _standardize(self, data):
        """Batch, validate and cast the input; return it with an inverse."""
        is_dict = isinstance(data, dict)
        key = self.input_key
        if is_dict and key not in data:
            raise ValueError(
                f"{self._owner} expected a dict with an `{key}` key; received "
                f"keys {sorted(data)}."
            )
        batch = dict(data) if is_dict else {key: data}
        batch[IMAGES] = batch.pop(key)  # the subclass API names it images
        images = batch[IMAGES]
        if isinstance(images, (tf.RaggedTensor, tf.SparseTensor)):
            raise ValueError(
                f"{self._owner} expected a dense tensor of images; received a "
                f"{type(images).__name__}. Resize the images to one size first "
                "(`keras_augment.data.load(..., image_size=...)`, "
                "`keras.layers.Resizing`) or call `.to_tensor()` on it."
            )
        if not isinstance(images, tf.Tensor):
            images = tf.convert_to_tensor(images)
        if (
            self.data_format == "channels_first"
            and self.batched_ranks == (4,)
            and images.shape.rank in (3, 4)
        ):
            images = tf.experimental.numpy.moveaxis(images, -3, -1)
        self._check_images(images)
        if self.input_key == IMAGES:
            images = self._check_channels_at_run_time(images)
        unbatched = images.shape.rank == min(self.batched_ranks) - 1
        if unbatched:
            images = images[None]
        keep_uint8 = self.accepts_uint8_images and images.dtype == tf.uint8
        if self.cast_inputs and not keep_uint8:
            images = tf.cast(images, self.compute_dtype)
        batch[IMAGES] = images
        mask_rank = None
        for key in (LABELS, SEGMENTATION_MASKS, KEYPOINTS, BOUNDING_BOXES):
            if key not in batch:
                continue
            value = tf.nest.map_structure(tf.convert_to_tensor, batch[key])
            if unbatched:
                value = tf.nest.map_structure(lambda t: tf.expand_dims(t, 0), value)
            batch[key] = value
        if SEGMENTATION_MASKS in batch:
            masks = batch[SEGMENTATION_MASKS]
            mask_rank = masks.shape.rank
            if mask_rank == 3:
                masks = masks[..., None]
            if masks.shape.rank != 4:
                raise ValueError(
                    f"{self._owner} expected segmentation_masks of shape "
                    "(B, H, W) or (B, H, W, C); received shape "
                    f"{data[SEGMENTATION_MASKS].shape}."
                )
            batch[SEGMENTATION_MASKS] = masks
        if BOUNDING_BOXES in batch:
            self._check_boxes(batch[BOUNDING_BOXES])
        self._check_alignment(batch)
        if KEYPOINTS in batch:
            keypoints = batch[KEYPOINTS]
            if keypoints.shape.rank != 3 or (keypoints.shape[-1] or 2) < 2:
                raise ValueError(
                    f"{self._owner} expected keypoints of shape (B, K, 2) or "
                    f"(K, 2) for a single image; received shape "
                    f"{data[KEYPOINTS].shape}."
                )
            if not keypoints.dtype.is_floating:
                batch[KEYPOINTS] = tf.cast(keypoints, tf.float32)

        def restore(output):
            output = dict(output)
            images = output[IMAGES]
            if self.cast_inputs:  # layers that read uint8 still return the compute dtype
                images = tf.cast(images, self.compute_dtype)
            if self.data_format == "channels_first":
                images = tf.experimental.numpy.moveaxis(images, -1, -3)
            output[IMAGES] = images
            if SEGMENTATION_MASKS in output and mask_rank == 3:
                output[SEGMENTATION_MASKS] = output[SEGMENTATION_MASKS][..., 0]
            if unbatched:
                for key in (IMAGES, LABELS, SEGMENTATION_MASKS, KEYPOINTS, BOUNDING_BOXES):
                    if key in output:
                        output[key] = tf.nest.map_structure(
                            lambda t: tf.squeeze(t, 0), output[key]
                        )
            output[self.input_key] = output.pop(IMAGES)
            return output if is_dict else output[self.input_key]

        return batch, restore

    def _check_alignment(self, batch):
        """Every routed value must have the images' batch size, masks their size."""
        images_shape = batch[IMAGES].shape
        for key in (LABELS, SEGMENTATION_MASKS, KEYPOINTS, BOUNDING_BOXES):
            if key not in batch:
                continue
            for value in tf.nest.flatten(batch[key]):
                if value.shape.rank == 0:
                    raise ValueError(
                        f"{self._owner} expected `{key}` with one entry per image; "
                        f"received a scalar for images of shape {images_shape}."
                    )
                size = value.shape[0]
                if size is not None and images_shape[0] is not None and size != images_shape[0]:
                    raise ValueError(
                        f"{self._owner} expected `{key}` for {images_shape[0]} images "
                        f"(first dimension {images_shape[0]}); received shape {value.shape}."
                    )
        if SEGMENTATION_MASKS in batch:
            masks_hw = batch[SEGMENTATION_MASKS].shape[1:3]
            if not masks_hw.is_compatible_with(images_shape[1:3]):
                raise ValueError(
                    f"{self._owner} expected segmentation_masks of the images' height "
                    f"and width {tuple(images_shape[1:3])}; received masks of shape "
                    f"{batch[SEGMENTATION_MASKS].shape}."
                )

    def _check_boxes(self, bounding_boxes):
        if not isinstance(bounding_boxes, dict) or "boxes" not in bounding_boxes:
            raise ValueError(
                f"{self._owner} expected `bounding_boxes` to be a dict with a "
                f"`boxes` key; received {type(bounding_boxes).__name__}."
            )
        boxes = bounding_boxes["boxes"]
        if boxes.shape.rank != 3 or boxes.shape[-1] != 4:
            raise ValueError(
                f"{self._owner} expected bounding_boxes['boxes'] of shape "
                "(B, N, 4), or (N, 4) for a single image; received shape "
                f"{boxes.shape}."
            )
