"""Shared helpers of the generative examples: data split, time budget, evaluation.

The digits split is fixed: a permutation of the 1,797 bundled UCI digits by
`numpy.random.default_rng(0)`; the first 1,347 are the training split and
the last 450 the test split (25%). Every example and figure uses it.
"""

import json
import os
import time

import keras
import numpy as np

from keras_augment.data import load_digits_arrays
from keras_augment.models import metrics

DIGITS_RANGE = (0.0, 16.0)
TEST_SIZE = 450


def split_digits(seed=0):
    """`(train_images, train_labels, test_images, test_labels)`, float32 images in 0..16."""
    images, labels = load_digits_arrays()
    order = np.random.default_rng(seed).permutation(len(images))
    train, test = order[:-TEST_SIZE], order[-TEST_SIZE:]
    images = images.astype("float32")
    return images[train], labels[train], images[test], labels[test]


def load_mnist():
    """MNIST from TFDS when a user already has it (no download here), 0..255."""
    import tensorflow_datasets as tfds  # only when asked: slow import

    def arrays(split):
        data = tfds.as_numpy(tfds.load("mnist", split=split, batch_size=-1, download=False))
        return data["image"].astype("float32"), data["label"].astype("int64")

    train_images, train_labels = arrays("train")
    test_images, test_labels = arrays("test")
    return train_images, train_labels, test_images, test_labels


def load_dataset(name):
    """`(train_images, train_labels, test_images, test_labels, value_range)`."""
    if name == "digits":
        return (*split_digits(), DIGITS_RANGE)
    if name == "mnist":
        return (*load_mnist(), (0.0, 255.0))
    raise ValueError(f"unknown dataset {name!r}; use 'digits' or 'mnist'.")


class TimeBudget(keras.callbacks.Callback):
    """Stops training after the first batch that ends past `minutes` of training
    (tracing and XLA compilation count towards the budget)."""

    def __init__(self, minutes):
        super().__init__()
        self.seconds = 60.0 * minutes
        self.elapsed = 0.0
        self.epochs = 0

    def on_train_begin(self, logs=None):
        self._start = time.perf_counter()

    def on_train_batch_end(self, batch, logs=None):
        self.elapsed = time.perf_counter() - self._start
        if self.elapsed > self.seconds:
            self.model.stop_training = True

    def on_epoch_end(self, epoch, logs=None):
        self.epochs = epoch + 1


def evaluate(model, train_images, train_labels, test_images, test_labels, value_range,
             num_synthetic=2000, classifier_epochs=30, seed=0):
    """CAS and FCD of a conditional model next to the real-data references."""
    num_classes = model.num_classes
    reference = metrics.train_domain_classifier(
        train_images, train_labels, num_classes, value_range, epochs=classifier_epochs, seed=seed
    )
    synthetic_labels = np.arange(num_synthetic) % num_classes
    synthetic = np.asarray(model.generate(num_synthetic, labels=synthetic_labels, seed=seed))
    cas = metrics.classification_accuracy_score(
        synthetic, synthetic_labels, test_images, test_labels, num_classes, value_range,
        epochs=classifier_epochs, seed=seed,
    )
    return {
        "real_train_accuracy_on_test": metrics.classifier_accuracy(reference, test_images, test_labels, value_range),
        "classification_accuracy_score": cas,
        "fcd_samples_vs_test": metrics.frechet_classifier_distance(reference, synthetic, test_images, value_range),
        "fcd_train_vs_test": metrics.frechet_classifier_distance(reference, train_images, test_images, value_range),
    }


def write_results(output_dir, name, results):
    os.makedirs(output_dir, exist_ok=True)
    path = os.path.join(output_dir, f"{name}_results.json")
    with open(path, "w") as handle:
        json.dump(results, handle, indent=2)
    print(json.dumps(results, indent=2))
    return path


def example_parser(description, latent_dim):
    """Command-line options shared by train_vae.py and train_gan.py."""
    import argparse

    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--dataset", default="digits", choices=["digits", "mnist"])
    parser.add_argument("--unconditional", action="store_true")
    parser.add_argument("--minutes", type=float, default=5.0, help="training time budget (includes XLA compilation)")
    parser.add_argument("--epochs", type=int, default=2000, help="upper bound on epochs")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--latent-dim", type=int, default=latent_dim)
    parser.add_argument(
        "--jit", default="auto", choices=["auto", "on", "off"],
        help="XLA for the train step; auto: only with a GPU (on 2 CPU cores XLA "
        "convolutions ran 2-8x slower, see benchmarks/train_step.py)",
    )
    parser.add_argument("--output-dir", default="outputs")
    parser.add_argument("--fast", action="store_true", help="tiny run, for smoke tests")
    return parser


def use_jit(choice):
    """`--jit` to a `jit_compile` value."""
    if choice == "auto":
        import tensorflow as tf

        return bool(tf.config.list_physical_devices("GPU"))
    return choice == "on"


def train_and_report(model, args, train_x, train_y, test_x, test_y, value_range, extra=None):
    """Fit within the time budget, write grids, export to saved_models/, report."""
    from _common import say_if_smoke_run

    say_if_smoke_run(args.fast)
    from keras_augment.export import export_generator
    from keras_augment.models import NaNGuard, SampleGrid

    name = f"{type(model).__name__.lower()}_{args.dataset}"
    budget = TimeBudget(args.minutes)
    grids = SampleGrid(os.path.join(args.output_dir, name), every_n_epochs=10)
    inputs = (train_x,) if args.unconditional else (train_x, train_y)
    start = time.perf_counter()
    history = model.fit(
        *inputs, batch_size=args.batch_size, epochs=args.epochs,
        callbacks=[budget, NaNGuard(), grids], verbose=0 if args.fast else 2,
    )
    results = {
        "model": type(model).__name__, "dataset": args.dataset, **(extra or {}),
        "jit_compile": model.jit_compile, "epochs": budget.epochs, "training_seconds": round(time.perf_counter() - start, 1),
        "final_losses": {k: float(v[-1]) for k, v in history.history.items()},
        "saved_model": export_generator(model, os.path.join("saved_models", name)),
    }
    if not args.unconditional:
        results.update(evaluate(
            model, train_x, train_y, test_x, test_y, value_range,
            classifier_epochs=2 if args.fast else 30,
        ))
    write_results(args.output_dir, name, results)
    return results
