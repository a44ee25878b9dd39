"""`load`: one entry point for every data source, giving `{"images", "labels"}`."""

import importlib
import os

import numpy as np
import tensorflow as tf

from keras_augment.data import cleaning
from keras_augment.data.bundled import load_digits_arrays

DIGITS = "digits"


def load(
    source=DIGITS,
    split="train",
    image_size=None,
    channels=None,
    data_dir=None,
    max_pixels=cleaning.DEFAULT_MAX_PIXELS,
    report=None,
    verbose=False,
):
    """Load images and integer labels as an unbatched `tf.data.Dataset`.

    Every element is `{"images": uint8 [H, W, C], "labels": int64 []}` (a
    TFRecord folder written by `expand` keeps the dtype it was written with).

    Args:
        source: one of
            - `"digits"`: the bundled UCI digits (8x8x1, pixel counts 0..16);
            - a folder of class subfolders holding JPEG, PNG, BMP or GIF files
              (bad files are skipped and recorded in `report`);
            - a folder written by `keras_augment.data.expand` (TFRecords);
            - a `.npz` file with arrays `images` and `labels`;
            - a tuple `(images, labels)` or dict of NumPy arrays;
            - any other string: a TensorFlow Datasets name such as `"mnist"`,
              downloaded by TFDS on first use (needs internet).
        split: TFDS split (e.g. `"train"`, `"test[:10%]"`); for the other
            sources only `"train"` or `"all"` (everything) are accepted; use
            `keras_augment.data.split` for a validation split.
        image_size: `(height, width)` to resize to (bilinear, rounded back to
            uint8), or None to keep sizes. Folders of mixed sizes need it to be
            batched.
        channels: 1 or 3 to convert folder images to; by default 3, or 1 when
            every image is grey.
        data_dir: TFDS data folder (TFDS's default when None).
        max_pixels: folder images with more pixels are refused.
        report: a `CleaningReport` to fill with skipped files.
        verbose: print the cleaning summary when files were skipped.

    Returns:
        A `tf.data.Dataset`.

    Example:

    >>> ds = load("digits")
    >>> ds.element_spec["images"].shape
    TensorShape([8, 8, 1])
    """
    if isinstance(source, (tuple, list, dict)):
        ds = _from_arrays(source, split)
    elif not isinstance(source, (str, os.PathLike)):
        raise ValueError(
            "load() expected a TFDS name, a folder, a .npz file, 'digits' or "
            f"(images, labels) arrays; received {type(source).__name__}."
        )
    elif str(source) == DIGITS:
        ds = _from_arrays(load_digits_arrays(), split)
    elif os.path.isdir(source):
        # By module path: the package exports the function `expand` under that name.
        records = importlib.import_module("keras_augment.data.expand")
        if records.is_record_folder(source):
            _check_whole_split(split, source)
            ds = records.read_records(source)
        else:
            ds = _from_folder(source, split, channels, max_pixels, report, verbose)
    elif str(source).endswith(".npz"):
        if not os.path.isfile(source):
            raise FileNotFoundError(f"no such file: {source}")
        with np.load(source) as arrays:
            ds = _from_arrays({key: arrays[key] for key in arrays.files}, split)
    elif os.sep in str(source) or str(source).startswith("."):
        raise FileNotFoundError(f"no such folder or file: {source}")
    else:
        ds = _from_tfds(str(source), split, data_dir)
    if image_size is not None:
        class_names = getattr(ds, "class_names", None)
        ds = ds.map(_resizer(image_size), num_parallel_calls=tf.data.AUTOTUNE)
        if class_names is not None:
            ds.class_names = class_names
    return ds


def _check_whole_split(split, source):
    if split not in ("train", "all", None):
        raise ValueError(
            f"load({str(source)!r}): this source has a single split; use "
            f"split='train' (everything) and keras_augment.data.split(); got {split!r}."
        )


