"""Acceptance tests of the text layers: rates, vocabulary, Unicode, edge cases."""

import collections

import numpy as np
import pytest
import tensorflow as tf
from cases.text import SYNONYMS, WORDS, random_sentences

from keras_augment import layers
from keras_augment.layers import text as text_layers

UNICODE = [
    "café naïve über",
    "日本語 の テキスト を 増やす",
    "музыка и кино очень хорошие",
    "emoji 🎬 film 👍 good",
    "no\u00a0break\u3000space film",
]
EDGE = ["", "   ", "solo", "film"]


def _all_layers():
    return [
        layers.RandomWordDeletion(0.3),
        layers.RandomWordSwap(0.3),
        layers.SynonymReplacement(SYNONYMS, 0.3),
        layers.RandomWordInsertion(SYNONYMS, alpha=0.3),
        layers.RandomWordInsertion(vocabulary=["vocab"], alpha=0.3),
        layers.RandomCharacterNoise(0.3),
        layers.EDA(SYNONYMS),
    ]


def _texts(tensor):
    return [t.decode("utf-8") for t in np.atleast_1d(tensor.numpy())]


@pytest.mark.parametrize("layer", _all_layers(), ids=lambda l: type(l).__name__)
def test_unicode_and_edge_cases_survive_every_layer(layer):
    outputs = layer(tf.constant(UNICODE + EDGE), seed=4).numpy()
    for out in outputs:
        out.decode("utf-8")  # strict: raises on invalid bytes
    edge = [o.decode() for o in outputs[len(UNICODE):]]
    assert edge[0] == "" and edge[1].strip() == ""
    # A single word may change (synonym, typo) but never vanishes.
    assert all(len(text.split()) >= 1 for text in edge[2:])


@pytest.mark.parametrize("layer", _all_layers(), ids=lambda l: type(l).__name__)
def test_fixed_seed_is_reproducible(layer):
    texts = tf.constant(random_sentences((16,), seed=3))
    first = layer(texts, seed=42).numpy()
    assert np.array_equal(first, layer(texts, seed=42).numpy())
    clone = type(layer).from_config(layer.get_config())
    assert np.array_equal(first, clone(texts, seed=42).numpy())
    seeded = type(layer).from_config({**layer.get_config(), "seed": 9})
    assert np.array_equal(seeded(texts).numpy(), type(layer).from_config(
        {**layer.get_config(), "seed": 9})(texts).numpy())


def test_word_deletion_rate_over_ten_thousand_sentences():
    texts = random_sentences((10_000,), seed=1)
    words_in = sum(len(t.split()) for t in texts)
    out = layers.RandomWordDeletion(alpha=0.1)(tf.constant(texts), seed=0).numpy()
    words_out = sum(len(t.split()) for t in out)
    deleted = 1 - words_out / words_in
    assert 0.08 <= deleted <= 0.12, deleted


def _multiset(text):
    return collections.Counter(text.split())


def test_word_deletion_and_swap_keep_the_sentence_vocabulary():
    texts = random_sentences((200,), seed=2)
    deleted = layers.RandomWordDeletion(0.5)(tf.constant(texts), seed=1).numpy()
    swapped = layers.RandomWordSwap(0.5)(tf.constant(texts), seed=1).numpy()
    for source, d, s in zip(texts, deleted, swapped):
        source = source.decode()
        assert not _multiset(d.decode()) - _multiset(source)
        assert _multiset(s.decode()) == _multiset(source)
        assert 1 <= len(d.split()) <= len(source.split())


def test_swap_count_follows_eda():
    text = " ".join(f"w{i}" for i in range(20))
    out = layers.RandomWordSwap(alpha=0.1)(tf.constant([text] * 50), seed=0).numpy()
    for row in out:
        moved = sum(a != b for a, b in zip(row.decode().split(), text.split()))
        assert 2 <= moved <= 4  # two swaps of distinct positions


def test_synonym_replacement_uses_only_table_synonyms_and_count():
    texts = random_sentences((200,), seed=5)
    out = layers.SynonymReplacement(SYNONYMS, alpha=0.2)(tf.constant(texts), seed=2).numpy()
    for source, result in zip(texts, out):
        src, res = source.decode().split(), result.decode().split()
        assert len(src) == len(res)
        changed = [(a, b) for a, b in zip(src, res) if a != b]
        candidates = sum(w.lower() in SYNONYMS for w in src)
        assert len(changed) == min(max(1, int(0.2 * len(src))), candidates)
        assert all(b in SYNONYMS[a.lower()] for a, b in changed)


