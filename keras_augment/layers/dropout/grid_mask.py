"""GridMask: drops a rotated grid of squares (see `dropout.py` for the family)."""

import keras
import tensorflow as tf

from keras_augment.layers.core.arguments import is_number, standardize_factor
from keras_augment.layers.dropout.base import CONSTANT, GAUSSIAN_NOISE, DropoutAugmentation
from keras_augment.ops import dropout


@keras.saving.register_keras_serializable(package="keras_augment")
class GridMask(DropoutAugmentation):
    """GridMask (Chen et al., 2020): drops a rotated grid of squares.

    Each sample draws a grid cell side (a fraction of the shorter image side)
    from `unit_size_factor`, a dropped fraction of the cell side from
    `ratio_factor`, a rotation from `rotation_factor` (fractions of a full
    turn) and a random grid offset. The rotated grid is computed in closed
    form per pixel, so no resampling is involved.

    Args:
        ratio_factor: dropped fraction of each cell's side: a number `f` in
            [0, 1] (meaning `(0, f)`) or a pair.
        rotation_factor: a number `f` (meaning `(-f, f)`) or a pair, in turns.
        fill_mode: `"constant"` (fill with `fill_value`) or `"gaussian_noise"`.
        fill_value: pixel value of constant fills.
        unit_size_factor: cell side as a fraction of the shorter image side:
            a number in (0, 1] or a pair.
        mask_fill_value: None leaves segmentation masks unchanged; a number is
            written into dropped mask pixels.
        value_range: `(low, high)` of the input pixels. Defaults to `(0, 255)`.
        seed: integer seed of the layer's own random draws.
        **kwargs: base layer arguments such as `name` and `dtype`.

    Input shape:
        `(B, H, W, C)` or `(H, W, C)`, or a dict (see `BaseAugmentation`).

    Output shape:
        Same as the input, in the layer's compute dtype.

    Example:

    >>> layer = keras_augment.layers.GridMask(seed=0)
    >>> layer(tf.ones([2, 16, 16, 3])).shape
    TensorShape([2, 16, 16, 3])
    """

    def __init__(
        self,
        ratio_factor=(0.0, 0.5),
        rotation_factor=0.15,
        fill_mode=CONSTANT,
        fill_value=0.0,
        unit_size_factor=(0.2, 0.5),
        mask_fill_value=None,
        value_range=(0, 255),
        seed=None,
        **kwargs,
    ):
        super().__init__(value_range=value_range, seed=seed, **kwargs)
        owner = self._owner
        self.ratio_factor = standardize_factor(ratio_factor, owner, (0.0, 1.0), "ratio_factor")
        self.rotation_factor = standardize_factor(
            rotation_factor, owner, (-1.0, 1.0), "rotation_factor"
        )
        if is_number(unit_size_factor):
            unit_size_factor = (unit_size_factor, unit_size_factor)
        self.unit_size_factor = standardize_factor(
            unit_size_factor, owner, (0.0, 1.0), "unit_size_factor"
        )
        if self.unit_size_factor[0] <= 0:
            raise ValueError(f"{owner}: `unit_size_factor` must be > 0; received {unit_size_factor!r}.")
        self._check_fill(fill_mode, fill_value, mask_fill_value)
        self.fill_mode = fill_mode
        self.fill_value = fill_value
        self.mask_fill_value = mask_fill_value

    def sample_parameters(self, sampler, images_shape):
        batch_size = images_shape[0]
        shorter = tf.cast(tf.minimum(images_shape[1], images_shape[2]), tf.float32)
        unit = tf.maximum(sampler.uniform([batch_size], *self.unit_size_factor) * shorter, 1.0)
        parameters = {
            "unit_size": unit,
            "ratio": sampler.uniform([batch_size], *self.ratio_factor),
            "angle": dropout.full_turn(sampler.uniform([batch_size], *self.rotation_factor)),
            "offset": sampler.uniform([batch_size, 2]) * unit[:, None],
        }
        if self.fill_mode == GAUSSIAN_NOISE:
            parameters["noise"] = self._noise(sampler, images_shape)
        return parameters

    fill_kernel = staticmethod(dropout.fill_grid)

    def mask_arguments(self, transformation):
        keys = ("unit_size", "ratio", "angle", "offset")
        return tuple(transformation[key] for key in keys)
