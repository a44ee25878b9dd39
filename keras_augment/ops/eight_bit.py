"""Lookup-table versions of per-channel pixel maps for uint8 images.

`equalize` and `autocontrast` map every channel of every image through its
own 256-entry table. On uint8 images that is one gather per pixel; building
the tables touches only `[B, C, 256]` values. Results equal
`ops.colour.equalize` / `ops.colour.autocontrast` on the 0..255 range,
rounded to uint8 (tested). Both compile their parts themselves (fused into
one program, XLA runs them several times slower on CPU), so they are not
meant to run inside `jit_compile`. With `rows`, they work on the images
`images[rows]`, read in place by their compiled parts (no gathered copy).
"""

import tensorflow as tf

from keras_augment.ops import colour
from keras_augment.ops.compiled import compiled


def _flat_indices(images, rows=None):
    """uint8 pixels `[B, H, W, C]` as indices into `[B * C * 256]` tables."""
    images = colour.rows_of(images, rows)
    shape = tf.shape(images)
    offsets = tf.range(shape[0])[:, None, None, None] * shape[3] + tf.range(shape[3])
    return tf.cast(images, tf.int32) + offsets * 256


def _apply_tables(images, tables, rows=None):
    return tf.gather(tf.reshape(tables, [-1]), _flat_indices(images, rows))


def apply_lookup_tables(images, tables, rows=None):
    """Map uint8 `images` `[B, H, W, C]` (or `images[rows]`) through uint8
    `tables` `[B, C, 256]`."""
    return compiled(_apply_tables)(images, tf.cast(tables, tf.uint8), rows)


def equalize(images, rows=None):
    """`ImageOps.equalize` of uint8 images `[B, H, W, C]` (or `images[rows]`),
    per channel."""
    # The histogram's scatter-add needs its indices in memory: computed in
    # the same program, it ran several times slower.
    indices = compiled(_flat_indices)(images, rows)
    histograms = colour.channel_histograms(indices)
    tables = compiled(colour.equalization_tables)(histograms, (0.0, 255.0))
    return apply_lookup_tables(images, tables, rows)


def _autocontrast_tables(images, rows=None):
    images = colour.rows_of(images, rows)
    levels = tf.range(256, dtype=tf.float32)
    low = tf.cast(colour.spatial_reduce(tf.reduce_min, images), tf.float32)[:, 0, 0, :, None]
    high = tf.cast(colour.spatial_reduce(tf.reduce_max, images), tf.float32)[:, 0, 0, :, None]
    # The same arithmetic as `colour.autocontrast`, on the 256 levels.
    span = high - low
    scale = tf.math.divide_no_nan(255.0, span)
    stretched = tf.clip_by_value((levels - low) * scale + 0.0, 0.0, 255.0)
    table = tf.where(span > 0, stretched, levels)
    return tf.cast(tf.round(table), tf.uint8)


def autocontrast(images, rows=None):
    """`colour.autocontrast` of uint8 images (or `images[rows]`) on the 0..255
    range, rounded.

    The tables and the lookups compile as two programs: fused into one, XLA
    ran the pair twice as slowly on CPU (21 vs 10 ms for 64 224x224 images).
    """
    return apply_lookup_tables(images, compiled(_autocontrast_tables)(images, rows), rows)
