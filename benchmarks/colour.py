"""Throughput of the colour, pixel, filter, noise and dropout layers.

Each row runs a layer inside `tf.data` (224x224x3 uint8 images cast to
float32, batches of 64, `map(..., num_parallel_calls=AUTOTUNE)`) and reports
images per second; layers with a Keras core twin are measured against it in
the same process, alternating, best of `--rounds`, and the ratio is printed.

    python benchmarks/colour.py [--batches 12] [--rounds 2] [--only RandomHue,...]
"""

import argparse
import os
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from keras_augment import layers  # noqa: E402

# (name, constructor kwargs shared by both implementations, has a Keras twin)
ROWS = [
    ("RandomContrast", {"factor": 0.2}, True),
    ("RandomSaturation", {"factor": (0.2, 0.8)}, True),
    ("RandomHue", {"factor": 0.5}, True),
    (
        "RandomColorJitter",
        {"brightness_factor": 0.2, "contrast_factor": 0.2, "saturation_factor": (0.3, 0.7), "hue_factor": 0.2},
        True,
    ),
    ("RandomColorDegeneration", {"factor": 0.5}, True),
    ("RandomGrayscale", {"factor": 0.5}, True),
    ("RandomInvert", {"factor": 0.5}, True),
    ("RandomPosterization", {"factor": (2, 6)}, True),
    ("Solarization", {"addition_factor": 0.2, "threshold_factor": (0.3, 0.7)}, True),
    ("RandomSharpness", {"factor": 0.5}, True),
    ("AutoContrast", {}, True),
    ("Equalization", {}, True),
    ("RandomGaussianBlur", {"factor": 1.0, "kernel_size": 3, "sigma": 1.0}, True),
    ("RandomErasing", {}, True),
    ("RandomGamma", {"factor": 0.5}, False),
    ("RandomGaussianNoise", {"stddev": 0.1}, False),
    ("RandomChannelShuffle", {}, False),
    ("RandomJpegQuality", {"factor": (50, 95)}, False),
    ("RandomCutout", {"height_factor": 0.2, "width_factor": 0.2, "num_holes": 4}, False),
    ("GridMask", {}, False),
]


def images_per_second(layer, images, batches):
    dataset = (
        tf.data.Dataset.from_tensors(images)
        .repeat()
        .map(lambda x: layer(tf.cast(x, tf.float32)), num_parallel_calls=tf.data.AUTOTUNE)
        .prefetch(2)
    )
    iterator = iter(dataset)
    for _ in range(3):  # warm up: tracing and the pipeline filling
        next(iterator)
    start = time.perf_counter()
    for _ in range(batches):
        next(iterator)
    return batches * int(images.shape[0]) / (time.perf_counter() - start)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batches", type=int, default=12)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--only", default="", help="comma-separated layer names")
    args = parser.parse_args()
    only = {name for name in args.only.split(",") if name}
    images = tf.constant(
        np.random.default_rng(0).integers(0, 256, (args.batch_size, 224, 224, 3), dtype=np.uint8)
    )
    print(f"tf {tf.__version__}, keras {keras.__version__}, batch {args.batch_size}, 224x224x3 uint8")
    print(f"{'layer':<26}{'keras_augment img/s':>20}{'keras img/s':>14}{'ratio':>8}")
    for name, kwargs, has_twin in ROWS:
        if only and name not in only:
            continue
        ours_layer = getattr(layers, name)(seed=1, **kwargs)
        twin = getattr(keras.layers, name)(seed=1, **kwargs) if has_twin and "seed" in _parameters(name) else None
        if has_twin and twin is None:
            twin = getattr(keras.layers, name)(**kwargs)
        ours, theirs = 0.0, 0.0
        for _ in range(args.rounds):
            ours = max(ours, images_per_second(ours_layer, images, args.batches))
            if twin is not None:
                theirs = max(theirs, images_per_second(twin, images, args.batches))
        if twin is None:
            print(f"{name:<26}{ours:>20.1f}{'-':>14}{'-':>8}", flush=True)
        else:
            print(f"{name:<26}{ours:>20.1f}{theirs:>14.1f}{ours / theirs:>7.2f}x", flush=True)


def _parameters(name):
    import inspect

    return inspect.signature(getattr(keras.layers, name).__init__).parameters


if __name__ == "__main__":
    main()
