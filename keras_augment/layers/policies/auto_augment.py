"""AutoAugment with the published ImageNet, CIFAR-10 and SVHN policies."""

import keras
import tensorflow as tf

from keras_augment.layers.core.arguments import check_choice
from keras_augment.layers.policies.auto_augment_policies import MAXIMA, POLICIES
from keras_augment.layers.policies.policy_base import PolicyAugmentation


def policy_arrays(policy):
    """Table and `[N, 2]` op indices, probabilities and levels of a policy."""
    names = ["identity"] + sorted({name for sub in policy for name, _, _ in sub})
    table = tuple((name, MAXIMA[name]) for name in names)
    op_ids = [[names.index(name) for name, _, _ in sub] for sub in policy]
    probabilities = [[p for _, p, _ in sub] for sub in policy]
    levels = [[(m or 0) / 10.0 for _, _, m in sub] for sub in policy]
    return table, op_ids, probabilities, levels


@keras.saving.register_keras_serializable(package="keras_augment")
class AutoAugment(PolicyAugmentation):
    """AutoAugment: each image draws one sub-policy of a published policy;
    each of its two ops is applied with its own probability.

    Magnitudes follow the paper's 0..10 scale: magnitude 10 is a shear of
    0.3, a translation of 150/331 of the size, a rotation of 30 degrees, a
    PIL enhancement factor `1 +- 0.9`, posterization to 4 bits and
    solarization of every pixel; signed ops get a random sign per image.
    Every draw is per image and stateless; each op runs only on the images
    that drew it, geometric ops share one resample per step, and boxes,
    masks and keypoints follow them.

    Args:
        policy: `"imagenet"`, `"cifar10"` or `"svhn"`.
        value_range: range of the input pixels.
        interpolation: `"bilinear"` or `"nearest"`.
        fill_mode: `"constant"`, `"reflect"`, `"wrap"` or `"nearest"`.
        fill_value: value outside the image when `fill_mode="constant"`
            (the paper fills with gray 128 on the 0..255 scale).
        seed: integer seed of the layer's own random draws.
        data_format: `"channels_last"` or `"channels_first"`.
        **kwargs: base layer arguments such as `bounding_box_format`.

    Input shape:
        `(B, H, W, 3)` or `(H, W, 3)`, or a dict (see `BaseAugmentation`).

    Output shape:
        Same as the input, in the layer's compute dtype.

    Example:

    >>> layer = keras_augment.layers.AutoAugment("cifar10", seed=0)
    >>> layer(tf.zeros([2, 16, 16, 3])).shape
    TensorShape([2, 16, 16, 3])
    """

    required_channels = (1, 3)  # its colour ops read grey or RGB

    def __init__(
        self,
        policy="imagenet",
        value_range=(0, 255),
        interpolation="bilinear",
        fill_mode="constant",
        fill_value=128.0,
        seed=None,
        data_format=None,
        **kwargs,
    ):
        super().__init__(value_range=value_range, seed=seed, data_format=data_format, **kwargs)
        self.policy = check_choice(policy, "policy", self._owner, tuple(POLICIES))
        table, op_ids, probabilities, levels = policy_arrays(POLICIES[policy])
        self._init_policy(table, interpolation, fill_mode, fill_value)
        self._policy_op_ids = tf.constant(op_ids, tf.int32)
        self._policy_probabilities = tf.constant(probabilities, tf.float32)
        self._policy_levels = tf.constant(levels, tf.float32)

    def sample_parameters(self, sampler, images_shape):
        batch_size = images_shape[0]
        choice = sampler.integers([batch_size], 0, self._policy_op_ids.shape[0])
        applied = sampler.uniform([batch_size, 2]) < tf.gather(self._policy_probabilities, choice)
        op_ids = tf.where(applied, tf.gather(self._policy_op_ids, choice), 0)
        signs = tf.where(sampler.bernoulli([batch_size, 2], 0.5), -1.0, 1.0)
        levels = signs * tf.gather(self._policy_levels, choice)
        # Both magnitude columns carry the level; single-axis ops read the first.
        levels = tf.stack([levels, levels], axis=-1)
        return self.complete_parameters(op_ids, levels, images_shape)
