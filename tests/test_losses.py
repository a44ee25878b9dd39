"""Loss functions of keras_augment.models against hand-computed values."""

import math

import numpy as np
import pytest
import tensorflow as tf

from keras_augment.models import losses


def softplus(x):
    return math.log1p(math.exp(x))


def test_bernoulli_reconstruction_matches_hand_computation():
    targets = np.array([[1.0, 0.0], [0.5, 1.0]], np.float32)
    logits = np.array([[0.0, 2.0], [0.0, -1.0]], np.float32)
    # Per pixel: softplus(logit) - target * logit, summed per sample, batch mean.
    first = softplus(0.0) + softplus(2.0)
    second = softplus(0.0) + (softplus(-1.0) + 1.0)
    expected = (first + second) / 2
    assert expected == pytest.approx(2.413242, abs=1e-5)
    got = losses.bernoulli_reconstruction_loss(targets, logits)
    assert float(got) == pytest.approx(expected, rel=1e-6)


def test_gaussian_reconstruction_matches_hand_computation():
    # 0.5 * (1 / 0.5 + log(pi)) + 0.5 * (0 + log(pi)) = 1 + log(pi)
    got = losses.gaussian_reconstruction_loss(
        np.array([[1.0, 2.0]], np.float32), np.array([[0.0, 2.0]], np.float32), variance=0.5
    )
    assert float(got) == pytest.approx(1.0 + math.log(math.pi), rel=1e-6)


def test_kl_divergence_value_and_sign():
    means = np.array([[1.0, 0.0]], np.float32)
    log_variances = np.array([[0.0, math.log(2.0)]], np.float32)
    # -0.5 * ((1 + 0 - 1 - 1) + (1 + log 2 - 0 - 2)) = 0.5 * (2 - log 2)
    expected = 0.5 * (2.0 - math.log(2.0))
    assert float(losses.kl_divergence(means, log_variances)) == pytest.approx(expected, rel=1e-6)
    # Zero at the prior, positive away from it, in both directions of log_var.
    zero = np.zeros([3, 4], np.float32)
    assert float(losses.kl_divergence(zero, zero)) == pytest.approx(0.0, abs=1e-7)
    for log_var in (-2.0, 2.0):
        assert float(losses.kl_divergence(zero, zero + log_var)) > 0.0
    # Minimising it pulls the mean towards zero (the sign of the gradient).
    mean = tf.Variable([[0.5, -0.5]])
    with tf.GradientTape() as tape:
        value = losses.kl_divergence(mean, tf.zeros([1, 2]))
    np.testing.assert_allclose(tape.gradient(value, mean).numpy(), [[0.5, -0.5]], rtol=1e-6)


REAL = np.array([[2.0]], np.float32)
FAKE = np.array([[-1.0]], np.float32)


@pytest.mark.parametrize(
    "name, discriminator, generator",
    [
        ("non_saturating", softplus(-2.0) + softplus(-1.0), softplus(1.0)),
        ("minimax", softplus(-2.0) + softplus(-1.0), -softplus(-1.0)),
        ("hinge", 0.0 + 0.0, 1.0),
        ("least_squares", 0.5 * 1.0 + 0.5 * 1.0, 0.5 * 4.0),
        ("wasserstein_gp", -1.0 - 2.0, 1.0),
    ],
)
def test_gan_losses_match_hand_computation(name, discriminator, generator):
    assert float(losses.discriminator_loss(name, REAL, FAKE)) == pytest.approx(discriminator, rel=1e-6)
    assert float(losses.generator_loss(name, FAKE)) == pytest.approx(generator, rel=1e-6)


def test_hinge_is_active_inside_the_margin():
    value = losses.discriminator_loss("hinge", np.array([[0.5]]), np.array([[0.5]]))
    assert float(value) == pytest.approx(0.5 + 1.5)


def test_minimax_and_non_saturating_generators_share_the_optimum_direction():
    fake = tf.Variable([[0.0]])
    for name in ("minimax", "non_saturating"):
        with tf.GradientTape() as tape:
            value = losses.generator_loss(name, fake)
        # Raising the fake logit (fooling D) must lower both losses.
        assert float(tape.gradient(value, fake)[0, 0]) < 0.0


def test_gradient_penalty_of_a_linear_critic():
    weights = tf.constant([3.0, 0.0])  # gradient norm 3 everywhere

    def critic(images):
        return tf.reduce_sum(images * weights, axis=[1, 2, 3])[:, None]

    images = tf.random.stateless_normal([4, 1, 1, 2], seed=[1, 2])
    assert float(losses.gradient_penalty(critic, images)) == pytest.approx((3.0 - 1.0) ** 2, rel=1e-5)


def test_interpolate_endpoints():
    real = tf.zeros([2, 2, 2, 1])
    fake = tf.ones([2, 2, 2, 1])
    mixed = losses.interpolate(real, fake, tf.constant([0.0, 0.25]))
    np.testing.assert_allclose(mixed.numpy()[0], 0.0)
    np.testing.assert_allclose(mixed.numpy()[1], 0.25)


def test_unknown_gan_loss_is_rejected():
    with pytest.raises(ValueError, match="loss"):
        losses.discriminator_loss("wasserstein", REAL, FAKE)
