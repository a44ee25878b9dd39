"""Per-sample probability wrappers: RandomApply and RandomChoice.

Geometric layers are selected through their matrices (identity where a
sample is left alone), so they still fuse in a `Pipeline` and cost one
resample. Other layers run only on the samples that drew them: the batch is
split by `tf.gather`, each part transformed once, and scattered back.
"""

import keras
import tensorflow as tf

from keras_augment.layers.compose.fusion import (
    composer_config,
    composer_from_config,
    fused_settings,
    share_box_format,
)
from keras_augment.layers.core.base import BaseAugmentation
from keras_augment.layers.core.inputs import BOUNDING_BOXES, IMAGES
from keras_augment.layers.core.sampling import RandomSampler
from keras_augment.layers.geometric.base import MATRIX
from keras_augment.layers.geometric.warp_batch import warp_batch
from keras_augment.ops import bounding_boxes as box_ops
from keras_augment.ops import geometry


def _rows(structure, indices):
    return tf.nest.map_structure(lambda t: tf.gather(t, indices), structure)


def _scatter_rows(target, indices, values):
    return tf.nest.map_structure(
        lambda t, v: tf.tensor_scatter_nd_update(t, indices[:, None], tf.cast(v, t.dtype)),
        target,
        values,
    )


def _apply_to_rows(layer, batch, parameters, selected):
    """Run `layer` on the samples where `selected`, leave the others."""
    if BOUNDING_BOXES in batch and layer.bounding_box_format is not None:
        # Samples left alone follow the box rules too (the rules are idempotent).
        shape = tf.shape(batch[IMAGES])
        batch = dict(batch)
        batch[BOUNDING_BOXES] = box_ops.apply_box_rules(
            batch[BOUNDING_BOXES], layer.bounding_box_format, shape[1], shape[2]
        )
    indices = tf.where(selected)[:, 0]
    part = layer.transform_batch(_rows(batch, indices), _rows(parameters, indices))
    updated = {key: part[key] for key in batch if key in part}
    output = dict(batch)
    output.update(_scatter_rows({k: batch[k] for k in updated}, indices, updated))
    return output


def _fusable_same_size(layer):
    return getattr(layer, "fusable", False) and layer.output_size() is None


def _check_layer(owner, layer):
    if not isinstance(layer, BaseAugmentation):
        raise ValueError(
            f"{owner} wraps keras_augment layers; received {type(layer).__name__}."
        )
    size = getattr(layer, "output_size", lambda: None)()
    if size is not None:
        raise ValueError(
            f"{owner}: a layer applied to only some samples must keep the image "
            f"size; {type(layer).__name__} outputs {size}."
        )


class _Selector(BaseAugmentation):
    """Shared plumbing: delegate warp settings to wrapped geometric layers."""

    def _delegate_geometry(self, layers):
        share_box_format(self, layers)
        self.geometric = any(layer.geometric for layer in layers)
        self.fusable = all(_fusable_same_size(layer) for layer in layers)
        if self.fusable:
            fills = {(l.fill_mode, l.fill_value) for l in layers if l.fill_mode is not None}
            interpolations = {l.interpolation for l in layers}
            self.fusable = len(fills) <= 1
            self.fill_mode, self.fill_value = next(iter(fills)) if fills else (None, 0.0)
            self.interpolation = "bilinear" if "bilinear" in interpolations else "nearest"
            self.min_area = max(l.min_area for l in layers)
            self.min_visibility = max(l.min_visibility for l in layers)

    def output_size(self):
        return None

    @property
    def _warp_format(self):
        inner = getattr(self, "layers", None) or [self.layer]
        formats = [l.bounding_box_format for l in inner if l.bounding_box_format]
        return self.bounding_box_format or (formats[0] if formats else None)

    def _warp(self, batch, matrices):
        return warp_batch(batch, matrices, fused_settings([self], self._owner, self._warp_format))


