"""Data shipped inside the package, so every command works offline."""

import os

import numpy as np

BUNDLED_DIR = os.path.join(os.path.dirname(__file__), "bundled")


def load_digits_arrays():
    """The UCI optical handwritten digits: uint8 images `[1797, 8, 8, 1]` in
    0..16 and int64 labels `[1797]`. See `bundled/DIGITS_LICENSE.txt`."""
    with np.load(os.path.join(BUNDLED_DIR, "digits.npz")) as data:
        return data["images"][..., None], data["labels"].astype(np.int64)
