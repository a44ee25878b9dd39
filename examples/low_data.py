"""The low-data table on Fashion-MNIST: does generation help 100 images per class?

Protocol, per seed (0, 1, 2 by default):

* 100 train images per class (1,000) are drawn by the seed: the training set.
  The rest of the train split is the validation pool (a seeded subset of
  `--validation` images of it, to keep evaluation cheap on a CPU). The test
  split (10,000 images) is used once, for the chosen setting of each row.
* Conditions: none; geometric (flip, shift, zoom); geometric plus samples of
  a conditional generator (cvae, cgan, cdiffusion; `commands.train` settings)
  trained on the same 1,000 images only for `--generator-epochs`.
* Generation: each generator draws a pool of `--pool` samples (classes in
  turn) once; each training batch takes a share of its images from the pool
  and the rest from the real set. Sampling once keeps the cost bounded: a
  diffusion sample costs 2 * DDIM-steps U-Net passes.
* Every condition trains a small CNN for the same number of steps (batches of
  32). Settings are chosen on the validation pool of seed 0, then fixed for
  all seeds: the step count of each of none and geometric, and for each
  generator the pool share in `SHARES` (at geometric's step count).
* The table is the mean and spread (std) of test accuracy over the seeds,
  gain or loss as measured.

    python examples/low_data.py                        # all families, 3 seeds
    python examples/low_data.py --families cvae        # one family
    python examples/low_data.py --fast                 # smoke run
"""

import argparse
import json
import os
import sys
import time

import keras
import numpy as np
import tensorflow as tf

sys.path.insert(0, os.path.dirname(__file__))
from _common import say_if_smoke_run  # noqa: E402

from keras_augment import layers  # noqa: E402
from keras_augment.commands.train import build_model  # noqa: E402
from keras_augment.data.idx import load_idx_arrays  # noqa: E402
from keras_augment.models import metrics  # noqa: E402

FASHION = "/usr/share/datasets/fashion-mnist"
PER_CLASS = 100
BATCH = 32
SHARES = (0.25, 0.5)
STEP_CANDIDATES = (600, 1500)


def low_data_split(train_x, train_y, seed, validation, per_class=PER_CLASS):
    """Indices `(train, validation)`: `per_class` per class, then a subset of the rest."""
    rng = np.random.default_rng(seed)
    chosen = np.concatenate([rng.choice(np.flatnonzero(train_y == c), per_class, replace=False)
                             for c in range(10)])
    rest = np.setdiff1d(np.arange(len(train_x)), chosen)
    return chosen, rng.choice(rest, min(validation, len(rest)), replace=False)


def geometric(seed):
    return layers.Pipeline(
        [
            layers.RandomFlip("horizontal"),
            layers.RandomTranslation(0.1, 0.1, fill_mode="constant"),
            layers.RandomZoom(0.1, fill_mode="constant"),
        ],
        seed=seed,
    )


def synthetic_pool(kind, images, labels, epochs, size, seed, diffusion_steps):
    """`size` samples (classes in turn) of a `kind` generator fitted to the images."""
    keras.utils.set_random_seed(seed)
    width = 16 if kind == "cdiffusion" else 32  # as benchmarks/fashion_generation.py
    model = build_model(kind, images.shape[1:], 10, width=width, seed=seed, jit_compile=False)
    model.fit(images, labels, batch_size=50, epochs=epochs, verbose=0)
    pool_labels = np.arange(size) % 10
    options = {"steps": diffusion_steps} if kind == "cdiffusion" else {}
    pool = np.asarray(model.generate(size, labels=pool_labels, seed=seed, **options))
    return np.clip(pool, 0, 255).astype("float32"), pool_labels


def train_classifier(images, labels, steps, seed, augment=False, pool=None, share=0.0):
    """A small CNN trained for `steps` batches; `share` of each batch's images
    (in expectation) come from `pool`."""
    keras.utils.set_random_seed(seed)
    slices = lambda x, y: tf.data.Dataset.from_tensor_slices(  # noqa: E731
        {"images": x, "labels": y.astype("int64")}).shuffle(len(x), seed=seed).repeat()
    dataset = slices(images, labels)
    if pool is not None and share > 0:
        dataset = tf.data.Dataset.sample_from_datasets(
            [dataset, slices(*pool)], [1.0 - share, share], seed=seed)
    dataset = dataset.batch(BATCH).take(steps).enumerate()
    if augment:
        augmenter = geometric(seed)
        # Explicit per-batch seeds: parallel calls would race for the layers' own generators.
        dataset = dataset.map(lambda step, batch: (step, augmenter(
            batch, seed=tf.stack([tf.constant(seed, tf.int64), step]))))
    dataset = dataset.map(lambda step, b: (b["images"] / 255.0, b["labels"]))
    classifier = metrics.build_domain_classifier(images.shape[1:], 10, width=16, seed=seed)
    classifier.compile(keras.optimizers.Adam(1e-3), "sparse_categorical_crossentropy")
    classifier.fit(dataset.prefetch(2), verbose=0)
    return classifier


