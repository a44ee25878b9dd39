"""Export augmenters and generators to SavedModels that load without keras_augment installed.

A SavedModel holds TensorFlow objects, so export needs Keras on the
TensorFlow backend (elsewhere Keras layers are not TensorFlow objects).
"""

import tensorflow as tf

from keras_augment.backends import require_tensorflow

require_tensorflow("keras_augment.export (a SavedModel holds TensorFlow objects)", ImportError)

ROUTED_KEYS = ("labels", "bounding_boxes", "segmentation_masks", "keypoints")


def _flat_specs(routed):
    """`{"bounding_boxes": {"boxes": spec}}` -> `{"bounding_boxes_boxes": spec}`."""
    flat = {}
    for key, spec in routed.items():
        if isinstance(spec, dict):
            for inner, inner_spec in spec.items():
                flat[f"{key}_{inner}"] = (key, inner, inner_spec)
        else:
            flat[key] = (key, None, spec)
    return flat


class _AugmenterModule(tf.Module):
    def __init__(self, layer, input_shape, dtype, routed):
        super().__init__(name="augmenter")
        self.layer = layer
        flat = _flat_specs(routed)
        specs = [
            tf.TensorSpec([None, *input_shape], tf.as_dtype(dtype), name="images"),
            tf.TensorSpec([], tf.int64, name="seed"),
        ] + [tf.TensorSpec(spec.shape, spec.dtype, name=name) for name, (_, _, spec) in flat.items()]

        @tf.function(input_signature=specs)
        def augment(images, seed, *routed_values):
            if not flat:
                return {"images": self.layer(images, training=True, seed=seed)}
            data = {"images": images}
            for (key, inner, _), value in zip(flat.values(), routed_values):
                if inner is None:
                    data[key] = value
                else:
                    data.setdefault(key, {})[inner] = value
            out = self.layer(data, training=True, seed=seed)
            result = {"images": out["images"]}
            for name, (key, inner, _) in flat.items():
                result[name] = out[key] if inner is None else out[key][inner]
            return result

        self.augment = augment


def export_augmenter(layer, path, input_shape, dtype="float32", **routed):
    """Write `layer` as a SavedModel whose `serving_default` runs it in training mode.

    The signature takes a batch `images` of shape `[None, *input_shape]` and a
    scalar int64 `seed`, plus one input per routed tensor given as a keyword
    (`labels`, `segmentation_masks`, `keypoints` as `tf.TensorSpec`,
    `bounding_boxes` as a dict of them, e.g. `{"boxes": ..., "classes": ...}`,
    exposed as `bounding_boxes_boxes` and `bounding_boxes_classes`). It returns
    a dict with the same names. The same seed gives the same output as
    `layer(data, training=True, seed=seed)`. Load it with
    `tf.saved_model.load(path)`; keras_augment need not be installed there.

    Args:
        layer: a keras_augment layer (or any Keras layer taking `seed=`).
        path: directory to write.
        input_shape: shape of one image, e.g. `(224, 224, 3)`; dims may be None.
        dtype: dtype of the `images` input.
        **routed: specs of the routed inputs, batched (first dimension None).

    Returns:
        `path`.

    Example:

    >>> export_augmenter(
    ...     layer, "saved_models/detection", (640, 640, 3), "uint8",
    ...     bounding_boxes={"boxes": tf.TensorSpec([None, None, 4], tf.float32),
    ...                     "classes": tf.TensorSpec([None, None], tf.int32)})
    """
    unknown = sorted(set(routed) - set(ROUTED_KEYS))
    if unknown:
        raise ValueError(
            f"export_augmenter: unknown routed inputs {unknown}; expected some of {ROUTED_KEYS}."
        )
    module = _AugmenterModule(layer, tuple(input_shape), dtype, routed)
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
