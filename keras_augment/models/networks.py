"""Convolutional networks for the generative models, built for any (H, W, C).

Every network halves (or doubles) H and W twice, so H and W must be positive
multiples of 4: 8x8 digits, 28x28 MNIST-style and 32x32 CIFAR-style images
all work; other sizes raise a ValueError naming the builder. Images of 16
pixels or more a side get one more 3x3 convolution at each of the two inner
resolutions: at 28x28 and 32x32 two stride-2 layers alone see too little of
the image. 8x8 networks are unchanged by this.

All builders return functional `keras.Model`s, so they serialize, clone and
export like any Keras model. Conditional networks take a second input,
`labels`: int class indices of shape `[B]`. Passing `seed` makes every
initializer seeded, so rebuilding a network from its config gives the same
weights (useful for tests and for reproducible runs).
"""

import keras
from keras import layers

from keras_augment.layers.core.arguments import check_integer

CONDITIONINGS = ("projection", "concatenation")


class Initializers:
    """Hands out distinct seeded initializers (or Keras defaults without a seed)."""

    def __init__(self, seed):
        self.seed = seed
        self.count = 0

    def _next_seed(self):
        self.count += 1
        return None if self.seed is None else self.seed * 1000 + self.count

    def kernel(self):
        return keras.initializers.GlorotUniform(seed=self._next_seed())

    def embedding(self):
        return keras.initializers.RandomUniform(-0.05, 0.05, seed=self._next_seed())


REFINE_FROM = 16  # images at least this many pixels a side get the extra convolutions


def check_image_shape(image_shape, owner):
    """`image_shape` as a tuple `(H, W, C)` of ints, H and W multiples of 4."""
    try:
        image_shape = tuple(int(d) for d in image_shape)
    except (TypeError, ValueError):
        raise ValueError(
            f"{owner}: `image_shape` must be (H, W, C) with H and W positive "
            f"multiples of 4; received image_shape={image_shape!r}."
        ) from None
    if len(image_shape) != 3 or image_shape[0] % 4 or image_shape[1] % 4 or min(image_shape) < 1:
        raise ValueError(
            f"{owner}: `image_shape` must be (H, W, C) with H and W positive "
            f"multiples of 4; received image_shape={image_shape}."
        )
    return image_shape


def labels_input():
    return keras.Input(shape=(), dtype="int32", name="labels")


def _label_planes(labels, num_classes, image_shape, initializers):
    """One learned H x W plane per class, to concatenate to image channels."""
    height, width, _ = image_shape
    planes = layers.Embedding(
        num_classes, height * width, embeddings_initializer=initializers.embedding()
    )(labels)
    return layers.Reshape((height, width, 1))(planes)


def _image_inputs(image_shape, num_classes, initializers, label_planes):
    """Images input (and labels input); label planes optionally joined as a channel."""
    images = keras.Input(shape=image_shape, name="images")
    if not num_classes:
        return [images], images, None
    labels = labels_input()
    x = images
    if label_planes:
        planes = _label_planes(labels, num_classes, image_shape, initializers)
        x = layers.Concatenate()([images, planes])
    return [images, labels], x, labels


def _refine(image_shape):
    return min(image_shape[:2]) >= REFINE_FROM


def _downsampling_features(x, width, initializers, activation, refine=False):
    for filters in (width, 2 * width):
        x = layers.Conv2D(
            filters, 3, strides=2, padding="same", kernel_initializer=initializers.kernel()
        )(x)
        x = activation()(x)
        if refine:
            x = layers.Conv2D(filters, 3, padding="same", kernel_initializer=initializers.kernel())(x)
            x = activation()(x)
    return layers.Flatten()(x)


def build_encoder(image_shape, latent_dim, num_classes=None, width=32, seed=None, name="encoder"):
    """VAE encoder: images (and labels) to `[mean, log_variance]`, each `[B, latent_dim]`.

    Two stride-2 3x3 convolutions (`width`, `2 * width` filters, ReLU), each
    followed by a stride-1 one when H and W are 16 or more, then a dense layer.

    Args:
        image_shape: `(H, W, C)`, H and W positive multiples of 4 (8x8, 28x28,
            32x32, ...); any other shape raises a ValueError.
        latent_dim: size of the latent code.
        num_classes: if set, the encoder also takes `labels` and sees them as
            an extra image channel and beside its features.
        width: filters of the first convolution (the second has twice as many).
        seed: optional integer seed of the initializers.
        name: model name.
    """
    image_shape = check_image_shape(image_shape, "build_encoder")
    check_integer(latent_dim, "latent_dim", "build_encoder()", minimum=1)
    check_integer(width, "width", "build_encoder()", minimum=1)
    init = Initializers(seed)
    inputs, x, labels = _image_inputs(image_shape, num_classes, init, label_planes=True)
    x = _downsampling_features(x, width, init, layers.ReLU, _refine(image_shape))
    if num_classes:
        embedded = layers.Embedding(num_classes, 16, embeddings_initializer=init.embedding())
        x = layers.Concatenate()([x, embedded(labels)])
    x = layers.Dense(4 * width, activation="relu", kernel_initializer=init.kernel())(x)
    mean = layers.Dense(latent_dim, kernel_initializer=init.kernel(), name="mean")(x)
    log_variance = layers.Dense(latent_dim, kernel_initializer=init.kernel(), name="log_variance")(x)
    return keras.Model(inputs, [mean, log_variance], name=name)


