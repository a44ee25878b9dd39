"""Harness cases for the text layers: batches of `tf.string` sentences."""

import numpy as np
from harness import LayerCase

from keras_augment import layers

WORDS = (
    "the a film movie story good bad great dull actor plot scene music long short "
    "funny sad quick slow happy café naïve über 日本語 テキスト музыка"
).split()
SYNONYMS = {
    "film": ["movie", "picture"], "good": ["fine", "nice"], "bad": ["poor"],
    "great": ["superb"], "dull": ["boring"], "funny": ["amusing"], "quick": ["fast"],
    "café": ["bistro"], "музыка": ["мелодия"], "sad": ["unhappy", "gloomy"],
    "long": ["lengthy"], "story": ["tale", "narrative"], "plot": ["storyline"],
}
STRING_SKIPS = {
    "input_dtypes": "text layers take tf.string only and keep it; no numeric dtypes",
}


def random_sentences(shape, dtype="string", seed=0):
    """`shape[0]` sentences of 6 to 14 words, some non-ASCII, as UTF-8 bytes."""
    rng = np.random.default_rng(seed)
    sentences = [
        " ".join(rng.choice(WORDS, size=rng.integers(6, 15))).encode("utf-8")
        for _ in range(int(np.prod(shape)))
    ]
    return np.array(sentences, dtype=object).reshape(shape)


def text_case(layer, kwargs, id=None):
    return LayerCase(
        layer, kwargs, shape=(5,), make_input=random_sentences, dtypes=("string",),
        skip=dict(STRING_SKIPS), id=id,
    )


CASES = [
    text_case(layers.RandomWordDeletion, {"alpha": 0.3, "seed": 0}),
    text_case(layers.RandomWordSwap, {"alpha": 0.2, "seed": 1}),
    text_case(layers.SynonymReplacement, {"synonyms": SYNONYMS, "alpha": 0.1}),
    text_case(layers.RandomWordInsertion, {"synonyms": SYNONYMS, "alpha": 0.2},
              id="RandomWordInsertion-synonyms"),
    text_case(layers.RandomWordInsertion, {"vocabulary": ["very", "rather"], "seed": 2},
              id="RandomWordInsertion-vocabulary"),
    text_case(layers.RandomCharacterNoise, {"rate": 0.1, "seed": 0}),
    text_case(layers.EDA, {"synonyms": SYNONYMS, "seed": 3}),
]

CASES.append(text_case(
    layers.Pipeline,
    {"layers": [layers.RandomWordSwap(0.2), layers.RandomWordDeletion(0.2)], "seed": 4},
    id="Pipeline-text",
))
