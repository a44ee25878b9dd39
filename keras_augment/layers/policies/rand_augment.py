"""RandAugment with its own ops and magnitudes for every image."""

import keras

from keras_augment.layers.core.arguments import standardize_factor
from keras_augment.layers.policies.policy_base import PolicyAugmentation, draw_levels

# Keras's op set; level 1 maps to the RandAugment paper's strongest setting.
RAND_AUGMENT_TABLE = (
    ("shear", 0.3),
    ("translate", 150.0 / 331.0),
    ("rotate", 30.0),
    ("brightness", 0.9),
    ("color", 0.9),
    ("contrast", 0.9),
    ("sharpness", 0.9),
    ("posterize", 4.0),
    ("solarize", 1.0),
    ("autocontrast", 0.0),
    ("equalize", 0.0),
)


@keras.saving.register_keras_serializable(package="keras_augment")
class RandAugment(PolicyAugmentation):
    """RandAugment: `num_ops` random ops in a row, drawn for each image.

    Takes the arguments of `keras.layers.RandAugment` with the same meaning,
    and the same eleven ops (shear, translation, rotation, brightness,
    colour, contrast, sharpness, posterization, solarization, autocontrast,
    equalization). Unlike Keras, which draws one op sequence for the whole
    batch and computes every op on every image, each image draws its own ops
    and magnitudes, and each op runs only on the images that drew it.
    Geometric ops go through one resample per op slot, and boxes, masks and
    keypoints follow them.

    Each op's strength is a level drawn per image uniformly in `factor`
    (a random sign for signed ops); level 1 is the paper's strongest
    setting: shear 0.3, translation 0.45 of the size, rotation 30 degrees,
    enhancement factors `1 +- 0.9` (PIL's `ImageEnhance`), 4 bits removed by
    posterization, every pixel inverted by solarization.

    Args:
        value_range: range of the input pixels, e.g. `(0, 255)` or `(0, 1)`.
        num_ops: number of ops applied in a row to each image.
        factor: strength in [0, 1]: a number `f` for levels in `[0, f]`, or
            a pair.
        interpolation: `"bilinear"` or `"nearest"`, for the geometric ops.
        seed: integer seed of the layer's own random draws.
        fill_mode: how geometric ops fill pixels from outside the image
            (`"reflect"` as Keras's sub-layers, `"constant"`, `"wrap"`,
            `"nearest"`).
        fill_value: value outside the image when `fill_mode="constant"`.
        data_format: `"channels_last"` or `"channels_first"`.
        **kwargs: base layer arguments such as `bounding_box_format`.

    Input shape:
        `(B, H, W, 3)` or `(H, W, 3)`, or a dict (see `BaseAugmentation`).

    Output shape:
        Same as the input, in the layer's compute dtype.

    Example:

    >>> layer = keras_augment.layers.RandAugment(value_range=(0, 255), seed=0)
    >>> layer(tf.zeros([2, 16, 16, 3])).shape
    TensorShape([2, 16, 16, 3])
    """

    def __init__(
        self,
        value_range=(0, 255),
        num_ops=2,
        factor=0.5,
        interpolation="bilinear",
        seed=None,
        fill_mode="reflect",
        fill_value=0.0,
        data_format=None,
        **kwargs,
    ):
        super().__init__(value_range=value_range, seed=seed, data_format=data_format, **kwargs)
        if isinstance(num_ops, bool) or not isinstance(num_ops, int) or num_ops < 0:
            raise ValueError(
                f"{self._owner}: `num_ops` must be a non-negative integer; received num_ops={num_ops!r}."
            )
        self.num_ops = num_ops
        self.factor = standardize_factor(factor, self._owner, bounds=(0.0, 1.0))
        self._init_policy(RAND_AUGMENT_TABLE, interpolation, fill_mode, fill_value)

    def sample_parameters(self, sampler, images_shape):
        batch_size = images_shape[0]
        op_ids = sampler.integers([batch_size, self.num_ops], 0, len(self.table))
        levels = draw_levels(sampler, [batch_size, self.num_ops, 2], *self.factor)
        return self.complete_parameters(op_ids, levels, images_shape)
