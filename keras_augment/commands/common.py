"""Helpers shared by the subcommands."""

import os

import numpy as np


def check_output(path, option, folder):
    """Refuse an output path that a file or folder already in place would block.

    Checked before any work, so a long job does not fail at its last step.

    Args:
        path: the file or folder to write.
        option: the option that gave it, for the message.
        folder: whether `path` is a folder (else a file).

    Raises:
        NotADirectoryError: a file stands where `path` or one of its folders
            should be.
        IsADirectoryError: `path` should be a file but is a folder.
    """
    full = os.path.abspath(path)
    if os.path.isfile(full) and folder:
        raise NotADirectoryError(f"{option} {path}: this is a file; a folder is needed here.")
    if os.path.isdir(full) and not folder:
        raise IsADirectoryError(f"{option} {path}: this is a folder; a file name is needed here.")
    parent = os.path.dirname(full)
    while not os.path.exists(parent):
        parent = os.path.dirname(parent)
    if not os.path.isdir(parent):
        raise NotADirectoryError(f"{option} {path}: {parent} is a file, so nothing can be written under it.")


def load_uint8(source, image_size=None, verbose=True):
    """A `load` source with images as uint8 0..255 (digits' 0..16 rescaled).

    Returns:
        `(dataset, num_classes)`; the dataset is unbatched.
    """
    import tensorflow as tf

    from keras_augment.data import class_counts, load

    ds = load(source, image_size=image_size, verbose=verbose)
    if source == "digits":
        ds = ds.map(
            lambda e: {
                **e,
                "images": tf.cast(tf.round(tf.cast(e["images"], tf.float32) * (255.0 / 16.0)), tf.uint8),
            }
        )
    elif ds.element_spec["images"].dtype != tf.uint8:
        raise ValueError(
            f"expected uint8 images from {source!r}; got {ds.element_spec['images'].dtype.name}."
        )
    counts = class_counts(ds)
    if not counts:
        raise ValueError(f"{source!r} gave no images.")
    return ds.cache(), int(max(counts)) + 1


def parse_labels(labels, count, num_classes):
    """`count` class indices: the given ones in turn, or all classes in turn."""
    if labels:
        bad = [label for label in labels if not 0 <= label < num_classes]
        if bad:
            raise ValueError(f"--labels must be in 0..{num_classes - 1}; got {bad}.")
        return np.resize(np.asarray(labels, np.int64), count)
    return np.arange(count, dtype=np.int64) % num_classes
