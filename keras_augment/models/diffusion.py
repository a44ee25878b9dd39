"""Denoising diffusion models (DDPM training, DDIM sampling, classifier-free guidance)."""

import math

import keras
import numpy as np
import tensorflow as tf

from keras_augment.layers.core.arguments import check_integer, check_unit_interval
from keras_augment.models import losses
from keras_augment.models.base import GenerativeModel
from keras_augment.models.networks import check_image_shape
from keras_augment.models.sampler import DDIMSampler
from keras_augment.models.schedule import NoiseSchedule, check_schedule
from keras_augment.models.unet import build_unet


def _check_network(network, image_shape, num_classes, owner):
    expected = 3 if num_classes else 2
    if not isinstance(network, keras.Model) or len(network.inputs) != expected:
        what = "[images, timesteps, labels]" if num_classes else "[images, timesteps]"
        raise ValueError(
            f"{owner}: `network` must be a Keras model with inputs {what}; "
            f"received {type(network).__name__} with {len(getattr(network, 'inputs', []) or [])} inputs."
        )
    shapes = [tuple(network.inputs[0].shape[1:]), tuple(network.outputs[0].shape[1:])]
    if any(shape != image_shape for shape in shapes):
        raise ValueError(
            f"{owner}: `network` must map images of shape {image_shape} to noise of the "
            f"same shape; received input {shapes[0]} and output {shapes[1]}."
        )
    return network


