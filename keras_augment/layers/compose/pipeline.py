"""Pipeline: apply a list of augmentation layers in order, like keras.layers.Pipeline.

Consecutive geometric layers are fused: their per-sample matrices are
multiplied and images, masks, boxes and keypoints are warped once, so a
chain of rotate, translate and zoom interpolates (and blurs) only once. A
displacement-field warp (elastic, grid, ...) that follows such a run joins
it as its last member: the field moves the output points before the matrix.
"""

import keras
import tensorflow as tf

from keras_augment.layers.compose.fusion import (
    composer_config,
    composer_from_config,
    fused_settings,
    fusion_groups,
    is_warp,
    output_images_shape,
    share_box_format,
)
from keras_augment.layers.core.base import BaseAugmentation
from keras_augment.layers.core.inputs import IMAGES, cast_images
from keras_augment.layers.core.sampling import RandomSampler
from keras_augment.layers.geometric.base import MATRIX, compose_matrices
from keras_augment.layers.geometric.warp_batch import warp_batch
from keras_augment.layers.warp.base import DISPLACEMENTS

DEFERRED_SEED = "deferred_seed"


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
        share_box_format(self, layers)
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
                parameters.append(layer.draw_transformation(RandomSampler(seed), images_shape))
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
                transformation[index] = layer.draw_transformation(sampler, images_shape)
            images_shape = output_images_shape(layer, images_shape)
        return transformation

    def output_images_shape(self, images_shape):
        for layer in self.layers:
            images_shape = output_images_shape(layer, images_shape)
        return images_shape

    def transform_batch(self, batch, transformation):
        for group in self._groups:
            transformation = self._resolve(batch, group, transformation)
            if len(group) == 1:
                index = group[0]
                layer = self.layers[index]
                if not layer.accepts_uint8_images:
                    batch = self._cast_images(batch)
                batch = layer.transform_batch(batch, transformation[index])
            else:
                batch = self._warp_group(batch, group, transformation)
        return self._cast_images(batch)

    def transform_at_inference(self, batch):
        # Only layers that act at inference (crops, resizing) change anything.
        for layer in self.layers:
            batch = layer.transform_at_inference(batch)
        return self._cast_images(batch)

    def _cast_images(self, batch):
        # Text stays strings; images go to the compute dtype.
        return cast_images(batch, self.compute_dtype) if self.cast_inputs else batch

    def _warp_group(self, batch, group, transformation):
        layers = [self.layers[i] for i in group]
        warp = layers[-1] if is_warp(layers[-1]) else None
        matrices = compose_matrices(
            [transformation[i][MATRIX] for i in (group[:-1] if warp else group)]
        )
        settings = fused_settings(
            layers,
            self._owner,
            self.bounding_box_format,
            dtype=self.compute_dtype,
            value_range=None if warp is None else warp.value_range,
        )
        displacements = None if warp is None else transformation[group[-1]][DISPLACEMENTS]
        return warp_batch(batch, matrices, settings, displacements=displacements)

    def compute_output_spec(self, *args, **kwargs):
        if self.layers and not self.cast_inputs:  # e.g. strings stay strings
            return self.layers[0].compute_output_spec(*args, **kwargs)
        return super().compute_output_spec(*args, **kwargs)

    def compute_image_output_shape(self, images_shape):
        for layer in self.layers:
            images_shape = layer.compute_image_output_shape(images_shape)
        return images_shape

    def get_config(self):
        return composer_config(self, layers=self.layers)

    @classmethod
    def from_config(cls, config):
        return composer_from_config(cls, config, "layers")
