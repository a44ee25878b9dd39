"""Text classification with EDA on a small sentiment dataset built here.

Where the text comes from: this script writes it. Sentences are built from
templates ("the {noun} was {adjective} and {adverb} {adjective}") with a
fixed seed; the label is the sentiment of the adjectives. The training set
uses one set of adjectives ("good", "bad", ...) and the test set only their
synonyms ("fine", "awful", ...), which the training sentences never contain:
the situation EDA's synonym replacement is meant for. The synonym table is
given as a dict (WordNet's works the same way where its database is
installed, e.g. Debian's wordnet-base: `keras_augment.layers.text.wordnet_synonyms()`).

The model is `EDA -> TextVectorization -> Embedding -> pooling -> Dense`;
EDA augments during `fit` only. The script trains the same model with and
without EDA and prints both test accuracies.

    python examples/text_eda.py [--fast]
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

import keras_augment as ka  # noqa: E402

POSITIVE = {"good": ["fine", "nice"], "great": ["superb", "excellent"], "funny": ["amusing", "witty"],
            "moving": ["touching", "poignant"], "clever": ["smart", "brilliant"]}
NEGATIVE = {"bad": ["awful", "poor"], "dull": ["boring", "tedious"], "weak": ["feeble", "flimsy"],
            "silly": ["foolish", "inane"], "slow": ["sluggish", "plodding"]}
NOUNS = "film movie story plot script acting ending soundtrack cast director".split()
ADVERBS = "very quite really rather truly so".split()
TEMPLATES = [
    "the {noun} was {adverb} {adjective}",
    "i thought the {noun} was {adjective} and {adverb} {adjective}",
    "a {adjective} {noun} with a {adverb} {adjective} {noun}",
    "honestly the {noun} is {adjective}",
]


def build_split(rng, count, use_synonyms):
    """Sentences and labels; training adjectives, or only their synonyms."""
    texts, labels = [], []
    for _ in range(count):
        label = int(rng.integers(0, 2))
        table = POSITIVE if label else NEGATIVE
        if use_synonyms:
            pool = [s for synonyms in table.values() for s in synonyms]
        else:
            pool = list(table)
        template = TEMPLATES[rng.integers(len(TEMPLATES))]
        text = template
        while "{adjective}" in text:
            text = text.replace("{adjective}", pool[rng.integers(len(pool))], 1)
        while "{noun}" in text:
            text = text.replace("{noun}", NOUNS[rng.integers(len(NOUNS))], 1)
        text = text.replace("{adverb}", ADVERBS[rng.integers(len(ADVERBS))])
        texts.append(text)
        labels.append(label)
    return np.array(texts), np.array(labels, np.float32)


def build_model(vocabulary, augment):
    vectorize = keras.layers.TextVectorization(output_sequence_length=16)
    vectorize.set_vocabulary(vocabulary)
    inputs = keras.Input(shape=(), dtype="string")
    x = augment(inputs) if augment is not None else inputs
    x = vectorize(x)
    x = keras.layers.Embedding(len(vocabulary) + 2, 16)(x)
    x = keras.layers.GlobalAveragePooling1D()(x)
    outputs = keras.layers.Dense(1, activation="sigmoid")(x)
    model = keras.Model(inputs, outputs)
    model.compile(keras.optimizers.Adam(0.02), "binary_crossentropy", metrics=["accuracy"])
    return model


def main(argv=None):
    import sys

    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from _common import parse_args, print_results

    args = parse_args("Text classification with and without EDA.", argv)
    size, epochs = (64, 1) if args.fast else (400, 15)
    rng = np.random.default_rng(0)
    train_texts, train_labels = build_split(rng, size, use_synonyms=False)
    test_texts, test_labels = build_split(rng, size, use_synonyms=True)
    synonyms = {**POSITIVE, **NEGATIVE}
    # The vocabulary comes from the text and the synonym table, as it would
    # from a large unlabelled corpus: test words are known, just never labelled.
    vocabulary = sorted({w for t in train_texts for w in t.split()}
                        | {s for v in synonyms.values() for s in v})
    print("example training sentence:", train_texts[0])
    eda = ka.layers.EDA(synonyms=synonyms, alpha_sr=0.3, alpha_ri=0.3, seed=0)
    print("after EDA:               ", eda(tf.constant(train_texts[:1]), seed=3).numpy()[0].decode())
    results = {}
    for name, augment in (("no augmentation", None), ("EDA", eda)):
        keras.utils.set_random_seed(1)
        model = build_model(vocabulary, augment)
        train = tf.data.Dataset.from_tensor_slices((train_texts, train_labels)).shuffle(size, seed=0)
        model.fit(train.batch(32), epochs=epochs, shuffle=False, verbose=0)
        test = tf.data.Dataset.from_tensor_slices((test_texts, test_labels)).batch(100)
        results[name] = model.evaluate(test, verbose=0)[1]
        print(f"{name:16s} test accuracy on unseen synonyms: {results[name]:.3f}")
    return print_results(results)


if __name__ == "__main__":
    main()
