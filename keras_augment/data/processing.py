"""Processing: seeded split, class balancing, resize/normalise and `augment`.

Every function takes and returns `tf.data.Dataset`s of `{"images", "labels"}`
dicts and is deterministic for a given seed.
"""

import numbers

import numpy as np
import tensorflow as tf

from keras_augment.data import groups
from keras_augment.data.sources import resizer
from keras_augment.layers.core.arguments import check_integer, check_seed, check_unit_interval, is_integer


def wrap_int64(value):
    """`value` wrapped into the int64 range, so derived seeds never overflow."""
    return (value + 2**63) % 2**64 - 2**63


def count_elements(ds):
    count = int(ds.cardinality())
    if count == tf.data.INFINITE_CARDINALITY:
        raise ValueError("expected a finite dataset; received an infinite (repeated) one.")
    if count < 0:
        count = int(ds.reduce(np.int64(0), lambda total, _: total + 1))
    return count


def split(ds, validation_fraction=0.2, seed=0, group_by=None):
    """Split an unbatched dataset into train and validation parts by a seed.

    Exactly `round(validation_fraction * N)` elements, chosen by a stateless
    permutation of the indices, go to validation; order is kept within parts.
    With `group_by`, whole groups go to one side or the other (see
    `keras_augment.data.groups`), as near that count as group sizes allow.

    Args:
        ds: finite dataset.
        validation_fraction: share of elements for validation, in [0, 1].
        seed: integer (Python or NumPy, int64 range); the same seed always
            gives the same split.
        group_by: None, or what keeps elements together: an element key
            (`"speaker"`), a sequence with each element's group (a function
            of the path: `[p.split("_")[0] for p in ds.paths]`, for datasets
            from `load`), or a callable taking an element (dict of NumPy
            values) and returning its group.

    Returns:
        `(train, validation)` datasets.
    """
    validation_fraction = check_unit_interval(validation_fraction, "validation_fraction", "split()")
    seed = check_seed(seed, "split()", allow_none=False)
    count = count_elements(ds)
    if group_by is not None:
        mask = groups.validation_mask(groups.group_of_each(ds, group_by, count), validation_fraction, seed)
        validation_count, in_validation = int(mask.sum()), tf.constant(mask)
    else:
        validation_count = int(round(validation_fraction * count))
        order = tf.argsort(tf.random.stateless_uniform([count], seed=[seed, 0x5E1]))
        in_validation = tf.scatter_nd(
            order[:validation_count, None], tf.ones([validation_count], tf.bool), [count]
        )
    indexed = ds.enumerate()
    pick = lambda keep: lambda index, element: tf.equal(in_validation[index], keep)  # noqa: E731
    drop_index = lambda index, element: element  # noqa: E731
    train = indexed.filter(pick(False)).map(drop_index)
    validation = indexed.filter(pick(True)).map(drop_index)
    return train.apply(tf.data.experimental.assert_cardinality(count - validation_count)), (
        validation.apply(tf.data.experimental.assert_cardinality(validation_count))
    )


def class_counts(ds):
    """`{label: count}` of an unbatched dataset with integer `labels`."""
    labels = np.fromiter(ds.map(lambda e: e["labels"]).as_numpy_iterator(), np.int64)
    values, counts = np.unique(labels, return_counts=True)
    return dict(zip(values.tolist(), counts.tolist()))


def balance(ds, strategy="oversample", target=None, seed=0):
    """Give every class the same number of samples.

    Args:
        ds: finite unbatched dataset with integer `labels`.
        strategy: `"oversample"` repeats samples of small classes up to the
            largest class; `"undersample"` keeps a seeded subset of each class
            down to the smallest.
        target: samples per class (an integer >= 1) instead of the
            largest/smallest count; classes below it are repeated, classes
            above it cut.
        seed: integer seed (int64 range) of the subset choice and the
            interleaving order.

    Returns:
        A dataset with `target * number_of_classes` elements in a seeded order.
    """
    if strategy not in ("oversample", "undersample"):
        raise ValueError(
            f"balance() expected strategy 'oversample' or 'undersample'; got {strategy!r}."
        )
    seed = check_seed(seed, "balance()", allow_none=False)
    if target is not None:
        target = check_integer(target, "target", "balance()", minimum=1)
    counts = class_counts(ds)
    if not counts:
        raise ValueError("balance() received an empty dataset.")
    if target is None:
        target = max(counts.values()) if strategy == "oversample" else min(counts.values())
    labels = sorted(counts)
    per_class = []
    for position, label in enumerate(labels):
        members = ds.filter(lambda e, label=label: tf.equal(e["labels"], label))
        members = members.shuffle(
            counts[label], seed=wrap_int64(seed + position), reshuffle_each_iteration=False
        )
        per_class.append(members.repeat().take(target))
    # NumPy wants a non-negative seed: the int64 seed's 64 bits, read unsigned.
    choices = np.random.default_rng(seed % 2**64).permutation(np.repeat(np.arange(len(labels)), target))
    balanced = tf.data.Dataset.choose_from_datasets(
        per_class, tf.data.Dataset.from_tensor_slices(choices.astype(np.int64))
    )
    return balanced.apply(tf.data.experimental.assert_cardinality(len(choices)))


def resize(ds, image_size):
    """Resize every image to `image_size` (int or `(height, width)`, each >= 1), bilinear."""
    return ds.map(resizer(image_size, "resize()"), num_parallel_calls=tf.data.AUTOTUNE)


