"""Generation quality on Fashion-MNIST: CAS and FCD of each conditional family.

Each family (cvae, cgan, cdiffusion: `keras_augment.commands.train.build_model`
settings, XLA off, the U-Net at width 16, EMA decay 0.995) trains on the
train split less its last `--samples` images for a wall-clock budget of
`--minutes` (tracing included), then draws `--samples` images, the classes
in turn (diffusion: `--diffusion-steps` DDIM steps, guidance 2). Measured on
the test split (10,000 images):

* CAS: the domain classifier of `models.metrics`, trained on the samples only
  (`--classifier-epochs`, batches of 32), tested on the real test split.
  Reference ("real"): the same classifier trained on the last `--samples`
  real train images.
* FCD: Frechet distance of the penultimate features of a classifier trained
  on the first `--fcd-train` real train images, samples against the test
  split; reference: those last real train images against the test split.

One family per call is fine: results accumulate in OUTPUT_DIR/results.json,
and the FCD classifier's weights are kept there so every call measures with
the same one. A sample grid per family (one row per class) goes to
OUTPUT_DIR/KIND_samples.png.

    python benchmarks/fashion_generation.py --minutes 20          # the issue's budget
    python benchmarks/fashion_generation.py --models cvae --minutes 5
    python benchmarks/fashion_generation.py --fast                 # smoke run
"""

import argparse
import json
import os
import sys
import time

import numpy as np

FASHION = "/usr/share/datasets/fashion-mnist"
KINDS = ("cvae", "cgan", "cdiffusion")


def load(folder, limit=None):
    """Float32 `(train_x, train_y, test_x, test_y)` of an IDX folder, 0..255."""
    from keras_augment.data.idx import load_idx_arrays

    train_x, train_y = load_idx_arrays(folder, "train")
    test_x, test_y = load_idx_arrays(folder, "test")
    if limit:
        train_x, train_y, test_x, test_y = train_x[:limit], train_y[:limit], test_x[:limit], test_y[:limit]
    return train_x.astype("float32"), train_y, test_x.astype("float32"), test_y


def time_budget(minutes):
    """A Keras callback that stops training after the first batch past `minutes`."""
    import keras

    class Budget(keras.callbacks.Callback):
        def on_train_begin(self, logs=None):
            self.start, self.steps, self.epochs, self.elapsed = time.perf_counter(), 0, 0, 0.0

        def on_train_batch_end(self, batch, logs=None):
            self.steps += 1
            self.elapsed = time.perf_counter() - self.start
            if self.elapsed > 60.0 * minutes:
                self.model.stop_training = True

        def on_epoch_end(self, epoch, logs=None):
            self.epochs = epoch + 1

    return Budget()


def train_family(kind, train_x, train_y, minutes, seed, batch_size=64):
    """A `kind` model trained for `minutes`; returns `(model, facts)`."""
    import keras
    import tensorflow as tf

    from keras_augment.commands.train import build_model
    from keras_augment.models import NaNGuard

    keras.utils.set_random_seed(seed)
    # Width 16 for the U-Net: at 32 a 28x28 train step took ~4x longer, too
    # few steps for a CPU budget (and sampling as much slower).
    width = 16 if kind == "cdiffusion" else 32
    model = build_model(kind, train_x.shape[1:], 10, width=width, seed=seed, jit_compile=False)
    if kind == "cdiffusion":
        # 0.999 averages over ~1,000 steps: too slow for the few thousand a budget allows.
        model.ema_decay = 0.995
    budget = time_budget(minutes)
    ds = tf.data.Dataset.from_tensor_slices((train_x, train_y)).shuffle(len(train_x), seed=seed)
    history = model.fit(ds.batch(batch_size, drop_remainder=True).prefetch(2), epochs=10_000,
                        callbacks=[budget, NaNGuard()], verbose=0)
    losses = {name: round(float(values[-1]), 4) for name, values in history.history.items()}
    return model, {"train_steps": budget.steps, "epochs": budget.epochs,
                   "train_seconds": round(budget.elapsed, 1), "final_losses": losses}


def feature_classifier(output_dir, train_x, train_y, epochs, seed):
    """The FCD classifier: trained on real train images once, then reloaded."""
    from keras_augment.models import metrics

    path = os.path.join(output_dir, "fcd_classifier.weights.h5")
    if os.path.exists(path):
        model = metrics.build_domain_classifier(train_x.shape[1:], 10, seed=seed)
        model.load_weights(path)
        return model
    model = metrics.train_domain_classifier(train_x, train_y, 10, (0, 255), epochs=epochs, batch_size=32, seed=seed)
    model.save_weights(path)
    return model


