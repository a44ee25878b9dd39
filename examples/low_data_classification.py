"""Low-data classification: accuracy of a small CNN trained on 2%..30% of the
digits, without and with augmentation, as a table.

Run: python examples/low_data_classification.py [--fast]
"""

import keras

import keras_augment as ka
from keras_augment import data

from _common import parse_args


def accuracy(train, validation, augmenter, epochs, seed=0):
    keras.utils.set_random_seed(seed)
    layers = [keras.Input((8, 8, 1))] + ([augmenter] if augmenter else []) + [
        keras.layers.Rescaling(1 / 16),
        keras.layers.Conv2D(32, 3, padding="same", activation="relu"),
        keras.layers.MaxPooling2D(),
        keras.layers.Conv2D(64, 3, padding="same", activation="relu"),
        keras.layers.GlobalAveragePooling2D(),
        keras.layers.Dense(10),
    ]
    model = keras.Sequential(layers)
    model.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
    as_pairs = lambda e: (e["images"], e["labels"])  # noqa: E731
    steps = 30 if epochs > 1 else 2  # same number of updates for every size
    model.fit(train.shuffle(2048, seed=seed).repeat().batch(32).map(as_pairs),
              epochs=epochs, steps_per_epoch=steps, verbose=0)
    return model.evaluate(validation.batch(256).map(as_pairs), verbose=0)[1]


def augmenter_layers():
    names = ("RandomRotation", "RandomTranslation")
    if all(hasattr(ka.layers, name) for name in names):
        return ka.layers.Pipeline([
            ka.layers.RandomRotation(0.05), ka.layers.RandomTranslation(0.1, 0.1),
        ], seed=0)
    return ka.layers.RandomBrightness(0.2, value_range=(0, 16), seed=0)


def main(argv=None):
    args = parse_args(__doc__.splitlines()[0], argv)
    digits = data.load("digits")
    rest, validation = data.split(digits, 0.3, seed=0)
    fractions = [0.05] if args.fast else [0.02, 0.05, 0.1, 0.3]
    epochs = 1 if args.fast else 20
    print(f"{'train images':>12} | {'no augmentation':>15} | {'augmentation':>12}")
    for fraction in fractions:
        train = data.split(rest, 1.0 - fraction / 0.7, seed=1)[0] if fraction < 0.7 else rest
        train = train.cache()
        plain = accuracy(train, validation, None, epochs)
        augmented = accuracy(train, validation, augmenter_layers(), epochs)
        print(f"{int(train.cardinality()):>12} | {plain:>15.3f} | {augmented:>12.3f}")


if __name__ == "__main__":
    main()