def test_stop_words_are_protected():
    table = {"the": ["thee"], "film": ["movie"]}
    text = tf.constant(["the film the film the film"] * 20)
    replaced = layers.SynonymReplacement(table, alpha=1.0)(text, seed=0).numpy()
    assert all(r.decode() == "the movie the movie the movie" for r in replaced)
    deleted = layers.RandomWordDeletion(1.0, stop_words="english")(text, seed=0).numpy()
    assert all(_multiset(d.decode())["the"] == 3 for d in deleted)
    custom = layers.RandomWordDeletion(1.0, stop_words=["film"])(text, seed=0).numpy()
    assert all(d.decode() == "film film film" for d in custom)


def test_insertion_from_vocabulary_keeps_order_and_count():
    texts = random_sentences((100,), seed=6)
    vocabulary = ["INSERTED"]
    out = layers.RandomWordInsertion(vocabulary=vocabulary, alpha=0.2)(tf.constant(texts), seed=3)
    for source, result in zip(texts, out.numpy()):
        src, res = source.decode().split(), result.decode().split()
        assert [w for w in res if w != "INSERTED"] == src
        assert len(res) - len(src) == max(1, int(0.2 * len(src)))


def test_insertion_of_synonyms_stays_in_sentence_synonyms():
    texts = random_sentences((200,), seed=7)
    out = layers.RandomWordInsertion(SYNONYMS, alpha=0.3)(tf.constant(texts), seed=3).numpy()
    for source, result in zip(texts, out):
        src = source.decode().split()
        allowed = set(src) | {s for w in src for s in SYNONYMS.get(w.lower(), [])}
        assert set(result.decode().split()) <= allowed
        assert len(result.decode().split()) >= len(src)


def test_character_noise_rate_and_unicode():
    texts = tf.constant(["абвгд éèêë ñ 日本語テキスト " * 20] * 50)
    source = texts.numpy()[0].decode()
    out = layers.RandomCharacterNoise(0.1, operations=["delete"])(texts, seed=1).numpy()
    letters = sum(not c.isspace() for c in source)
    removed = np.mean([letters - sum(not c.isspace() for c in o.decode()) for o in out])
    assert 0.08 * letters <= removed <= 0.12 * letters
    assert all(o.decode().count(" ") == source.count(" ") for o in out)
    swapped = layers.RandomCharacterNoise(0.2, operations=["swap"])(texts, seed=1).numpy()
    assert all(sorted(s.decode()) == sorted(source) for s in swapped)


def test_keyboard_typos_are_neighbours():
    neighbours = text_layers.characters.keyboard_neighbours()
    assert set(neighbours["g"]) == set("tyfhvb") and neighbours["Q"] == "12WA"
    text = "keyboard typing"
    out = layers.RandomCharacterNoise(0.5, "keyboard")(tf.constant([text] * 20), seed=0).numpy()
    for row in out:
        row = row.decode()
        assert len(row) == len(text)
        assert all(a == b or b in neighbours[a] for a, b in zip(text, row))


def test_eda_applies_exactly_one_operation_per_sentence():
    eda = layers.EDA(SYNONYMS)
    texts = tf.constant(random_sentences((64,), seed=8))
    transformation = eda.get_random_transformation(texts, seed=5)
    out = eda.apply_transformation(texts, transformation).numpy()
    operations = transformation["operation"].numpy()
    assert set(operations) == {0, 1, 2, 3}
    for i, op in enumerate(operations):
        one = eda.operations[op].transform_text(texts[i : i + 1], {"keys": transformation["keys"][i : i + 1]})
        assert one.numpy()[0] == out[i]


def test_eda_without_synonyms_uses_swap_and_deletion():
    eda = layers.EDA()
    assert [type(op).__name__ for op in eda.operations] == ["RandomWordSwap", "RandomWordDeletion"]


