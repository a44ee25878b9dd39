"""TrivialAugmentWide: one op with a random magnitude for every image."""

import keras
import tensorflow as tf

from keras_augment.layers.policies.policy_base import PolicyAugmentation
from keras_augment.ops.compiled import compiled


@compiled
def _compiled_bin_levels(bins, signs, top_bin):
    # Under XLA, so graph optimizers cannot turn the division into a product.
    return signs * (tf.cast(bins, tf.float32) / top_bin)

# The "wide" magnitude ranges of TrivialAugment; translation is a fraction
# of the size (32 pixels of a 224-pixel image).
TRIVIAL_AUGMENT_WIDE_TABLE = (
    ("identity", 0.0),
    ("shear_x", 0.99),
    ("shear_y", 0.99),
    ("translate_x", 32.0 / 224.0),
    ("translate_y", 32.0 / 224.0),
    ("rotate", 135.0),
    ("brightness", 0.99),
    ("color", 0.99),
    ("contrast", 0.99),
    ("sharpness", 0.99),
    ("posterize", 6.0),
    ("solarize", 1.0),
    ("autocontrast", 0.0),
    ("equalize", 0.0),
)


@keras.saving.register_keras_serializable(package="keras_augment")
class TrivialAugmentWide(PolicyAugmentation):
    """TrivialAugment (wide ranges): each image gets one op of 14, drawn
    uniformly, at one of `num_magnitude_bins` magnitudes, drawn uniformly,
    with a random sign for signed ops.

    Ops: identity, shear x/y (up to 0.99), translate x/y (up to 32/224 of
    the size), rotate (up to 135 degrees), brightness, colour, contrast and
    sharpness (PIL enhancement factors `1 +- 0.99`), posterize (down to 2
    bits), solarize, autocontrast, equalize. Each op runs only on the images
    that drew it; geometric ops share one resample, and boxes, masks and
    keypoints follow them.

    Args:
        num_magnitude_bins: number of magnitude levels (level `k / (n - 1)`).
        value_range: range of the input pixels.
        interpolation: `"bilinear"` or `"nearest"`.
        fill_mode: `"constant"`, `"reflect"`, `"wrap"` or `"nearest"`.
        fill_value: value outside the image when `fill_mode="constant"`.
        seed: integer seed of the layer's own random draws.
        data_format: `"channels_last"` or `"channels_first"`.
        **kwargs: base layer arguments such as `bounding_box_format`.

    Input shape:
        `(B, H, W, 3)` or `(H, W, 3)`, or a dict (see `BaseAugmentation`).

    Output shape:
        Same as the input, in the layer's compute dtype.

    Example:

    >>> layer = keras_augment.layers.TrivialAugmentWide(seed=0)
    >>> layer(tf.zeros([2, 16, 16, 3])).shape
    TensorShape([2, 16, 16, 3])
    """

    def __init__(
        self,
        num_magnitude_bins=31,
        value_range=(0, 255),
        interpolation="bilinear",
        fill_mode="constant",
        fill_value=0.0,
        seed=None,
        data_format=None,
        **kwargs,
    ):
        super().__init__(value_range=value_range, seed=seed, data_format=data_format, **kwargs)
        if isinstance(num_magnitude_bins, bool) or not isinstance(num_magnitude_bins, int) or num_magnitude_bins < 2:
            raise ValueError(
                f"{self._owner}: `num_magnitude_bins` must be an integer >= 2; "
                f"received num_magnitude_bins={num_magnitude_bins!r}."
            )
        self.num_magnitude_bins = num_magnitude_bins
        self._init_policy(TRIVIAL_AUGMENT_WIDE_TABLE, interpolation, fill_mode, fill_value)

    def sample_parameters(self, sampler, images_shape):
        batch_size = images_shape[0]
        op_ids = sampler.integers([batch_size, 1], 0, len(self.table))
        bins = sampler.integers([batch_size, 1, 2], 0, self.num_magnitude_bins)
        signs = tf.where(sampler.bernoulli([batch_size, 1, 2], 0.5), -1.0, 1.0)
        levels = _compiled_bin_levels(bins, signs, float(self.num_magnitude_bins - 1))
        return self.complete_parameters(op_ids, levels, images_shape)
