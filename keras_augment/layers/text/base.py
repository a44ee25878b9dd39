"""Shared plumbing of the text layers: input kind, keyed draws, stop words."""

import keras
import tensorflow as tf

from keras_augment.layers.core.base import BaseAugmentation
from keras_augment.layers.text.stop_words import ENGLISH_STOP_WORDS

_KEY_LIMIT = 2**31 - 1
_GOLDEN = 0x9E3779B9


def _mix(x):
    # A 32-bit integer finaliser (xor-shift-multiply): good avalanche, cheap,
    # and the same bits on every device, in XLA and in SavedModels.
    x = tf.bitwise.bitwise_xor(x, tf.bitwise.right_shift(x, tf.constant(16, tf.uint32)))
    x = x * tf.constant(0x7FEB352D, tf.uint32)
    x = tf.bitwise.bitwise_xor(x, tf.bitwise.right_shift(x, tf.constant(15, tf.uint32)))
    x = x * tf.constant(0x846CA68B, tf.uint32)
    return tf.bitwise.bitwise_xor(x, tf.bitwise.right_shift(x, tf.constant(16, tf.uint32)))


def keyed_uniform(keys, positions, stream):
    """Uniform floats in [0, 1) that depend only on (key, position, stream).

    Text needs one draw per word, and the number of words is only known from
    the data, so the layer draws one key per sample from its `RandomSampler`
    and hashes it with each word's position. A sample's draws are therefore
    the same alone or in any batch, at any padded length.

    Args:
        keys: int32 `[B]` per-sample keys.
        positions: int32 `[B]`, or `[B, L]` / `[1, L]` for per-word draws.
        stream: Python int separating independent uses.
    """
    positions = tf.convert_to_tensor(positions, tf.int32)
    keys = tf.cast(keys, tf.uint32)
    if positions.shape.rank == 2:
        keys = keys[:, None]
    salted = _mix(_mix(keys) + tf.constant((stream * _GOLDEN + 1) % 2**32, tf.uint32))
    hashed = _mix(salted + tf.cast(positions, tf.uint32))
    return tf.cast(tf.bitwise.right_shift(hashed, tf.constant(8, tf.uint32)), tf.float32) / 2.0**24


def keyed_integers(keys, positions, stream, counts):
    """Integers in `[0, counts)` (0 where `counts` is 0), like `keyed_uniform`."""
    counts = tf.cast(counts, tf.float32)
    draws = tf.floor(keyed_uniform(keys, positions, stream) * counts)
    return tf.cast(tf.minimum(draws, tf.maximum(counts - 1.0, 0.0)), tf.int32)


def standardize_stop_words(stop_words, owner):
    """`"english"` -> the built-in list; None -> no protection; else a list."""
    if stop_words is None:
        return ()
    if isinstance(stop_words, str):
        if stop_words != "english":
            raise ValueError(
                f"{owner}: `stop_words` must be 'english', None or a list of "
                f"strings; received stop_words={stop_words!r}."
            )
        return ENGLISH_STOP_WORDS
    words = tuple(stop_words)
    if not all(isinstance(word, str) for word in words):
        raise ValueError(
            f"{owner}: `stop_words` must be 'english', None or a list of "
            f"strings; received stop_words={stop_words!r}."
        )
    return words


class TextAugmentation(BaseAugmentation):
    """Base of the text layers: `[B]`, `[B, 1]` or scalar `tf.string`, key "text".

    Subclasses implement `transform_text(texts, transformation)` on `[B]`
    strings; the transformation holds one int32 key per sample that
    `keyed_uniform` turns into per-word draws.
    """

    input_key = "text"
    batched_ranks = (1,)
    cast_inputs = False

    def __init__(self, stop_words=None, seed=None, **kwargs):
        super().__init__(seed=seed, **kwargs)
        # Lets `layer("one sentence")` through Keras's positional-tensor check.
        self._allow_non_tensor_positional_args = True
        words = standardize_stop_words(stop_words, self._owner)
        self.stop_words = stop_words
        self._stop_table = None
        if words:
            self._stop_table = tf.lookup.StaticHashTable(
                tf.lookup.KeyValueTensorInitializer(
                    tf.constant(sorted({w.lower() for w in words})),
                    tf.ones([len(set(w.lower() for w in words))], tf.int64),
                ),
                default_value=0,
            )

    def sample_parameters(self, sampler, images_shape):
        return {"keys": sampler.integers(images_shape[:1], 0, _KEY_LIMIT)}

    def transform_images(self, images, transformation):
        if images.shape.rank == 2:  # (B, 1), as keras.Input(shape=(1,), dtype="string") gives
            return self.transform_text(images[:, 0], transformation)[:, None]
        return self.transform_text(images, transformation)

    def transform_text(self, texts, transformation):
        raise NotImplementedError(f"{type(self).__name__} must define transform_text.")

    def is_stop_word(self, words):
        """Bool tensor, True where `words` (any shape) is a protected word."""
        if self._stop_table is None:
            return tf.zeros_like(words, tf.bool)
        return self._stop_table.lookup(tf.strings.lower(words, encoding="utf-8")) > 0

    def compute_output_spec(self, data, training=True, seed=None):
        # Strings stay strings: the base would announce the compute dtype.
        return tf.nest.map_structure(lambda t: keras.KerasTensor(t.shape, t.dtype), data)

    def _check_images(self, images):
        rank = images.shape.rank
        column = rank == 2 and images.shape[1] in (1, None)
        if images.dtype != tf.string or not (rank in (0, 1) or column):
            raise ValueError(
                f"{self._owner} expected text: a tf.string tensor of shape (B,) "
                f"or (B, 1), or a single string; received dtype "
                f"{images.dtype.name} with shape {images.shape}."
            )
