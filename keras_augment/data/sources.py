"""`load`: one entry point for every data source: images, text and audio with `labels`."""

import os

import numpy as np
import tensorflow as tf

from keras_augment.data import (
    class_files, cleaning, folders, idx, image_files, media, records, text_tables, tfds_kinds,
    tfds_source,
)
from keras_augment.data.bundled import load_digits_arrays
from keras_augment.data.class_files import check_single_split
from keras_augment.layers.core.arguments import is_integer

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
    sampling_rate=None,
    duration=None,
    min_duration=None,
    text_column=None,
    label_column=None,
):
    """Load images, text or audio and integer labels as an unbatched `tf.data.Dataset`.

    Every element is `{"images": uint8 [H, W, C], "labels": int64 []}` (a
    TFRecord folder written by `expand` keeps the dtype it was written with),
    `{"text": tf.string [], "labels"}` for text, or `{"audio": float32 [T]
    in [-1, 1], "labels"}` for audio. The kind follows from the source: a
    folder's file extensions (the kind most files have), a table's
    extension, a TFDS dataset's features. Folders and tables give datasets
    with `class_names` and `paths` (where each element came from, for
    `split(group_by=...)`); audio ones also `sampling_rate`.

    Args:
        source: one of
            - `"digits"`: the bundled UCI digits (8x8x1, pixel counts 0..16);
            - a folder of class subfolders holding JPEG, PNG, BMP or GIF files
              (bad files are skipped and recorded in `report`; see below),
              or `.txt` files (one sample each, strict UTF-8, kept byte for
              byte), or `.wav`, `.flac` and `.ogg` files (see
              `keras_augment.data.audio_sources`);
            - a `.csv`, `.tsv` or `.jsonl` table of texts and labels (see
              `text_column`; bad rows are skipped and named in `report`);
            - a folder written by `keras_augment.data.expand` (TFRecords);
            - a folder of IDX files, as the MNIST family ships
              (`train-images-idx3-ubyte[.gz]` and its labels; `split="test"`
              reads `t10k-*`; see `keras_augment.data.idx`);
            - a `.npz` file with arrays `images` and `labels`;
            - a tuple `(images, labels)` or dict of NumPy arrays;
            - any other string: a TensorFlow Datasets name such as `"mnist"`,
              downloaded by TFDS on first use (needs internet) unless already
              prepared in `data_dir`.
        split: TFDS split (e.g. `"train"`, `"test[:10%]"`); for the other
            sources only `"train"` or `"all"` (everything) are accepted; use
            `keras_augment.data.split` for a validation split.
        image_size: `(height, width)` to resize to (bilinear, rounded back to
            uint8), or None to keep sizes. Folders of mixed sizes need it to be
            batched.
        channels: 1 or 3 to convert folder images to; by default 3, or 1 when
            every image is grey. For audio, the channels kept (`[T, channels]`;
            mono files are repeated); by default every file is mixed to mono.
        data_dir: TFDS data folder (TFDS's default when None).
        max_pixels: folder images with more pixels (width * height, an
            integer >= 1) are refused from their header, before decoding.
        report: a `CleaningReport` to fill with skipped files.
        verbose: print the cleaning summary when files were skipped.
        sampling_rate: audio rate in Hz (default 16000) every file is
            resampled to (`scipy.signal.resample_poly`, then clipped to [-1, 1]).
        duration: audio length in seconds: zeros are appended or the end cut;
            None keeps each file's length.
        min_duration: shorter audio files (in seconds, after resampling) are
            skipped and named; silent files (peak under -60 dBFS) always are.
        text_column, label_column: a table's text and label columns (or JSON
            fields), `"text"` and `"label"` by default. Labels become integers
            in the order of `class_names` (numeric when all are integers).

    Folders: every file is checked before the dataset is built, with Pillow
    (header first, so `max_pixels` applies before any decoding) and with the
    TensorFlow decoder that will read it in the pipeline, with the same
    channels, so iterating never fails on a bad file: truncated, corrupt,
    oversized and non-image files are skipped and named in `report`.
    Symbolic links are followed only inside the folder; a link back to a
    folder already read (a loop) or to a file already listed is skipped and
    reported, so each file is loaded once, under its first class. JPEG (and
    other) EXIF orientation is applied as `PIL.ImageOps.exif_transpose` does,
    so images come out upright as image viewers show them; sizes are the
    upright ones. A GIF or BMP loaded with `channels=1` is decoded to RGB and
    converted to grey (`tf.image.rgb_to_grayscale`).

    Returns:
        A `tf.data.Dataset`.

    Raises:
        ValueError: for a bad argument, an unfinished `expand` output folder,
            a folder without readable images, or a TFDS dataset that is not
            prepared in `data_dir` and cannot be downloaded (this fails
            within seconds when offline).

    Example:

    >>> ds = load("digits")
    >>> ds.element_spec["images"].shape
    TensorShape([8, 8, 1])
    """
    image_files.check_max_pixels(max_pixels, "load()")
    report = cleaning.check_report(report, "load()")
    if image_size is not None:
        check_image_size(image_size, "load()")
    media.check_channels(source, channels)
    options = {"sampling_rate": sampling_rate, "duration": duration, "min_duration": min_duration,
               "text_column": text_column, "label_column": label_column}
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
        if records.is_record_folder(source):
            check_single_split(split, source)
            ds = records.read_records(source)
        elif idx.is_idx_folder(source):
            images, labels = idx.load_idx_arrays(source, split)
            ds = tf.data.Dataset.from_tensor_slices({"images": images, "labels": labels})
        elif records.unfinished_expansion(source):
            raise ValueError(f"load(): {records.unfinished_expansion(source)}")
        elif (kind := class_files.folder_kind(source)) != "images":
            ds = media.load_folder(source, kind, split, report, verbose, channels, options)
        else:
            if channels is not None:
                image_files.check_channels(channels, "load()")
            ds = _from_folder(source, split, channels, max_pixels, report, verbose)
    elif text_tables.is_table(source) and os.path.isfile(source):
        ds = media.load_table(source, split, report, verbose, channels, options)
    elif str(source).endswith(".npz"):
        if not os.path.isfile(source):
            raise FileNotFoundError(f"load(): no such file: {source}")
        with np.load(source) as arrays:
            ds = _from_arrays({key: arrays[key] for key in arrays.files}, split)
    elif os.sep in str(source) or str(source).startswith("."):
        raise FileNotFoundError(f"load(): no such folder or file: {source}")
    else:
        convert = tfds_kinds.converter(str(source), sampling_rate, duration, channels)
        ds = tfds_source.load_tfds(str(source), split, data_dir, convert)
    media.check_fits(ds, source, image_size, options)
    if channels is not None and not hasattr(ds, "class_names") and not hasattr(ds, "sampling_rate"):
        # Only decoded files are converted; silently ignoring it would mislead.
        raise ValueError(
            f"load(): `channels` applies to folders of image files; {source!r} is "
            f"not one (received channels={channels!r})."
        )
    if image_size is not None:
        class_names = getattr(ds, "class_names", None)
        ds = ds.map(resizer(image_size, "load()"), num_parallel_calls=tf.data.AUTOTUNE)
        if class_names is not None:
            ds.class_names = class_names
    return ds


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
    check_single_split(split, "arrays")
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
    check_single_split(split, root)
    contents = folders.scan_folder(root, max_pixels, report, channels)
    report = contents.report
    if verbose and report.skipped:
        print(report.summary())
    if not contents.paths:
        raise ValueError(f"load(): folder {root} holds no readable images.\n{report.summary()}")
    extras, flags = contents.decoder_extras()
    # The very decoder every file passed during the scan: no file fails mid-epoch.
    decode = image_files.make_decoder(contents.channels, **flags)
    columns = {
        "path": tf.constant(contents.paths),
        "labels": tf.constant(contents.labels, tf.int64),
        **{key: tf.constant(values) for key, values in extras.items()},
    }
    sizes = {image_files.oriented_size(info) for info in contents.infos}
    height, width = sizes.pop() if len(sizes) == 1 else (None, None)

    def read(element):
        image = decode(tf.io.read_file(element["path"]), element)
        return {
            "images": tf.ensure_shape(image, [height, width, contents.channels]),
            "labels": element["labels"],
        }

    ds = tf.data.Dataset.from_tensor_slices(columns).map(read, num_parallel_calls=tf.data.AUTOTUNE)
    ds.class_names = contents.class_names
    return ds


def check_image_size(image_size, owner):
    """`image_size` (an int or a pair of ints, each >= 1) as `(height, width)`."""
    if is_integer(image_size) and image_size >= 1:
        return int(image_size), int(image_size)
    if (
        isinstance(image_size, (tuple, list))
        and len(image_size) == 2
        and all(is_integer(v) and v >= 1 for v in image_size)
    ):
        return int(image_size[0]), int(image_size[1])
    raise ValueError(
        f"{owner}: `image_size` must be an integer >= 1 or a pair (height, width) "
        f"of integers >= 1; received image_size={image_size!r}."
    )


def resizer(image_size, owner="resize()"):
    """An element map resizing `images` to `image_size` (bilinear, rounded back to uint8)."""
    height, width = check_image_size(image_size, owner)

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
