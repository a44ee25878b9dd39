"""A small U-Net noise predictor for the diffusion models.

Three resolutions (H, H/2, H/4) with residual blocks, group normalization
and swish; the timestep (and, for conditional models, the class) enters every
residual block as a learned per-channel shift. The output convolution starts
near zero (a tenth of the usual scale), so an untrained network predicts
little noise and its first steps are not spent undoing a random output.
"""

import math

import keras
from keras import layers

from keras_augment.layers.core.arguments import check_integer
from keras_augment.models.networks import Initializers, labels_input, check_image_shape


@keras.saving.register_keras_serializable(package="keras_augment")
class TimestepEmbedding(keras.layers.Layer):
    """Sinusoidal embedding of (float) timesteps `[B]` to `[B, dim]`, as in DDPM:
    `sin(t w_i)` and `cos(t w_i)` with `w_i = 10000^(-i / (dim/2))`."""

    def __init__(self, dim, **kwargs):
        super().__init__(**kwargs)
        self.dim = check_integer(dim, "dim", "TimestepEmbedding", minimum=2)
        if self.dim % 2:
            raise ValueError(f"TimestepEmbedding: `dim` must be even; received dim={dim!r}.")

    def call(self, timesteps):
        half = self.dim // 2
        frequencies = keras.ops.exp(
            keras.ops.arange(half, dtype="float32") * (-math.log(10000.0) / half)
        )
        angles = keras.ops.cast(keras.ops.reshape(timesteps, (-1, 1)), "float32") * frequencies
        return keras.ops.concatenate([keras.ops.sin(angles), keras.ops.cos(angles)], axis=-1)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.dim)

    def get_config(self):
        return {**super().get_config(), "dim": self.dim}


class _UNetInitializers(Initializers):
    def small_kernel(self):
        return keras.initializers.VarianceScaling(0.01, "fan_avg", "uniform", seed=self._next_seed())


def _groups(channels):
    return math.gcd(8, channels)


def _residual_block(x, embedding, channels, init):
    shortcut = x
    if x.shape[-1] != channels:
        shortcut = layers.Conv2D(channels, 1, kernel_initializer=init.kernel())(x)
    h = layers.GroupNormalization(_groups(x.shape[-1]))(x)
    h = layers.Activation("swish")(h)
    h = layers.Conv2D(channels, 3, padding="same", kernel_initializer=init.kernel())(h)
    shift = layers.Dense(channels, kernel_initializer=init.kernel())(embedding)
    h = layers.Add()([h, layers.Reshape((1, 1, channels))(shift)])
    h = layers.GroupNormalization(_groups(channels))(h)
    h = layers.Activation("swish")(h)
    h = layers.Conv2D(channels, 3, padding="same", kernel_initializer=init.kernel())(h)
    return layers.Add()([shortcut, h])


def build_unet(image_shape, num_classes=None, width=32, depth=1, seed=None, name="unet"):
    """Noise predictor `[noisy_images, timesteps(, labels)]` -> noise `[B, H, W, C]`.

    Levels of `width`, `2 * width` and `2 * width` filters at H, H/2 and H/4,
    `depth` residual blocks per level on the way down (each kept as a skip),
    two at the bottom, and `depth` on the way up (each joined with its skip);
    stride-2 convolutions go down, nearest upsampling and a convolution go up.
    About 0.36M weights at width 32, depth 1.

    Args:
        image_shape: `(H, W, C)` with H and W multiples of 4 (two halvings):
            8x8, 28x28 and 32x32 all work; other sizes raise a ValueError.
        num_classes: if set, the network also takes int `labels` `[B]` in
            `0 .. num_classes`, where `num_classes` itself means "no class"
            (the unconditional branch of classifier-free guidance).
        width: filters of the first level (>= 1); 32 suits 28x28 and 32x32.
        depth: residual blocks per level (>= 1).
        seed: optional integer seed of the initializers.
        name: model name.

    Inputs `timesteps` are float `[B]` in `0 .. T-1`.
    """
    image_shape = check_image_shape(image_shape, "build_unet")
    width = check_integer(width, "width", "build_unet()", minimum=1)
    depth = check_integer(depth, "depth", "build_unet()", minimum=1)
    init = _UNetInitializers(seed)
    images = keras.Input(shape=image_shape, name="noisy_images")
    timesteps = keras.Input(shape=(), dtype="float32", name="timesteps")
    inputs = [images, timesteps]
    embedding_dim = 4 * width
    embedding = TimestepEmbedding(2 * max(width // 2, 1))(timesteps)
    embedding = layers.Dense(embedding_dim, activation="swish", kernel_initializer=init.kernel())(embedding)
    embedding = layers.Dense(embedding_dim, kernel_initializer=init.kernel())(embedding)
    if num_classes:
        labels = labels_input()
        inputs.append(labels)
        classes = layers.Embedding(
            num_classes + 1, embedding_dim, embeddings_initializer=init.embedding(), name="class_embedding"
        )
        embedding = layers.Add()([embedding, classes(labels)])
    embedding = layers.Activation("swish")(embedding)

    channels = (width, 2 * width, 2 * width)
    x = layers.Conv2D(width, 3, padding="same", kernel_initializer=init.kernel())(images)
    skips = []
    for level, filters in enumerate(channels[:-1]):
        for _ in range(depth):
            x = _residual_block(x, embedding, filters, init)
            skips.append(x)
        x = layers.Conv2D(
            channels[level + 1], 3, strides=2, padding="same", kernel_initializer=init.kernel()
        )(x)
    for _ in range(2):
        x = _residual_block(x, embedding, channels[-1], init)
    for filters in reversed(channels[:-1]):
        x = layers.UpSampling2D(2, interpolation="nearest")(x)
        x = layers.Conv2D(filters, 3, padding="same", kernel_initializer=init.kernel())(x)
        for _ in range(depth):
            x = layers.Concatenate()([x, skips.pop()])
            x = _residual_block(x, embedding, filters, init)
    x = layers.GroupNormalization(_groups(width))(x)
    x = layers.Activation("swish")(x)
    outputs = layers.Conv2D(
        image_shape[-1], 3, padding="same", kernel_initializer=init.small_kernel(), dtype="float32",
        name="noise",
    )(x)
    return keras.Model(inputs, outputs, name=name)
