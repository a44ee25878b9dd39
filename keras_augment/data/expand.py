"""`expand`: write original + augmented + synthetic samples to TFRecord shards.

Layout of an expanded folder:

    dataset_info.json            written last; lists the shards and the specs
    data-00000-of-00003.tfrecord
    ...

Each shard is written under a hidden `.partial` name and renamed into place
only when complete, and `dataset_info.json` appears only when every shard is
there, so an interrupted write never leaves a half-written shard visible and
never looks like a finished dataset.
"""

import json
import math
import os

import numpy as np
import tensorflow as tf

from keras_augment.data.records import (  # noqa: F401  (also importable from here)
    FORMAT,
    INFO_FILE,
    is_record_folder,
    read_records,
    unfinished_expansion,
)
from keras_augment.data.processing import wrap_int64
from keras_augment.layers.core.arguments import check_integer, check_seed, check_unit_interval

ORIGINAL, AUGMENTED, SYNTHETIC = 0, 1, 2


def _example(image, label, origin):
    feature = {
        "images": tf.train.Feature(
            bytes_list=tf.train.BytesList(value=[tf.io.serialize_tensor(image).numpy()])
        ),
        "labels": tf.train.Feature(int64_list=tf.train.Int64List(value=[int(label)])),
        "origin": tf.train.Feature(int64_list=tf.train.Int64List(value=[origin])),
    }
    return tf.train.Example(features=tf.train.Features(feature=feature)).SerializeToString()


class _ShardWriter:
    """Rotates shards every `shard_size` examples; renames each when closed."""

    def __init__(self, path, shard_size):
        self.path, self.shard_size = path, shard_size
        self.finished, self.writer, self.in_shard = [], None, 0

    def write(self, record):
        if self.writer is None:
            self.temp = os.path.join(self.path, f".data-{len(self.finished):05d}.partial")
            self.writer = tf.io.TFRecordWriter(self.temp)
        self.writer.write(record)
        self.in_shard += 1
        if self.in_shard == self.shard_size:
            self.close_shard()

    def close_shard(self):
        if self.writer is None:
            return
        self.writer.close()
        self.writer, self.in_shard = None, 0
        self.finished.append(self.temp)

    def commit(self):
        """Rename the finished shards to their final names; return the names."""
        self.close_shard()
        total = len(self.finished)
        names = [f"data-{index:05d}-of-{total:05d}.tfrecord" for index in range(total)]
        for temp, name in zip(self.finished, names):
            os.replace(temp, os.path.join(self.path, name))
        self.finished = []
        return names

    def abort(self):
        if self.writer is not None:
            self.writer.close()
            self.finished.append(self.temp)
            self.writer = None
        for temp in self.finished:
            if os.path.exists(temp):
                os.remove(temp)


def _generate(generator, labels, seed):
    if hasattr(generator, "generate"):  # a keras_augment.models generative model
        return generator.generate(int(tf.shape(labels)[0]), labels=labels, seed=seed)
    return generator(labels, seed)


