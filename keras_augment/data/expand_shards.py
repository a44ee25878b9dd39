"""The unit of work every `expand` runner shares: one shard of the source.

The source is cut into shards of `shard_size` consecutive samples. Shard `i`
is expanded on its own, batched from its own first sample, with seeds
derived from `(seed, i)` by `shard_seed`, and written to its own TFRecord
file. The local runner and the Beam runner both go through `batches_by_shard`
and `ShardExpander`, so for one seed they write the same records.

Records hold the sample under its kind's key: images and audio as
`tf.io.serialize_tensor` bytes (every bit kept), text as its UTF-8 bytes;
plus `labels` and `origin` (0 original, 1 augmented, 2 synthetic).
"""

import os
import uuid

import numpy as np
import tensorflow as tf

from keras_augment.data.processing import wrap_int64

ORIGINAL, AUGMENTED, SYNTHETIC = 0, 1, 2
ORIGINS = {"original": ORIGINAL, "augmented": AUGMENTED, "synthetic": SYNTHETIC}
KINDS = ("images", "text", "audio")
_GOLDEN = 0x9E3779B97F4A7C15
_MASK = 2**64 - 1


def _mix64(x):
    # splitmix64's finaliser: nearby inputs give unrelated outputs.
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _MASK
    return x ^ (x >> 31)


def derive_seed(seed, *indices):
    """An int64 seed for the item at `indices` (shard, round, batch) under `seed`."""
    value = int(seed) & _MASK
    for index in indices:
        value = _mix64((value + _GOLDEN * (int(index) + 1)) & _MASK)
    return wrap_int64(value)


def shard_seed(seed, shard):
    """The seed of source shard `shard`: the one rule both runners follow."""
    return derive_seed(seed, shard)


def data_kind(ds, owner):
    """`(key, spec)` of the samples of an unbatched dataset of `{key, "labels"}`.

    The key is `"images"`, `"text"` or `"audio"`; the shape must be fixed so
    that samples can be batched.
    """
    spec = ds.element_spec
    keys = [key for key in KINDS if isinstance(spec, dict) and key in spec]
    if len(keys) != 1 or "labels" not in spec:
        got = sorted(spec) if isinstance(spec, dict) else type(spec).__name__
        raise ValueError(
            f"{owner} expected an unbatched dataset of dicts with `labels` and one of "
            f"{', '.join(map(repr, KINDS))}; got {got}."
        )
    key = keys[0]
    if not spec[key].shape.is_fully_defined():
        how = {"images": "resize first (image_size=, --image-size)",
               "audio": "load with duration= (--duration) to pad or cut every clip",
               "text": "give one string per sample"}[key]
        raise ValueError(f"{owner} needs {key} of one fixed shape; got {spec[key].shape}: {how}.")
    if key == "text" and spec[key].dtype != tf.string:
        raise ValueError(f"{owner} expected text as tf.string; got {spec[key].dtype.name}.")
    return key, spec[key]


def check_augmenter_kind(augmenter, kind, owner):
    """Refuse an augmenter whose layers work on another kind of data than `kind`."""
    for layer in getattr(augmenter, "layers", None) or [augmenter]:
        wants = getattr(layer, "input_key", kind)
        if wants != kind:
            raise ValueError(
                f"{owner}: the augmenter's layer {type(layer).__name__} works on {wants}, "
                f"but the data holds {kind}."
            )


def batches_by_shard(ds, shard_size, batch_size, first_shard=0):
    """Yield `(shard, batch_in_shard, batch)` over `ds` in one pass.

    Batches (dicts of NumPy arrays) restart at every shard's first sample,
    so a shard read alone (`ds.skip(i * shard_size).take(shard_size)` with
    `first_shard=i`) gives the very batches of a full pass.
    """
    buffer, shard, batch_index, left = None, first_shard, 0, shard_size
    for chunk in ds.batch(batch_size).as_numpy_iterator():
        buffer = chunk if buffer is None else {k: np.concatenate([buffer[k], chunk[k]]) for k in chunk}
        while len(buffer["labels"]) >= min(batch_size, left):
            take = min(batch_size, left)
            yield shard, batch_index, {k: v[:take] for k, v in buffer.items()}
            buffer = {k: v[take:] for k, v in buffer.items()}
            left -= take
            batch_index += 1
            if left == 0:
                shard, batch_index, left = shard + 1, 0, shard_size
    if buffer is not None and len(buffer["labels"]):
        yield shard, batch_index, buffer