def evaluate(classifier, images, labels):
    return metrics.classifier_accuracy(classifier, images, labels, (0, 255))


def run(args, data):
    train_x, train_y, test_x, test_y = data
    conditions = ["none", "geometric", *(f"geometric+{kind}" for kind in args.families)]
    chosen, validation_table, rows = {}, {}, {c: [] for c in conditions}
    for seed in args.seeds:
        train, validation = low_data_split(train_x, train_y, seed, args.validation, args.per_class)
        x, y, val_x, val_y = train_x[train], train_y[train], train_x[validation], train_y[validation]
        pools = {kind: synthetic_pool(kind, x, y, args.generator_epochs, args.pool, seed, args.diffusion_steps)
                 for kind in args.families}
        for condition in conditions:
            kind = condition.split("+")[1] if "+" in condition else None
            if condition not in chosen:  # seed 0 (the first): choose on validation
                if kind is None:
                    candidates = [(steps, 0.0) for steps in args.step_candidates]
                else:
                    candidates = [(chosen["geometric"][0], share) for share in SHARES]
                scored = []
                for steps, share in candidates:
                    model = train_classifier(x, y, steps, seed, condition != "none", pools.get(kind), share)
                    scored.append((evaluate(model, val_x, val_y), steps, share, model))
                    validation_table[f"{condition} steps {steps} share {share}"] = scored[-1][0]
                    print(f"seed {seed} {condition} steps {steps} share {share}: validation "
                          f"{scored[-1][0]:.4f}", flush=True)
                best = max(scored, key=lambda s: s[0])
                chosen[condition], model = (best[1], best[2]), best[3]
            else:
                steps, share = chosen[condition]
                model = train_classifier(x, y, steps, seed, condition != "none", pools.get(kind), share)
            rows[condition].append(evaluate(model, test_x, test_y))
            print(f"seed {seed} {condition:22s} test {rows[condition][-1]:.4f}", flush=True)
    return rows, chosen, validation_table


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=FASHION, help="IDX folder (%(default)s)")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--per-class", type=int, default=PER_CLASS, help="real training images per class")
    parser.add_argument("--families", nargs="*", default=["cvae", "cgan", "cdiffusion"],
                        choices=["cvae", "cgan", "cdiffusion"])
    parser.add_argument("--generator-epochs", type=int, default=20, help="over the 1,000 images")
    parser.add_argument("--pool", type=int, default=1000, help="synthetic samples per generator")
    parser.add_argument("--diffusion-steps", type=int, default=10, help="DDIM steps of the pool")
    parser.add_argument("--step-candidates", type=int, nargs="+", default=list(STEP_CANDIDATES))
    parser.add_argument("--validation", type=int, default=2000, help="validation images")
    parser.add_argument("--output", default="outputs/low_data_results.json")
    parser.add_argument("--fast", action="store_true")
    args = parser.parse_args(argv)
    limit = None
    if args.fast:
        args.seeds, args.generator_epochs, args.pool, args.step_candidates = [0], 1, 20, [2, 3]
        args.validation, args.diffusion_steps, args.per_class, limit = 100, 2, 10, 500
    say_if_smoke_run(args.fast)
    tf.config.experimental.enable_op_determinism()
    train_x, train_y = load_idx_arrays(args.data, "train")
    test_x, test_y = load_idx_arrays(args.data, "test")
    data = (train_x[:limit].astype("float32"), train_y[:limit], test_x[:limit].astype("float32"), test_y[:limit])
    start = time.perf_counter()
    rows, chosen, validation_table = run(args, data)
    table = {c: {"mean": float(np.mean(v)), "std": float(np.std(v)), "per_seed": v} for c, v in rows.items()}
    print(f"\n| augmentation | setting (chosen on validation) | test accuracy, mean (std) of "
          f"{len(args.seeds)} seeds |\n|---|---|---|")
    for condition, row in table.items():
        steps, share = chosen[condition]
        print(f"| {condition} | {steps} steps, pool share {share} | "
              f"{100 * row['mean']:.2f}% ({100 * row['std']:.2f}) |")
    for kind in args.families:
        gain = table[f"geometric+{kind}"]["mean"] - table["geometric"]["mean"]
        print(f"{kind}: generation {'adds' if gain >= 0 else 'loses'} {100 * abs(gain):.2f} points "
              "against geometric alone")
    print(f"({time.perf_counter() - start:.0f} s)")
    os.makedirs(os.path.dirname(args.output) or ".", exist_ok=True)
    with open(args.output, "w") as handle:
        json.dump({"settings": vars(args), "chosen": chosen, "validation": validation_table,
                   "table": table}, handle, indent=2)
    return table


if __name__ == "__main__":
    main()
