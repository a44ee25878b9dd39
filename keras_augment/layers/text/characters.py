"""RandomCharacterNoise: typing errors on Unicode code points."""

import keras
import tensorflow as tf

from keras_augment.layers.core.arguments import check_unit_interval
from keras_augment.layers.text.base import (
    TextAugmentation,
    keyed_integers,
    keyed_uniform,
)
from keras_augment.ops import text as text_ops

OPERATIONS = ("keyboard", "swap", "delete", "insert")
_KEYBOARD_ROWS = ("1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm")


def keyboard_neighbours():
    """`{character: neighbours}` on a QWERTY keyboard, both letter cases.

    Each row sits half a key right of the row above, so key `c` of a row
    touches keys `c, c+1` of the row above and `c-1, c` of the row below.
    """
    neighbours = {}
    for row_index, row in enumerate(_KEYBOARD_ROWS):
        for column, key in enumerate(row):
            near = []
            for other_index, columns in (
                (row_index - 1, (column, column + 1)),
                (row_index, (column - 1, column + 1)),
                (row_index + 1, (column - 1, column)),
            ):
                if 0 <= other_index < len(_KEYBOARD_ROWS):
                    other = _KEYBOARD_ROWS[other_index]
                    near.extend(other[c] for c in columns if 0 <= c < len(other))
            neighbours[key] = "".join(near)
            if key.isalpha():
                neighbours[key.upper()] = "".join(near).upper()
    return neighbours


@keras.saving.register_keras_serializable(package="keras_augment")
class RandomCharacterNoise(TextAugmentation):
    """Adds typing errors: each character is edited with probability `rate`.

    An edited character undergoes one of `operations`, chosen uniformly:
    "keyboard" replaces it by a QWERTY neighbour, "swap" exchanges it with the
    next character, "delete" drops it, "insert" types a neighbouring key
    after it. Characters are Unicode code points, so multi-byte text stays
    valid UTF-8; whitespace is never edited, so words keep their boundaries.
    Keys off the keyboard (e.g. "é") have no neighbours: a keyboard edit
    leaves them unchanged and an insert repeats them.

    Args:
        rate: probability of editing each non-space character, in [0, 1].
        operations: a subset of `("keyboard", "swap", "delete", "insert")`.
        seed: integer seed of the layer's own random draws.
        **kwargs: base layer arguments such as `name`.

    Input shape:
        `(B,)` or `(B, 1)` tf.string, a single string, or a dict with a
        "text" key.

    Output shape:
        Same as the input.

    Example:

    >>> layer = keras_augment.layers.RandomCharacterNoise(rate=0.1)
    >>> layer(tf.constant(["typing is hard"]), seed=0).shape
    TensorShape([1])
    """

    def __init__(self, rate=0.05, operations=OPERATIONS, seed=None, **kwargs):
        super().__init__(seed=seed, **kwargs)
        self.rate = check_unit_interval(rate, "rate", self._owner)
        operations = [operations] if isinstance(operations, str) else list(operations)
        if not operations or any(op not in OPERATIONS for op in operations):
            raise ValueError(
                f"{self._owner}: `operations` must be a non-empty subset of "
                f"{OPERATIONS}; received operations={operations!r}."
            )
        self.operations = operations
        self._operation_codes = tf.constant(
            [OPERATIONS.index(op) for op in operations], tf.int32
        )
        neighbours = keyboard_neighbours()
        self._neighbours = tf.lookup.StaticHashTable(
            tf.lookup.KeyValueTensorInitializer(
                tf.constant(list(neighbours)), tf.constant(list(neighbours.values()))
            ),
            default_value="",
        )

    def transform_text(self, texts, transformation):
        keys = transformation["keys"]
        characters = tf.strings.unicode_split(texts, "UTF-8", errors="replace")
        chars, lengths, positions = text_ops.to_dense(characters)
        editable = ~tf.strings.regex_full_match(chars, text_ops.WHITESPACE_PATTERN)
        selected = keyed_uniform(keys, positions, 0) < self.rate
        operation = tf.gather(
            self._operation_codes,
            keyed_integers(keys, positions, 1, tf.size(self._operation_codes)),
        )
        near = self._neighbours.lookup(chars)
        near_count = tf.strings.length(near)  # neighbours are ASCII: bytes are characters
        pick = keyed_integers(keys, positions, 2, near_count)
        substitutes = tf.where(near_count > 0, tf.strings.substr(near, pick, tf.ones_like(pick)), chars)
        return text_ops.character_edits(chars, lengths, editable, selected, operation, substitutes)
