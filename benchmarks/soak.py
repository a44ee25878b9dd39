"""Continuous tf.data augmentation, watching the process's memory.

Runs a keras_augment pipeline over an endless synthetic dataset for a fixed
time and compares the resident set size after warm-up with the largest seen
later. Exits 1 if it grew by more than the bound.

    python benchmarks/soak.py --minutes 30          # the full-length run
    python benchmarks/soak.py --seconds 20          # what the test runs
"""

import argparse
import os
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


def resident_mb():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    raise RuntimeError("no VmRSS in /proc/self/status")


def build_dataset(image_size, batch_size):
    import numpy as np
    import tensorflow as tf

    import keras_augment as ka

    augmenter = ka.layers.Pipeline(
        [ka.layers.RandomFlip("horizontal"), ka.layers.RandomBrightness(0.2)], seed=0
    )
    images = np.random.default_rng(0).integers(0, 256, (256, image_size, image_size, 3), np.uint8)
    labels = np.arange(256) % 10
    dataset = (
        tf.data.Dataset.from_tensor_slices({"images": images, "labels": labels})
        .repeat()
        .batch(batch_size)
        .map(augmenter, num_parallel_calls=tf.data.AUTOTUNE)
        .prefetch(tf.data.AUTOTUNE)
    )
    return dataset


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=None)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--image-size", type=int, default=64)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--max-growth-mb", type=float, default=64.0)
    args = parser.parse_args(argv)
    duration = args.minutes * 60 if args.minutes is not None else args.seconds

    dataset = build_dataset(args.image_size, args.batch_size)
    start = time.monotonic()
    warm_until = start + max(2.0, 0.2 * duration)
    baseline = peak = None
    batches = 0
    for _ in dataset:
        batches += 1
        now = time.monotonic()
        if baseline is None and now >= warm_until:
            baseline = peak = resident_mb()
        elif baseline is not None and batches % 10 == 0:
            peak = max(peak, resident_mb())
        if now - start >= duration:
            break
    peak = max(peak, resident_mb())
    growth = peak - baseline
    print(
        f"soak: {batches} batches of {args.batch_size} in {duration:.0f} s; "
        f"RSS after warm-up {baseline:.1f} MB, peak {peak:.1f} MB, growth {growth:.1f} MB "
        f"(bound {args.max_growth_mb:.0f} MB)"
    )
    return 0 if growth <= args.max_growth_mb else 1


if __name__ == "__main__":
    sys.exit(main())