def generate(model, labels, seed, diffusion_steps):
    """Samples of `labels`, 500 at a time (bounded memory), clipped to 0..255."""
    options = {"steps": diffusion_steps} if hasattr(model, "sampler") else {}
    chunks = [np.asarray(model.generate(len(labels[i:i + 500]), labels=labels[i:i + 500], seed=seed + i, **options))
              for i in range(0, len(labels), 500)]
    return np.clip(np.concatenate(chunks), 0, 255)


def save_grid(images, path):
    """Ten samples per class, one class per row."""
    from keras_augment.visualize import make_grid, save_png, to_uint8

    save_png(path, make_grid(to_uint8(images), 10, scale=2))


def measure(kind, args, data, classifier):
    """CAS and FCD of `kind` ("real": the references) as a dict."""
    from keras_augment.models import metrics

    train_x, train_y, test_x, test_y = data
    count = args.samples
    # Real images the feature classifier never saw: the end of the train split.
    held_x, held_y = train_x[-count:], train_y[-count:]
    facts = {}
    if kind == "real":
        images, labels = held_x, held_y
    else:
        model, facts = train_family(kind, train_x[:-count], train_y[:-count], args.minutes, args.seed)
        model.save_weights(os.path.join(args.output_dir, f"{kind}.weights.h5"))
        start = time.perf_counter()
        labels = np.arange(count) % 10
        images = generate(model, labels, args.seed, args.diffusion_steps)
        facts["sample_seconds"] = round(time.perf_counter() - start, 1)
        facts["grid"] = os.path.join(args.output_dir, f"{kind}_samples.png")
        # The first 100 samples are ten of each class in turn: rows by class.
        order = np.argsort(labels[:100], kind="stable")
        save_grid(images[:100][order], facts["grid"])
        if kind == "cdiffusion":
            facts["ddim_steps"] = args.diffusion_steps
    # Batches of 32: at 64, 10 epochs of 2,000 real images reached only 62% on test.
    cas_classifier = metrics.train_domain_classifier(
        images, labels, 10, (0, 255), epochs=args.classifier_epochs, batch_size=32, seed=args.seed
    )
    facts["cas"] = metrics.classifier_accuracy(cas_classifier, test_x, test_y, (0, 255))
    facts["fcd_vs_test"] = metrics.frechet_classifier_distance(classifier, images, test_x, (0, 255))
    return facts


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=FASHION, help="IDX folder (%(default)s)")
    parser.add_argument("--models", nargs="+", choices=("real", *KINDS), default=["real", *KINDS])
    parser.add_argument("--minutes", type=float, default=10.0, help="training budget per family")
    parser.add_argument("--samples", type=int, default=2000, help="samples (and real references)")
    parser.add_argument("--classifier-epochs", type=int, default=20, help="of the CAS classifiers")
    parser.add_argument("--fcd-train", type=int, default=10_000, help="real images of the FCD classifier")
    parser.add_argument("--diffusion-steps", type=int, default=10, help="DDIM steps of the samples")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--output-dir", default="outputs/fashion_generation")
    parser.add_argument("--fast", action="store_true", help="tiny smoke run; figures mean nothing")
    args = parser.parse_args(argv)
    if args.fast:
        print("--fast: a smoke run; its figures mean nothing", flush=True)
        args.minutes, args.samples, args.classifier_epochs, args.fcd_train = 0.05, 100, 1, 200
        args.diffusion_steps = 2
    os.makedirs(args.output_dir, exist_ok=True)
    data = load(args.data, 3000 if args.fast else None)
    classifier = feature_classifier(args.output_dir, data[0][:args.fcd_train], data[1][:args.fcd_train],
                                    10, args.seed)
    results_path = os.path.join(args.output_dir, "results.json")
    results = json.load(open(results_path)) if os.path.exists(results_path) else {}
    load_average = os.getloadavg()[0]
    for kind in args.models:
        facts = measure(kind, args, data, classifier)
        facts.update(minutes=args.minutes, samples=args.samples, classifier_epochs=args.classifier_epochs,
                     load_average_at_start=round(load_average, 2), fast=args.fast)
        results[kind] = facts
        with open(results_path, "w") as handle:
            json.dump(results, handle, indent=1)
        print(kind, json.dumps(facts), flush=True)
        load_average = os.getloadavg()[0]
    print("| model | train steps (epochs) in budget | CAS | FCD vs test |")
    print("|---|---|---|---|")
    for kind, facts in results.items():
        steps = f"{facts['train_steps']} ({facts['epochs']})" if "train_steps" in facts else "-"
        print(f"| {kind} | {steps} | {100 * facts['cas']:.2f}% | {facts['fcd_vs_test']:.3f} |")
    return results


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
