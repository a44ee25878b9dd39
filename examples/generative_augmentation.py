"""Generative augmentation: train a conditional VAE on few digits and mix its
samples into training batches with `GenerativeAugment`.

Run: python examples/generative_augmentation.py [--fast]
"""

import keras
import numpy as np

import keras_augment as ka
from keras_augment import data, models
from keras_augment.export import export_generator
from keras_augment.visualize import make_grid, save_png, to_uint8

from _common import parse_args, print_results


def main(argv=None):
    args = parse_args(__doc__.splitlines()[0], argv)
    keras.utils.set_random_seed(0)
    train, validation = data.split(data.load("digits"), 0.5, seed=0)
    cvae = models.ConditionalVAE((8, 8, 1), 10, latent_dim=8, value_range=(0, 16), seed=0)
    cvae.compile(keras.optimizers.Adam(2e-3), jit_compile=not args.fast)  # XLA pays off over many steps
    if args.fast:
        train = train.take(128)
    cvae.fit(train.shuffle(1000, seed=0).batch(32), epochs=1 if args.fast else 40, verbose=0)
    samples = cvae.generate(30, labels=np.arange(30) % 10, seed=0)
    grid = save_png(f"{args.output_dir}/cvae_samples.png", make_grid(to_uint8(samples, (0, 16)), 10, scale=4))

    # A quarter of each training batch is replaced by samples of the same labels.
    mixer = ka.layers.GenerativeAugment(cvae, rate=0.25, seed=0)
    batches = data.augment(train.batch(32), mixer, seed=1)
    as_pairs = lambda e: (e["images"], e["labels"])  # noqa: E731
    classifier = keras.Sequential([
        keras.Input((8, 8, 1)), keras.layers.Rescaling(1 / 16), keras.layers.Flatten(),
        keras.layers.Dense(64, activation="relu"), keras.layers.Dense(10),
    ])
    classifier.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
    classifier.fit(batches.map(as_pairs), epochs=1 if args.fast else 20, verbose=0)
    _, accuracy = classifier.evaluate(validation.batch(256).map(as_pairs), verbose=0)
    print(f"validation accuracy with generative augmentation: {accuracy:.3f}")
    path = export_generator(cvae, f"{args.output_dir}/cvae_generator")
    print(f"exported the generator to {path}")
    return print_results({"validation_accuracy": accuracy, "samples_grid": grid, "generator": path})


if __name__ == "__main__":
    main()
