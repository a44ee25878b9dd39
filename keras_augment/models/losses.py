"""Loss functions of the generative models, as small standalone functions.

Every function returns a scalar: a per-sample sum over pixels or latent
dimensions, averaged over the batch, so the VAE terms keep their ELBO scale.
GAN losses take the discriminator's raw outputs (logits, or critic values
for Wasserstein), never probabilities.
"""

import math

import tensorflow as tf


def _per_sample_sum(values):
    values = tf.reshape(values, [tf.shape(values)[0], -1])
    return tf.reduce_sum(values, axis=1)


def bernoulli_reconstruction_loss(targets, logits):
    """Negative Bernoulli log-likelihood of `targets` in [0, 1] under `logits`.

    Args:
        targets: `[B, ...]` floats in [0, 1].
        logits: `[B, ...]` decoder outputs before the sigmoid.

    Returns:
        Scalar: summed over everything but the batch, averaged over the batch.
    """
    targets = tf.cast(targets, logits.dtype)
    losses = tf.nn.sigmoid_cross_entropy_with_logits(labels=targets, logits=logits)
    return tf.reduce_mean(_per_sample_sum(losses))


def gaussian_reconstruction_loss(targets, means, variance=1.0):
    """Negative Gaussian log-likelihood with a fixed `variance`.

    Args:
        targets: `[B, ...]` floats.
        means: `[B, ...]` decoder means.
        variance: fixed positive variance of every pixel.

    Returns:
        Scalar: `0.5 * ((x - mean)^2 / variance + log(2 pi variance))` summed
        over everything but the batch, averaged over the batch.
    """
    targets = tf.cast(targets, means.dtype)
    constant = math.log(2.0 * math.pi * variance)
    losses = 0.5 * (tf.square(targets - means) / variance + constant)
    return tf.reduce_mean(_per_sample_sum(losses))


def kl_divergence(means, log_variances):
    """KL(N(mean, exp(log_var)) || N(0, 1)), never negative.

    `-0.5 * sum(1 + log_var - mean^2 - exp(log_var))` over latent dimensions,
    averaged over the batch.
    """
    terms = 1.0 + log_variances - tf.square(means) - tf.exp(log_variances)
    return tf.reduce_mean(-0.5 * tf.reduce_sum(terms, axis=-1))


# ------------------------------------------------------------------ GAN losses
def _discriminator_non_saturating(real, fake):
    # -log sigmoid(real) - log(1 - sigmoid(fake)).
    return tf.reduce_mean(tf.nn.softplus(-real)) + tf.reduce_mean(tf.nn.softplus(fake))


def _discriminator_hinge(real, fake):
    return tf.reduce_mean(tf.nn.relu(1.0 - real)) + tf.reduce_mean(tf.nn.relu(1.0 + fake))


def _discriminator_least_squares(real, fake):
    return 0.5 * tf.reduce_mean(tf.square(real - 1.0)) + 0.5 * tf.reduce_mean(tf.square(fake))


def _discriminator_wasserstein(real, fake):
    return tf.reduce_mean(fake) - tf.reduce_mean(real)


def _generator_non_saturating(fake):
    return tf.reduce_mean(tf.nn.softplus(-fake))  # -log sigmoid(fake)


def _generator_minimax(fake):
    return -tf.reduce_mean(tf.nn.softplus(fake))  # log(1 - sigmoid(fake))


def _generator_least_squares(fake):
    return 0.5 * tf.reduce_mean(tf.square(fake - 1.0))


def _generator_critic(fake):
    return -tf.reduce_mean(fake)


GAN_LOSSES = {
    "non_saturating": (_discriminator_non_saturating, _generator_non_saturating),
    "minimax": (_discriminator_non_saturating, _generator_minimax),
    "hinge": (_discriminator_hinge, _generator_critic),
    "least_squares": (_discriminator_least_squares, _generator_least_squares),
    "wasserstein_gp": (_discriminator_wasserstein, _generator_critic),
}


def check_gan_loss(name, owner="GAN"):
    if name not in GAN_LOSSES:
        raise ValueError(
            f"{owner}: `loss` must be one of {sorted(GAN_LOSSES)}; received loss={name!r}."
        )
    return name


def discriminator_loss(name, real_outputs, fake_outputs):
    """Discriminator (critic) loss `name` for outputs on real and fake batches.

    Args:
        name: one of `GAN_LOSSES`: `"non_saturating"`, `"minimax"`,
            `"hinge"`, `"least_squares"` or `"wasserstein_gp"` (without the
            penalty; add `gradient_penalty` yourself).
        real_outputs: `[B, 1]` discriminator logits on real images.
        fake_outputs: `[B, 1]` discriminator logits on generated images.
    """
    return GAN_LOSSES[check_gan_loss(name)][0](real_outputs, fake_outputs)


def generator_loss(name, fake_outputs):
    """Generator loss `name` given the discriminator's logits on fakes."""
    return GAN_LOSSES[check_gan_loss(name)][1](fake_outputs)


def interpolate(real_images, fake_images, mixing):
    """Points on the lines between real and fake images, `mixing` of shape [B]."""
    mixing = tf.reshape(tf.cast(mixing, real_images.dtype), [-1, 1, 1, 1])
    return real_images + mixing * (fake_images - real_images)


def gradient_penalty(critic, images):
    """WGAN-GP penalty `mean((||d critic(x) / dx|| - 1)^2)` at `images`.

    Args:
        critic: callable from images `[B, H, W, C]` to scores `[B, 1]`.
        images: points to penalise, usually `interpolate(real, fake, u)`.
    """
    with tf.GradientTape() as tape:
        tape.watch(images)
        scores = critic(images)
    gradients = tape.gradient(scores, images)
    norms = tf.sqrt(_per_sample_sum(tf.square(gradients)) + 1e-12)
    return tf.reduce_mean(tf.square(norms - 1.0))


# ------------------------------------------------------------ diffusion losses
def noise_prediction_loss(noise, predicted_noise):
    """The DDPM "simple" objective (Ho et al. 2020): `mean((eps - eps_hat)^2)`.

    Unlike the VAE terms, this is averaged over pixels as well as the batch,
    so its scale does not depend on the image size (a network that predicts
    zeros scores about 1).

    Args:
        noise: `[B, ...]` the standard normal noise that was added.
        predicted_noise: `[B, ...]` the network's prediction of it.

    Returns:
        Scalar.
    """
    noise = tf.cast(noise, predicted_noise.dtype)
    return tf.reduce_mean(tf.square(noise - predicted_noise))
