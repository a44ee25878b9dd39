"""RandomPerspective: per-sample random homographies (drop-in for Keras core)."""

import keras
import tensorflow as tf

from keras_augment.layers.core.arguments import standardize_factor
from keras_augment.layers.geometric.base import MATRIX, GeometricAugmentation, image_size
from keras_augment.ops import geometry
from keras_augment.ops.resample import INTERPOLATIONS


@keras.saving.register_keras_serializable(package="keras_augment")
class RandomPerspective(GeometricAugmentation):
    """Moves the four image corners by random amounts and warps accordingly.

    Drop-in for `keras.layers.RandomPerspective`: each sample is warped with
    a probability drawn from `factor`; its corners (pixel-index plane) move
    by up to `scale / 2` times their own coordinates. Outside the image is
    `fill_value`.

    Args:
        factor: probability range: a number `f` in `[0, 1]` (as Keras:
            probability drawn from `[0, f]`) or a pair.
        scale: size of the corner moves, in `[0, 1]`.
        interpolation: `"bilinear"` or `"nearest"`.
        fill_value: value outside the image.
        seed: integer seed of the layer's own random draws.
        data_format: `"channels_last"` or `"channels_first"`.
        **kwargs: base layer arguments such as `bounding_box_format`.

    Input shape:
        `(B, H, W, C)` or `(H, W, C)`, or a dict (see `BaseAugmentation`).

    Output shape:
        Same as the input.

    Example:

    >>> layer = keras_augment.layers.RandomPerspective(scale=0.3, seed=0)
    >>> layer(tf.zeros([2, 16, 16, 3])).shape
    TensorShape([2, 16, 16, 3])
    """

    fill_mode = "constant"

    def __init__(
        self,
        factor=1.0,
        scale=1.0,
        interpolation="bilinear",
        fill_value=0.0,
        seed=None,
        data_format=None,
        **kwargs,
    ):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        if interpolation not in INTERPOLATIONS:
            raise ValueError(
                f"{self._owner}: `interpolation` must be one of {INTERPOLATIONS}; "
                f"received interpolation={interpolation!r}."
            )
        self.factor = standardize_factor(factor, self._owner, bounds=(0.0, 1.0))
        if not isinstance(scale, (int, float)) or not 0.0 <= scale <= 1.0:
            raise ValueError(
                f"{self._owner}: `scale` must be a number in [0, 1]; received scale={scale!r}."
            )
        self.scale = float(scale)
        self.interpolation = interpolation
        self.fill_value = float(fill_value)

    def sample_parameters(self, sampler, images_shape):
        batch = images_shape[:1]
        probability = sampler.uniform(batch, *self.factor)
        apply = sampler.uniform(batch) < probability
        moves = sampler.uniform(
            tf.concat([batch, [4, 2]], 0), -0.5 * self.scale, 0.5 * self.scale
        )
        height, width = image_size(images_shape)
        corners = tf.stack(
            [[0.0, 0.0], [width - 1, 0.0], [0.0, height - 1], [width - 1, height - 1]]
        )
        start = tf.broadcast_to(corners, tf.shape(moves))
        end = start + start * moves
        index_plane = geometry.homography(start, end)
        matrix = geometry.from_pixel_index_plane(index_plane)
        identity = geometry.identity(batch[0])
        matrix = tf.where(apply[:, None, None], matrix, identity)
        return {"apply_perspective": apply, MATRIX: matrix}
