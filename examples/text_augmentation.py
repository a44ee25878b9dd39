"""Text augmentation: EDA (synonyms, insertion, swap, deletion) on a small
sentiment set, mapped over string batches in `tf.data`, then a bag-of-words
classifier.

Run: python examples/text_augmentation.py [--fast]
"""

import keras
import tensorflow as tf

import keras_augment as ka
from keras_augment import data

from _common import parse_args

POSITIVE = ["a good film", "a great and moving story", "fine acting and a nice plot",
            "i liked it a lot", "a wonderful cast", "good fun for everyone"]
NEGATIVE = ["a bad film", "a dull and boring story", "poor acting and a weak plot",
            "i hated it", "an awful cast", "boring for everyone"]
SYNONYMS = {"good": ["fine", "nice", "great"], "bad": ["poor", "awful"], "film": ["movie"],
            "boring": ["dull"], "story": ["plot", "tale"]}


def main(argv=None):
    args = parse_args(__doc__.splitlines()[0], argv)
    texts = tf.constant(POSITIVE + NEGATIVE)
    labels = tf.constant([1] * len(POSITIVE) + [0] * len(NEGATIVE), tf.int64)
    eda = ka.layers.EDA(synonyms=SYNONYMS, vocabulary=["very", "really"], seed=0)
    print("augmented:", [s.decode() for s in eda(texts[:3], seed=1).numpy()])
    ds = tf.data.Dataset.from_tensor_slices({"text": texts, "labels": labels})
    # Text layers read the "text" key; `augment` seeds each batch.
    batches = data.augment(ds.shuffle(12, seed=0).batch(4), eda, seed=0)
    vectorize = keras.layers.TextVectorization(max_tokens=200, output_mode="multi_hot")
    vectorize.adapt(texts)
    model = keras.Sequential([keras.Input((vectorize.vocabulary_size(),)), keras.layers.Dense(1)])
    model.compile(keras.optimizers.Adam(0.05), keras.losses.BinaryCrossentropy(from_logits=True), metrics=["accuracy"])
    pairs = batches.map(lambda e: (vectorize(e["text"]), e["labels"])).repeat(1 if args.fast else 30)
    model.fit(pairs, verbose=0)
    _, accuracy = model.evaluate(vectorize(texts), labels, verbose=0)
    print(f"training-set accuracy after text augmentation: {accuracy:.2f}")


if __name__ == "__main__":
    main()