def _example(key, value, label, origin):
    if isinstance(value, bytes):  # text: its bytes as stored
        data = value
    else:
        data = tf.io.serialize_tensor(value).numpy()
    feature = {
        key: tf.train.Feature(bytes_list=tf.train.BytesList(value=[data])),
        "labels": tf.train.Feature(int64_list=tf.train.Int64List(value=[int(label)])),
        "origin": tf.train.Feature(int64_list=tf.train.Int64List(value=[origin])),
    }
    # deterministic: map order would otherwise follow the process's hash seed.
    example = tf.train.Example(features=tf.train.Features(feature=feature))
    return example.SerializeToString(deterministic=True)


def _generate(generator, labels, seed):
    if hasattr(generator, "generate"):  # a keras_augment.models generative model
        return generator.generate(int(tf.shape(labels)[0]), labels=labels, seed=seed)
    return generator(labels, seed)


def _to_dtype(values, dtype):
    values = tf.convert_to_tensor(values)
    if dtype == tf.string or values.dtype == dtype:
        return values
    if dtype.is_integer and not values.dtype.is_integer:
        values = tf.clip_by_value(tf.round(values), dtype.min, dtype.max)
    return tf.cast(values, dtype)


class ShardExpander:
    """Turns the batches of one shard into serialized records.

    Args:
        kind: `"images"`, `"text"` or `"audio"`.
        spec: the samples' `tf.TensorSpec`.
        rounds: `"augmented"` / `"synthetic"` per extra round.
        seed: the expansion's seed.
        augmenter: keras_augment layer or Pipeline, or None.
        generator: see `keras_augment.data.expand`.
    """

    def __init__(self, kind, spec, rounds, seed, augmenter=None, generator=None):
        self.kind, self.spec, self.rounds, self.seed = kind, spec, list(rounds), seed
        self.generator = generator
        if augmenter is not None:
            # One trace for every batch size (a shard's last batch is smaller) and seed.
            signature = [tf.TensorSpec([None, *spec.shape], spec.dtype), tf.TensorSpec([], tf.int64)]
            self.call_augmenter = tf.function(
                lambda data, seed: augmenter(data, training=True, seed=seed), input_signature=signature
            )

    def round_seed(self, shard, round_index, batch_index):
        """The seed of one extra round of one batch of one shard."""
        return derive_seed(shard_seed(self.seed, shard), round_index, batch_index)

    def expand_batch(self, shard, batch_index, batch):
        """`(records, counts)` of one batch: its originals, then each extra round."""
        data, labels = batch[self.kind], batch["labels"]
        outputs = [("original", data)]
        for round_index, kind in enumerate(self.rounds):
            seed = self.round_seed(shard, round_index, batch_index)
            if kind == "augmented":
                made = self.call_augmenter(data, tf.constant(seed, tf.int64))
            else:
                made = _generate(self.generator, tf.constant(labels), seed)
            made = _to_dtype(made, self.spec.dtype).numpy()
            expected = (len(labels), *self.spec.shape)
            if made.shape != expected:
                raise ValueError(
                    f"expand(): the {'augmenter' if kind == 'augmented' else 'generator'} "
                    f"returned {self.kind} of shape {made.shape} for a batch of shape {expected}."
                )
            outputs.append((kind, made))
        records, counts = [], dict.fromkeys(ORIGINS, 0)
        for kind, made in outputs:
            records += [_example(self.kind, v, y, ORIGINS[kind]) for v, y in zip(made, labels)]
            counts[kind] += len(made)
        return records, counts


def temporary_name(path, shard):
    """A hidden, unique name to write shard `shard` under until it is complete."""
    return os.path.join(path, f".data-{shard:05d}-{uuid.uuid4().hex[:8]}.partial")


def shard_names(total):
    """The final file names of `total` shards."""
    return [f"data-{index:05d}-of-{total:05d}.tfrecord" for index in range(total)]
