"""Variational autoencoders with an XLA-compiled custom train step."""

import keras
import tensorflow as tf

from keras_augment.models import losses
from keras_augment.models.base import GenerativeModel
from keras_augment.models.networks import build_decoder, build_encoder

RECONSTRUCTIONS = ("bernoulli", "gaussian")


@keras.saving.register_keras_serializable(package="keras_augment")
class VAE(GenerativeModel):
    """Convolutional variational autoencoder.

    Loss per sample: reconstruction (Bernoulli or Gaussian negative
    log-likelihood summed over pixels) plus `beta` times
    `KL = -0.5 * sum(1 + log_var - mean^2 - exp(log_var))`. Training images
    are mapped from `value_range` to [0, 1]; `generate` maps back.

    Args:
        image_shape: `(H, W, C)` with H and W multiples of 4.
        latent_dim: size of the latent code.
        reconstruction: `"bernoulli"` (decoder outputs logits) or
            `"gaussian"` (decoder mean `sigmoid(output)`, fixed `variance`).
        beta: weight of the KL term.
        variance: pixel variance of the Gaussian likelihood, in [0, 1] units.
        value_range: `(low, high)` of the training images, e.g. `(0, 255)`.
        encoder: optional Keras model images (and labels) -> `[mean, log_var]`.
        decoder: optional Keras model `z` (and labels) -> logits `[B, H, W, C]`.
        width: base filter count of the built-in networks.
        seed: integer seed of the model's noise and of the built-in networks'
            initializers.
        **kwargs: `keras.Model` arguments such as `name`.

    Example:

    >>> vae = keras_augment.models.VAE((8, 8, 1), latent_dim=8, value_range=(0, 16))
    >>> vae.compile(keras.optimizers.Adam(1e-3))
    >>> vae.fit(images, epochs=10)
    >>> samples = vae.generate(16, seed=0)
    """

    def __init__(
        self, image_shape, latent_dim=16, reconstruction="bernoulli", beta=1.0, variance=0.05,
        value_range=(0.0, 1.0), encoder=None, decoder=None, width=32, seed=None, **kwargs,
    ):
        num_classes = kwargs.pop("num_classes", None)
        super().__init__(image_shape, latent_dim, num_classes, value_range, seed, **kwargs)
        if reconstruction not in RECONSTRUCTIONS:
            raise ValueError(
                f"{type(self).__name__}: `reconstruction` must be one of "
                f"{RECONSTRUCTIONS}; received reconstruction={reconstruction!r}."
            )
        self.reconstruction = reconstruction
        self.beta = float(beta)
        self.variance = float(variance)
        self.encoder = encoder or build_encoder(
            self.image_shape, self.latent_dim, self.num_classes, width, seed
        )
        self.decoder = decoder or build_decoder(
            self.image_shape, self.latent_dim, self.num_classes, width, seed
        )
        self.loss_tracker = keras.metrics.Mean(name="loss")
        self.reconstruction_tracker = keras.metrics.Mean(name="reconstruction_loss")
        self.kl_tracker = keras.metrics.Mean(name="kl_loss")

    @property
    def metrics(self):
        return [self.loss_tracker, self.reconstruction_tracker, self.kl_tracker]

    def compile(self, optimizer="adam", jit_compile=True, **kwargs):
        """Like `keras.Model.compile`, with XLA on by default.

        On a small CPU, XLA's convolutions can be slower than TensorFlow's own
        kernels: measure with `benchmarks/train_step.py` and pass
        `jit_compile=False` there.
        """
        optimizer = self._check_optimizer(optimizer, "optimizer")
        super().compile(optimizer=optimizer, jit_compile=jit_compile, **kwargs)
        self.optimizer.build(self.trainable_variables)

    # ---------------------------------------------------------------- math
    def reconstruction_loss(self, targets, outputs):
        if self.reconstruction == "bernoulli":
            return losses.bernoulli_reconstruction_loss(targets, outputs)
        return losses.gaussian_reconstruction_loss(targets, tf.sigmoid(outputs), self.variance)

    def encode(self, images, labels=None, training=False):
        """`(mean, log_variance)` of network-range images."""
        return self.encoder(self.network_inputs(images, labels), training=training)

    def _elbo_terms(self, images, labels, training):
        mean, log_variance = self.encode(images, labels, training)
        noise = keras.random.normal(tf.shape(mean), seed=self.seed_generator)
        z = mean + tf.exp(0.5 * log_variance) * noise
        outputs = self.decoder(self.network_inputs(z, labels), training=training)
        reconstruction = self.reconstruction_loss(images, outputs)
        kl = losses.kl_divergence(mean, log_variance)
        return reconstruction + self.beta * kl, reconstruction, kl

    def _record(self, total, reconstruction, kl):
        self.loss_tracker.update_state(total)
        self.reconstruction_tracker.update_state(reconstruction)
        self.kl_tracker.update_state(kl)
        return {m.name: m.result() for m in self.metrics}

    # ---------------------------------------------------------------- Keras API
    def train_step(self, data):
        images, labels = self.split_batch(data)
        with tf.GradientTape() as tape:
            total, reconstruction, kl = self._elbo_terms(images, labels, True)
        variables = self.trainable_variables
        self.optimizer.apply(tape.gradient(total, variables), variables)
        return self._record(total, reconstruction, kl)

    def test_step(self, data):
        images, labels = self.split_batch(data)
        return self._record(*self._elbo_terms(images, labels, False))

    def call(self, inputs, training=False):
        """Reconstruct `inputs` (images, or `(images, labels)` when conditional)
        from the posterior mean, in the training value range."""
        images, labels = self.split_batch(inputs)
        mean, _ = self.encode(images, labels, training)
        return self.decode_latents(mean, labels)

    def _sampler_base(self):
        return self.decoder

    def _sampler_activation(self, outputs):
        return keras.layers.Activation("sigmoid", dtype="float32")(outputs)

    def _raw_samples(self, z, labels):
        return tf.sigmoid(self.decoder(self.network_inputs(z, labels), training=False))


@keras.saving.register_keras_serializable(package="keras_augment")
class ConditionalVAE(VAE):
    """VAE whose encoder and decoder both see the class label.

    Train on `(images, labels)` or `{"images", "labels"}` with int labels
    `[B]` or one-hot `[B, num_classes]`. `generate(n, labels)` draws images of
    the given classes. Other arguments as in `VAE`.

    Args:
        image_shape: `(H, W, C)` with H and W multiples of 4.
        num_classes: number of classes.
        **kwargs: the `VAE` arguments.
    """

    def __init__(self, image_shape, num_classes, **kwargs):
        super().__init__(image_shape, num_classes=num_classes, **kwargs)