def normalize(ds, value_range=(0.0, 1.0), input_range=(0.0, 255.0), mean=None, std=None):
    """Scale images to float32 in `value_range`, then optionally standardise.

    Args:
        ds: dataset of `{"images", ...}`.
        value_range: output range for `input_range` (e.g. 0..16 digits -> 0..1).
        input_range: range of the input pixels.
        mean, std: per-channel statistics (e.g. from `stats`, in output units)
            subtracted and divided after scaling: finite numbers (or one
            number), `std` above 0.
    """
    (low, high), (in_low, in_high) = (
        _number_pair(value_range, "value_range"), _number_pair(input_range, "input_range")
    )
    if in_low == in_high:
        raise ValueError(
            f"normalize(): `input_range` must have two different bounds; received "
            f"input_range={input_range!r}."
        )
    scale = (high - low) / (in_high - in_low)
    for name, values in (("mean", mean), ("std", std)):
        array = None if values is None else np.asarray(values)
        if array is not None and (
            array.dtype.kind not in "iuf" or array.ndim > 1 or not np.isfinite(array).all()
            or (name == "std" and (array <= 0).any())
        ):
            rule = "finite and above 0" if name == "std" else "finite"
            raise ValueError(
                f"normalize(): `{name}` must be a number or a list of per-channel numbers, "
                f"{rule}; received {name}={values!r}."
            )

    def apply(element):
        images = (tf.cast(element["images"], tf.float32) - in_low) * scale + low
        if mean is not None:
            images = images - tf.constant(mean, tf.float32)
        if std is not None:
            images = images / tf.constant(std, tf.float32)
        return {**element, "images": images}

    return ds.map(apply, num_parallel_calls=tf.data.AUTOTUNE)


def _number_pair(value, name):
    if (
        not isinstance(value, (tuple, list))
        or len(value) != 2
        or not all(isinstance(v, numbers.Real) and not isinstance(v, bool) for v in value)
        or not all(np.isfinite(v) for v in value)
    ):
        raise ValueError(
            f"normalize(): `{name}` must be a pair of finite numbers (low, high); "
            f"received {name}={value!r}."
        )
    return float(value[0]), float(value[1])


def augment(
    ds, augmenter, seed=0, num_parallel_calls=tf.data.AUTOTUNE, service=None, job_name=None
):
    """Map an augmentation layer or `Pipeline` over the batches of `ds`.

    Batch `i` of an epoch is augmented with a seed derived from `(seed, epoch
    token, i)`. The epoch token comes from `tf.data.Dataset.random(seed,
    rerandomize_each_iteration=True)`: it is the same for the n-th pass over
    the dataset in any process, and different for each pass. So an epoch is
    bit-identical for the same seed whatever `num_parallel_calls` is, and
    epochs differ from each other.

    With `service`, the map runs on tf.data service workers: batches are
    numbered before they are sharded across the workers (static sharding,
    `ShardingPolicy.HINT`), so every batch arrives exactly once and equals the
    local result for the same seed; batches arrive in the order workers
    finish them. The dispatcher must list its workers (`DispatcherConfig(
    worker_addresses=...)`). Each pass through the service is a new job, so
    give each epoch its own `seed` there.

    Args:
        ds: batched dataset of tensors, or of dicts with the augmenter's key
            (`images`, or `text`/`audio` for those layers) and others it routes.
        augmenter: a keras_augment layer (or any layer taking `seed=`).
        seed: integer seed (Python or NumPy int in the int64 range; bools
            and floats are refused).
        num_parallel_calls: an integer >= 1 or `tf.data.AUTOTUNE`, passed to
            `Dataset.map`.
        service: optional tf.data service dispatcher address
            (`"grpc://host:port"`) to run the map on its workers.
        job_name: optional service job name, to share one job between readers.

    Returns:
        The augmented dataset, same structure as `ds`.

    Example:

    >>> ds = load("digits").batch(32)
    >>> ds = augment(ds, keras_augment.layers.RandomFlip("horizontal"), seed=1)
    """
    if not callable(augmenter):
        raise ValueError(f"augment() expected a layer; got {type(augmenter).__name__}.")
    seed = check_seed(seed, "augment()", allow_none=False)
    if not (is_integer(num_parallel_calls) and num_parallel_calls == tf.data.AUTOTUNE):
        check_integer(num_parallel_calls, "num_parallel_calls", "augment()", minimum=1)
    epoch_token = tf.data.Dataset.random(seed=seed, rerandomize_each_iteration=True).take(1)
    tokens = epoch_token.flat_map(lambda token: tf.data.Dataset.from_tensors(token).repeat())
    numbered = tf.data.Dataset.zip((tokens, ds.enumerate()))
    if service is not None:
        # Shard after numbering, so each batch keeps its index and seed on any worker.
        numbered = numbered.shard(tf.data.experimental.SHARD_HINT, tf.data.experimental.SHARD_HINT)
    base = tf.constant([seed], tf.int64)

    def apply(token, numbered_batch):
        index, batch = numbered_batch
        batch_seed = tf.random.experimental.stateless_fold_in(
            tf.concat([base, [token]], 0), index
        )
        return augmenter(batch, training=True, seed=batch_seed)

    augmented = numbered.map(apply, num_parallel_calls=num_parallel_calls, deterministic=True)
    if service is not None:
        return augmented.apply(
            tf.data.experimental.service.distribute(
                processing_mode=tf.data.experimental.service.ShardingPolicy.HINT,
                service=service,
                job_name=job_name,
            )
        )
    cardinality = int(ds.cardinality())
    if cardinality >= 0:
        augmented = augmented.apply(tf.data.experimental.assert_cardinality(cardinality))
    return augmented