@keras.saving.register_keras_serializable(package="keras_augment")
class RandomApply(_Selector):
    """Applies `layer` to each sample with probability `rate`.

    Args:
        layer: a keras_augment layer that keeps the image size.
        rate: probability in `[0, 1]` that a sample is transformed.
        seed: integer seed of the wrapper's own random draws.
        **kwargs: base layer arguments such as `bounding_box_format`.

    Input shape:
        `(B, H, W, C)` or `(H, W, C)`, or a dict (see `BaseAugmentation`).

    Output shape:
        Same as the input.

    Example:

    >>> layer = keras_augment.layers.RandomApply(
    ...     keras_augment.layers.RandomRotation(0.1), rate=0.5)
    >>> layer(tf.zeros([2, 8, 8, 3]), seed=0).shape
    TensorShape([2, 8, 8, 3])
    """

    def __init__(self, layer, rate=0.5, seed=None, **kwargs):
        super().__init__(seed=seed, **kwargs)
        _check_layer(self._owner, layer)
        if isinstance(rate, bool) or not isinstance(rate, (int, float)) or not 0 <= rate <= 1:
            raise ValueError(f"{self._owner}: `rate` must be a number in [0, 1]; received rate={rate!r}.")
        self.layer = layer
        self.rate = float(rate)
        self._delegate_geometry([layer])

    def sample_parameters(self, sampler, images_shape):
        apply = sampler.bernoulli(images_shape[:1], self.rate)
        inner = self.layer.draw_transformation(RandomSampler(sampler.next_seed()), images_shape)
        parameters = {"apply": apply, "layer": inner}
        if self.fusable:
            identity = geometry.identity(images_shape[0])
            parameters[MATRIX] = tf.where(apply[:, None, None], inner[MATRIX], identity)
        return parameters

    def transform_batch(self, batch, transformation):
        if self.fusable:
            return self._warp(batch, transformation[MATRIX])
        return _apply_to_rows(self.layer, batch, transformation["layer"], transformation["apply"])

    def get_config(self):
        config = composer_config(self, layer=self.layer)
        config["rate"] = self.rate
        return config

    @classmethod
    def from_config(cls, config):
        return composer_from_config(cls, config, "layer")


@keras.saving.register_keras_serializable(package="keras_augment")
class RandomChoice(_Selector):
    """Applies one of `layers`, chosen uniformly and independently per sample.

    Each sample is transformed by its chosen layer only.

    Args:
        layers: list of keras_augment layers with the same output size.
        seed: integer seed of the wrapper's own random draws.
        **kwargs: base layer arguments such as `bounding_box_format`.

    Input shape:
        `(B, H, W, C)` or `(H, W, C)`, or a dict (see `BaseAugmentation`).

    Output shape:
        Same as the input.

    Example:

    >>> layer = keras_augment.layers.RandomChoice([
    ...     keras_augment.layers.RandomRotation(0.1),
    ...     keras_augment.layers.RandomZoom(0.2)])
    >>> layer(tf.zeros([2, 8, 8, 3]), seed=0).shape
    TensorShape([2, 8, 8, 3])
    """

    def __init__(self, layers, seed=None, **kwargs):
        super().__init__(seed=seed, **kwargs)
        layers = list(layers)
        if not layers:
            raise ValueError(f"{self._owner}: `layers` must not be empty.")
        for layer in layers:
            _check_layer(self._owner, layer)
        self.layers = layers
        self.random = True
        self._delegate_geometry(layers)

    def sample_parameters(self, sampler, images_shape):
        choice = sampler.integers(images_shape[:1], 0, len(self.layers))
        inner = [
            layer.draw_transformation(RandomSampler(sampler.next_seed()), images_shape)
            for layer in self.layers
        ]
        parameters = {"choice": choice, "layers": inner}
        if self.fusable:
            stacked = tf.stack([p[MATRIX] for p in inner], axis=1)
            parameters[MATRIX] = tf.gather(stacked, choice, batch_dims=1)
        return parameters

    def transform_batch(self, batch, transformation):
        if self.fusable:
            return self._warp(batch, transformation[MATRIX])
        choice = transformation["choice"]
        output = batch
        for index, layer in enumerate(self.layers):
            output = _apply_to_rows(layer, output, transformation["layers"][index], choice == index)
        return output

    def get_config(self):
        return composer_config(self, layers=self.layers)

    @classmethod
    def from_config(cls, config):
        return composer_from_config(cls, config, "layers")
