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

The extension contract, in full:
    hooks a layer defines: `sample_parameters` (the one sampler hook) and the
        `transform_*` methods (images, labels, masks, boxes, keypoints).
    batch methods composers call on other layers: `draw_transformation`,
        `transform_batch` and `transform_at_inference`. Family bases
        (geometric, warp, mixing) override these, layers do not.
See CONTRIBUTING.md ("Adding a layer").
"""

import keras
import tensorflow as tf

from keras_augment import backends
from keras_augment.layers.core.arguments import check_seed, is_integer, standardize_value_range
from keras_augment.layers.core.boxes import move_bounding_boxes
from keras_augment.layers.core.inputs import (
    BOUNDING_BOXES,
    IMAGES,
    KEYPOINTS,
    LABELS,
    SEGMENTATION_MASKS,
    InputAdaptation,
)
from keras_augment.layers.core.sampling import (
    RandomSampler,
    computed_at_run_time,
    fold_in_replica_id,
    standardize_seed,
)
from keras_augment.ops import bounding_boxes as box_ops


class BaseAugmentation(InputAdaptation, keras.layers.Layer):
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
        backends.attach_seed_generator(self, self.seed)
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

    # ----------------------------------------------------------------- batch methods
    def draw_transformation(self, sampler, images_shape):
        """This call's parameters; composers call it on the layers they hold.

        Family bases override it to wrap `sample_parameters` (geometric
        layers run it under XLA; warps add their matrix).
        """
        return self.sample_parameters(sampler, images_shape)

    def transform_batch(self, batch, transformation):
        """Apply `transformation` to a standardized batch dict (images under
        `images`, batched, validated); composers call it on the layers they hold."""
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
                batch[BOUNDING_BOXES], transformation, images_shape, tf.shape(output[IMAGES])
            )
        return output

    def transform_at_inference(self, batch):
        """What `training=False` does to a standardized batch: nothing, except
        in layers that also act at inference (crops, resizing)."""
        return batch

    # ----------------------------------------------------------------- public helpers
    def get_random_transformation(self, data, seed=None):
        """The per-sample parameters this layer would draw for `data` and `seed`."""
        batch, _ = self._standardize(data)
        return self._draw(batch, seed)

    def apply_transformation(self, data, transformation):
        """Apply given parameters to `data` (training mode), same structure out."""
        batch, restore = self._standardize(data)
        return restore(self.transform_batch(batch, transformation))

    # ----------------------------------------------------------------- Keras API
    def __call__(self, *args, **kwargs):
        # TensorFlow tensors in and out on every Keras backend (see keras_augment.backends).
        return backends.call_layer(self, super().__call__, args, kwargs)

    def call(self, data, training=True, seed=None):
        batch, restore = self._standardize(data)
        if training:
            transformation = self._draw(batch, seed)
            batch = self.transform_batch(batch, transformation)
        else:
            batch = self.transform_at_inference(batch)
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
        seed = fold_in_replica_id(seed)
        return self.draw_transformation(RandomSampler(seed), tf.shape(batch[IMAGES]))

    def _transform_boxes(self, bounding_boxes, transformation, images_shape, output_shape):
        """Boxes through `transform_bounding_boxes`, under the one box rule."""

        def move(boxes):
            return self.transform_bounding_boxes(boxes, transformation, images_shape)

        return move_bounding_boxes(
            bounding_boxes, move, images_shape, output_shape, self.bounding_box_format, self._owner
        )
