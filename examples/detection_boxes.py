"""Augment images with their bounding boxes: boxes follow the pixels.

Run: python examples/detection_boxes.py [--fast]
"""

import numpy as np
import tensorflow as tf

import keras_augment as ka
from keras_augment.visualize import make_grid, save_png

from _common import parse_args, print_results


def draw_boxes(image, boxes, classes):
    image = image.copy()
    for (x1, y1, x2, y2), label in zip(np.round(boxes).astype(int), classes):
        if label < 0:  # padding box
            continue
        image[y1:y2, [x1, max(x2 - 1, x1)]] = (255, 0, 0)
        image[[y1, max(y2 - 1, y1)], x1:x2] = (255, 0, 0)
    return image


def main(argv=None):
    args = parse_args(__doc__.splitlines()[0], argv)
    from keras_augment.commands.preview import PHOTO, read_image_files

    photo = read_image_files([PHOTO], (128, 128))
    batch = {
        "images": tf.constant(np.repeat(photo, 4, axis=0)),
        # Two boxes per image (pixel xyxy), the second one padding (class -1).
        "bounding_boxes": {
            "boxes": tf.constant([[[40.0, 10.0, 90.0, 70.0], [0, 0, 0, 0]]] * 4),
            "classes": tf.constant([[1, -1]] * 4),
        },
    }
    augmenter = ka.layers.RandomFlip("horizontal_and_vertical", bounding_box_format="xyxy", seed=0)
    out = augmenter(batch, seed=3)
    drawn = [
        draw_boxes(image.astype(np.uint8), boxes, classes)
        for image, boxes, classes in zip(
            out["images"].numpy(), out["bounding_boxes"]["boxes"].numpy(),
            out["bounding_boxes"]["classes"].numpy(),
        )
    ]
    original = draw_boxes(photo[0], batch["bounding_boxes"]["boxes"][0].numpy(), [1, -1])
    path = save_png(f"{args.output_dir}/boxes.png", make_grid(np.stack([original, *drawn]), 5))
    boxes = out["bounding_boxes"]["boxes"][:, 0].numpy().tolist()
    print("boxes after augmentation:", boxes)
    print(f"wrote {path}")
    return print_results({"boxes": boxes, "classes": out["bounding_boxes"]["classes"].numpy().tolist(),
                          "grid": path})


if __name__ == "__main__":
    main()
