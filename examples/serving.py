"""Serve an augmenter: export it as a SavedModel and call it without Keras layers.

Run: python examples/serving.py [--fast]
"""

import numpy as np
import tensorflow as tf

import keras_augment as ka
from keras_augment.export import export_augmenter

from _common import parse_args, print_results


def main(argv=None):
    args = parse_args(__doc__.splitlines()[0], argv)
    augmenter = ka.layers.Pipeline(
        [ka.layers.RandomFlip("horizontal"), ka.layers.RandomBrightness(0.2)], seed=0
    )
    path = export_augmenter(augmenter, f"{args.output_dir}/served_augmenter", (32, 32, 3), "uint8")
    # Anywhere TensorFlow runs (TF Serving, another process) this is all it takes:
    served = tf.saved_model.load(path).signatures["serving_default"]
    images = np.random.default_rng(0).integers(0, 256, (4, 32, 32, 3), dtype=np.uint8)
    out = served(images=tf.constant(images), seed=tf.constant(7, tf.int64))["images"]
    np.testing.assert_array_equal(out.numpy(), augmenter(images, seed=7).numpy())
    print(f"served {out.shape[0]} images from {path}; identical to the layer for the same seed")
    return print_results({"served_images": int(out.shape[0]), "saved_model": path})


if __name__ == "__main__":
    main()
