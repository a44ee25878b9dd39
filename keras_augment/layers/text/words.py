"""EDA's word-order operations: RandomWordDeletion and RandomWordSwap."""

import keras
import tensorflow as tf

from keras_augment.layers.core.arguments import check_unit_interval
from keras_augment.layers.text.base import (
    TextAugmentation,
    keyed_integers,
    keyed_uniform,
)
from keras_augment.ops import text as text_ops


def eda_count(alpha, lengths):
    """EDA's number of edits for a sentence of `lengths` words: max(1, int(alpha n))."""
    scaled = tf.cast(tf.floor(alpha * tf.cast(lengths, tf.float32) + 1e-6), tf.int32)
    return tf.maximum(scaled, 1)


@keras.saving.register_keras_serializable(package="keras_augment")
class RandomWordDeletion(TextAugmentation):
    """Deletes each word with probability `alpha` (EDA's random deletion).

    Words are split on Unicode whitespace and rejoined with single spaces. A
    sentence never loses all its words: when every word is drawn for
    deletion, one random word stays, as in the EDA paper.

    Args:
        alpha: probability of deleting each word, in [0, 1]; the paper's
            `p`, 0.1 by default.
        stop_words: words never deleted: "english" (a built-in list), a list
            of strings, or None (the default, as in the paper) for none.
        seed: integer seed of the layer's own random draws.
        **kwargs: base layer arguments such as `name`.

    Input shape:
        `(B,)` or `(B, 1)` tf.string, a single string, or a dict with a
        "text" key.

    Output shape:
        Same as the input.

    Example:

    >>> layer = keras_augment.layers.RandomWordDeletion(alpha=0.3)
    >>> layer(tf.constant(["the quick brown fox jumps"]), seed=0).shape
    TensorShape([1])
    """

    def __init__(self, alpha=0.1, stop_words=None, seed=None, **kwargs):
        super().__init__(stop_words=stop_words, seed=seed, **kwargs)
        self.alpha = check_unit_interval(alpha, "alpha", self._owner)

    def transform_text(self, texts, transformation):
        keys = transformation["keys"]
        words, lengths, positions = text_ops.to_dense(text_ops.split_words(texts))
        valid = positions < lengths[:, None]
        drawn = keyed_uniform(keys, positions, 0) < self.alpha
        keep = valid & (~drawn | self.is_stop_word(words))
        emptied = (lengths > 0) & ~tf.reduce_any(keep, axis=-1)
        survivor = keyed_integers(keys, tf.zeros_like(lengths), 1, lengths)
        keep = keep | (emptied[:, None] & (positions == survivor[:, None]))
        return text_ops.join_words(tf.ragged.boolean_mask(words, keep))


@keras.saving.register_keras_serializable(package="keras_augment")
class RandomWordSwap(TextAugmentation):
    """Swaps two random words, `max(1, int(alpha * n))` times (EDA's random swap).

    Each swap picks two different positions among the words that are not
    stop words; sentences with fewer than two such words are unchanged.

    Args:
        alpha: fraction of the sentence's `n` words to swap, in [0, 1]; 0.1
            by default as in the paper.
        stop_words: words that never move: "english", a list of strings, or
            None (the default, as in the paper).
        seed: integer seed of the layer's own random draws.
        **kwargs: base layer arguments such as `name`.

    Input shape:
        `(B,)` or `(B, 1)` tf.string, a single string, or a dict with a
        "text" key.

    Output shape:
        Same as the input.

    Example:

    >>> layer = keras_augment.layers.RandomWordSwap(alpha=0.2)
    >>> layer(tf.constant(["one two three four five"]), seed=0).shape
    TensorShape([1])
    """

    def __init__(self, alpha=0.1, stop_words=None, seed=None, **kwargs):
        super().__init__(stop_words=stop_words, seed=seed, **kwargs)
        self.alpha = check_unit_interval(alpha, "alpha", self._owner)

    def transform_text(self, texts, transformation):
        keys = transformation["keys"]
        words, lengths, positions = text_ops.to_dense(text_ops.split_words(texts))
        movable = (positions < lengths[:, None]) & ~self.is_stop_word(words)
        movable_counts = tf.reduce_sum(tf.cast(movable, tf.int32), axis=-1)
        # Movable positions first, in order, so rank r maps to a position.
        candidates = tf.argsort(tf.cast(~movable, tf.int32), axis=-1, stable=True)
        swaps = tf.where(movable_counts >= 2, eda_count(self.alpha, lengths), 0)
        permutation = tf.broadcast_to(positions, tf.shape(words))

        def body(step, permutation):
            first_rank = keyed_integers(keys, step, 2, movable_counts)
            offset = keyed_integers(keys, step, 3, movable_counts - 1)
            second_rank = (first_rank + 1 + offset) % tf.maximum(movable_counts, 1)
            first = tf.gather(candidates, first_rank[:, None], batch_dims=1)[:, 0]
            second = tf.gather(candidates, second_rank[:, None], batch_dims=1)[:, 0]
            permutation = text_ops.swap_positions(permutation, first, second, step < swaps)
            return step + 1, permutation

        most_swaps = tf.reduce_max(tf.concat([swaps, [0]], 0))
        _, permutation = tf.while_loop(
            lambda step, _: step < most_swaps, body, (tf.constant(0), permutation)
        )
        swapped = tf.gather(words, permutation, batch_dims=1)
        return text_ops.join_words(tf.RaggedTensor.from_tensor(swapped, lengths=lengths))
