"""Augment in a `tf.data` pipeline: load, split, batch, augment with exact seeds.

Run: python examples/tf_data_pipeline.py [--fast]
"""

import numpy as np
import tensorflow as tf

import keras_augment as ka
from keras_augment import data

from _common import parse_args, print_results


def main(argv=None):
    args = parse_args(__doc__.splitlines()[0], argv)
    ds = data.load("digits")  # or a folder, a TFDS name such as "mnist", arrays
    stats = {k: v for k, v in data.stats(ds).items() if k != "sizes"}
    print("stats:", stats)
    train, validation = data.split(ds, validation_fraction=0.2, seed=0)
    augmenter = ka.layers.Pipeline(
        [ka.layers.RandomBrightness(0.2, value_range=(0, 16))], seed=0
    )
    batches = data.augment(train.batch(64), augmenter, seed=1).prefetch(tf.data.AUTOTUNE)
    # The same seed gives the same epoch, bit for bit, with any parallelism.
    first = [b["images"].numpy() for b in batches.take(2)]
    again = [b["images"].numpy() for b in data.augment(train.batch(64), augmenter, seed=1,
                                                        num_parallel_calls=1).take(2)]
    assert all(np.array_equal(a, b) for a, b in zip(first, again))
    count = sum(int(tf.shape(b["images"])[0]) for b in batches.take(2 if args.fast else -1))
    print(f"augmented {count} training images; {int(validation.cardinality())} kept for validation")
    return print_results({
        "stats": stats, "augmented_images": count,
        "train_images": int(train.cardinality()), "validation_images": int(validation.cardinality()),
    })


if __name__ == "__main__":
    main()
