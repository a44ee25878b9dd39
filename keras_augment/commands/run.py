"""`keras-augment run`: the main job, end to end on the bundled digits.

Load and clean, preview the augmenter, train a conditional generator, expand
the training set, train one classifier without and one with augmentation for
the same number of steps, print both validation accuracies and the
difference, gain or loss, export augmenter and generator.

The defaults (factor, synthetic share, steps) were chosen by
benchmarks/run_defaults.py on validation splits carved from the training part
of the seed-0 split only; the validation accuracies printed here played no
part in choosing them.
"""

import math
import os
import sys
import time

from keras_augment.commands.options import fraction, int64_seed, integer

# Small rotations, shifts and zooms suit handwritten digits; flips do not.
# A black background, so the fill is a constant zero rather than Keras's reflect.
GEOMETRIC_SPEC = (
    "RandomRotation(0.03, fill_mode='constant'), "
    "RandomTranslation(0.1, 0.1, fill_mode='constant'), "
    "RandomZoom((-0.1, 0.1), fill_mode='constant')"
)
FALLBACK_SPEC = "RandomBrightness(0.2)"
FAST_NOTE = (
    "--fast: a smoke run (1 generator epoch, 5 classifier steps, factor 2) that checks "
    "the steps work; its accuracies are near chance and mean nothing."
)
BATCH_SIZE = 32
# Chosen by benchmarks/run_defaults.py (see the module docstring): 1,000
# steps were best for the plain classifier; at those steps every expansion
# tried lost to it on inner validation, factor 2 all synthetic the least
# (-1.1 points, examples/generative_results.md).
DEFAULT_FACTOR = 2
DEFAULT_SYNTHETIC_FRACTION = 1.0
DEFAULT_STEPS = 1000


def default_spec():
    """The geometric spec when those layers are installed, else brightness only."""
    from keras_augment import layers

    wanted = ("RandomRotation", "RandomTranslation", "RandomZoom")
    return GEOMETRIC_SPEC if all(hasattr(layers, n) for n in wanted) else FALLBACK_SPEC


def add_parser(commands, default_spec_unused):
    del default_spec_unused
    parser = commands.add_parser(
        "run",
        help="run the main job on the bundled digits data (a few minutes)",
        description=__doc__.split("\n\n")[1].replace("\n", " "),
    )
    parser.add_argument("--data", default="digits", help="dataset (%(default)s)")
    parser.add_argument("--spec", default=None, help="augmenter spec (default: rotation, shift, zoom)")
    parser.add_argument("--output-dir", default="outputs", help="previews and data (%(default)s)")
    parser.add_argument("--saved-models", default="saved_models", help="export folder (%(default)s)")
    parser.add_argument("--train-fraction", type=fraction("--train-fraction", open_interval=True),
                        default=0.2,
                        help="share of the data the classifiers train on; the rest validates (%(default)s)")
    parser.add_argument("--generator", choices=("cvae", "cgan"), default="cvae", help="(%(default)s)")
    parser.add_argument("--generator-epochs", type=integer("--generator-epochs", minimum=1), default=60,
                        help="(%(default)s)")
    parser.add_argument("--classifier-steps", type=integer("--classifier-steps", minimum=1),
                        default=DEFAULT_STEPS,
                        help=f"training steps (batches of {BATCH_SIZE}) of each classifier, the same for "
                             "both (%(default)s)")
    parser.add_argument("--factor", type=integer("--factor", minimum=1), default=DEFAULT_FACTOR,
                        help="expanded / original samples (%(default)s)")
    parser.add_argument("--synthetic-fraction", type=fraction("--synthetic-fraction"),
                        default=DEFAULT_SYNTHETIC_FRACTION,
                        help="share of the extra copies drawn from the generator; the rest are "
                             "augmented (%(default).3g)")
    parser.add_argument("--seed", type=int64_seed(), default=0, help="seed of every random draw (%(default)s)")
    parser.add_argument("--fast", action="store_true", help="tiny epochs, for smoke tests")
    parser.set_defaults(handler=run)
    return parser


