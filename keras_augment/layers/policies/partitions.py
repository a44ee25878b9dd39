"""Run one kernel per partition of a batch, each on its own images only.

`run_partitions` serves the policy slots and the masks that follow them.
All the index bookkeeping of a slot (where each partition's images are,
padded to a bucket size, and where each image lands once the pieces are
put together) is one small compiled program, so a slot adds a few graph
ops per partition around its kernel calls. Inside `tf.data`, every graph op
is a hand-off between threads, and a slot built from hundreds of small
index ops left the cores idle between kernels.
"""

import tensorflow as tf

from keras_augment.ops.compiled import compiled


def bucket_size(count, batch_size):
    """`count` rounded up to a bucket: exact up to 8, then a multiple of
    2 ** (octave - 2) where 2 ** octave < count <= 2 ** (octave + 1); at
    most `batch_size`. Works element-wise on a vector of counts."""
    powers = tf.constant([2**k for k in range(31)], tf.int32)
    count = tf.convert_to_tensor(count, tf.int32)
    octave = tf.reduce_sum(tf.cast(powers <= count[..., None] - 1, tf.int32), axis=-1) - 1
    step = tf.bitwise.left_shift(1, tf.maximum(octave - 2, 0))
    return tf.minimum((count + step - 1) // step * step, batch_size)


def _plan(partitions, rows, partition_count):
    """Index plan of one slot, as `[P, B]` and `[P, ...]` tensors.

    Returns each partition's batch positions and source rows (ascending,
    padded by repeating the last one), its bucket size as a `[1]` vector,
    its `[count, -1, -1, -1]` slice of kernel output, and for every image
    its row in the pieces concatenated in partition order.
    """
    batch = tf.shape(partitions)[0]
    one_hot = tf.one_hot(partitions, partition_count, dtype=tf.int32)
    counts = tf.reduce_sum(one_hot, axis=0)
    offsets = tf.cumsum(counts, exclusive=True)
    rank = tf.reduce_sum(tf.cumsum(one_hot, axis=0) * one_hot, axis=1) - 1
    destination = tf.gather(offsets, partitions) + rank
    order = tf.scatter_nd(destination[:, None], tf.range(batch), [batch])
    last = tf.maximum(counts - 1, 0)
    index = offsets[:, None] + tf.minimum(tf.range(batch)[None, :], last[:, None])
    positions = tf.gather(order, tf.minimum(index, batch - 1))
    sizes = bucket_size(counts, batch)[:, None]
    keep = tf.concat([counts[:, None], tf.fill([partition_count, 3], -1)], axis=1)
    return positions, tf.gather(rows, positions), sizes, keep, destination


def run_partitions(source, rows, partitions, kernels, partition_count):
    """Split a batch by `partitions` and run each partition's kernel.

    Args:
        source: `[N, H, W, C]` tensor holding the batch's images.
        rows: int `[B]`: image `b` of the batch is `source[rows[b]]`.
        partitions: int `[B]` partition of each image.
        kernels: dict `{partition: kernel}` for every partition that may
            occur; `kernel(source, rows, positions)` returns the images
            `source[rows]` transformed, where `positions` are their batch
            positions (to look up per-sample parameters).
        partition_count: static number of partitions (all ids below it).

    Returns:
        The pieces concatenated in partition order, and for every image its
        row in them (the `source, rows` of the next step).
    """
    positions, source_rows, sizes, keep, destination = compiled(_plan)(
        tf.convert_to_tensor(partitions, tf.int32), rows, partition_count
    )
    positions = tf.unstack(positions, partition_count)
    source_rows = tf.unstack(source_rows, partition_count)
    sizes = tf.unstack(sizes, partition_count)
    keep = tf.unstack(keep, partition_count)
    # Eager calls need not trace kernels for size 0; graphs run them on
    # empty batches, which costs nothing and needs no `tf.cond`.
    skip_empty = tf.executing_eagerly()
    pieces = []
    for partition in sorted(kernels):
        if skip_empty and int(keep[partition][0]) == 0:
            continue
        size = sizes[partition]
        output = kernels[partition](
            source,
            tf.slice(source_rows[partition], [0], size),
            tf.slice(positions[partition], [0], size),
        )
        piece = tf.slice(tf.cast(output, source.dtype), [0, 0, 0, 0], keep[partition])
        # A slice by a tensor size loses the static image shape, which the
        # next kernels trace with.
        piece.set_shape([None, *source.shape[1:]])
        pieces.append(piece)
    if not pieces:  # an empty eager batch
        return source[:0], destination
    return tf.concat(pieces, 0), destination
