"""Images per second of augmentation pipelines from several libraries, in one process.

Every row runs on the same synthetic uint8 images (224x224x3, batches of 64)
in `tf.data` with AUTOTUNE and ends with float32 images. Batched libraries
map the batch; per-image libraries (albumentations) run a loop over the
batch's images inside `tf.numpy_function`, mapped in parallel.

Rows live in `PIPELINES`: `{pipeline name: {library: builder}}`. A builder
returns `(kind, function)` with kind `"batch"` (a TF function of a uint8
batch) or `"numpy"` (a NumPy function of a uint8 batch), or raises
`Unavailable(reason)`. Add rows by adding builders.

    python benchmarks/throughput.py                 # every pipeline and library
    python benchmarks/throughput.py --only G --rounds 3
    python benchmarks/throughput.py --only G:keras_augment,keras

Rows are measured in turn, `--rounds` times, and each row reports its best
round, so a burst of load from other processes hits one round of one row
rather than the ratio. Each round times a row for at least `--seconds` and
at least `--batches` batches, after its first batches (see `measure`).
"""

import argparse
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

IMAGE_SHAPE = (224, 224, 3)
BATCH_SIZE = 64


class Unavailable(Exception):
    """A library cannot run this pipeline here; the message says why."""


# ----------------------------------------------------------------- pipeline G
# horizontal flip + rotation (0.1 of a turn) + translation (0.1, 0.1)
# + zoom (0.1) + contrast (0.2)


def g_keras_augment():
    import keras_augment

    layers = keras_augment.layers
    pipeline = layers.Pipeline(
        [
            layers.RandomFlip("horizontal"),
            layers.RandomRotation(0.1),
            layers.RandomTranslation(0.1, 0.1),
            layers.RandomZoom(0.1),
            layers.RandomContrast(0.2),
        ],
        seed=0,
    )
    return "batch", lambda images: pipeline(images, training=True)


def g_keras():
    import keras

    model = keras.Sequential(
        [
            keras.layers.RandomFlip("horizontal", seed=0),
            keras.layers.RandomRotation(0.1, seed=1),
            keras.layers.RandomTranslation(0.1, 0.1, seed=2),
            keras.layers.RandomZoom(0.1, seed=3),
            keras.layers.RandomContrast(0.2, seed=4),
        ]
    )
    return "batch", lambda images: model(tf.cast(images, tf.float32), training=True)


def g_keras_aug():
    try:
        from keras_aug import layers
    except Exception as error:  # noqa: BLE001 - any import failure is the reason.
        raise Unavailable(f"import keras_aug failed: {type(error).__name__}: {error}") from error
    try:
        pipeline = [
            layers.vision.RandomFlip("horizontal"),
            layers.vision.RandomAffine(
                degree=36.0, translate=(0.1, 0.1), scale=0.1, padding_mode="reflect"
            ),
            layers.vision.ColorJitter(contrast=0.2),
        ]

        def augment(images):
            images = tf.cast(images, tf.float32)
            for layer in pipeline:
                images = layer(images, training=True)
            return images

        augment(tf.zeros([2, 32, 32, 3], tf.uint8))
    except Exception as error:  # noqa: BLE001
        raise Unavailable(f"keras-aug failed with this Keras: {type(error).__name__}: {error}") from error
    return "batch", augment


def g_albumentations():
    try:
        import albumentations as album
        import cv2
    except Exception as error:  # noqa: BLE001
        raise Unavailable(f"import albumentations failed: {error}") from error
    cv2.setNumThreads(1)  # tf.data already runs calls in parallel
    transform = album.Compose(
        [
            album.HorizontalFlip(p=0.5),
            album.Affine(
                rotate=(-36, 36),
                translate_percent=(-0.1, 0.1),
                scale=(0.9, 1.1),
                border_mode=cv2.BORDER_REFLECT_101,
                p=1.0,
            ),
            album.RandomBrightnessContrast(brightness_limit=0.0, contrast_limit=0.2, p=1.0),
        ]
    )

    def augment(images):
        return np.stack([transform(image=image)["image"] for image in images]).astype(np.float32)

    return "numpy", augment


def cast_floor():
    return "batch", lambda images: tf.cast(images, tf.float32)


PIPELINES = {
    "G": {
        "cast_floor": cast_floor,
        "keras_augment": g_keras_augment,
        "keras": g_keras,
        "keras_aug": g_keras_aug,
        "albumentations": g_albumentations,
    },
}

# Pipeline R (RandAugment, 2 ops, default magnitude) lives in policy_rows.py.
import sys  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import policy_rows  # noqa: E402

policy_rows.register(PIPELINES, cast_floor, Unavailable)