def build_classifier(image_shape, num_classes, seed):
    import keras

    keras.utils.set_random_seed(seed)
    return keras.Sequential(
        [
            keras.Input(image_shape),
            keras.layers.Rescaling(1 / 255),
            keras.layers.Conv2D(32, 3, padding="same", activation="relu"),
            keras.layers.Conv2D(32, 3, padding="same", activation="relu"),
            keras.layers.MaxPooling2D(),
            keras.layers.Conv2D(64, 3, padding="same", activation="relu"),
            keras.layers.GlobalAveragePooling2D(),
            keras.layers.Dropout(0.2, seed=seed),
            keras.layers.Dense(num_classes),
        ]
    )


def fit_classifier(train, num_classes, steps, seed):
    """A small CNN fitted for exactly `steps` batches of `BATCH_SIZE` drawn
    from `train` (repeated as needed).

    A step count rather than epochs: an expanded set has more samples per
    epoch, and comparing at equal epochs would give it more updates.
    """
    import keras

    model = build_classifier(tuple(train.element_spec["images"].shape), num_classes, seed)
    model.compile(
        keras.optimizers.Adam(2e-3),
        keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    as_pairs = lambda e: (e["images"], e["labels"])  # noqa: E731
    batches = train.shuffle(8192, seed=seed).repeat().batch(BATCH_SIZE).map(as_pairs).take(steps)
    model.fit(batches.prefetch(2), epochs=1, verbose=0, shuffle=False)  # shuffled above
    return model


def train_classifier(train, validation, num_classes, steps, seed):
    """`fit_classifier`, then its accuracy on `validation`."""
    model = fit_classifier(train, num_classes, steps, seed)
    pairs = validation.batch(256).map(lambda e: (e["images"], e["labels"]))
    return model.evaluate(pairs, verbose=0)[1]


def expand_training_set(train, path, factor, synthetic_fraction, spec, generator, seed, verbose=True):
    """`data.expand` of `train` into `path` with the `spec` augmenter and
    `generator`; returns `(expanded dataset, counts, augmenter)`."""
    from keras_augment import data
    from keras_augment.layers import Pipeline
    from keras_augment.spec import build_layers

    augmenter = Pipeline(build_layers(spec, seed=seed))
    counts = data.expand(train, path, factor, augmenter=augmenter, generator=generator,
                         synthetic_fraction=synthetic_fraction, seed=seed, overwrite=True, verbose=verbose)
    return data.load(path).cache(), counts, augmenter


def describe_gain(plain, augmented):
    """The comparison in words, a loss said as plainly as a gain."""
    points = 100 * (augmented - plain)
    if abs(points) < 0.005:
        return "augmentation changes nothing"
    return f"augmentation {'gains' if points > 0 else 'loses'} {abs(points):.2f} points"


def run(args):
    import numpy as np

    import keras_augment  # noqa: F401
    from keras_augment import data
    from keras_augment.commands import train as train_command
    from keras_augment.commands.common import check_output, load_uint8
    from keras_augment.commands.preview import preview
    from keras_augment.export import export_augmenter

    check_output(args.output_dir, "--output-dir", folder=True)
    check_output(args.saved_models, "--saved-models", folder=True)
    started = time.perf_counter()
    spec = args.spec or default_spec()
    if args.fast:
        args.generator_epochs, args.classifier_steps, args.factor = 1, 5, 2
        print(FAST_NOTE, flush=True)
    os.makedirs(args.output_dir, exist_ok=True)
    step = lambda number, text: print(f"[{number}/7] {text}", flush=True)  # noqa: E731

    ds, num_classes = load_uint8(args.data)
    ds, report = data.deduplicate(ds, threshold=-1)  # exact duplicates only: digits are alike
    _, near = data.find_duplicates([e["images"] for e in ds.as_numpy_iterator()], threshold=0)
    summary = data.stats(ds)
    step(1, f"loaded {args.data!r}: {summary['count']} images, {num_classes} classes, "
            f"{report.removed} exact duplicates removed, {len(near)} groups of near duplicates "
            f"reported; pixel mean {np.round(summary['mean'], 1).tolist()} "
            f"std {np.round(summary['std'], 1).tolist()}")

    preview_path, shape = preview(spec, os.path.join(args.output_dir, "preview.png"),
                                  source=ds_source_for_preview(ds), seed=args.seed)
    step(2, f"augmentation preview ({spec}): {preview_path} ({shape[1]}x{shape[0]} pixels); "
            "each row is an original (first column) then augmented copies")

    train, validation = data.split(ds, 1.0 - args.train_fraction, seed=args.seed)
    train, validation = train.cache(), validation.cache()
    step(3, f"split by seed {args.seed}: {int(train.cardinality())} train, "
            f"{int(validation.cardinality())} validation")

    sample_dir = os.path.join(args.output_dir, args.generator)
    step(4, f"training a conditional generator ({args.generator}, {args.generator_epochs} epochs)")
    generator = train_command.train_generator(
        args.generator, train, num_classes, args.generator_epochs, batch_size=32, seed=args.seed,
        sample_dir=sample_dir, verbose=0, jit_compile=False if args.fast else "auto",
        callbacks=[epoch_progress(args.generator_epochs)],
    )
    print(f"      sample grids in {sample_dir}", flush=True)

    expanded_path = os.path.join(args.output_dir, "expanded")
    # Announced first, so the progress bar below is seen to be the expansion's.
    step(5, f"expanding the training set {args.factor} times to {expanded_path}")
    expanded, counts, augmenter = expand_training_set(
        train, expanded_path, args.factor, args.synthetic_fraction, spec, generator, args.seed
    )
    print(f"      {counts['original']} original, {counts['augmented']} augmented, "
          f"{counts['synthetic']} synthetic samples", flush=True)

    total = sum(counts.values()) - counts["shards"]
    seen = args.classifier_steps * BATCH_SIZE
    step(6, f"training two classifiers for the same {args.classifier_steps} steps of {BATCH_SIZE} "
            f"samples: one on the {counts['original']} originals ({seen / counts['original']:.1f} passes), "
            f"one on the {total} expanded samples ({seen / total:.1f} passes)")
    plain = train_classifier(train, validation, num_classes, args.classifier_steps, args.seed)
    augmented = train_classifier(expanded, validation, num_classes, args.classifier_steps, args.seed)
    smoke = " (smoke run: meaningless)" if args.fast else ""
    print(f"      validation accuracy without augmentation: {plain:.4f}{smoke}", flush=True)
    print(f"      validation accuracy with augmentation:    {augmented:.4f}{smoke}", flush=True)
    print(f"      at equal steps, {describe_gain(plain, augmented)} on the "
          f"{int(validation.cardinality())} validation images", flush=True)

    augmenter_path = os.path.join(args.saved_models, "augmenter")
    export_augmenter(augmenter, augmenter_path, tuple(train.element_spec["images"].shape), "uint8")
    generator_path = train_command.export(
        generator, args.generator, os.path.join(args.saved_models, "generator"), num_classes
    )
    step(7, f"exported the augmenter to {augmenter_path} and the generator to {generator_path}")
    print(f"done in {time.perf_counter() - started:.0f} s")
    if args.fast:
        print(FAST_NOTE)
    return 0


def epoch_progress(epochs, stream=None):
    """A Keras callback printing "epoch n/N" and the losses as training goes.

    On a terminal one line is rewritten each epoch; elsewhere (a log file) it
    prints about ten lines: every `ceil(N / 10)`-th epoch and the last.
    """
    import keras

    stream = stream or sys.stdout
    every = 1 if stream.isatty() else math.ceil(epochs / 10)

    class EpochProgress(keras.callbacks.Callback):
        width = 0  # of the line to overwrite on a terminal

        def on_epoch_end(self, epoch, logs=None):
            done = epoch + 1
            if done % every and done != epochs:
                return
            losses = ", ".join(f"{name} {float(value):.4g}" for name, value in sorted((logs or {}).items()))
            line = f"      epoch {done}/{epochs}" + (f": {losses}" if losses else "")
            if stream.isatty():  # spaces, not an escape code, wipe a longer line
                stream.write("\r" + line.ljust(self.width) + ("\n" if done == epochs else ""))
                self.width = len(line)
            else:
                stream.write(line + "\n")
            stream.flush()

    return EpochProgress()


def ds_source_for_preview(ds):
    """Six uint8 images of `ds` as arrays `load` accepts, for the preview."""
    import numpy as np

    samples = list(ds.take(6).as_numpy_iterator())
    return (np.stack([s["images"] for s in samples]), np.stack([s["labels"] for s in samples]))
