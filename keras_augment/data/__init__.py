"""Data sources, cleaning, processing and expansion.

`load` reads TFDS names, folders of class subfolders, arrays, TFRecord folders
written by `expand` and the bundled `"digits"`; TensorFlow Datasets itself is
imported only when a TFDS name is loaded.

Modules: `sources` (`load`), `image_files` (checking and decoding one image
file), `folders` (listing a folder of class subfolders), `cleaning` (report,
duplicates, statistics), `processing` (split, balance, resize, normalise,
augment), `expansion` (the function `expand`) and `records` (writing and reading TFRecord folders),
`tfds_source` (TFDS names, failing fast offline). Text and audio:
`class_files` (which kind a folder holds), `text_sources` and `text_tables`
(`.txt` folders; `.csv`, `.tsv`, `.jsonl` tables), `audio_files` and
`audio_sources` (checking, decoding and resampling audio), `tfds_kinds`,
`text_cleaning` and `audio_cleaning` (normalisation, duplicates, levels,
statistics), `groups` (grouped splits).
"""

from keras_augment.data.audio_cleaning import (
    audio_stats,
    clean_audio,
    normalize_loudness,
    remove_dc,
    trim_silence,
)
from keras_augment.data.bundled import load_digits_arrays
from keras_augment.data.cleaning import CleaningReport, deduplicate, find_duplicates, stats
from keras_augment.data.expansion import expand, read_records
from keras_augment.data.processing import augment, balance, class_counts, normalize, resize, split
from keras_augment.data.sources import load
from keras_augment.data.text_cleaning import (
    clean_text,
    find_text_duplicates,
    normalize_text,
    text_stats,
)

__all__ = [
    "CleaningReport",
    "audio_stats",
    "augment",
    "balance",
    "class_counts",
    "clean_audio",
    "clean_text",
    "deduplicate",
    "expand",
    "find_duplicates",
    "find_text_duplicates",
    "load",
    "load_digits_arrays",
    "normalize",
    "normalize_loudness",
    "normalize_text",
    "read_records",
    "remove_dc",
    "resize",
    "split",
    "stats",
    "text_stats",
    "trim_silence",
]
