"""The contract every keras_augment augmentation layer follows.

`BaseAugmentation` owns the plumbing: dict routing, single vs batched input,
`training=False`, dtype, input validation, seeding and `get_config`. A
subclass only says how to draw per-sample parameters and how to apply them:

    class MyLayer(BaseAugmentation):
        def sample_parameters(self, sampler, images_shape):
            return {"amount": sampler.uniform([images_shape[0]])}

        def transform_images(self, images, transformation):
            return images + transformation["amount"][:, None, None, None]

Every tensor in a transformation has the batch size as its first dimension,
so a batch gives the same result as its samples one by one.
"""

import keras
import tensorflow as tf

from keras_augment.layers.core.arguments import check_seed, is_integer, standardize_value_range
from keras_augment.layers.core.sampling import RandomSampler, computed_at_run_time, standardize_seed
from keras_augment.ops import bounding_boxes as box_ops

IMAGES = "images"
LABELS = "labels"
BOUNDING_BOXES = "bounding_boxes"
SEGMENTATION_MASKS = "segmentation_masks"
KEYPOINTS = "keypoints"


def _fold_in_replica_id(seed):
    """Give each replica of a tf.distribute strategy its own draws.

    Every replica holds a copy of the layer's seed state, so without this the
    replicas would draw identical parameters for their parts of the batch.
    Replica 0 (and code outside any strategy) keeps the seed unchanged.
    """
    context = tf.distribute.get_replica_context()
    if context is None:
        return seed
    replica_id = context.replica_id_in_sync_group
    if isinstance(replica_id, int) and replica_id == 0:
        return seed
    folded = tf.random.experimental.stateless_fold_in(seed, tf.cast(replica_id, tf.int64))
    return tf.where(tf.equal(replica_id, 0), seed, tf.cast(folded, tf.int64))


