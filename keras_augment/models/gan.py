"""GANs with an XLA-compiled custom train step and an EMA generator."""

import keras
import tensorflow as tf

from keras_augment.models import losses
from keras_augment.models.base import GenerativeModel
from keras_augment.models.networks import build_discriminator, build_generator


@keras.saving.register_keras_serializable(package="keras_augment")
class GAN(GenerativeModel):
    """DCGAN-style generative adversarial network.

    Each train step makes `discriminator_steps` discriminator updates (on the
    batch's real images and fresh noise), then one generator update, then
    updates the exponential moving average (EMA) of the generator's weights.
    `generate` and `sampling_network` use the EMA generator when `use_ema`.

    Args:
        image_shape: `(H, W, C)` with H and W multiples of 4.
        latent_dim: size of the noise vector.
        loss: `"non_saturating"` (default), `"minimax"`, `"hinge"`,
            `"least_squares"` or `"wasserstein_gp"`.
        discriminator_steps: discriminator updates per generator update.
        gradient_penalty_weight: weight of the WGAN-GP gradient penalty (only
            with `loss="wasserstein_gp"`).
        use_ema: keep an EMA copy of the generator for sampling (default True).
        ema_decay: EMA decay; early steps use `min(decay, (1+t)/(10+t))`.
        value_range: `(low, high)` of the training images; networks work in
            [-1, 1].
        generator: optional Keras model `z` (and labels) -> images in [-1, 1].
            With `use_ema` it must be clonable by `keras.models.clone_model`.
        discriminator: optional Keras model images (and labels) -> logits `[B, 1]`.
        width: base filter count of the built-in networks.
        seed: integer seed of the model's noise and the built-in initializers.
        num_classes: None for an unconditional GAN; `ConditionalGAN` sets it.
        conditioning: how the built-in discriminator reads labels when
            `num_classes` is set: `"projection"` (default) or `"concatenation"`.
        **kwargs: `keras.Model` arguments such as `name`.

    Example:

    >>> gan = keras_augment.models.GAN((8, 8, 1), value_range=(0, 16))
    >>> gan.compile(d_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
    ...             g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5))
    >>> gan.fit(images, epochs=10)
    >>> samples = gan.generate(16, seed=0)
    """

    network_range = (-1.0, 1.0)

    def __init__(
        self, image_shape, latent_dim=32, loss="non_saturating", discriminator_steps=1,
        gradient_penalty_weight=10.0, use_ema=True, ema_decay=0.999, value_range=(0.0, 1.0),
        generator=None, discriminator=None, width=64, seed=None, num_classes=None,
        conditioning="projection", **kwargs,
    ):
        super().__init__(image_shape, latent_dim, num_classes, value_range, seed, **kwargs)
        self.loss_name = losses.check_gan_loss(loss, type(self).__name__)
        if int(discriminator_steps) < 1:
            raise ValueError(
                f"{type(self).__name__}: `discriminator_steps` must be >= 1; "
                f"received {discriminator_steps!r}."
            )
        self.discriminator_steps = int(discriminator_steps)
        self.gradient_penalty_weight = float(gradient_penalty_weight)
        self.generator = generator or build_generator(
            self.image_shape, self.latent_dim, self.num_classes, width, seed
        )
        self.discriminator = discriminator or build_discriminator(
            self.image_shape, self.num_classes, conditioning, width, seed
        )
        self.use_ema = bool(use_ema)
        self.ema_decay = float(ema_decay)
        if self.use_ema:
            self.ema_generator = keras.models.clone_model(self.generator)
            self.ema_generator.set_weights(self.generator.get_weights())
            self.ema_generator.trainable = False
            self.ema_step = self.add_weight(
                shape=(), initializer="zeros", trainable=False, name="ema_step"
            )
        self.d_loss_tracker = keras.metrics.Mean(name="d_loss")
        self.g_loss_tracker = keras.metrics.Mean(name="g_loss")

    @property
    def metrics(self):
        return [self.d_loss_tracker, self.g_loss_tracker]

    def compile(self, d_optimizer=None, g_optimizer=None, jit_compile=True, **kwargs):
        """Set the two optimizers; XLA is on by default.

        Args:
            d_optimizer: optimizer (or name) of the discriminator.
            g_optimizer: optimizer (or name) of the generator.
            jit_compile: compile the train step with XLA (default True). On a
                small CPU, XLA's convolutions can be several times slower than
                TensorFlow's own kernels: measure with
                `benchmarks/train_step.py` and pass False there.
            **kwargs: other `keras.Model.compile` arguments.
        """
        self.d_optimizer = self._check_optimizer(d_optimizer, "d_optimizer")
        self.g_optimizer = self._check_optimizer(g_optimizer, "g_optimizer")
        super().compile(optimizer=None, jit_compile=jit_compile, **kwargs)
        # Built here, not on first use inside the compiled step.
        self.d_optimizer.build(self.discriminator.trainable_variables)
        self.g_optimizer.build(self.generator.trainable_variables)

    # ---------------------------------------------------------------- steps
    def _discriminate(self, images, labels, training=True):
        return self.discriminator(self.network_inputs(images, labels), training=training)

    def _fake(self, batch_size, labels, training=True):
        noise = self.sample_noise(batch_size)
        return self.generator(self.network_inputs(noise, labels), training=training)

    def discriminator_loss(self, real, fake, labels):
        """Discriminator loss on network-range real and fake images."""
        loss = losses.discriminator_loss(
            self.loss_name, self._discriminate(real, labels), self._discriminate(fake, labels)
        )
        if self.loss_name == "wasserstein_gp":
            mixing = keras.random.uniform(tf.shape(real)[:1], seed=self.seed_generator)
            points = losses.interpolate(real, fake, mixing)
            penalty = losses.gradient_penalty(lambda x: self._discriminate(x, labels), points)
            loss = loss + self.gradient_penalty_weight * penalty
        return loss

    def train_step(self, data):
        real, labels = self.split_batch(data)
        batch_size = tf.shape(real)[0]
        for _ in range(self.discriminator_steps):
            with tf.GradientTape() as tape:
                fake = self._fake(batch_size, labels)
                d_loss = self.discriminator_loss(real, fake, labels)
            variables = self.discriminator.trainable_variables
            self.d_optimizer.apply(tape.gradient(d_loss, variables), variables)
        with tf.GradientTape() as tape:
            fake_outputs = self._discriminate(self._fake(batch_size, labels), labels)
            g_loss = losses.generator_loss(self.loss_name, fake_outputs)
        variables = self.generator.trainable_variables
        self.g_optimizer.apply(tape.gradient(g_loss, variables), variables)
        if self.use_ema:
            self._update_ema()
        self.d_loss_tracker.update_state(d_loss)
        self.g_loss_tracker.update_state(g_loss)
        return {m.name: m.result() for m in self.metrics}

    def _update_ema(self):
        self.ema_step.assign_add(1.0)
        step = self.ema_step
        decay = tf.minimum(self.ema_decay, (1.0 + step) / (10.0 + step))
        for average, weight in zip(self.ema_generator.weights, self.generator.weights):
            if weight.trainable:
                average.assign(decay * average + (1.0 - decay) * weight)
            else:  # batch-norm statistics follow the live generator
                average.assign(weight)

    # ---------------------------------------------------------------- sampling
    def _sampler_base(self):
        return self.ema_generator if self.use_ema else self.generator

    def _raw_samples(self, z, labels):
        return self._sampler_base()(self.network_inputs(z, labels), training=False)

    def call(self, inputs, training=False):
        """Images in the training value range from `z` (or `[z, labels]`)."""
        if self.conditional:
            return self.decode_latents(inputs[0], inputs[1])
        return self.decode_latents(inputs)


@keras.saving.register_keras_serializable(package="keras_augment")
class ConditionalGAN(GAN):
    """GAN whose generator and discriminator both see the class label.

    The generator concatenates a label embedding to `z`; the discriminator
    uses projection (default) or concatenation conditioning. Train on
    `(images, labels)` or `{"images", "labels"}` (int or one-hot labels).

    Args:
        image_shape: `(H, W, C)` with H and W multiples of 4.
        num_classes: number of classes.
        conditioning: `"projection"` or `"concatenation"` (built-in
            discriminator only).
        **kwargs: the `GAN` arguments.
    """

    def __init__(self, image_shape, num_classes, conditioning="projection", **kwargs):
        super().__init__(image_shape, num_classes=num_classes, conditioning=conditioning, **kwargs)
