"""Export augmenters to SavedModels that load without keras_augment installed."""

import tensorflow as tf


class _AugmenterModule(tf.Module):
    def __init__(self, layer, input_shape, dtype):
        super().__init__(name="augmenter")
        self.layer = layer
        images_spec = tf.TensorSpec([None, *input_shape], tf.as_dtype(dtype), name="images")
        seed_spec = tf.TensorSpec([], tf.int64, name="seed")

        @tf.function(input_signature=[images_spec, seed_spec])
        def augment(images, seed):
            return {"images": self.layer(images, training=True, seed=seed)}

        self.augment = augment


def export_augmenter(layer, path, input_shape, dtype="float32"):
    """Write `layer` as a SavedModel with the signature `(images, seed) -> images`.

    The `serving_default` signature takes a batch `images` of shape
    `[None, *input_shape]` and dtype `dtype`, and a scalar int64 `seed`, and runs
    the layer in training mode, so the same seed gives the same output as
    `layer(images, training=True, seed=seed)`. Load it with
    `tf.saved_model.load(path)`; keras_augment need not be installed there.

    Args:
        layer: a keras_augment layer (or any Keras layer taking `seed=`).
        path: directory to write.
        input_shape: shape of one image, e.g. `(224, 224, 3)`; dims may be None.
        dtype: dtype of the `images` input.

    Returns:
        `path`.
    """
    module = _AugmenterModule(layer, tuple(input_shape), dtype)
    tf.saved_model.save(module, str(path), signatures={"serving_default": module.augment})
    return path