def _from_arrays(arrays, split):
    if isinstance(arrays, dict):
        if "images" not in arrays or "labels" not in arrays:
            raise ValueError(
                f"load() expected arrays with keys 'images' and 'labels'; got {sorted(arrays)}."
            )
        images, labels = arrays["images"], arrays["labels"]
    else:
        if len(arrays) != 2:
            raise ValueError(f"load() expected (images, labels); got {len(arrays)} items.")
        images, labels = arrays
    _check_whole_split(split, "arrays")
    images, labels = np.asarray(images), np.asarray(labels)
    if images.ndim == 3:
        images = images[..., None]
    if images.ndim != 4:
        raise ValueError(
            f"load() expected images of shape [N, H, W] or [N, H, W, C]; got {images.shape}."
        )
    if len(images) != len(labels):
        raise ValueError(
            f"load() got {len(images)} images but {len(labels)} labels."
        )
    return tf.data.Dataset.from_tensor_slices(
        {"images": images, "labels": labels.astype(np.int64)}
    )


def _from_folder(root, split, channels, max_pixels, report, verbose):
    _check_whole_split(split, root)
    paths, labels, class_names, infos, report = cleaning.scan_folder(root, max_pixels, report)
    if verbose and report.skipped:
        print(report.summary())
    if not paths:
        raise ValueError(f"folder {root} holds no readable images.\n{report.summary()}")
    if channels is None:
        grey = all(info["mode"] in ("L", "1", "I;16", "I") for info in infos)
        channels = 1 if grey else 3
    if channels not in (1, 3):
        raise ValueError(f"load() expected channels 1 or 3; got {channels}.")
    ds = tf.data.Dataset.from_tensor_slices(
        {"path": tf.constant(paths), "labels": tf.constant(labels, tf.int64)}
    )
    # Files were fully decoded once by PIL above, so TF's decoder sees only good ones.
    decode = lambda element: {  # noqa: E731
        "images": tf.ensure_shape(
            tf.io.decode_image(
                tf.io.read_file(element["path"]), channels=channels, expand_animations=False
            ),
            [None, None, channels],
        ),
        "labels": element["labels"],
    }
    ds = ds.map(decode, num_parallel_calls=tf.data.AUTOTUNE)
    sizes = {info["size"] for info in infos}
    if len(sizes) == 1:
        width, height = sizes.pop()
        ds = ds.map(lambda e: {**e, "images": tf.ensure_shape(e["images"], [height, width, channels])})
    ds.class_names = class_names
    return ds


def _from_tfds(name, split, data_dir):
    try:
        import tensorflow_datasets as tfds
    except ImportError:  # pragma: no cover - tfds is a dependency
        raise ValueError(f"load({name!r}) needs tensorflow-datasets installed.") from None
    import keras_augment.data.digits_tfds  # noqa: F401  (registers "digits")

    if name not in tfds.list_builders() and "/" not in name and ":" not in name:
        raise ValueError(
            f"load({name!r}): not a folder, file or TensorFlow Datasets name "
            "(see tfds.list_builders())."
        )
    try:
        ds, info = tfds.load(name, split=split, data_dir=data_dir, with_info=True)
    except (OSError, ConnectionError, RuntimeError, tfds.core.registered.DatasetNotFoundError) as error:
        # Typically no internet for the first download: say so plainly.
        raise ValueError(
            f"load({name!r}): TensorFlow Datasets could not provide split {split!r} "
            f"({type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}). "
            "Without internet use 'digits', a local folder or arrays."
        ) from error
    if not info.supervised_keys or len(info.supervised_keys) != 2:
        raise ValueError(f"load({name!r}): the dataset has no (image, label) supervised keys.")
    image_key, label_key = info.supervised_keys
    return ds.map(
        lambda e: {"images": e[image_key], "labels": tf.cast(e[label_key], tf.int64)},
        num_parallel_calls=tf.data.AUTOTUNE,
    )


def _resizer(image_size):
    height, width = (image_size, image_size) if isinstance(image_size, int) else image_size

    def resize(element):
        images = element["images"]
        resized = tf.image.resize(images, (height, width))
        if images.dtype.is_integer:
            limits = (images.dtype.min, images.dtype.max)
            resized = tf.cast(tf.clip_by_value(tf.round(resized), *limits), images.dtype)
        else:
            resized = tf.cast(resized, images.dtype)
        return {**element, "images": resized}

    return resize