def test_text_layers_in_tf_data_and_with_text_vectorization(tmp_path):
    import keras

    texts = random_sentences((32,), seed=9)
    labels = np.arange(32) % 2
    vectorize = keras.layers.TextVectorization(max_tokens=64, output_sequence_length=16)
    vectorize.adapt(tf.constant(texts))
    inputs = keras.Input(shape=(), dtype="string")
    hidden = vectorize(layers.EDA(SYNONYMS, seed=0)(inputs))
    hidden = keras.layers.GlobalAveragePooling1D()(keras.layers.Embedding(64, 4)(hidden))
    model = keras.Model(inputs, keras.layers.Dense(1, activation="sigmoid")(hidden))
    model.compile("adam", "binary_crossentropy")
    dataset = tf.data.Dataset.from_tensor_slices((texts, labels)).batch(8)
    swap = layers.RandomWordSwap(0.2, seed=1)
    augmented = dataset.map(lambda t, y: (swap(t), y), num_parallel_calls=tf.data.AUTOTUNE)
    model.fit(augmented, epochs=1, shuffle=False, verbose=0)
    before = model.predict(tf.constant(texts[:4]), verbose=0)
    model.save(tmp_path / "model.keras")
    reloaded = keras.saving.load_model(tmp_path / "model.keras")
    np.testing.assert_allclose(reloaded.predict(tf.constant(texts[:4]), verbose=0), before, atol=1e-6)
    # An inference endpoint: `model.export()` would call the model without
    # `training`, and augmentation layers (Keras core's too) augment then.
    archive = keras.export.ExportArchive()
    archive.track(model)
    archive.add_endpoint(
        "serve", lambda t: model(t, training=False), input_signature=[tf.TensorSpec([None], tf.string)]
    )
    archive.write_out(str(tmp_path / "served"), verbose=False)
    loaded = tf.saved_model.load(str(tmp_path / "served"))
    served = loaded.serve(tf.constant(texts[:4]))
    np.testing.assert_allclose(served.numpy(), before, atol=1e-6)


def test_synonym_loader_reads_dict_text_and_json(tmp_path):
    text_file = tmp_path / "synonyms.tsv"
    text_file.write_text("# comment\nFilm\tmovie\tpicture\ngood\tfine\tgood\n", encoding="utf-8")
    json_file = tmp_path / "synonyms.json"
    json_file.write_text('{"café": ["bistro"]}', encoding="utf-8")
    assert text_layers.load_synonyms(str(text_file)) == {"film": ["movie", "picture"], "good": ["fine"]}
    assert text_layers.load_synonyms(str(json_file)) == {"café": ["bistro"]}
    layer = layers.SynonymReplacement(str(text_file), alpha=1.0)
    assert layer(tf.constant("Film"), seed=0).numpy().decode() in ("movie", "picture")
    with pytest.raises(ValueError, match="SynonymReplacement"):
        layers.SynonymReplacement({"a": "not a list"})
    with pytest.raises(ValueError, match="cannot read"):
        text_layers.load_synonyms(str(tmp_path / "missing.tsv"))


# WordNet synonyms are tested in test_wordnet.py.


def test_bad_inputs_and_arguments_name_the_layer():
    with pytest.raises(ValueError, match="RandomWordSwap.*tf.string"):
        layers.RandomWordSwap()(tf.zeros([2, 3]))
    with pytest.raises(ValueError, match="RandomWordDeletion.*alpha"):
        layers.RandomWordDeletion(alpha=1.5)
    with pytest.raises(ValueError, match="exactly one"):
        layers.RandomWordInsertion()
    with pytest.raises(ValueError, match="operations"):
        layers.RandomCharacterNoise(operations=["shout"])
    with pytest.raises(ValueError, match="stop_words"):
        layers.RandomWordSwap(stop_words="klingon")
    with pytest.raises(ValueError, match="`text` key"):
        layers.RandomWordSwap()({"images": tf.constant(["a b"])})


def test_dict_routing_and_training_false():
    data = {"text": tf.constant(["a b c d e f g h"]), "labels": tf.constant([1])}
    out = layers.RandomWordSwap(0.5)(data, seed=0)
    assert sorted(out) == ["labels", "text"] and out["labels"].numpy()[0] == 1
    assert out["text"].numpy()[0] != data["text"].numpy()[0]
    same = layers.RandomWordSwap(0.5)(data, training=False)
    assert same["text"].numpy()[0] == data["text"].numpy()[0]
    assert set(WORDS) >= set(random_sentences((1,))[0].decode().split())


def test_column_of_strings_keeps_its_shape():
    texts = tf.constant(random_sentences((6,), seed=4))
    layer = layers.EDA(SYNONYMS)
    column = layer(texts[:, None], seed=3)
    assert column.shape == (6, 1)
    assert np.array_equal(column.numpy()[:, 0], layer(texts, seed=3).numpy())
    with pytest.raises(ValueError, match=r"EDA.*\(B, 1\)"):
        layer(tf.constant([["a", "b"]]))


class _BatchDependentSwap(layers.RandomWordSwap):
    def transform_text(self, texts, transformation):
        keys = transformation["keys"] + tf.shape(texts)[0]  # draws depend on the batch
        return super().transform_text(texts, {"keys": keys})


def test_harness_string_comparison_catches_batch_dependent_text():
    from cases.text import text_case
    from harness import run_check

    with pytest.raises(AssertionError, match="alone vs batch"):
        run_check(text_case(_BatchDependentSwap, {"alpha": 0.5}), "batched_equals_stacked")
    assert run_check(text_case(layers.RandomWordSwap, {"alpha": 0.5}), "batched_equals_stacked") is None
