"""What the VAE and GAN families share: value ranges, seeding, `generate`."""

import keras
import numpy as np
import tensorflow as tf

from keras_augment.models.networks import check_image_shape


class GenerativeModel(keras.Model):
    """Base class of the generative models (not used directly).

    Holds the image shape, latent size, optional class count, the value range
    of the training images and a `keras.random.SeedGenerator` that every noise
    draw of the model goes through. Subclasses set `network_range` (the range
    their networks work in) and implement `_raw_samples(z, labels)`.
    """

    network_range = (0.0, 1.0)

    def __init__(self, image_shape, latent_dim, num_classes=None, value_range=(0.0, 1.0), seed=None, **kwargs):
        super().__init__(**kwargs)
        self.image_shape = check_image_shape(image_shape, type(self).__name__)
        self.latent_dim = int(latent_dim)
        self.num_classes = None if num_classes is None else int(num_classes)
        low, high = (float(v) for v in value_range)
        if not high > low:
            raise ValueError(
                f"{type(self).__name__}: `value_range` must be (low, high) with "
                f"high > low; received value_range={value_range!r}."
            )
        self.value_range = (low, high)
        self.seed_generator = keras.random.SeedGenerator(seed)
        self.built = True

    @property
    def conditional(self):
        return self.num_classes is not None

    # ---------------------------------------------------------------- ranges
    def _affine(self, source, target):
        scale = (target[1] - target[0]) / (source[1] - source[0])
        return scale, target[0] - source[0] * scale

    def to_network_range(self, images):
        scale, offset = self._affine(self.value_range, self.network_range)
        return tf.cast(images, tf.float32) * scale + offset

    def from_network_range(self, images):
        scale, offset = self._affine(self.network_range, self.value_range)
        return images * scale + offset

    # ---------------------------------------------------------------- data
    def split_batch(self, data):
        """`images`, `(images, labels)` or `{"images", "labels"}` to network-range
        images and int32 labels (None for unconditional models). One-hot labels
        are turned into indices."""
        if isinstance(data, dict):
            images, labels = data["images"], data.get("labels")
        elif isinstance(data, (tuple, list)):
            images, labels = data[0], (data[1] if len(data) > 1 else None)
        else:
            images, labels = data, None
        if not self.conditional:
            return self.to_network_range(images), None
        if labels is None:
            raise ValueError(
                f"{type(self).__name__} is conditional: training data must be "
                "(images, labels) or a dict with `images` and `labels`."
            )
        labels = tf.convert_to_tensor(labels)
        if labels.shape.rank == 2:
            labels = tf.argmax(labels, axis=-1)
        return self.to_network_range(images), tf.cast(tf.reshape(labels, [-1]), tf.int32)

    def network_inputs(self, main, labels):
        return [main, labels] if self.conditional else main

    # ---------------------------------------------------------------- sampling
    def _raw_samples(self, z, labels):
        raise NotImplementedError

    def sample_noise(self, batch_size, seed=None):
        seed = self.seed_generator if seed is None else seed
        return keras.random.normal((batch_size, self.latent_dim), seed=seed)

    def decode_latents(self, z, labels=None):
        """Images in the training value range for latent codes `z` (and labels)."""
        z = tf.convert_to_tensor(z, tf.float32)
        if self.conditional:
            if labels is None:
                raise ValueError(f"{type(self).__name__} is conditional: pass `labels`.")
            labels = tf.cast(tf.reshape(tf.convert_to_tensor(labels), [-1]), tf.int32)
        return self.from_network_range(self._raw_samples(z, labels))

    def generate(self, n, labels=None, seed=None):
        """`n` images in the training value range, `[n, H, W, C]` float32.

        Args:
            n: number of samples.
            labels: class indices `[n]` for conditional models; by default
                the classes in turn (0, 1, ..., num_classes - 1, 0, ...).
                Ignored by unconditional models.
            seed: integer seed; the same seed gives the same samples. Without
                it the noise comes from the model's own seed generator.
        """
        if self.conditional and labels is None:
            labels = np.arange(n) % self.num_classes
        return self.decode_latents(self.sample_noise(n, seed), labels)

    def sampling_network(self):
        """A functional `keras.Model` `z` (or `[z, labels]`) -> images in the
        training value range, sharing this model's weights. This is what
        `GenerativeAugment` and `export_generator` use."""
        network = self._sampler_base()
        inputs = list(network.inputs) if self.conditional else network.inputs[0]
        raw = self._sampler_activation(network(inputs, training=False))
        scale, offset = self._affine(self.network_range, self.value_range)
        images = keras.layers.Rescaling(scale, offset, dtype="float32")(raw)
        return keras.Model(inputs, images, name=f"{self.name}_sampler")

    def _sampler_activation(self, outputs):
        return outputs

    # ---------------------------------------------------------------- compile
    def _check_optimizer(self, optimizer, what):
        optimizer = keras.optimizers.get(optimizer)
        if optimizer is None:
            raise ValueError(f"{type(self).__name__}.compile: pass `{what}`.")
        return optimizer
