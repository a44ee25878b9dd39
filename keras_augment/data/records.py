"""Reading `expand` output folders, and telling an unfinished one apart.

See `keras_augment.data.expand` for the layout. `dataset_info.json` is
written last, so a folder without it was never finished.
"""

import json
import os

import tensorflow as tf

INFO_FILE = "dataset_info.json"
FORMAT = "keras_augment.expand/1"


def is_record_folder(path):
    """True when `path` holds a finished dataset written by `expand`."""
    return os.path.isfile(os.path.join(path, INFO_FILE))


def unfinished_expansion(path):
    """Why `path` looks like an `expand` output that never finished, or None.

    That is a folder without subfolders or `dataset_info.json` but with
    shards (`data-*.tfrecord`) or the hidden `.partial` files of a write in
    progress: `expand` was interrupted, or is still writing.
    """
    if is_record_folder(path):
        return None
    names = sorted(os.listdir(path))
    if any(os.path.isdir(os.path.join(path, name)) for name in names if not name.startswith(".")):
        return None  # a folder of class subfolders
    shards = [name for name in names if name.startswith("data-") and name.endswith(".tfrecord")]
    partial = [name for name in names if name.endswith(".partial")]
    if not shards and not partial:
        return None
    found = []
    if shards:
        found.append(f"{len(shards)} finished shard(s) ({shards[0]}, ...)")
    if partial:
        found.append(f"{len(partial)} partly written file(s) ({partial[0]}, ...)")
    return (
        f"folder {path} is an unfinished expand() output: it holds {' and '.join(found)} "
        f"but no {INFO_FILE}, which expand() writes last, once every shard is complete. "
        "The expansion was interrupted or is still running; run it again with "
        "overwrite=True (--overwrite on the command line)."
    )


def read_records(path, with_origin=False):
    """Read a folder written by `expand` as `{"images" | "text" | "audio", "labels"}` (+ `origin`).

    The folder is checked first: a missing info file, a missing shard or a
    shard of another size than written is a clear error, not a failure
    part-way through an epoch. Values come back exactly as written;
    `read_info` gives the source's `class_names` and `sampling_rate`.
    """
    if not os.path.isdir(path):
        raise FileNotFoundError(f"read_records(): no such folder: {path}")
    if not is_record_folder(path):
        reason = unfinished_expansion(path) or (
            f"folder {path} has no {INFO_FILE}: it was not written by expand()."
        )
        raise ValueError(f"read_records(): {reason}")
    info = read_info(path)
    if info.get("format") != FORMAT:
        raise ValueError(f"read_records(): {path}: unknown dataset format {info.get('format')!r}.")
    files = [os.path.join(path, name) for name in info["shards"]]
    missing = [name for name in files if not os.path.isfile(name)]
    if missing:
        raise FileNotFoundError(
            f"read_records(): {path} is incomplete: shards {missing} listed in {INFO_FILE} are missing."
        )
    for name, expected in zip(files, info.get("shard_bytes", [])):
        if os.path.getsize(name) != expected:
            raise ValueError(
                f"read_records(): {path} is damaged or still being copied: shard {name} is "
                f"{os.path.getsize(name)} bytes but expand() wrote {expected}."
            )
    kind = info.get("kind", "images")  # folders written before text and audio
    dtype, shape = tf.as_dtype(info[f"{kind}_dtype"]), info[f"{kind}_shape"]
    description = {
        kind: tf.io.FixedLenFeature([], tf.string),
        "labels": tf.io.FixedLenFeature([], tf.int64),
        "origin": tf.io.FixedLenFeature([], tf.int64),
    }

    def parse(record):
        example = tf.io.parse_single_example(record, description)
        value = example[kind]
        if dtype != tf.string:  # text is stored as its bytes, the rest serialized
            value = tf.ensure_shape(tf.io.parse_tensor(value, dtype), shape)
        element = {kind: value, "labels": example["labels"]}
        if with_origin:
            element["origin"] = example["origin"]
        return element

    ds = tf.data.TFRecordDataset(files).map(parse, num_parallel_calls=tf.data.AUTOTUNE)
    return ds.apply(tf.data.experimental.assert_cardinality(info["count"]))


def read_info(path):
    """The `dataset_info.json` of a finished `expand` folder, as a dict."""
    if not is_record_folder(path):
        raise ValueError(f"read_info(): {unfinished_expansion(path) or f'{path} has no {INFO_FILE}.'}")
    with open(os.path.join(path, INFO_FILE)) as handle:
        return json.load(handle)