def _upsampling_network(image_shape, latent_dim, num_classes, width, batch_norm, activation, seed, name, owner):
    image_shape = check_image_shape(image_shape, owner)
    check_integer(latent_dim, "latent_dim", f"{owner}()", minimum=1)
    check_integer(width, "width", f"{owner}()", minimum=1)
    init = Initializers(seed)
    height, width_px, channels = image_shape
    noise = keras.Input(shape=(latent_dim,), name="z")
    inputs, x = [noise], noise
    if num_classes:
        labels = labels_input()
        inputs.append(labels)
        embedded = layers.Embedding(num_classes, 16, embeddings_initializer=init.embedding())
        x = layers.Concatenate()([x, embedded(labels)])

    def normalise_and_activate(x):
        if batch_norm:
            x = layers.BatchNormalization(momentum=0.9)(x)
        return layers.ReLU()(x)

    x = layers.Dense(height // 4 * (width_px // 4) * 2 * width, kernel_initializer=init.kernel())(x)
    x = normalise_and_activate(x)
    x = layers.Reshape((height // 4, width_px // 4, 2 * width))(x)
    for filters in (2 * width, width):
        x = layers.Conv2DTranspose(
            filters, 4, strides=2, padding="same", kernel_initializer=init.kernel()
        )(x)
        x = normalise_and_activate(x)
        if _refine(image_shape) and filters == 2 * width:
            x = layers.Conv2D(filters, 3, padding="same", kernel_initializer=init.kernel())(x)
            x = normalise_and_activate(x)
    outputs = layers.Conv2D(
        channels, 3, padding="same", activation=activation, kernel_initializer=init.kernel(),
        dtype="float32",
    )(x)
    return keras.Model(inputs, outputs, name=name)


def build_decoder(image_shape, latent_dim, num_classes=None, width=32, seed=None, name="decoder"):
    """VAE decoder: `z` (and labels) to per-pixel logits `[B, H, W, C]`.

    A dense projection to an (H/4, W/4) map, two stride-2 transposed
    convolutions (with a stride-1 convolution after the first when H and W
    are 16 or more), then a 3x3 convolution. The VAE applies the sigmoid
    itself, so the Bernoulli loss can use logits. Arguments as in
    `build_encoder`; H and W must be multiples of 4.
    """
    return _upsampling_network(
        image_shape, latent_dim, num_classes, width, False, None, seed, name, "build_decoder"
    )


def build_generator(image_shape, latent_dim, num_classes=None, width=64, seed=None, name="generator"):
    """DCGAN generator: `z` (and labels) to images in [-1, 1] (tanh output).

    Dense projection to an (H/4, W/4) map, two stride-2 transposed
    convolutions with batch normalization and ReLU (with a stride-1
    convolution after the first when H and W are 16 or more), then a 3x3
    convolution. H and W must be multiples of 4 (8x8, 28x28, 32x32, ...).
    Labels, when `num_classes` is set, enter through a learned embedding
    concatenated to `z`. Arguments as in `build_encoder`.
    """
    return _upsampling_network(
        image_shape, latent_dim, num_classes, width, True, "tanh", seed, name, "build_generator"
    )


def build_discriminator(
    image_shape, num_classes=None, conditioning="projection", width=64, seed=None, name="discriminator"
):
    """DCGAN discriminator: images (and labels) to one logit `[B, 1]`.

    Two stride-2 convolutions with LeakyReLU (each followed by a stride-1 one
    when H and W are 16 or more) and no batch normalization (so the WGAN-GP
    penalty stays per-sample).

    Args:
        image_shape: `(H, W, C)`, H and W positive multiples of 4 (8x8,
            28x28, 32x32, ...); any other shape raises a ValueError.
        num_classes: if set, the network also takes `labels`.
        conditioning: `"projection"` (logit plus the dot product of a class
            embedding with the features, as in Miyato & Koyama 2018) or
            `"concatenation"` (a learned label plane as an extra channel).
        width: filters of the first convolution.
        seed: optional integer seed of the initializers.
        name: model name.
    """
    image_shape = check_image_shape(image_shape, "build_discriminator")
    check_integer(width, "width", "build_discriminator()", minimum=1)
    if conditioning not in CONDITIONINGS:
        raise ValueError(
            f"build_discriminator: `conditioning` must be one of {CONDITIONINGS}; "
            f"received conditioning={conditioning!r}."
        )
    init = Initializers(seed)
    inputs, x, labels = _image_inputs(
        image_shape, num_classes, init, label_planes=conditioning == "concatenation"
    )
    features = _downsampling_features(x, width, init, lambda: layers.LeakyReLU(0.2), _refine(image_shape))
    logits = layers.Dense(1, kernel_initializer=init.kernel(), dtype="float32")(features)
    if num_classes and conditioning == "projection":
        embedded = layers.Embedding(
            num_classes, features.shape[-1], embeddings_initializer=init.embedding()
        )(labels)
        projection = layers.Dot(axes=1)([embedded, features])
        logits = layers.Add(dtype="float32")([logits, projection])
    return keras.Model(inputs, logits, name=name)