def expand(
    ds,
    path,
    factor=2,
    augmenter=None,
    generator=None,
    synthetic_fraction=None,
    seed=0,
    batch_size=256,
    shard_size=4096,
    overwrite=False,
    verbose=True,
):
    """Write `ds` plus `factor - 1` augmented or synthetic copies as TFRecords.

    Each batch of originals is written, then `factor - 1` rounds of the same
    size: `round((factor - 1) * synthetic_fraction)` of them are synthetic
    (from `generator`, conditioned on the batch's labels) and the rest are
    `augmenter` outputs with a seed derived from `(seed, round, batch)`.

    Args:
        ds: unbatched dataset of `{"images", "labels"}` with fixed image shape.
        path: output folder (created; must be empty unless `overwrite`).
        factor: integer >= 1, total samples over original samples.
        augmenter: keras_augment layer or Pipeline, or None.
        generator: None, a model with `generate(n, labels=..., seed=...)` or a
            callable `generator(labels, seed)` returning images `[n, H, W, C]`
            in the same value range as `ds` (cast to its dtype).
        synthetic_fraction: share of the extra rounds that are synthetic, in
            [0, 1]; default 0.5 with both sources, else all from the one given.
        seed: integer seed of every draw (Python or NumPy int in the int64
            range).
        batch_size: samples processed at once, an integer >= 1.
        shard_size: examples per TFRecord shard, an integer >= 1.
        overwrite: replace an existing dataset at `path`.
        verbose: show a progress bar.

    Returns:
        dict of counts: `{"original", "augmented", "synthetic", "shards"}`.
    """
    import keras

    factor = check_integer(factor, "factor", "expand()", minimum=1)
    seed = check_seed(seed, "expand()", allow_none=False)
    batch_size = check_integer(batch_size, "batch_size", "expand()", minimum=1)
    shard_size = check_integer(shard_size, "shard_size", "expand()", minimum=1)
    if synthetic_fraction is not None:
        synthetic_fraction = check_unit_interval(synthetic_fraction, "synthetic_fraction", "expand()")
    if factor > 1 and augmenter is None and generator is None:
        raise ValueError("expand() with factor > 1 needs an augmenter or a generator.")
    if synthetic_fraction is None:
        synthetic_fraction = 0.0 if generator is None else (1.0 if augmenter is None else 0.5)
    synthetic_rounds = int(math.floor((factor - 1) * synthetic_fraction + 0.5))
    rounds = ["synthetic"] * synthetic_rounds + ["augmented"] * (factor - 1 - synthetic_rounds)
    if "augmented" in rounds and augmenter is None:
        raise ValueError("expand(): synthetic_fraction < 1 needs an augmenter.")
    if "synthetic" in rounds and generator is None:
        raise ValueError("expand(): synthetic_fraction > 0 needs a generator.")
    spec = ds.element_spec["images"]
    if not spec.shape.is_fully_defined():
        raise ValueError(
            f"expand() needs images of one fixed shape; got {spec.shape}: resize first."
        )
    _prepare_folder(path, overwrite)
    total = int(ds.cardinality())
    progress = keras.utils.Progbar(
        total * factor if total >= 0 else None, unit_name="sample", verbose=1 if verbose else 0
    )
    if augmenter is not None:
        # One trace for every batch size (the last batch is smaller) and seed.
        signature = [tf.TensorSpec([None, *spec.shape], spec.dtype), tf.TensorSpec([], tf.int64)]
        call_augmenter = tf.function(
            lambda images, seed: augmenter(images, training=True, seed=seed), input_signature=signature
        )
    writer = _ShardWriter(path, shard_size)
    counts = {"original": 0, "augmented": 0, "synthetic": 0}
    try:
        for batch_index, batch in enumerate(ds.batch(batch_size)):
            images, labels = batch["images"], batch["labels"]
            outputs = [("original", images)]
            for round_index, kind in enumerate(rounds):
                round_seed = wrap_int64(seed * 1_000_003 + round_index * 10_007 + batch_index)
                if kind == "augmented":
                    made = call_augmenter(images, tf.constant(round_seed, tf.int64))
                else:
                    made = _generate(generator, labels, round_seed)
                outputs.append((kind, _to_dtype(made, spec.dtype)))
            origin = {"original": ORIGINAL, "augmented": AUGMENTED, "synthetic": SYNTHETIC}
            for kind, made in outputs:
                made = np.asarray(made)
                for image, label in zip(made, labels.numpy()):
                    writer.write(_example(image, label, origin[kind]))
                counts[kind] += len(made)
                progress.add(len(made))
        names = writer.commit()
    except BaseException:
        writer.abort()
        raise
    info = {
        "format": FORMAT,
        "shards": names,
        "count": sum(counts.values()),
        "counts": counts,
        "images_shape": spec.shape.as_list(),
        "images_dtype": spec.dtype.name,
        # Lets a reader tell a complete shard from one cut short by a copy.
        "shard_bytes": [os.path.getsize(os.path.join(path, name)) for name in names],
    }
    temp_info = os.path.join(path, f".{INFO_FILE}.partial")
    with open(temp_info, "w") as handle:
        json.dump(info, handle, indent=1)
    os.replace(temp_info, os.path.join(path, INFO_FILE))
    return {**counts, "shards": len(names)}


def _to_dtype(images, dtype):
    images = tf.convert_to_tensor(images)
    if dtype.is_integer and not images.dtype.is_integer:
        images = tf.clip_by_value(tf.round(images), dtype.min, dtype.max)
    return tf.cast(images, dtype)


def _prepare_folder(path, overwrite):
    os.makedirs(path, exist_ok=True)
    existing = [name for name in os.listdir(path) if not name.endswith(".partial")]
    if existing and not overwrite:
        raise ValueError(
            f"expand(): output folder {path} is not empty; pass overwrite=True "
            "(--overwrite on the command line) to replace it."
        )
    info = os.path.join(path, INFO_FILE)
    if os.path.exists(info):  # first, so a failed overwrite never looks finished
        os.remove(info)
    for name in os.listdir(path):
        if name.startswith("data-") and name.endswith(".tfrecord") or name.endswith(".partial"):
            os.remove(os.path.join(path, name))
