"""Noise schedules of the diffusion models: forward noising and DDIM steps.

Notation as in Ho et al. 2020 (DDPM) and Song et al. 2021 (DDIM): timesteps
`t = 0 .. T-1`, `alpha_bar[t]` the product of `1 - beta` up to `t`, and the
forward process `x_t = sqrt(alpha_bar[t]) x_0 + sqrt(1 - alpha_bar[t]) eps`.
"""

import math

import numpy as np
import tensorflow as tf

from keras_augment.layers.core.arguments import check_integer

SCHEDULES = ("cosine", "linear")


def check_schedule(schedule, owner):
    if schedule not in SCHEDULES:
        raise ValueError(f"{owner}: `schedule` must be one of {SCHEDULES}; received schedule={schedule!r}.")
    return schedule


def alphas_cumprod(timesteps, schedule="cosine"):
    """`alpha_bar[t]` for `t = 0 .. timesteps-1`, float64, strictly decreasing.

    Args:
        timesteps: T, an integer >= 2.
        schedule: `"cosine"` (Nichol & Dhariwal 2021: `alpha_bar(t) =
            f(t) / f(0)`, `f(t) = cos^2((t/T + 0.008) / 1.008 * pi/2)`, each
            beta capped at 0.999) or `"linear"` (betas from 1e-4 to 0.02,
            scaled by 1000 / T so that any T spans the same noise levels).
    """
    timesteps = check_integer(timesteps, "timesteps", "alphas_cumprod()", minimum=2)
    check_schedule(schedule, "alphas_cumprod()")
    if schedule == "cosine":
        offset = 0.008
        f = np.cos((np.arange(timesteps + 1) / timesteps + offset) / (1 + offset) * math.pi / 2) ** 2
        betas = np.clip(1.0 - f[1:] / f[:-1], 0.0, 0.999)
    else:
        scale = 1000.0 / timesteps
        betas = np.clip(np.linspace(1e-4 * scale, 0.02 * scale, timesteps), 0.0, 0.999)
    return np.cumprod(1.0 - betas)


def ddim_timesteps(timesteps, steps, owner="ddim_timesteps()"):
    """The `steps` timesteps DDIM visits, from T-1 down to 0, evenly spaced."""
    steps = check_integer(steps, "steps", owner, minimum=1, maximum=timesteps)
    return np.round(np.linspace(timesteps - 1, 0, steps)).astype(np.int32)


