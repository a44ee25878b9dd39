"""Text kernels against plain-Python references, and the keyed draws."""

import numpy as np
import tensorflow as tf

from keras_augment.layers.text.base import keyed_uniform
from keras_augment.ops import text as text_ops

TRICKY = [
    "plain ascii words",
    "  leading and trailing  ",
    "",
    "   ",
    "tab\tnew\nline\r\nfeed\x0bvt\x0cff",
    "no\u00a0break\u3000ideographic\u2003em\u2028line\u2029para\x85nel",
    "sep\x1cfile\x1dgroup\x1erecord\x1funit",
    "café naïve über 日本語テキスト русский",
]


def _decode(tensor):
    return [[w.decode("utf-8") for w in row] for row in tensor.to_list()]


def test_split_words_matches_python_str_split():
    words = text_ops.split_words(tf.constant(TRICKY))
    assert _decode(words) == [text.split() for text in TRICKY]
    in_graph = tf.function(text_ops.split_words)(tf.constant(TRICKY))
    assert _decode(in_graph) == [text.split() for text in TRICKY]


def test_join_words_round_trip():
    joined = text_ops.join_words(text_ops.split_words(tf.constant(TRICKY)))
    assert [t.decode("utf-8") for t in joined.numpy()] == [" ".join(t.split()) for t in TRICKY]


def test_random_order_ranks_are_a_permutation_of_valid_positions():
    scores = tf.constant([[0.3, 0.1, 0.9, 0.5], [0.2, 0.8, 0.0, 0.0]])
    valid = tf.constant([[True, True, True, True], [True, True, False, False]])
    ranks = text_ops.random_order_ranks(scores, valid).numpy()
    np.testing.assert_array_equal(ranks[0], [1, 0, 3, 2])
    np.testing.assert_array_equal(ranks[1][:2], [0, 1])
    assert set(ranks[1][2:]) == {2, 3}


def test_swap_positions_matches_reference():
    permutation = tf.constant([[0, 1, 2, 3], [0, 1, 2, 3], [0, 1, 2, 3]])
    out = text_ops.swap_positions(
        permutation, tf.constant([0, 3, 1]), tf.constant([2, 1, 2]), tf.constant([True, True, False])
    ).numpy()
    np.testing.assert_array_equal(out, [[2, 1, 0, 3], [0, 3, 2, 1], [0, 1, 2, 3]])


def _interleave_reference(words, new_words, is_new):
    old, new, out = iter(words), iter(new_words), []
    for slot in is_new[: len(words) + sum(is_new)]:
        out.append(next(new) if slot else next(old))
    return out


def test_interleave_words_matches_reference():
    rng = np.random.default_rng(0)
    rows = [["a", "b", "c"], ["é"], [], ["x", "y"]]
    inserts = [["N1", "N2"], ["M"], [], []]
    width = max(len(r) + len(i) for r, i in zip(rows, inserts))
    masks = []
    for row, new in zip(rows, inserts):
        total = len(row) + len(new)
        slots = np.zeros(width, bool)
        slots[rng.choice(total, size=len(new), replace=False)] = True
        masks.append(slots)
    out = text_ops.interleave_words(
        tf.ragged.constant(rows, dtype=tf.string).to_tensor(""),
        tf.constant([len(r) for r in rows]),
        tf.ragged.constant(inserts, dtype=tf.string).to_tensor(""),
        tf.constant(np.stack(masks)),
    )
    expected = [_interleave_reference(r, i, list(m)) for r, i, m in zip(rows, inserts, masks)]
    assert _decode(out) == expected


def _edits_reference(chars, editable, selected, operation, substitutes):
    out = list(chars)
    selected = [s and e for s, e in zip(selected, editable)]
    for i, char in enumerate(chars):
        if not selected[i]:
            continue
        op = operation[i]
        if op == 0:
            out[i] = substitutes[i]
        elif op == 1 and i + 1 < len(chars) and editable[i + 1] and not selected[i + 1]:
            out[i], out[i + 1] = chars[i + 1], chars[i]
        elif op == 2:
            out[i] = ""
        elif op == 3:
            out[i] = char + substitutes[i]
    return "".join(out)


def test_character_edits_match_reference():
    rng = np.random.default_rng(1)
    texts = ["héllo wörld", "ab", "日本語 テキスト", ""]
    chars = [list(t) for t in texts]
    width = max(len(c) for c in chars)
    pad = lambda rows, fill: np.array([r + [fill] * (width - len(r)) for r in rows], dtype=object)
    selected = rng.random((len(texts), width)) < 0.5
    operation = rng.integers(0, 4, (len(texts), width)).astype(np.int32)
    substitutes = [["Z"] * len(c) for c in chars]
    editable = [[not ch.isspace() for ch in c] for c in chars]
    out = text_ops.character_edits(
        tf.constant([[s.encode() for s in r] for r in pad(chars, "")]),
        tf.constant([len(c) for c in chars]),
        tf.constant(pad(editable, False).astype(bool)),
        tf.constant(selected),
        tf.constant(operation),
        tf.constant([[s.encode() for s in r] for r in pad(substitutes, "")]),
    )
    expected = [
        _edits_reference(c, e, list(selected[i]), list(operation[i]), s)
        for i, (c, e, s) in enumerate(zip(chars, editable, substitutes))
    ]
    assert [t.decode("utf-8") for t in out.numpy()] == expected


def test_keyed_uniform_is_uniform_and_batch_independent():
    keys = tf.constant([5, 77, 123456789], tf.int32)
    positions = tf.range(4000)[None, :]
    draws = keyed_uniform(keys, positions, stream=0).numpy()
    assert draws.min() >= 0 and draws.max() < 1
    assert abs(draws.mean() - 0.5) < 0.01
    assert np.histogram(draws, bins=10, range=(0, 1))[0].min() > 0.09 * draws.size
    alone = keyed_uniform(keys[1:2], tf.range(50)[None, :], stream=0).numpy()
    np.testing.assert_array_equal(alone[0], draws[1, :50])
    other_stream = keyed_uniform(keys, positions, stream=1).numpy()
    assert abs(np.corrcoef(draws.ravel(), other_stream.ravel())[0, 1]) < 0.02
