"""Batched text kernels on `tf.string` tensors: no randomness, no Keras.

XLA has no string type, so unlike the other kernels these run as regular
graph ops (`tf.function`, `tf.data`, SavedModels), never under `jit_compile`.

Words are split on Unicode whitespace and characters are Unicode code points,
so multi-byte UTF-8 text is never cut inside a character. Random decisions
are inputs: the layers in `keras_augment.layers.text` draw them.
"""

import tensorflow as tf

# Unicode whitespace: RE2's \s (ASCII) plus the separator categories Z*
# (no-break, ideographic and other spaces, line and paragraph separators),
# NEL and the information separators Python's str.split() also splits on.
WHITESPACE_PATTERN = r"[\s\p{Z}\x{85}\x{1C}-\x{1F}]"


def split_words(texts):
    """Split `[B]` strings on runs of Unicode whitespace.

    Returns:
        A `[B, (words)]` ragged tensor; empty and blank strings give no words.
    """
    spaced = tf.strings.regex_replace(texts, WHITESPACE_PATTERN + "+", " ")
    return tf.strings.split(spaced)


def join_words(words):
    """Join a `[B, (words)]` ragged tensor (or a padded dense one) with spaces."""
    if isinstance(words, tf.RaggedTensor):
        return tf.strings.reduce_join(words, axis=-1, separator=" ")
    return tf.strings.reduce_join(words, axis=-1)


def to_dense(ragged, default=""):
    """`(dense [B, L], lengths [B] int32, positions [1, L] int32)` of a ragged batch."""
    dense = ragged.to_tensor(default_value=default)
    lengths = tf.cast(ragged.row_lengths(), tf.int32)
    positions = tf.range(tf.shape(dense)[1])[None, :]
    return dense, lengths, positions


def random_order_ranks(scores, valid):
    """Rank of each valid position when rows are sorted by `scores`.

    Valid positions get ranks `0..count-1`; invalid ones rank after them. With
    independent uniform scores, the positions of rank `< k` are a uniform
    random `k`-subset of the valid positions.
    """
    keyed = tf.where(valid, scores, tf.ones_like(scores) * 2.0)
    order = tf.argsort(keyed, axis=-1, stable=True)
    return tf.argsort(order, axis=-1, stable=True)


def swap_positions(permutation, first, second, active):
    """Swap entries `first[b]` and `second[b]` of each row where `active[b]`."""
    positions = tf.range(tf.shape(permutation)[1])[None, :]
    at_first = tf.gather(permutation, first[:, None], batch_dims=1)
    at_second = tf.gather(permutation, second[:, None], batch_dims=1)
    active = active[:, None]
    swapped = tf.where(active & (positions == first[:, None]), at_second, permutation)
    return tf.where(active & (positions == second[:, None]), at_first, swapped)


def interleave_words(words, lengths, new_words, is_new):
    """Merge `new_words` into `words`, keeping each list's order.

    Args:
        words: `[B, L]` dense words (padding ignored), with `lengths` `[B]`.
        new_words: `[B, K]` dense words to insert.
        is_new: `[B, S]` bool, True at output slots that take the next new
            word; slots `< lengths + new counts` are the output's length.

    Returns:
        `[B, (S)]` ragged words of length `lengths + sum(is_new)`.
    """
    new_counts = tf.reduce_sum(tf.cast(is_new, tf.int32), axis=-1)
    totals = lengths + new_counts
    positions = tf.range(tf.shape(is_new)[1])[None, :]
    valid = positions < totals[:, None]
    is_old = valid & ~is_new
    old_index = tf.maximum(tf.cumsum(tf.cast(is_old, tf.int32), axis=-1) - 1, 0)
    new_index = tf.maximum(tf.cumsum(tf.cast(is_new, tf.int32), axis=-1) - 1, 0)
    old_index = tf.minimum(old_index, tf.maximum(tf.shape(words)[1] - 1, 0))
    new_index = tf.minimum(new_index, tf.maximum(tf.shape(new_words)[1] - 1, 0))
    padded_words = pad_empty_columns(words)
    padded_new = pad_empty_columns(new_words)
    merged = tf.where(
        is_new,
        tf.gather(padded_new, new_index, batch_dims=1),
        tf.gather(padded_words, old_index, batch_dims=1),
    )
    return tf.RaggedTensor.from_tensor(merged, lengths=totals)


def pad_empty_columns(dense):
    """Give a `[B, 0]` tensor one column of zeros ("" for strings) to gather from."""
    return tf.cond(
        tf.shape(dense)[1] > 0,
        lambda: dense,
        lambda: tf.zeros([tf.shape(dense)[0], 1], dense.dtype),
    )


def character_edits(chars, lengths, editable, selected, operation, substitutes):
    """Apply per-character typo operations to `[B, C]` code-point strings.

    Args:
        chars: `[B, C]` dense single-character strings (padding "").
        lengths: `[B]` number of characters per row.
        editable: `[B, C]` bool, characters that may change or move (e.g.
            not whitespace, so words keep their boundaries).
        selected: `[B, C]` bool, characters to edit (only editable ones are).
        operation: `[B, C]` int32, 0 replace with `substitutes`, 1 swap with
            the next character, 2 delete, 3 insert `substitutes` after it.
            A swap applies only when the next character is editable and not
            itself selected, so edits never overlap.
        substitutes: `[B, C]` strings used by replace and insert.

    Returns:
        `[B]` strings.
    """
    batch = tf.shape(chars)[0]
    positions = tf.range(tf.shape(chars)[1])[None, :]
    editable = editable & (positions < lengths[:, None])
    selected = selected & editable

    def shift_left(values, fill):
        return tf.concat([values, tf.fill([batch, 1], fill)], axis=1)[:, 1:]

    def shift_right(values, fill):
        return tf.concat([tf.fill([batch, 1], fill), values], axis=1)[:, :-1]

    next_free = shift_left(editable & ~selected, False)
    swap = selected & (operation == 1) & next_free
    swapped_in = shift_right(swap, False)
    out = tf.where(selected & (operation == 0), substitutes, chars)
    out = tf.where(swap, shift_left(chars, ""), out)
    out = tf.where(swapped_in, shift_right(chars, ""), out)
    out = tf.where(selected & (operation == 2), tf.fill(tf.shape(chars), ""), out)
    out = tf.where(selected & (operation == 3), tf.strings.join([chars, substitutes]), out)
    return tf.strings.reduce_join(out, axis=-1)