class NoiseSchedule:
    """`alpha_bar` of one schedule, with the forward process and DDIM updates.

    Args:
        timesteps: T, an integer >= 2.
        schedule: `"cosine"` or `"linear"` (see `alphas_cumprod`).
    """

    def __init__(self, timesteps=1000, schedule="cosine"):
        self.timesteps = int(timesteps)
        self.schedule = schedule
        self.alphas_cumprod = alphas_cumprod(timesteps, schedule)
        # Index t + 1; index 0 is "before t = 0", where alpha_bar is 1 (clean images).
        self._padded = tf.constant(np.concatenate([[1.0], self.alphas_cumprod]), tf.float32)

    def alpha_bar(self, t):
        """`alpha_bar[t]` for int timesteps `t` (any shape); `t = -1` gives 1."""
        return tf.gather(self._padded, tf.cast(t, tf.int32) + 1)

    def _per_sample(self, t, images):
        values = self.alpha_bar(t)
        return tf.reshape(values, tf.concat([tf.shape(values), tf.ones([images.shape.rank - 1], tf.int32)], 0))

    def add_noise(self, images, t, noise):
        """The forward process: `sqrt(a) x_0 + sqrt(1 - a) eps`, `a = alpha_bar[t]`.

        Args:
            images: clean images `x_0` `[B, H, W, C]` in [-1, 1].
            t: int timesteps `[B]`.
            noise: `eps`, the same shape as `images`.
        """
        images = tf.convert_to_tensor(images, tf.float32)
        alpha = self._per_sample(t, images)
        return tf.sqrt(alpha) * images + tf.sqrt(1.0 - alpha) * tf.cast(noise, tf.float32)

    def ddim_coefficients(self, t, t_prev, eta=0.0):
        """The scalars of one DDIM step from timestep `t` to `t_prev`, in float64.

        With `a, a'` the `alpha_bar` of `t` and `t_prev` (1 for `t_prev = -1`)
        and `s = eta sqrt((1 - a') / (1 - a)) sqrt(1 - a / a')`, a step is
        `x0 = x / sqrt(a) - eps sqrt(1 - a) / sqrt(a)` and
        `x_prev = sqrt(a') x0 + sqrt(1 - a' - s^2) eps + s z`.
        """
        alpha = float(self.alphas_cumprod[t])
        alpha_prev = 1.0 if t_prev < 0 else float(self.alphas_cumprod[t_prev])
        sigma = eta * math.sqrt((1.0 - alpha_prev) / (1.0 - alpha) * (1.0 - alpha / alpha_prev))
        return {
            "x_to_clean": 1.0 / math.sqrt(alpha),
            "noise_to_clean": math.sqrt(1.0 - alpha) / math.sqrt(alpha),
            "clean": math.sqrt(alpha_prev),
            "noise": math.sqrt(max(1.0 - alpha_prev - sigma**2, 0.0)),
            "sigma": sigma,
        }

    def ddim_step(self, x, noise_prediction, t, t_prev, eta=0.0, noise=None, clip=True):
        """One DDIM update from timestep `t` to `t_prev` (-1: the clean image).

        `x0 = (x - sqrt(1 - a) eps) / sqrt(a)`, optionally clipped to [-1, 1];
        `x_prev = sqrt(a') x0 + sqrt(1 - a' - s^2) eps + s z` with `a, a'` the
        `alpha_bar` of `t, t_prev` and `s = eta sqrt((1 - a') / (1 - a))
        sqrt(1 - a / a')`. With `eta = 0` the step is deterministic. Only
        products and sums with precomputed scalars: a traced graph rewrites
        no division, so eager and `tf.function` runs agree bit for bit.

        Args:
            x: images at timestep `t`, `[B, H, W, C]`.
            noise_prediction: the network's `eps` for `x`.
            t, t_prev: Python int timesteps, `-1 <= t_prev < t < T`.
            eta: 0 for DDIM, 1 for DDPM-like ancestral sampling.
            noise: standard normal `z` like `x`; needed when `eta > 0`.
            clip: clip the predicted clean image to [-1, 1].
        """
        coefficients = list(self.ddim_coefficients(int(t), int(t_prev), eta).values())
        return ddim_update(x, noise_prediction, coefficients, clip, noise if eta else None)

    def ddim_plan(self, steps, eta=0.0, owner="ddim_plan()"):
        """The timesteps `[steps]` (int32) of a DDIM run and the coefficients
        `[steps, 5]` (float32, in `ddim_coefficients` order) of each step."""
        times = ddim_timesteps(self.timesteps, steps, owner)
        previous = np.append(times[1:], -1)
        rows = [list(self.ddim_coefficients(t, p, eta).values()) for t, p in zip(times, previous)]
        return times, np.asarray(rows, np.float32)


def ddim_update(x, noise_prediction, coefficients, clip=True, noise=None):
    """A DDIM step given its 5 `NoiseSchedule.ddim_coefficients` (list or tensor)."""
    x_to_clean, noise_to_clean, keep_clean, keep_noise, sigma = (coefficients[i] for i in range(5))
    clean = x * x_to_clean - noise_prediction * noise_to_clean
    if clip:
        clean = tf.clip_by_value(clean, -1.0, 1.0)
    x_prev = clean * keep_clean + noise_prediction * keep_noise
    if noise is not None:
        x_prev = x_prev + noise * sigma
    return x_prev
