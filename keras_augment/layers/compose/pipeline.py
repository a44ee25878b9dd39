"""Pipeline: apply a list of augmentation layers in order, like keras.layers.Pipeline.

Consecutive geometric layers are fused: their per-sample matrices are
multiplied and images, masks, boxes and keypoints are warped once, so a
chain of rotate, translate and zoom interpolates (and blurs) only once. A
displacement-field warp (elastic, grid, ...) that follows such a run joins
it as its last member: the field moves the output points before the matrix.
"""

import keras
import tensorflow as tf

from keras_augment.layers.core.base import IMAGES, BaseAugmentation
from keras_augment.layers.geometric.base import MATRIX, compose_matrices, warp_batch
from keras_augment.layers.core.sampling import RandomSampler
from keras_augment.layers.warp.base import DISPLACEMENTS

DEFERRED_SEED = "deferred_seed"


def is_fusable(layer):
    return getattr(layer, "fusable", False)


def is_warp(layer):
    """Displacement-field warps can end a fused run, but nothing fuses after them."""
    return getattr(layer, "warp", False)


def output_images_shape(layer, images_shape):
    """Dynamic output shape of `layer` for `[B, H, W, C]` input shape."""
    method = getattr(layer, "output_images_shape", None)
    return images_shape if method is None else method(images_shape)


def _share_box_format(owner, layers):
    """Inner layers without a `bounding_box_format` use the owner's."""
    if owner.bounding_box_format is None:
        return
    for layer in layers:
        if layer.bounding_box_format is None:
            layer.bounding_box_format = owner.bounding_box_format
            _share_box_format(layer, getattr(layer, "layers", None) or [getattr(layer, "layer", layer)])


def _fill_settings(layer):
    if layer.fill_mode is None:
        return set()
    return {(layer.fill_mode, float(layer.fill_value))}


def fusion_groups(layers):
    """Split layer indices into runs that can share one resample.

    Geometric layers fuse while their fill settings agree (`fill_mode=None`
    agrees with any); a warp may end such a run; every other layer is a
    group of its own.
    """
    groups = []
    fills = set()
    for index, layer in enumerate(layers):
        current = groups[-1] if groups else None
        if (
            (is_fusable(layer) or is_warp(layer))
            and current is not None
            and is_fusable(layers[current[-1]])
            and len(fills | _fill_settings(layer)) <= 1
        ):
            current.append(index)
            fills |= _fill_settings(layer)
        else:
            groups.append([index])
            fills = _fill_settings(layer) if is_fusable(layer) else set()
    return groups


