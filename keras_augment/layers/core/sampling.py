"""Stateless random draws for per-sample augmentation parameters."""

import numpy as np
import tensorflow as tf

from keras_augment.layers.core.arguments import check_seed


def standardize_seed(seed, owner="keras_augment"):
    """Turn a call seed into the `[2]` int64 tensor that stateless ops take.

    Args:
        seed: a Python or NumPy integer in the int64 range, an integer scalar
            tensor, or an integer tensor of shape `[2]`. Zero is a seed like
            any other; bools and floats are refused.
        owner: name used in error messages.
    """
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, (tf.Tensor, tf.Variable, np.ndarray, list, tuple)):
        seed = tf.constant(check_seed(seed, owner, allow_none=False), tf.int64)
    seed = tf.convert_to_tensor(seed)
    if not seed.dtype.is_integer:
        raise ValueError(
            f"{owner}: `seed` must be an integer or an integer tensor of shape "
            f"[2]; received dtype {seed.dtype.name}."
        )
    seed = tf.cast(seed, tf.int64)
    if seed.shape.rank == 0:
        return tf.stack([seed, tf.constant(0, tf.int64)])
    if seed.shape.rank == 1 and seed.shape[0] == 2:
        return seed
    raise ValueError(
        f"{owner}: `seed` must be a scalar or have shape [2]; received shape "
        f"{seed.shape}."
    )


def computed_at_run_time(seed, anchor):
    """`seed` as a value TensorFlow's graph optimizer cannot precompute.

    A seed given as a Python constant inside a `tf.function` or `tf.data`
    would otherwise be constant-folded through the draws with TensorFlow's
    own kernels, while eager calls run the XLA-compiled draws: the two give
    different random floats (and different ulps of cos, exp, ...). Tying
    the seed to a variable read (`anchor`, any integer variable) keeps every
    mode on the same kernels, so one seed gives one output. `x & 0` is used
    because the optimizer folds `x * 0` but not a bitwise and.
    """
    if tf.executing_eagerly() or tf.get_static_value(seed) is None:
        return seed  # already a run-time value: nothing to fold
    zero = tf.reduce_min(tf.bitwise.bitwise_and(tf.cast(anchor, tf.int64), 0))
    return seed + zero


def fold_in_replica_id(seed):
    """Give each replica of a tf.distribute strategy its own draws.

    Every replica holds a copy of the layer's seed state, so without this the
    replicas would draw identical parameters for their parts of the batch.
    Replica 0 (and code outside any strategy) keeps the seed unchanged.
    """
    context = tf.distribute.get_replica_context()
    if context is None:
        return seed
    replica_id = context.replica_id_in_sync_group
    if isinstance(replica_id, int) and replica_id == 0:
        return seed
    folded = tf.random.experimental.stateless_fold_in(seed, tf.cast(replica_id, tf.int64))
    return tf.where(tf.equal(replica_id, 0), seed, tf.cast(folded, tf.int64))


class RandomSampler:
    """Draws independent stateless tensors from one seed.

    Each draw folds a running counter into the seed, so the sequence of draws
    (and therefore every parameter) depends only on the seed and the order of
    the calls, never on tracing, threads or `num_parallel_calls`.
    """

    def __init__(self, seed):
        self._seed = standardize_seed(seed)
        self._count = 0

    def next_seed(self):
        """A fresh `[2]` int64 seed, e.g. for a sub-layer."""
        seed = tf.random.experimental.stateless_fold_in(self._seed, self._count)
        self._count += 1
        return tf.cast(seed, tf.int64)

    def uniform(self, shape, minval=0.0, maxval=1.0, dtype=tf.float32):
        """Floats in `[minval, maxval)`; bounds may be tensors broadcastable to shape."""
        unit = tf.random.stateless_uniform(shape, self.next_seed(), dtype=dtype)
        minval = tf.cast(minval, dtype)
        maxval = tf.cast(maxval, dtype)
        return minval + unit * (maxval - minval)

    def normal(self, shape, mean=0.0, stddev=1.0, dtype=tf.float32):
        return tf.random.stateless_normal(
            shape, self.next_seed(), mean=mean, stddev=stddev, dtype=dtype
        )

    def integers(self, shape, minval, maxval, dtype=tf.int32):
        """Integers in `[minval, maxval)`."""
        return tf.random.stateless_uniform(
            shape, self.next_seed(), minval=minval, maxval=maxval, dtype=dtype
        )

    def bernoulli(self, shape, probability):
        """Booleans that are True with the given probability."""
        return self.uniform(shape) < tf.cast(probability, tf.float32)


def probability_flags(sampler, batch_size, factor):
    """Keras's two-draw rule: apply when `U(0, 1) < U(factor)`."""
    probability = sampler.uniform([batch_size], factor[0], factor[1])
    return sampler.uniform([batch_size]) < probability
