"""Data sources, cleaning and pipelines."""

from keras_augment.data.bundled import load_digits_arrays

__all__ = ["load_digits_arrays"]
