"""RandomRotate90: per-sample quarter turns, exact for every key."""

import keras
import tensorflow as tf

from keras_augment.layers.core.arguments import check_quarter_turns
from keras_augment.layers.geometric.base import MATRIX, GeometricAugmentation
from keras_augment.ops import geometry


@keras.saving.register_keras_serializable(package="keras_augment")
class RandomRotate90(GeometricAugmentation):
    """Rotates each image by its own random number of quarter turns.

    Each sample draws one of `turns` uniformly and turns counter-clockwise
    on screen that many times, as `np.rot90`. A quarter turn maps pixel
    centres onto pixel centres, so images and masks are moved exactly
    (nearest sample, no blur), and boxes and keypoints exactly too. In a
    `Pipeline` it fuses with neighbouring geometric layers like any other.

    A quarter turn swaps height and width, which a batch of one shape cannot
    hold per sample: with odd turns allowed the images must be square
    (checked where their size is known when the layer is called); with
    `turns=(0, 2)` any size works.

    Args:
        turns: quarter-turn counts to draw from, each in 0..3. Defaults to
            `(0, 1, 2, 3)`.
        seed: integer seed of the layer's own random draws.
        data_format: `"channels_last"` or `"channels_first"`.
        **kwargs: base layer arguments such as `bounding_box_format`, `name`
            and `dtype`.

    Input shape:
        `(B, H, W, C)` or `(H, W, C)`, or a dict (see `BaseAugmentation`).

    Output shape:
        Same as the input, in the layer's compute dtype.

    Example:

    >>> layer = keras_augment.layers.RandomRotate90(seed=0)
    >>> layer(tf.zeros([2, 8, 8, 3])).shape
    TensorShape([2, 8, 8, 3])
    """

    # Pixel centres land on pixel centres: nearest is exact, and inside a
    # Pipeline it does not force bilinear on its neighbours.
    interpolation = "nearest"
    # Integer draws and exact matrices: nothing for XLA to keep identical,
    # and drawn outside it the shape checked below is known.
    draws_under_xla = False

    def __init__(self, turns=(0, 1, 2, 3), seed=None, data_format=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.turns = check_quarter_turns(turns, "turns", self._owner)

    def sample_parameters(self, sampler, images_shape):
        self._check_square(images_shape)
        choice = sampler.integers(images_shape[:1], 0, len(self.turns))
        turns = tf.gather(tf.constant(self.turns, tf.int32), choice)
        return {"turns": turns, MATRIX: geometry.quarter_turns(turns, images_shape[1], images_shape[2])}

    def _check_square(self, images_shape):
        # Checked on the shape the layer draws for, so also inside a Pipeline.
        shape = tf.get_static_value(images_shape)
        height, width = (None, None) if shape is None else (shape[1], shape[2])
        odd = any(turn % 2 for turn in self.turns)
        if odd and height is not None and width is not None and height != width:
            raise ValueError(
                f"{self._owner} turns by odd quarter turns {self.turns}, which need "
                f"square images; received images of height {height} and width {width}. "
                "Resize or crop them to a square first, or pass turns=(0, 2)."
            )
