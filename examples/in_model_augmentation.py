"""Augment inside a Keras model: active in `fit`, the identity in `evaluate`.

Run: python examples/in_model_augmentation.py [--fast]
"""

import keras

import keras_augment as ka
from keras_augment import data

from _common import parse_args, print_results


def main(argv=None):
    args = parse_args(__doc__.splitlines()[0], argv)
    keras.utils.set_random_seed(0)
    train, validation = data.split(data.load("digits"), 0.3, seed=0)
    as_pairs = lambda e: (e["images"], e["labels"])  # noqa: E731
    model = keras.Sequential([
        keras.Input((8, 8, 1)),
        ka.layers.RandomBrightness(0.2, value_range=(0, 16), seed=0),
        keras.layers.Rescaling(1 / 16),
        keras.layers.Conv2D(32, 3, padding="same", activation="relu"),
        keras.layers.GlobalAveragePooling2D(),
        keras.layers.Dense(10),
    ])
    model.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
    model.fit(train.batch(32).map(as_pairs), epochs=1 if args.fast else 20, verbose=0)
    _, accuracy = model.evaluate(validation.batch(256).map(as_pairs), verbose=0)
    print(f"validation accuracy: {accuracy:.3f}")
    path = f"{args.output_dir}/in_model.keras"
    model.save(path)  # the augmentation layer is saved with the model
    reloaded = keras.saving.load_model(path)
    print(f"saved and reloaded {path}")
    return print_results({"validation_accuracy": accuracy, "model_file": path,
                          "reloaded_layers": [type(layer).__name__ for layer in reloaded.layers]})


if __name__ == "__main__":
    main()
