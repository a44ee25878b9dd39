"""`keras-augment bench`: augmentation throughput, quick or the full benchmark."""

import os
import subprocess
import sys
import time

from keras_augment.commands.options import integer

BENCHMARK = os.path.join(
    os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
    "benchmarks",
    "throughput.py",
)


def add_parser(commands, default_spec):
    parser = commands.add_parser(
        "bench",
        help="measure augmentation throughput (images per second)",
        description=(
            "Measure images/second of an augmenter spec on random uint8 batches, "
            "eagerly and in a tf.data pipeline. With --full, run the project's "
            "benchmarks/throughput.py (needs a source checkout) and pass it the "
            "remaining arguments."
        ),
    )
    parser.add_argument("--spec", default=default_spec, help="augmenter spec, e.g. %(default)r")
    parser.add_argument("--batch-size", type=integer("--batch-size", minimum=1), default=64,
                        help="images per batch (%(default)s)")
    parser.add_argument("--image-size", type=integer("--image-size", minimum=1), default=64,
                        help="square image side (%(default)s)")
    parser.add_argument("--steps", type=integer("--steps", minimum=1), default=20,
                        help="timed batches (%(default)s)")
    parser.add_argument("--full", action="store_true", help="run benchmarks/throughput.py")
    parser.add_argument("rest", nargs="*", help="arguments for benchmarks/throughput.py (after --)")
    parser.set_defaults(handler=run)
    return parser


def quick_benchmark(spec, batch_size, image_size, steps, seed=0):
    """Images per second of `spec` eagerly (per call) and through `tf.data`."""
    import keras
    import tensorflow as tf

    from keras_augment.layers import Pipeline
    from keras_augment.spec import build_layers

    augmenter = Pipeline(build_layers(spec, seed=seed))
    images = keras.random.randint((batch_size, image_size, image_size, 3), 0, 256, seed=seed)
    images = tf.cast(images, tf.uint8)
    step = tf.function(lambda batch, index: augmenter(batch, seed=index))
    step(images, tf.constant(0, tf.int64))  # trace once outside the timing
    start = time.perf_counter()
    for index in range(steps):
        step(images, tf.constant(index, tf.int64)).numpy()
    function_rate = steps * batch_size / (time.perf_counter() - start)
    from keras_augment.data import augment

    ds = augment(tf.data.Dataset.from_tensors(images).repeat(steps), augmenter, seed=seed)
    next(iter(ds))
    start = time.perf_counter()
    for _ in ds:
        pass
    pipeline_rate = steps * batch_size / (time.perf_counter() - start)
    return {"tf.function": function_rate, "tf.data": pipeline_rate}


def run(args):
    if args.full:
        if not os.path.isfile(BENCHMARK):
            raise FileNotFoundError(
                f"the full benchmark {BENCHMARK} is not here; it ships with a source "
                "checkout of keras_augment, not with an installed wheel."
            )
        return subprocess.call([sys.executable, BENCHMARK, *args.rest])
    rates = quick_benchmark(args.spec, args.batch_size, args.image_size, args.steps)
    print(f"spec: {args.spec}")
    print(f"batch {args.batch_size} x {args.image_size}x{args.image_size}x3 uint8, {args.steps} batches")
    for name, rate in rates.items():
        print(f"{name:12s} {rate:12.0f} images/s")
    return 0
