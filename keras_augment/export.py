"""Export augmenters and generators to SavedModels that load without keras_augment installed."""

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


class _GeneratorModule(tf.Module):
    def __init__(self, network):
        super().__init__(name="generator")
        self.network = network
        latent_dim = int(network.inputs[0].shape[-1])
        z_spec = tf.TensorSpec([None, latent_dim], tf.float32, name="z")
        if len(network.inputs) == 2:
            labels_spec = tf.TensorSpec([None], tf.int64, name="labels")

            @tf.function(input_signature=[z_spec, labels_spec])
            def generate(z, labels):
                labels = tf.cast(labels, tf.int32)
                return {"images": self.network([z, labels], training=False)}

        else:

            @tf.function(input_signature=[z_spec])
            def generate(z):
                return {"images": self.network(z, training=False)}

        self.generate = generate


def export_generator(model, path):
    """Write a generator as a SavedModel with the signature `generate(z, labels)`.

    The signature (also `serving_default`) takes `z`, float32
    `[None, latent_dim]`, and for conditional models `labels`, int64 class
    indices `[None]`; unconditional models take only `z`. It returns
    `{"images": [None, H, W, C]}` in the training value range, equal to
    `model.decode_latents(z, labels)`. Load it with `tf.saved_model.load`;
    keras_augment need not be installed there.

    Args:
        model: a `keras_augment.models` model (its `sampling_network()` is
            exported: the EMA generator for GANs, the decoder for VAEs), or
            any Keras model from `z` (or `[z, labels]`) to images.
        path: directory to write.

    Returns:
        `path`.
    """
    network = model.sampling_network() if hasattr(model, "sampling_network") else model
    module = _GeneratorModule(network)
    signatures = {"serving_default": module.generate, "generate": module.generate}
    tf.saved_model.save(module, str(path), signatures=signatures)
    return path
