"""Train-step time of the generative models with and without XLA (`jit_compile`).

Each model is compiled twice (jit_compile=True and False), warmed up with one
`fit` call (tracing and XLA compilation, reported separately), then timed
over `--steps` steps of one `fit` call on the bundled digits (8x8x1, batch
64). The ratio is no-XLA time over XLA time (above 1: XLA is faster). Both
variants run in the same process, one after the other, so they share the
machine's load. The device (CPU or GPU) is printed first: figures from one
do not carry over to the other.

    python benchmarks/train_step.py --steps 200
"""

import argparse
import json
import time

import keras
import numpy as np
import tensorflow as tf

from keras_augment import models
from keras_augment.data import load_digits_arrays

BUILDERS = {
    "VAE": lambda: models.VAE((8, 8, 1), value_range=(0, 16), seed=0),
    "ConditionalVAE": lambda: models.ConditionalVAE((8, 8, 1), 10, value_range=(0, 16), seed=0),
    "GAN": lambda: models.GAN((8, 8, 1), value_range=(0, 16), seed=0),
    "ConditionalGAN": lambda: models.ConditionalGAN((8, 8, 1), 10, value_range=(0, 16), seed=0),
    "GAN-wasserstein_gp": lambda: models.GAN((8, 8, 1), loss="wasserstein_gp", value_range=(0, 16), seed=0),
    "Diffusion": lambda: models.Diffusion((8, 8, 1), value_range=(0, 16), seed=0),
    "ConditionalDiffusion": lambda: models.ConditionalDiffusion((8, 8, 1), 10, value_range=(0, 16), seed=0),
}


def compiled(name, jit_compile):
    model = BUILDERS[name]()
    if isinstance(model, models.GAN):
        model.compile(d_optimizer="adam", g_optimizer="adam", jit_compile=jit_compile)
    else:
        model.compile("adam", jit_compile=jit_compile)
    return model


def time_model(name, jit_compile, dataset, steps):
    model = compiled(name, jit_compile)
    start = time.perf_counter()
    model.fit(dataset, steps_per_epoch=2, epochs=1, verbose=0)
    warmup = time.perf_counter() - start
    start = time.perf_counter()
    model.fit(dataset, steps_per_epoch=steps, epochs=1, verbose=0)
    return warmup, (time.perf_counter() - start) / steps


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--models", nargs="+", default=list(BUILDERS))
    args = parser.parse_args(argv)
    images, labels = load_digits_arrays()
    dataset = (
        tf.data.Dataset.from_tensor_slices((images.astype("float32"), labels))
        .repeat().batch(args.batch_size, drop_remainder=True).prefetch(4)
    )
    device = "GPU" if tf.config.list_physical_devices("GPU") else "CPU"
    print(f"device: {device}; batch {args.batch_size}; {args.steps} timed steps")
    print("| model | XLA step (ms) | no-XLA step (ms) | no-XLA / XLA | XLA warm-up (s) | no-XLA warm-up (s) |")
    print("|---|---|---|---|---|---|")
    rows = []
    for name in args.models:
        keras.utils.set_random_seed(0)
        jit_warmup, jit_step = time_model(name, True, dataset, args.steps)
        plain_warmup, plain_step = time_model(name, False, dataset, args.steps)
        row = {
            "model": name, "xla_ms": 1e3 * jit_step, "no_xla_ms": 1e3 * plain_step,
            "ratio": plain_step / jit_step, "xla_warmup_s": jit_warmup, "no_xla_warmup_s": plain_warmup,
        }
        rows.append(row)
        print(f"| {name} | {row['xla_ms']:.2f} | {row['no_xla_ms']:.2f} | {row['ratio']:.2f} | "
              f"{jit_warmup:.1f} | {plain_warmup:.1f} |", flush=True)
    print(json.dumps({"device": device, "rows": rows}))
    return rows


if __name__ == "__main__":
    np.set_printoptions(precision=3)
    main()