@keras.saving.register_keras_serializable(package="keras_augment")
class Diffusion(GenerativeModel):
    """Denoising diffusion model: DDPM training, DDIM sampling, EMA weights.

    Each train step draws a timestep `t` and noise `eps` per image, noises
    the image in closed form (`NoiseSchedule.add_noise`), and fits the
    network's noise prediction to `eps` with `losses.noise_prediction_loss`
    (the DDPM objective); then it updates the exponential moving average
    (EMA) of the network's weights, which sampling uses when `use_ema`.
    Sampling runs `sampling_steps` DDIM steps (eta 0) from Gaussian noise, so
    the "latent code" is that noise, flattened: `latent_dim = H * W * C`.

    Args:
        image_shape: `(H, W, C)` with H and W multiples of 4 (e.g. 8x8x1,
            28x28x1, 32x32x3).
        timesteps: T of the training noise schedule (>= 2).
        schedule: `"cosine"` (default) or `"linear"`.
        sampling_steps: default DDIM steps of `generate` and
            `sampling_network` (1 .. T); more steps, better samples.
        use_ema: sample with an EMA copy of the network (default True).
        ema_decay: EMA decay in [0, 1]; early steps use
            `min(decay, (1+t)/(10+t))`.
        clip_denoised: clip each DDIM step's predicted clean image to range.
        value_range: `(low, high)` of the training images; networks work in
            [-1, 1].
        network: optional noise predictor `[images, timesteps]` -> noise
            (`[images, timesteps, labels]` when conditional, with label
            `num_classes` meaning "no class"); `build_unet` by default.
        width: base filter count of the built-in U-Net.
        depth: residual blocks per level of the built-in U-Net.
        seed: integer seed of the model's noise and the built-in initializers.
        **kwargs: `keras.Model` arguments such as `name`.

    Example:

    >>> model = keras_augment.models.Diffusion((8, 8, 1), value_range=(0, 16))
    >>> model.compile(keras.optimizers.Adam(1e-3))
    >>> model.fit(images, epochs=50)
    >>> samples = model.generate(16, seed=0, steps=50)
    """

    network_range = (-1.0, 1.0)

    def __init__(
        self, image_shape, timesteps=1000, schedule="cosine", sampling_steps=25, use_ema=True,
        ema_decay=0.999, clip_denoised=True, value_range=(0.0, 1.0), network=None, width=32, depth=1,
        seed=None, **kwargs,
    ):
        owner = type(self).__name__
        num_classes = kwargs.pop("num_classes", None)
        guidance = kwargs.pop("guidance", 1.0)
        label_dropout = kwargs.pop("label_dropout", 0.0)
        latent_dim = int(np.prod(check_image_shape(image_shape, owner)))
        super().__init__(image_shape, latent_dim, num_classes, value_range, seed, **kwargs)
        if self.conditional:
            self.num_classes = check_integer(num_classes, "num_classes", owner, minimum=1)
        self.timesteps = check_integer(timesteps, "timesteps", owner, minimum=2)
        self.schedule = NoiseSchedule(self.timesteps, check_schedule(schedule, owner))
        self.sampling_steps = check_integer(sampling_steps, "sampling_steps", owner, 1, self.timesteps)
        self.guidance = self._check_guidance(guidance, owner)
        self.label_dropout = check_unit_interval(label_dropout, "label_dropout", owner)
        self.clip_denoised = bool(clip_denoised)
        self.network = _check_network(
            network or build_unet(self.image_shape, self.num_classes, width, depth, seed),
            self.image_shape, self.num_classes, owner,
        )
        self.use_ema = bool(use_ema)
        self.ema_decay = check_unit_interval(ema_decay, "ema_decay", owner)
        if self.use_ema:
            self.ema_network = keras.models.clone_model(self.network)
            self.ema_network.set_weights(self.network.get_weights())
            self.ema_network.trainable = False
            self.ema_step = self.add_weight(shape=(), initializer="zeros", trainable=False, name="ema_step")
        self.loss_tracker = keras.metrics.Mean(name="loss")

    @staticmethod
    def _check_guidance(guidance, owner):
        if isinstance(guidance, bool) or not isinstance(guidance, (int, float, np.number)) or not (
            math.isfinite(guidance) and guidance >= 0
        ):
            raise ValueError(f"{owner}: `guidance` must be a finite number >= 0; received guidance={guidance!r}.")
        return float(guidance)

    @property
    def metrics(self):
        return [self.loss_tracker]

    def compile(self, optimizer="adam", jit_compile=True, **kwargs):
        """Like `keras.Model.compile`, with XLA on by default (measure on a
        small CPU, where XLA's convolutions can be slower)."""
        optimizer = self._check_optimizer(optimizer, "optimizer")
        super().compile(optimizer=optimizer, jit_compile=jit_compile, **kwargs)
        self.optimizer.build(self.network.trainable_variables)

    # ---------------------------------------------------------------- training
    def diffusion_loss(self, images, labels, training=True):
        """Noise-prediction loss of network-range `images` at random timesteps."""
        batch = tf.shape(images)[:1]
        t = keras.random.randint(batch, 0, self.timesteps, seed=self.seed_generator)
        noise = keras.random.normal(tf.shape(images), seed=self.seed_generator)
        inputs = [self.schedule.add_noise(images, t, noise), tf.cast(t, tf.float32)]
        if self.conditional:
            # Classifier-free guidance: sometimes train without the class.
            dropped = keras.random.uniform(batch, seed=self.seed_generator) < self.label_dropout
            inputs.append(tf.where(dropped, self.num_classes, labels))
        return losses.noise_prediction_loss(noise, self.network(inputs, training=training))

    def train_step(self, data):
        images, labels = self.split_batch(data)
        with tf.GradientTape() as tape:
            loss = self.diffusion_loss(images, labels)
        variables = self.network.trainable_variables
        self.optimizer.apply(tape.gradient(loss, variables), variables)
        if self.use_ema:
            self._update_ema()
        self.loss_tracker.update_state(loss)
        return {"loss": self.loss_tracker.result()}

    def test_step(self, data):
        images, labels = self.split_batch(data)
        self.loss_tracker.update_state(self.diffusion_loss(images, labels, training=False))
        return {"loss": self.loss_tracker.result()}

    def _update_ema(self):
        self.ema_step.assign_add(1.0)
        decay = tf.minimum(self.ema_decay, (1.0 + self.ema_step) / (10.0 + self.ema_step))
        for average, weight in zip(self.ema_network.weights, self.network.weights):
            average.assign(decay * average + (1.0 - decay) * weight)

    # ---------------------------------------------------------------- sampling
    def sampler(self, steps=None, guidance=None, eta=0.0, seed=None):
        """A `DDIMSampler` layer over the (EMA) network; defaults from the model."""
        return DDIMSampler(
            self.ema_network if self.use_ema else self.network, self.timesteps, self.schedule.schedule,
            self.sampling_steps if steps is None else steps,
            self.guidance if guidance is None else self._check_guidance(guidance, type(self).__name__),
            eta, self.clip_denoised, seed, self.num_classes,
        )

    def _raw_samples(self, z, labels, sampler=None):
        sampler = sampler or self.sampler()
        return sampler([z, labels] if self.conditional else z)

    def generate(self, n, labels=None, seed=None, steps=None, guidance=None, eta=0.0):
        """`n` images in the training value range, `[n, H, W, C]` float32.

        Args:
            n: number of samples.
            labels: class indices `[n]` for conditional models; by default
                the classes in turn. Ignored by unconditional models.
            seed: integer seed; the same seed gives the same samples.
            steps: DDIM steps (default `sampling_steps`).
            guidance: classifier-free guidance weight (conditional models;
                default the model's `guidance`).
            eta: 0 (deterministic DDIM, default) .. 1; noise drawn from `seed`.
        """
        n = check_integer(n, "n", f"{type(self).__name__}.generate()", minimum=0)
        if self.conditional and labels is None:
            labels = np.arange(n) % self.num_classes
        z = self.sample_noise(n, seed)
        if self.conditional:
            labels = tf.cast(tf.reshape(tf.convert_to_tensor(labels), [-1]), tf.int32)
        if eta:  # a fresh sampler: its noise comes from `seed`
            return self.from_network_range(self._raw_samples(z, labels, self.sampler(steps, guidance, eta, seed)))
        return self.from_network_range(self._traced_sampler(steps, guidance)(z, labels))

    def _traced_sampler(self, steps, guidance):
        # Traced once per (steps, guidance): eagerly, each step would rerun the
        # network layer by layer. Kept out of Keras's attribute tracking.
        cache = self.__dict__.setdefault("_traced_samplers", {})
        key = (self.sampling_steps if steps is None else steps, self.guidance if guidance is None else guidance)
        if key not in cache:
            sampler = self.sampler(*key)
            cache[key] = tf.function(
                lambda z, labels: self._raw_samples(z, labels, sampler), reduce_retracing=True
            )
        return cache[key]

    def sampling_network(self, steps=None, guidance=None):
        """A functional `keras.Model` `z` (or `[z, labels]`) -> images in the
        training value range: deterministic DDIM (eta 0) over the EMA
        network, `z` the flattened starting noise `[B, H*W*C]`."""
        z = keras.Input(shape=(self.latent_dim,), name="z")
        inputs = [z, keras.Input(shape=(), dtype="int32", name="labels")] if self.conditional else z
        raw = self.sampler(steps, guidance)(inputs)
        scale, offset = self._affine(self.network_range, self.value_range)
        images = keras.layers.Rescaling(scale, offset, dtype="float32")(raw)
        return keras.Model(inputs, images, name=f"{self.name}_sampler")

    def call(self, inputs, training=False):
        """Images in the training value range from `z` (or `[z, labels]`)."""
        if self.conditional:
            return self.decode_latents(inputs[0], inputs[1])
        return self.decode_latents(inputs)


@keras.saving.register_keras_serializable(package="keras_augment")
class ConditionalDiffusion(Diffusion):
    """Diffusion model conditioned on the class, with classifier-free guidance.

    During training each label is replaced by "no class" with probability
    `label_dropout`, so one network learns both the conditional and the
    unconditional noise prediction; sampling mixes them as
    `eps = eps_none + guidance * (eps_class - eps_none)` (Ho & Salimans 2022):
    `guidance=1` is the plain conditional model, larger values give more
    typical samples of the class at some cost in diversity. Train on
    `(images, labels)` or `{"images", "labels"}` (int or one-hot labels).

    Args:
        image_shape: `(H, W, C)` with H and W multiples of 4.
        num_classes: number of classes.
        guidance: default guidance weight (>= 0) of `generate` and
            `sampling_network`.
        label_dropout: probability in [0, 1] of training without the label.
        **kwargs: the `Diffusion` arguments.
    """

    def __init__(self, image_shape, num_classes, guidance=2.0, label_dropout=0.1, **kwargs):
        super().__init__(
            image_shape, num_classes=num_classes, guidance=guidance, label_dropout=label_dropout, **kwargs
        )
