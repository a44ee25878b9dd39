"""Augment images with segmentation masks: masks move with the pixels,
photometric layers leave them alone.

Run: python examples/segmentation_masks.py [--fast]
"""

import numpy as np
import tensorflow as tf

import keras_augment as ka
from keras_augment.visualize import make_grid, save_png

from _common import parse_args, print_results


def main(argv=None):
    args = parse_args(__doc__.splitlines()[0], argv)
    from keras_augment.commands.preview import PHOTO, read_image_files

    photo = read_image_files([PHOTO], (96, 96))
    mask = np.zeros((1, 96, 96, 1), np.uint8)
    mask[0, 20:60, 30:70] = 1  # one labelled region
    batch = {
        "images": tf.constant(np.repeat(photo, 4, axis=0)),
        "segmentation_masks": tf.constant(np.repeat(mask, 4, axis=0)),
    }
    augmenter = ka.layers.Pipeline(
        [ka.layers.RandomFlip("horizontal_and_vertical"), ka.layers.RandomBrightness(0.3)], seed=0
    )
    out = augmenter(batch, seed=5)
    images = out["images"].numpy().astype(np.uint8)
    masks = out["segmentation_masks"].numpy()
    assert masks.dtype == np.uint8 and set(np.unique(masks)) <= {0, 1}
    # Overlay the mask in red so the alignment is visible.
    overlay = images.copy()
    overlay[..., 0] = np.where(masks[..., 0] == 1, 255, overlay[..., 0])
    path = save_png(f"{args.output_dir}/masks.png", make_grid(overlay, 4))
    pixels = masks.sum(axis=(1, 2, 3)).tolist()
    print(f"mask pixels per image: {pixels}; wrote {path}")
    return print_results({"mask_pixels": pixels, "grid": path})


if __name__ == "__main__":
    main()
