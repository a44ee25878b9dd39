"""`DDIMSampler`: DDIM sampling (with classifier-free guidance) as a Keras layer."""

import keras
import tensorflow as tf

from keras_augment.layers.core.arguments import check_integer, check_seed, check_unit_interval
from keras_augment.models.schedule import NoiseSchedule, check_schedule, ddim_update
from keras_augment.ops.compiled import instance_function


@keras.saving.register_keras_serializable(package="keras_augment")
class DDIMSampler(keras.layers.Layer):
    """Runs DDIM from flat noise `z` `[B, H*W*C]` (and labels) to images in [-1, 1].

    A layer, so that a sampler is a plain functional `keras.Model` that
    `GenerativeAugment`, `.keras` files and `export_generator` handle like
    any generator. With `eta = 0` the output is a function of `z` alone.

    Args:
        network: noise predictor `[x, timesteps(, labels)]` -> noise.
        timesteps: T of the schedule the network was trained with.
        schedule: `"cosine"` or `"linear"`.
        steps: DDIM steps, 1 .. T.
        guidance: classifier-free guidance weight `w` (conditional networks):
            `eps = eps_none + w (eps_class - eps_none)`; 1 uses the class
            alone, 0 ignores it.
        eta: 0 (deterministic DDIM) .. 1 (ancestral); needs `seed` noise.
        clip: clip each predicted clean image to [-1, 1].
        seed: seed of the noise drawn when `eta > 0`.
        num_classes: class count of a conditional network; label
            `num_classes` is "no class" (the guidance's unconditional branch).
        **kwargs: layer arguments.
    """

    def __init__(self, network, timesteps, schedule="cosine", steps=25, guidance=1.0, eta=0.0,
                 clip=True, seed=None, num_classes=None, **kwargs):
        super().__init__(**kwargs)
        self.network = network
        self.timesteps = check_integer(timesteps, "timesteps", "DDIMSampler", minimum=2)
        self.schedule_name = check_schedule(schedule, "DDIMSampler")
        self.steps = check_integer(steps, "steps", "DDIMSampler", minimum=1, maximum=self.timesteps)
        self.guidance = float(guidance)
        self.eta = check_unit_interval(eta, "eta", "DDIMSampler")
        self.clip = bool(clip)
        self.seed = check_seed(seed, "DDIMSampler")
        self.schedule = NoiseSchedule(self.timesteps, schedule)
        self.image_shape = tuple(network.inputs[0].shape[1:])
        self.conditional = len(network.inputs) == 3
        if self.conditional != (num_classes is not None):
            raise ValueError(
                f"DDIMSampler: a network with {len(network.inputs)} inputs needs "
                f"num_classes {'set' if self.conditional else 'None'}; received num_classes={num_classes!r}."
            )
        self.num_classes = None if num_classes is None else check_integer(num_classes, "num_classes", "DDIMSampler", 1)
        if self.eta:
            self.seed_generator = keras.random.SeedGenerator(seed)
        self.built = True

    def get_config(self):
        config = super().get_config()
        config.update(
            network=keras.saving.serialize_keras_object(self.network), timesteps=self.timesteps,
            schedule=self.schedule_name, steps=self.steps, guidance=self.guidance, eta=self.eta,
            clip=self.clip, seed=self.seed, num_classes=self.num_classes,
        )
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config["network"] = keras.saving.deserialize_keras_object(config["network"])
        return cls(**config)

    def compute_output_shape(self, input_shape):
        first = input_shape[0] if self.conditional else input_shape
        return (first[0], *self.image_shape)

    def predict_noise(self, x, t, labels, null_label):
        """The network's (guided) noise prediction at int timestep `t`."""
        batch = tf.shape(x)[:1]
        times = tf.fill(batch, tf.cast(t, tf.float32))
        if not self.conditional:
            return self.network([x, times], training=False)
        if self.guidance == 1.0:
            return self.network([x, times, labels], training=False)
        both = self.network(
            [tf.concat([x, x], 0), tf.concat([times, times], 0),
             tf.concat([labels, tf.fill(batch, null_label)], 0)],
            training=False,
        )
        with_class, without = tf.split(both, 2)
        return without + self.guidance * (with_class - without)

    def call(self, inputs):
        z, labels = (inputs[0], inputs[1]) if self.conditional else (inputs, None)
        null_label = None
        if self.conditional:
            labels = tf.cast(tf.reshape(labels, [-1]), tf.int32)
            null_label = tf.constant(self.num_classes, tf.int32)
        x = tf.reshape(tf.cast(z, tf.float32), [-1, *self.image_shape])
        # One XLA program for the whole loop, called eagerly, from a traced
        # caller or from a SavedModel alike: left to graph optimizers, oneDNN
        # CPUs fuse the network's ops differently in eager and traced runs
        # and the samples differ in the last bits.
        return instance_function(self, "_compiled_loop", self._loop, autograph=False)(x, labels, null_label)

    def _loop(self, x, labels, null_label):
        times, coefficients = self.schedule.ddim_plan(self.steps, self.eta, "DDIMSampler")
        times, coefficients = tf.constant(times), tf.constant(coefficients)

        # A loop, not unrolled steps: one traced network whatever `steps` is.
        def step(i, x):
            noise_prediction = self.predict_noise(x, times[i], labels, null_label)
            noise = keras.random.normal(tf.shape(x), seed=self.seed_generator) if self.eta else None
            return i + 1, ddim_update(x, noise_prediction, coefficients[i], self.clip, noise)

        _, x = tf.while_loop(lambda i, _: i < self.steps, step, [tf.constant(0), x])
        return tf.clip_by_value(x, -1.0, 1.0)
