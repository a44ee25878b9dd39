"""AugMix with per-image op chains and mixing weights, all stateless draws."""

import keras
import tensorflow as tf

from keras_augment.layers.core.arguments import is_number, standardize_factor
from keras_augment.layers.policies.policy_base import PolicyAugmentation, draw_levels
from keras_augment.layers.policies.rand_augment import RAND_AUGMENT_TABLE
from keras_augment.ops.compiled import compiled

_BASIC_OPS = ("shear", "translate", "rotate", "posterize", "solarize", "autocontrast", "equalize")
_MAXIMA = dict(RAND_AUGMENT_TABLE)
CHAIN_WEIGHTS = "chain_weights"
MIX_WEIGHTS = "mix_weights"


def _mix(images, chains, chain_weights, mix_weights, value_range):
    """`m * x + (1 - m) * sum_c w_c * chain_c`, clipped to `value_range`."""
    images, chains = tf.cast(images, tf.float32), tf.cast(chains, tf.float32)
    mixed = tf.einsum("cbhwk,bc->bhwk", chains, chain_weights)
    mix = tf.reshape(mix_weights, [-1, 1, 1, 1])
    output = mix * images + (1.0 - mix) * mixed
    return tf.clip_by_value(output, value_range[0], value_range[1])


@keras.saving.register_keras_serializable(package="keras_augment")
class AugMix(PolicyAugmentation):
    """AugMix: mixes `num_chains` augmented copies of each image, then mixes
    the result with the original.

    Takes the arguments of `keras.layers.AugMix` with the same meaning. Each
    image draws its own chain weights (Dirichlet(`alpha`)), its own mixing
    weight (Beta(`alpha`, `alpha`)), and, for every step of every chain, its
    own op (one of the ops or none, uniformly) and magnitude. Keras draws
    the ops with Python `random`, so they are frozen when traced in
    `tf.data`; here every choice is a stateless draw from the seed. Each op
    runs only on the images that drew it.

    Magnitudes: levels uniform in `factor`, with the RandAugment maxima at
    level 1 (see `RandAugment`). Boxes, masks and keypoints cannot follow a
    mix of differently warped copies, so AugMix raises for them.

    Args:
        value_range: range of the input pixels.
        num_chains: number of augmented copies mixed.
        chain_depth: number of steps per chain; each step is an op or none.
        factor: strength in [0, 1]: a number `f` for levels in `[0, f]`, or
            a pair.
        alpha: concentration of the Dirichlet and Beta distributions.
        all_ops: also use brightness, colour, contrast and sharpness.
        interpolation: `"bilinear"` or `"nearest"`.
        seed: integer seed of the layer's own random draws.
        data_format: `"channels_last"` or `"channels_first"`.
        **kwargs: base layer arguments such as `name`.

    Input shape:
        `(B, H, W, 3)` or `(H, W, 3)`, or a dict without boxes, masks or
        keypoints.

    Output shape:
        Same as the input, in the layer's compute dtype.

    Example:

    >>> layer = keras_augment.layers.AugMix(value_range=(0, 255), seed=0)
    >>> layer(tf.zeros([2, 16, 16, 3])).shape
    TensorShape([2, 16, 16, 3])
    """

    required_channels = (1, 3)  # its colour ops read grey or RGB

    def __init__(
        self,
        value_range=(0, 255),
        num_chains=3,
        chain_depth=3,
        factor=0.3,
        alpha=1.0,
        all_ops=True,
        interpolation="bilinear",
        seed=None,
        data_format=None,
        **kwargs,
    ):
        super().__init__(value_range=value_range, seed=seed, data_format=data_format, **kwargs)
        for name, value in (("num_chains", num_chains), ("chain_depth", chain_depth)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(
                    f"{self._owner}: `{name}` must be a positive integer; received {name}={value!r}."
                )
        if not is_number(alpha) or alpha <= 0:
            raise ValueError(f"{self._owner}: `alpha` must be a positive number; received alpha={alpha!r}.")
        self.num_chains = num_chains
        self.chain_depth = chain_depth
        self.factor = standardize_factor(factor, self._owner, bounds=(0.0, 1.0))
        self.alpha = float(alpha)
        self.all_ops = bool(all_ops)
        names = ("identity",) + (
            tuple(name for name, _ in RAND_AUGMENT_TABLE) if self.all_ops else _BASIC_OPS
        )
        table = tuple((name, _MAXIMA.get(name, 0.0)) for name in names)
        self._init_policy(table, interpolation, "reflect", 0.0)

    def sample_parameters(self, sampler, images_shape):
        batch_size = images_shape[0]
        slots = self.num_chains * self.chain_depth
        op_ids = sampler.integers([batch_size, slots], 0, len(self.table))
        levels = draw_levels(sampler, [batch_size, slots, 2], *self.factor)
        parameters = self.complete_parameters(op_ids, levels, images_shape)
        chains = tf.random.stateless_gamma(
            [batch_size, self.num_chains], sampler.next_seed(), alpha=self.alpha
        )
        parameters[CHAIN_WEIGHTS] = chains / tf.reduce_sum(chains, axis=-1, keepdims=True)
        pair = tf.random.stateless_gamma([batch_size, 2], sampler.next_seed(), alpha=self.alpha)
        parameters[MIX_WEIGHTS] = pair[:, 0] / (pair[:, 0] + pair[:, 1])
        return parameters

    def transform_images(self, images, transformation):
        images = self.working_images(images)
        chains = []
        for chain in range(self.num_chains):
            slots = slice(chain * self.chain_depth, (chain + 1) * self.chain_depth)
            chains.append(
                self.run_slots(
                    images,
                    transformation["op_ids"][:, slots],
                    transformation["levels"][:, slots],
                    transformation["matrices"][:, slots],
                    images.dtype,
                )
            )
        output = compiled(_mix)(
            images,
            tf.stack(chains),
            transformation[CHAIN_WEIGHTS],
            transformation[MIX_WEIGHTS],
            self._value_range(),
        )
        return tf.cast(output, self.compute_dtype)

    def transform_segmentation_masks(self, masks, transformation):
        return self._unsupported("segmentation_masks")

    def transform_bounding_boxes(self, bounding_boxes, transformation, images_shape):
        return self._unsupported("bounding_boxes")

    def transform_keypoints(self, keypoints, transformation, images_shape):
        return self._unsupported("keypoints")