# ----------------------------------------------------------------- runner
def make_dataset(kind, function):
    """An endless `tf.data` pipeline of `function` over one fixed batch."""
    images = np.random.default_rng(0).integers(0, 256, (BATCH_SIZE, *IMAGE_SHAPE), np.uint8)
    dataset = tf.data.Dataset.from_tensors(images).repeat()
    if kind == "numpy":
        def mapped(batch):
            out = tf.numpy_function(function, [batch], tf.float32)
            return tf.ensure_shape(out, [BATCH_SIZE, *IMAGE_SHAPE])
    else:
        mapped = function
    return dataset.map(mapped, num_parallel_calls=tf.data.AUTOTUNE).prefetch(tf.data.AUTOTUNE)


def measure(dataset, batches, warmup=2, seconds=0.0):
    """Steady-state images/s and images per CPU-second of iterating `dataset`.

    A new iterator starts with little parallelism and AUTOTUNE raises it over
    the first batches, so the first `warmup` batches (and the first
    `seconds / 4`) are not timed; then at least `batches` batches and at
    least `seconds` seconds are. Timing by duration as well as by count
    gives fast and slow rows the same time to settle: with 40 batches a
    row of ~25 ms per batch was timed mostly while AUTOTUNE was still
    ramping up. The dataset is built (and its map function traced) once
    per row, so tracing and XLA compilation stay out of the timed loop.
    """
    iterator = iter(dataset)
    start = time.perf_counter()
    done = 0
    while done < warmup or time.perf_counter() - start < seconds / 4:
        next(iterator)
        done += 1
    start, cpu_start = time.perf_counter(), time.process_time()
    count = done = 0
    while done < batches or time.perf_counter() - start < seconds:
        count += int(next(iterator).shape[0])
        done += 1
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    del iterator  # stops the pipeline's background work before the next row
    return count / wall, count / cpu


def parse_only(only):
    """`"G"` or `"G:keras,keras_augment"` (comma-free pipelines joined by ';')."""
    if not only:
        return {name: list(rows) for name, rows in PIPELINES.items()}
    selection = {}
    for part in only.split(";"):
        name, _, libraries = part.partition(":")
        if name not in PIPELINES:
            raise SystemExit(f"unknown pipeline {name!r}; known: {sorted(PIPELINES)}")
        selection[name] = libraries.split(",") if libraries else list(PIPELINES[name])
    return selection


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    # Timed by count and duration: AUTOTUNE needs a while to settle its parallelism.
    parser.add_argument("--batches", type=int, default=40, help="least timed batches per row")
    parser.add_argument(
        "--seconds", type=float, default=6.0, help="least timed seconds per row and round"
    )
    parser.add_argument("--only", default="", help="e.g. G or G:keras_augment,keras")
    parser.add_argument("--rounds", type=int, default=2, help="interleaved rounds; best is kept")
    args = parser.parse_args(argv)
    print(f"TF {tf.__version__}, {os.cpu_count()} CPUs, batch {BATCH_SIZE}, {IMAGE_SHAPE}")
    for name, libraries in parse_only(args.only).items():
        print(f"\npipeline {name}")
        datasets = {}
        for library in libraries:
            try:
                kind, function = PIPELINES[name][library]()
            except Unavailable as reason:
                print(f"  {library:16s} unavailable: {reason}", flush=True)
                continue
            # Keras core is ~20x slower: fewer batches keep the run short.
            batches = args.batches if library != "keras" else max(2, args.batches // 5)
            datasets[library] = (make_dataset(kind, function), batches)
        rates = {library: [] for library in datasets}
        for round_index in range(args.rounds):
            for library, (dataset, batches) in datasets.items():
                rate, per_cpu = measure(dataset, batches, seconds=args.seconds)
                rates[library].append((rate, per_cpu))
                print(
                    f"  round {round_index + 1} {library:16s} {rate:10.1f} images/s "
                    f"{per_cpu:10.1f} images/CPU-s",
                    flush=True,
                )
        # images per CPU-second (all cores of this process) barely depends on
        # what else runs on the machine; wall-clock images/s does.
        per_cpu = {library: max(v[1] for v in values) for library, values in rates.items()}
        rates = {library: max(v[0] for v in values) for library, values in rates.items()}
        print(f"\n  best of {args.rounds} rounds:")
        for library, rate in rates.items():
            print(f"  {library:16s} {rate:10.1f} images/s {per_cpu[library]:10.1f} images/CPU-s")
        if "keras_augment" in rates:
            ours = rates["keras_augment"]
            for library, rate in rates.items():
                if library != "keras_augment":
                    cpu_ratio = per_cpu["keras_augment"] / per_cpu[library]
                    print(
                        f"  keras_augment / {library:16s} {ours / rate:8.2f}x images/s "
                        f"{cpu_ratio:8.2f}x images/CPU-s"
                    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
