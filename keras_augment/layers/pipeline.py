"""Pipeline: apply a list of augmentation layers in order, like keras.layers.Pipeline."""

import keras

from keras_augment.layers.base import BaseAugmentation
from keras_augment.layers.sampling import RandomSampler


@keras.saving.register_keras_serializable(package="keras_augment")
class Pipeline(BaseAugmentation):
    """Applies `layers` one after the other, each with its own per-sample draws.

    Same name and use as `keras.layers.Pipeline`. One call seed gives every
    inner layer its own seed, so a seeded pipeline is reproducible as a whole.

    Args:
        layers: list of keras_augment layers.
        seed: integer seed of the pipeline's own random draws.
        **kwargs: base layer arguments such as `name`.

    Example:

    >>> augment = keras_augment.layers.Pipeline([
    ...     keras_augment.layers.RandomFlip("horizontal"),
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
        if layers:  # text and audio pipelines take their input kind from their layers
            for name in ("input_key", "batched_ranks", "cast_inputs", "_check_images",
                         "_allow_non_tensor_positional_args"):
                setattr(self, name, getattr(layers[0], name))
        self.geometric = any(layer.geometric for layer in layers)
        self.random = any(layer.random for layer in layers)

    def sample_parameters(self, sampler, images_shape):
        return [
            layer.sample_parameters(RandomSampler(sampler.next_seed()), images_shape)
            for layer in self.layers
        ]

    def _transform_batch(self, batch, transformation):
        for layer, parameters in zip(self.layers, transformation):
            batch = layer._transform_batch(batch, parameters)
        return batch

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
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config["layers"] = [keras.saving.deserialize_keras_object(c) for c in config["layers"]]
        return cls(**config)
