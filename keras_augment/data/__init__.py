"""Data sources, cleaning, processing and expansion.

`load` reads TFDS names, folders of class subfolders, arrays, TFRecord folders
written by `expand` and the bundled `"digits"`; TensorFlow Datasets itself is
imported only when a TFDS name is loaded.

Modules: `sources` (`load`), `image_files` (checking and decoding one image
file), `folders` (listing a folder of class subfolders), `cleaning` (report,
duplicates, statistics), `processing` (split, balance, resize, normalise,
augment), `expand` and `records` (writing and reading TFRecord folders),
`tfds_source` (TFDS names, failing fast offline).
"""

from keras_augment.data.bundled import load_digits_arrays
from keras_augment.data.cleaning import CleaningReport, deduplicate, find_duplicates, stats
from keras_augment.data.expand import expand, read_records
from keras_augment.data.processing import augment, balance, class_counts, normalize, resize, split
from keras_augment.data.sources import load

__all__ = [
    "CleaningReport",
    "augment",
    "balance",
    "class_counts",
    "deduplicate",
    "expand",
    "find_duplicates",
    "load",
    "load_digits_arrays",
    "normalize",
    "read_records",
    "resize",
    "split",
    "stats",
]
