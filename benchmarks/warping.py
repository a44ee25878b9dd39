"""Images per second of warping and mixing layers against Keras core and albumentations.

Same set-up as `benchmarks/throughput.py` (whose runner this reuses): one
process, synthetic uint8 images 224x224x3 in batches of 64, `tf.data` with
AUTOTUNE, float32 output; albumentations runs its per-image loop inside
`tf.numpy_function`, mapped in parallel.

    python benchmarks/warping.py                         # every row
    python benchmarks/warping.py --only elastic --batches 10
    python benchmarks/warping.py --only "grid;optical:keras_augment,albumentations"

Targets: elastic >= 5x Keras core and >= 1x albumentations; grid and optical
>= 1x albumentations.
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))

from throughput import Unavailable, cast_floor, make_dataset, measure  # noqa: E402

import tensorflow as tf  # noqa: E402

# Keras's elastic draws its strength in (0, 1): on 224 pixels that is sigma
# up to 11.2 px; albumentations gets the mean strength's sigma.
ELASTIC_SIGMA = 5.6


def _ours(build):
    def builder():
        import keras_augment

        layer = build(keras_augment.layers)
        return "batch", lambda images: layer(images, training=True)

    return builder


def _keras(build):
    def builder():
        import keras

        layer = build(keras.layers)
        return "batch", lambda images: layer(tf.cast(images, tf.float32), training=True)

    return builder


def _albumentations(build):
    def builder():
        try:
            import albumentations
            import cv2
        except Exception as error:  # noqa: BLE001 - any import failure is the reason.
            raise Unavailable(f"import albumentations failed: {error}") from error
        import numpy as np

        cv2.setNumThreads(1)  # tf.data already runs calls in parallel
        transform = build(albumentations)

        def augment(images):
            return np.stack([transform(image=image)["image"] for image in images]).astype(np.float32)

        return "numpy", augment

    return builder


PIPELINES = {
    "elastic": {
        "cast_floor": cast_floor,
        "keras_augment": _ours(lambda layers: layers.RandomElasticTransform(seed=0)),
        "keras": _keras(lambda layers: layers.RandomElasticTransform(seed=0)),
        "albumentations": _albumentations(
            lambda album: album.ElasticTransform(alpha=30, sigma=ELASTIC_SIGMA, p=1.0)
        ),
    },
    "grid": {
        "keras_augment": _ours(lambda layers: layers.RandomGridDistortion(seed=0)),
        "albumentations": _albumentations(lambda album: album.GridDistortion(p=1.0)),
    },
    "optical": {
        "keras_augment": _ours(lambda layers: layers.RandomOpticalDistortion(seed=0)),
        "albumentations": _albumentations(lambda album: album.OpticalDistortion(p=1.0)),
    },
    "thin_plate_spline": {
        "keras_augment": _ours(lambda layers: layers.RandomThinPlateSpline(seed=0)),
        "albumentations": _albumentations(lambda album: album.ThinPlateSpline(p=1.0)),
    },
    "mix_up": {
        "keras_augment": _ours(lambda layers: layers.MixUp(seed=0)),
        "keras": _keras(lambda layers: layers.MixUp(seed=0)),
    },
    "cut_mix": {
        "keras_augment": _ours(lambda layers: layers.CutMix(seed=0)),
        "keras": _keras(lambda layers: layers.CutMix(seed=0)),
    },
}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--batches", type=int, default=10, help="timed batches per row")
    parser.add_argument("--only", default="", help='e.g. "elastic" or "grid;optical:keras_augment"')
    args = parser.parse_args(argv)
    selection = {name: list(rows) for name, rows in PIPELINES.items()}
    if args.only:
        selection = {}
        for part in args.only.split(";"):
            name, _, libraries = part.partition(":")
            selection[name] = libraries.split(",") if libraries else list(PIPELINES[name])
    print(f"TF {tf.__version__}, {os.cpu_count()} CPUs, batch 64, (224, 224, 3) uint8")
    for name, libraries in selection.items():
        rates = {}
        print(f"\n{name}  (images/s wall, images per CPU-second)")
        for library in libraries:
            try:
                kind, function = PIPELINES[name][library]()
                # Keras's elastic loops over images and channels: few batches.
                slow = library == "keras" and name == "elastic"
                batches = max(2, args.batches // 4) if slow else args.batches
                dataset = make_dataset(kind, function)
                rates[library] = measure(dataset, batches, warmup=1 if slow else 3)
                wall, cpu = rates[library]
                print(f"  {library:16s} {wall:10.1f} images/s {cpu:10.1f} images/CPU-s", flush=True)
            except Unavailable as reason:
                print(f"  {library:16s} unavailable: {reason}", flush=True)
        for library, (wall, cpu) in rates.items():
            if library != "keras_augment" and "keras_augment" in rates:
                ours_wall, ours_cpu = rates["keras_augment"]
                print(f"  keras_augment / {library:16s} {ours_wall / wall:8.2f}x wall {ours_cpu / cpu:8.2f}x CPU")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
