"""GenerativeAugment: swap in (or add) samples drawn from a trained generator."""

import copy

import keras
import tensorflow as tf

from keras_augment import backends
from keras_augment.layers.core.base import (
    BOUNDING_BOXES,
    IMAGES,
    KEYPOINTS,
    LABELS,
    SEGMENTATION_MASKS,
    BaseAugmentation,
)
from keras_augment.ops.compiled import instance_function

MODES = ("replace", "append")
UNCONDITIONAL_LABELS = ("keep", "uniform")


@keras.saving.register_keras_serializable(package="keras_augment")
class GenerativeAugment(BaseAugmentation):
    """Replaces (or appends) a random fraction of a batch with generated samples.

    Each sample is chosen with probability `rate` and gets its own latent
    code. Only the chosen samples go through the generator.

    * Conditional generator (inputs `[z, labels]`): the synthetic sample has
      the label of the sample it stands for, so labels stay correct. The
      batch must be a dict with `labels` (int `[B]` or one-hot `[B, K]`).
    * Unconditional generator (input `z`): the class of a synthetic sample is
      unknown. `unconditional_labels="keep"` keeps the label of the sample it
      replaces (only sensible when the generator was trained on one class);
      `"uniform"` gives it the uniform soft label `1/K` (needs one-hot or soft
      labels `[B, K]`, and a loss that accepts soft labels).

    With `mode="append"` the chosen samples stay and their synthetic twins are
    added after the batch, so the output batch is larger (by a random count;
    use it in `tf.data`, not where a static batch size is needed).
    Segmentation masks, boxes and keypoints cannot be generated: passing them
    raises a ValueError.

    Args:
        generator: a Keras model from `z` `[B, latent_dim]` (and int labels
            `[B]`) to images in the value range of the batches it will see, or
            a `keras_augment.models` model (its `sampling_network()` is used).
        rate: probability that a sample is chosen, in [0, 1].
        mode: `"replace"` or `"append"`.
        unconditional_labels: `"keep"` or `"uniform"` (unconditional only).
        seed: integer seed of the layer's own draws.
        **kwargs: base layer arguments such as `name` and `dtype`.

    Input shape:
        `(B, H, W, C)` or `(H, W, C)` images, or a dict with `images` and
        optionally `labels`. H, W, C must match the generator output.

    Output shape:
        Same as the input with `mode="replace"`; `B + k` samples with
        `mode="append"`.

    Example:

    >>> cvae = keras_augment.models.ConditionalVAE((8, 8, 1), 10, value_range=(0, 16))
    >>> layer = keras_augment.layers.GenerativeAugment(cvae, rate=0.3)
    >>> batch = layer({"images": images, "labels": labels})
    """

    def __init__(self, generator, rate=0.5, mode="replace", unconditional_labels="keep", seed=None, **kwargs):
        super().__init__(seed=seed, **kwargs)
        backends.require_tensorflow(f"{self._owner} (its generator is a Keras model run in the tf.data graph)")
        if hasattr(generator, "sampling_network"):
            generator = generator.sampling_network()
        if not isinstance(generator, keras.Model) or len(generator.inputs) not in (1, 2):
            raise ValueError(
                f"{self._owner}: `generator` must be a Keras model with input z "
                f"or [z, labels]; received {type(generator).__name__}."
            )
        if not 0.0 <= float(rate) <= 1.0:
            raise ValueError(f"{self._owner}: `rate` must be in [0, 1]; received rate={rate!r}.")
        if mode not in MODES:
            raise ValueError(f"{self._owner}: `mode` must be one of {MODES}; received mode={mode!r}.")
        # Appending changes the batch size by a random count (read by Pipeline).
        self.adds_samples = mode == "append"
        if unconditional_labels not in UNCONDITIONAL_LABELS:
            raise ValueError(
                f"{self._owner}: `unconditional_labels` must be one of "
                f"{UNCONDITIONAL_LABELS}; received {unconditional_labels!r}."
            )
        self.generator = generator
        self.rate = float(rate)
        self.mode = mode
        self.unconditional_labels = unconditional_labels
        self.conditional = len(generator.inputs) == 2
        self.latent_dim = int(generator.inputs[0].shape[-1])

    def get_config(self):
        config = keras.layers.Layer.get_config(self)
        config.update(
            generator=keras.saving.serialize_keras_object(self.generator),
            rate=self.rate,
            mode=self.mode,
            unconditional_labels=self.unconditional_labels,
            seed=self.seed,
        )
        return config

    @classmethod
    def from_config(cls, config):
        # Deserializing consumes the nested dicts, so work on a copy.
        config = copy.deepcopy(config)
        config["generator"] = keras.saving.deserialize_keras_object(config["generator"])
        return cls(**config)

    def compute_output_shape(self, input_shape):
        output = super().compute_output_shape(input_shape)
        if self.mode == "replace":
            return output
        # Appending adds a random number of samples.
        unknown_batch = lambda shape: (None,) + tuple(shape)[1:]  # noqa: E731
        if not isinstance(output, dict):
            return unknown_batch(output)
        output[IMAGES] = unknown_batch(output[IMAGES])
        if LABELS in output:
            output[LABELS] = unknown_batch(output[LABELS])
        return output

    def _check_images(self, images):
        super()._check_images(images)
        expected = tuple(self.generator.outputs[0].shape[1:])
        received = tuple(images.shape[-3:])
        if any(e is not None and r is not None and e != r for e, r in zip(expected, received)):
            raise ValueError(
                f"{self._owner} expected images of the generator's shape (H, W, C) = "
                f"{expected}; received shape {images.shape}."
            )

    def sample_parameters(self, sampler, images_shape):
        batch_size = images_shape[:1]
        return {
            "chosen": sampler.bernoulli(batch_size, self.rate),
            "z": sampler.normal(tf.concat([batch_size, [self.latent_dim]], 0)),
        }

    # BaseAugmentation transforms images and labels separately; a conditional
    # generator needs the labels while making images, so route them here.
    def transform_batch(self, batch, transformation):
        for key in (SEGMENTATION_MASKS, BOUNDING_BOXES, KEYPOINTS):
            if key in batch:
                self._unsupported(key)
        if self.conditional and LABELS not in batch:
            raise ValueError(
                f"{self._owner}: the generator is conditional, so the input must "
                "be a dict with `images` and `labels`; received no labels."
            )
        indices = tf.where(transformation["chosen"])[:, 0]
        labels = batch.get(LABELS)
        synthetic = self._generate(transformation["z"], labels, indices)
        synthetic = tf.cast(synthetic, batch[IMAGES].dtype)
        output = dict(batch)
        if self.mode == "replace":
            output[IMAGES] = tf.tensor_scatter_nd_update(batch[IMAGES], indices[:, None], synthetic)
        else:
            output[IMAGES] = tf.concat([batch[IMAGES], synthetic], 0)
        if labels is not None:
            output[LABELS] = self._new_labels(labels, indices)
        return output

    def _generate(self, z, labels, indices):
        # The generator runs on every row of the batch (plus one padding row:
        # some kernels reject an empty batch) as one XLA program, so eager,
        # traced, tf.data and SavedModel runs give the same bits (oneDNN CPUs
        # fuse ops differently in each otherwise) and one batch size compiles
        # once, whatever the number of rows chosen.
        z = tf.concat([z, tf.zeros([1, self.latent_dim], z.dtype)], 0)
        if not self.conditional:
            images = instance_function(self, "_compiled_generator", self._run_generator)(z)
            return tf.gather(images, indices)
        class_ids = labels
        if class_ids.shape.rank == 2:
            class_ids = tf.argmax(class_ids, axis=-1)
        class_ids = tf.concat([tf.cast(tf.reshape(class_ids, [-1]), tf.int32), [0]], 0)
        images = instance_function(self, "_compiled_generator", self._run_generator)(z, class_ids)
        return tf.gather(images, indices)

    def _run_generator(self, z, class_ids=None):
        inputs = z if class_ids is None else [z, class_ids]
        return self.generator(inputs, training=False)

    def _new_labels(self, labels, indices):
        synthetic = tf.gather(labels, indices)
        if not self.conditional and self.unconditional_labels == "uniform":
            if labels.shape.rank != 2 or not labels.dtype.is_floating:
                raise ValueError(
                    f"{self._owner}: unconditional_labels='uniform' needs one-hot "
                    f"float labels of shape (B, K); received {labels.dtype.name} "
                    f"labels of shape {labels.shape}."
                )
            synthetic = tf.ones_like(synthetic) / tf.cast(tf.shape(labels)[-1], labels.dtype)
            if self.mode == "replace":
                return tf.tensor_scatter_nd_update(labels, indices[:, None], synthetic)
        if self.mode == "append":
            return tf.concat([labels, synthetic], 0)
        return labels