class BaseAugmentation(keras.layers.Layer):
    """Base class of every augmentation layer.

    Inputs are an image tensor `[B, H, W, C]` or `[H, W, C]` (uint8, any
    integer or float dtype), or a dict with the key `images` and optionally
    `labels`, `bounding_boxes` (`{"boxes": [B, N, 4], "classes": [B, N], ...}`
    in `bounding_box_format`; padding boxes have class -1),
    `segmentation_masks` (`[B, H, W]` or `[B, H, W, 1]`) and `keypoints`
    (`[B, K, 2]` pixel x, y, extra columns kept). Other keys pass through.

    Call arguments:
        data: images or a dict as above.
        training: when False the layer returns its input (images cast to the
            compute dtype); otherwise it augments. As with Keras core's
            preprocessing layers the default is True; Keras passes
            `training=False` in `predict` and `evaluate`.
        seed: optional integer or integer tensor (scalar or `[2]`). The same
            seed gives bit-identical output in eager, `tf.function`,
            `tf.data` and an exported SavedModel. Without it the layer draws
            from its own `keras.random.SeedGenerator(seed)`.

    Class attributes a subclass may set:
        random: False for layers that draw nothing (e.g. `CenterCrop`).
        per_sample: False for layers that mix samples (e.g. MixUp).
        geometric: True for layers that move pixels; then boxes, masks and
            keypoints need their own transform methods, or the layer raises.
        required_channels: channel count the layer needs, or None.
        input_key: dict key of the data the layer augments (e.g. "text").
        batched_ranks: ranks of a batched input; one less than the smallest
            is a single sample. Text is `(1,)`, waveforms `(2,)`.
        cast_inputs: False to keep the input dtype (e.g. `tf.string`)
            instead of casting to the compute dtype.
        accepts_uint8_images: True for layers whose transform reads uint8
            images directly (the resampler gathers bytes) and returns the
            compute dtype itself; others receive images cast to the compute
            dtype.
        Non-image layers override `_check_images`, the validation hook.
    """

    random = True
    per_sample = True
    geometric = False
    required_channels = None
    input_key = IMAGES
    batched_ranks = (4,)
    cast_inputs = True
    accepts_uint8_images = False

    def __new__(cls, *args, **kwargs):
        # Keras records the constructor arguments for `get_config` here,
        # before `__init__` runs: a NumPy integer seed would make them
        # unserializable, so it is recorded as the int it means.
        if is_integer(kwargs.get("seed")):
            kwargs["seed"] = int(kwargs["seed"])
        return super().__new__(cls, *args, **kwargs)

    def __init__(
        self,
        value_range=None,
        bounding_box_format=None,
        seed=None,
        data_format=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.seed = check_seed(seed, self._owner)
        self.seed_generator = keras.random.SeedGenerator(self.seed)
        self.value_range = (
            None
            if value_range is None
            else standardize_value_range(value_range, self._owner)
        )
        if bounding_box_format is not None:
            box_ops.validate_format(bounding_box_format, self._owner)
        self.bounding_box_format = bounding_box_format
        self.data_format = data_format or keras.config.image_data_format()
        if self.data_format not in ("channels_last", "channels_first"):
            raise ValueError(
                f"{self._owner}: `data_format` must be 'channels_last' or "
                f"'channels_first'; received data_format={data_format!r}."
            )
        self.built = True

    @property
    def _owner(self):
        name = getattr(self, "name", None)
        return f"{type(self).__name__} layer {name!r}" if name else type(self).__name__

    # ----------------------------------------------------------------- subclass API
    def sample_parameters(self, sampler, images_shape):
        """Draw this call's parameters, each of shape `[batch, ...]`.

        Args:
            sampler: a `RandomSampler` seeded for this call.
            images_shape: int32 tensor `[B, H, W, C]` of the input images.
        """
        return {}

    def transform_images(self, images, transformation):
        raise NotImplementedError(f"{type(self).__name__} must define transform_images.")

    def transform_labels(self, labels, transformation):
        return labels

    def transform_segmentation_masks(self, masks, transformation):
        """Masks are `[B, H, W, channels]` in their own dtype."""
        return self._unsupported(SEGMENTATION_MASKS) if self.geometric else masks

    def transform_bounding_boxes(self, bounding_boxes, transformation, images_shape):
        """Boxes arrive as absolute `xyxy` pixels of the input image and must be
        returned as absolute `xyxy` pixels of the output image."""
        return self._unsupported(BOUNDING_BOXES) if self.geometric else bounding_boxes

    def transform_keypoints(self, keypoints, transformation, images_shape):
        """Keypoints are `[B, K, D]` floats whose first two columns are pixel x, y."""
        return self._unsupported(KEYPOINTS) if self.geometric else keypoints

    def compute_image_output_shape(self, images_shape):
        """Static output shape of batched images, for layers that resize."""
        return images_shape

    # ----------------------------------------------------------------- public helpers
    def get_random_transformation(self, data, seed=None):
        """The per-sample parameters this layer would draw for `data` and `seed`."""
        batch, _ = self._standardize(data)
        return self._draw(batch, seed)

    def apply_transformation(self, data, transformation):
        """Apply given parameters to `data` (training mode), same structure out."""
        batch, restore = self._standardize(data)
        return restore(self._transform_batch(batch, transformation))

    # ----------------------------------------------------------------- Keras API
    def call(self, data, training=True, seed=None):
        batch, restore = self._standardize(data)
        if training:
            transformation = self._draw(batch, seed)
            batch = self._transform_batch(batch, transformation)
        return restore(batch)

    def compute_output_shape(self, input_shape):
        if isinstance(input_shape, dict):
            output = dict(input_shape)
            output[self.input_key] = self._image_output_shape(input_shape[self.input_key])
            return output
        return self._image_output_shape(input_shape)

    def get_config(self):
        config = super().get_config()
        auto_config = getattr(self, "_auto_config", None)
        if auto_config is None:
            raise NotImplementedError(
                f"{type(self).__name__}: constructor arguments are not plain "
                "values, so the layer must override get_config/from_config."
            )
        # Name, trainable and dtype come from Keras in their serialized form.
        return {**auto_config.config, **config}

    def save_own_variables(self, store):
        # The seed state is saved with the weights, so a run restored by
        # BackupAndRestore draws the same augmentations as one never stopped.
        super().save_own_variables(store)
        store["seed_generator_state"] = self.seed_generator.state.numpy()

    def load_own_variables(self, store):
        keys = list(store.keys())
        if "seed_generator_state" in keys:
            self.seed_generator.state.assign(store["seed_generator_state"])
        super().load_own_variables({k: store[k] for k in keys if k != "seed_generator_state"})

    # ----------------------------------------------------------------- plumbing
    def _unsupported(self, key):
        raise ValueError(
            f"{self._owner} does not transform `{key}` yet; remove that key or "
            "use a layer that supports it."
        )

    def _image_output_shape(self, shape):
        shape = tuple(shape)
        if len(shape) == min(self.batched_ranks) - 1:
            return tuple(self.compute_image_output_shape((None,) + shape)[1:])
        return tuple(self.compute_image_output_shape(shape))

    def _draw(self, batch, seed):
        if seed is None:
            seed = self.seed_generator.next()
        else:
            seed = computed_at_run_time(
                standardize_seed(seed, self._owner), self.seed_generator.state.value
            )
        seed = _fold_in_replica_id(seed)
        return self.sample_parameters(RandomSampler(seed), tf.shape(batch[IMAGES]))

    def _transform_batch(self, batch, transformation):
        images = batch[IMAGES]
        images_shape = tf.shape(images)
        output = dict(batch)
        output[IMAGES] = self.transform_images(images, transformation)
        if LABELS in batch:
            output[LABELS] = self.transform_labels(batch[LABELS], transformation)
        if SEGMENTATION_MASKS in batch:
            output[SEGMENTATION_MASKS] = self.transform_segmentation_masks(
                batch[SEGMENTATION_MASKS], transformation
            )
        if KEYPOINTS in batch:
            output[KEYPOINTS] = self.transform_keypoints(
                batch[KEYPOINTS], transformation, images_shape
            )
        # Every layer given a format applies the box rules, even one that
        # leaves the boxes where they are.
        if BOUNDING_BOXES in batch and (self.geometric or self.bounding_box_format is not None):
            output[BOUNDING_BOXES] = self._transform_boxes(
                batch[BOUNDING_BOXES], transformation, images_shape, output[IMAGES]
            )
        return output

    def _transform_boxes(self, bounding_boxes, transformation, images_shape, out_images):
        if self.bounding_box_format is None:
            raise ValueError(
                f"{self._owner} received `bounding_boxes` but was built without "
                "`bounding_box_format`; pass e.g. bounding_box_format='xyxy'."
            )
        fmt = self.bounding_box_format
        boxes = dict(bounding_boxes)
        boxes["boxes"] = box_ops.to_xyxy(
            boxes["boxes"], fmt, images_shape[1], images_shape[2]
        )
        # The box rules (ops.bounding_boxes): sorted corners in, clipped boxes out.
        boxes = box_ops.usable_boxes(boxes, images_shape[1], images_shape[2])
        boxes = self.transform_bounding_boxes(boxes, transformation, images_shape)
        out_shape = tf.shape(out_images)
        boxes = box_ops.clip_and_drop(boxes, out_shape[1], out_shape[2])
        boxes["boxes"] = box_ops.from_xyxy(boxes["boxes"], fmt, out_shape[1], out_shape[2])
        return boxes

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
