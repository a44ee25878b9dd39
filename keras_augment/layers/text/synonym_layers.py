"""EDA's vocabulary operations: SynonymReplacement and RandomWordInsertion."""

import keras
import tensorflow as tf

from keras_augment.layers.core.arguments import check_unit_interval
from keras_augment.layers.text.base import (
    TextAugmentation,
    keyed_integers,
    keyed_uniform,
)
from keras_augment.layers.text.synonyms import SynonymTable
from keras_augment.layers.text.words import eda_count
from keras_augment.ops import text as text_ops


@keras.saving.register_keras_serializable(package="keras_augment")
class SynonymReplacement(TextAugmentation):
    """Replaces `max(1, int(alpha * n))` random words by a synonym (EDA's SR).

    Only words that are not stop words and have synonyms in the table are
    candidates; each chosen word takes one of its synonyms at random.

    Args:
        synonyms: a dict `{word: [synonyms]}` or a file path (see
            `keras_augment.layers.text.load_synonyms`); words are matched
            lowercase. `wordnet_synonyms()` builds one from WordNet.
        alpha: fraction of the sentence's `n` words to replace, 0.1 by default.
        stop_words: words never replaced: "english" (the default, as in the
            paper), a list of strings, or None.
        seed: integer seed of the layer's own random draws.
        **kwargs: base layer arguments such as `name`.

    Input shape:
        `(B,)` or `(B, 1)` tf.string, a single string, or a dict with a
        "text" key.

    Output shape:
        Same as the input.

    Example:

    >>> layer = keras_augment.layers.SynonymReplacement({"quick": ["fast"]}, alpha=0.5)
    >>> layer(tf.constant(["a quick fox"]), seed=0).numpy()
    array([b'a fast fox'], dtype=object)
    """

    def __init__(self, synonyms, alpha=0.1, stop_words="english", seed=None, **kwargs):
        super().__init__(stop_words=stop_words, seed=seed, **kwargs)
        self.alpha = check_unit_interval(alpha, "alpha", self._owner)
        self.synonyms = synonyms
        self.table = SynonymTable(synonyms, self._owner)

    def transform_text(self, texts, transformation):
        keys = transformation["keys"]
        words, lengths, positions = text_ops.to_dense(text_ops.split_words(texts))
        counts = self.table.counts(words)
        candidates = (positions < lengths[:, None]) & (counts > 0) & ~self.is_stop_word(words)
        available = tf.reduce_sum(tf.cast(candidates, tf.int32), axis=-1)
        replacements = tf.minimum(eda_count(self.alpha, lengths), available)
        ranks = text_ops.random_order_ranks(keyed_uniform(keys, positions, 0), candidates)
        replace = candidates & (ranks < replacements[:, None])
        choices = keyed_integers(keys, positions, 1, counts)
        replaced = tf.where(replace, self.table.synonym(words, choices), words)
        return text_ops.join_words(tf.RaggedTensor.from_tensor(replaced, lengths=lengths))


@keras.saving.register_keras_serializable(package="keras_augment")
class RandomWordInsertion(TextAugmentation):
    """Inserts `max(1, int(alpha * n))` words at random places (EDA's RI).

    With `synonyms`, each inserted word is a random synonym of a random
    sentence word that is not a stop word (sentences without such a word are
    unchanged), as in the paper. With `vocabulary`, inserted words are drawn
    uniformly from it. Original words keep their order; empty sentences stay
    empty.

    Args:
        synonyms: a dict `{word: [synonyms]}` or a file path; or None.
        vocabulary: a list of words to insert from; or None. Give exactly one
            of `synonyms` and `vocabulary`.
        alpha: fraction of the sentence's `n` words to insert, 0.1 by default.
        stop_words: words whose synonyms are never inserted: "english" (the
            default), a list of strings, or None. Unused with `vocabulary`.
        seed: integer seed of the layer's own random draws.
        **kwargs: base layer arguments such as `name`.

    Input shape:
        `(B,)` or `(B, 1)` tf.string, a single string, or a dict with a
        "text" key.

    Output shape:
        Same as the input.

    Example:

    >>> layer = keras_augment.layers.RandomWordInsertion(vocabulary=["very"])
    >>> layer(tf.constant(["good film"]), seed=0).shape
    TensorShape([1])
    """

    def __init__(
        self, synonyms=None, vocabulary=None, alpha=0.1, stop_words="english", seed=None, **kwargs
    ):
        super().__init__(stop_words=stop_words, seed=seed, **kwargs)
        self.alpha = check_unit_interval(alpha, "alpha", self._owner)
        if (synonyms is None) == (vocabulary is None):
            raise ValueError(
                f"{self._owner} needs exactly one of `synonyms` and `vocabulary`; "
                f"received synonyms={type(synonyms).__name__}, "
                f"vocabulary={type(vocabulary).__name__}."
            )
        self.synonyms = synonyms
        self.vocabulary = None if vocabulary is None else list(vocabulary)
        self.table = None if synonyms is None else SynonymTable(synonyms, self._owner)
        if vocabulary is not None:
            if not self.vocabulary or not all(isinstance(w, str) and w.split() for w in self.vocabulary):
                raise ValueError(
                    f"{self._owner}: `vocabulary` must be a non-empty list of "
                    f"non-blank strings; received vocabulary={vocabulary!r}."
                )
            self._vocabulary = tf.constant(self.vocabulary, tf.string)

    def _new_words(self, keys, words, lengths, positions, inserted):
        slots = tf.range(tf.reduce_max(tf.concat([inserted, [0]], 0)))[None, :]
        if self.table is None:
            size = tf.shape(self._vocabulary)[0]
            picks = keyed_integers(keys, slots, 2, tf.fill(tf.shape(keys), size)[:, None])
            return tf.gather(self._vocabulary, picks), inserted
        counts = self.table.counts(words)
        candidates = (positions < lengths[:, None]) & (counts > 0) & ~self.is_stop_word(words)
        available = tf.reduce_sum(tf.cast(candidates, tf.int32), axis=-1)
        order = tf.argsort(tf.cast(~candidates, tf.int32), axis=-1, stable=True)
        source_rank = keyed_integers(keys, slots, 2, available[:, None])
        source = tf.gather(
            text_ops.pad_empty_columns(words),
            tf.gather(text_ops.pad_empty_columns(order), source_rank, batch_dims=1),
            batch_dims=1,
        )
        choices = keyed_integers(keys, slots, 3, self.table.counts(source))
        return self.table.synonym(source, choices), tf.where(available > 0, inserted, 0)

    def transform_text(self, texts, transformation):
        keys = transformation["keys"]
        words, lengths, positions = text_ops.to_dense(text_ops.split_words(texts))
        inserted = tf.where(lengths > 0, eda_count(self.alpha, lengths), 0)
        new_words, inserted = self._new_words(keys, words, lengths, positions, inserted)
        totals = lengths + inserted
        slots = tf.range(tf.reduce_max(tf.concat([totals, [0]], 0)))[None, :]
        ranks = text_ops.random_order_ranks(
            keyed_uniform(keys, slots, 4), slots < totals[:, None]
        )
        is_new = (ranks < inserted[:, None]) & (slots < totals[:, None])
        return text_ops.join_words(text_ops.interleave_words(words, lengths, new_words, is_new))