@keras.saving.register_keras_serializable(package="keras_augment")
class Pipeline(BaseAugmentation):
    """Applies `layers` one after the other, each with its own per-sample draws.

    Same name and use as `keras.layers.Pipeline`. One call seed gives every
    inner layer its own seed, so a seeded pipeline is reproducible as a whole.
    Runs of consecutive geometric layers (flip, rotation, translation, zoom,
    shear, perspective, crops, resizing, affine) are fused into one matrix
    per sample and one resample; the run uses bilinear interpolation if any
    of its layers does, and the fill mode of its layers (runs break where
    fill settings differ). At inference only the layers that act at
    inference (crops, resizing) run.

    Args:
        layers: list of keras_augment layers.
        seed: integer seed of the pipeline's own random draws.
        **kwargs: base layer arguments such as `name` and
            `bounding_box_format` (inner layers without one use it).

    Input shape:
        `(B, H, W, C)` or `(H, W, C)`, or a dict (see `BaseAugmentation`).

    Output shape:
        The output shape of the last layer.

    Example:

    >>> augment = keras_augment.layers.Pipeline([
    ...     keras_augment.layers.RandomFlip("horizontal"),
    ...     keras_augment.layers.RandomRotation(0.1),
    ...     keras_augment.layers.RandomBrightness(0.2),
    ... ])
    >>> augment(tf.zeros([2, 8, 8, 3]), seed=0).shape
    TensorShape([2, 8, 8, 3])
    """

    def __init__(self, layers, seed=None, **kwargs):
        super().__init__(seed=seed, **kwargs)
        layers = list(layers)
        for layer in layers:
            if not isinstance(layer, BaseAugmentation):
                raise ValueError(
                    f"{self._owner} accepts keras_augment layers; received "
                    f"{type(layer).__name__}."
                )
        self.layers = layers
        _share_box_format(self, layers)
        if layers:  # text and audio pipelines take their input kind from their layers
            for name in ("input_key", "batched_ranks", "cast_inputs", "_check_images",
                         "_allow_non_tensor_positional_args"):
                setattr(self, name, getattr(layers[0], name))
        # The channel counts every inner layer accepts: the pipeline checks
        # them once, since inner layers skip their own input checks.
        allowed = [set(counts) for counts in map(lambda layer: layer._allowed_channels(), layers) if counts]
        if allowed:
            self.required_channels = tuple(sorted(set.intersection(*allowed)))
        self.geometric = any(layer.geometric for layer in layers)
        self.random = any(layer.random for layer in layers)
        self._groups = fusion_groups(layers)
        # A leading warp reads uint8 pixels itself (4x smaller gathers).
        first = self._groups[0] if self._groups else []
        self.accepts_uint8_images = len(first) > 1 or (
            len(first) == 1 and layers[first[0]].accepts_uint8_images
        )

    def sample_parameters(self, sampler, images_shape):
        parameters = []
        batch_size_known = True
        for layer in self.layers:
            seed = sampler.next_seed()
            if batch_size_known:
                parameters.append(layer.sample_parameters(RandomSampler(seed), images_shape))
                images_shape = output_images_shape(layer, images_shape)
            else:
                # After a layer that adds samples (GenerativeAugment with
                # mode="append") the batch size is only known once it has
                # run: keep the seed and draw then.
                parameters.append({DEFERRED_SEED: seed})
            batch_size_known = batch_size_known and not getattr(layer, "adds_samples", False)
        return parameters

    def _resolve(self, batch, group, transformation):
        """`transformation` with the deferred draws of `group` made for `batch`."""
        if not any(DEFERRED_SEED in transformation[index] for index in group):
            return transformation
        transformation = list(transformation)
        images_shape = tf.shape(batch[IMAGES])
        for index in group:
            layer = self.layers[index]
            if DEFERRED_SEED in transformation[index]:
                sampler = RandomSampler(transformation[index][DEFERRED_SEED])
                transformation[index] = layer.sample_parameters(sampler, images_shape)
            images_shape = output_images_shape(layer, images_shape)
        return transformation

    def output_images_shape(self, images_shape):
        for layer in self.layers:
            images_shape = output_images_shape(layer, images_shape)
        return images_shape

    def _transform_batch(self, batch, transformation):
        for group in self._groups:
            transformation = self._resolve(batch, group, transformation)
            if len(group) == 1:
                index = group[0]
                layer = self.layers[index]
                if not layer.accepts_uint8_images:
                    batch = self._cast_images(batch)
                batch = layer._transform_batch(batch, transformation[index])
            else:
                batch = self._warp_group(batch, group, transformation)
        return self._cast_images(batch)

    def _cast_images(self, batch):
        if not self.cast_inputs:  # e.g. text stays strings
            return batch
        batch = dict(batch)
        batch[IMAGES] = tf.cast(batch[IMAGES], self.compute_dtype)
        return batch

    def _warp_group(self, batch, group, transformation):
        layers = [self.layers[i] for i in group]
        warp = layers[-1] if is_warp(layers[-1]) else None
        matrices = compose_matrices(
            [transformation[i][MATRIX] for i in (group[:-1] if warp else group)]
        )
        output_size = None
        for layer in layers:
            output_size = layer.output_size() or output_size
        interpolations = {layer.interpolation for layer in layers}
        interpolation = "bilinear" if "bilinear" in interpolations else "nearest"
        fills = set().union(*[_fill_settings(layer) for layer in layers])
        fill_mode, fill_value = next(iter(fills)) if fills else (None, 0.0)
        formats = [layer.bounding_box_format for layer in layers if layer.bounding_box_format]
        return warp_batch(
            batch,
            matrices,
            output_size,
            interpolation,
            fill_mode,
            fill_value,
            formats[0] if formats else self.bounding_box_format,
            self._owner,
            max(layer.min_area for layer in layers),
            max(layer.min_visibility for layer in layers),
            self.compute_dtype,
            displacements=None if warp is None else transformation[group[-1]][DISPLACEMENTS],
            value_range=None if warp is None else warp.value_range,
        )

    def call(self, data, training=True, seed=None):
        batch, restore = self._standardize(data)
        if training:
            return restore(self._transform_batch(batch, self._draw(batch, seed)))
        for layer in self.layers:
            if getattr(layer, "applies_at_inference", False):
                parameters = layer.inference_parameters(tf.shape(batch[IMAGES]))
                batch = layer._transform_batch(batch, parameters)
        return restore(self._cast_images(batch))

    def compute_output_spec(self, *args, **kwargs):
        if self.layers and not self.cast_inputs:  # e.g. strings stay strings
            return self.layers[0].compute_output_spec(*args, **kwargs)
        return super().compute_output_spec(*args, **kwargs)

    def compute_image_output_shape(self, images_shape):
        for layer in self.layers:
            images_shape = layer.compute_image_output_shape(images_shape)
        return images_shape

    def get_config(self):
        config = keras.layers.Layer.get_config(self)
        config["layers"] = [keras.saving.serialize_keras_object(layer) for layer in self.layers]
        config["seed"] = self.seed
        if self.bounding_box_format is not None:
            config["bounding_box_format"] = self.bounding_box_format
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config["layers"] = [keras.saving.deserialize_keras_object(c) for c in config["layers"]]
        return cls(**config)
