"""Contrast-limited adaptive histogram equalisation (CLAHE), batched.

The image is cut into a grid of tiles; each tile gets its own equalisation
table from a histogram whose bins are clipped at a limit (the excess spread
over all bins), and every pixel blends the tables of its four nearest tile
centres. The rules follow OpenCV's `createCLAHE` on 8-bit images: an image
whose size the grid does not divide is first extended at the bottom and
right by mirroring (OpenCV's quirk kept: then both sides grow, a whole tile
where that side already divided), the limit counts pixels per bin as
`max(int(clip_limit * tile_area / 256), 1)`, and the leftover of the spread
goes one count at a time to evenly spaced bins.
"""

import tensorflow as tf

from keras_augment.ops.colour import from_unit_scale, to_unit_scale

LEVELS = 256


def clahe(images, clip_limits, tile_grid_size, value_range):
    """CLAHE on each channel of each image.

    Args:
        images: `[B, H, W, C]` of any real dtype, in `value_range`; pixels are
            rounded to 256 levels first.
        clip_limits: float `[B]`, OpenCV's `clipLimit` per image (relative
            to a flat histogram; 0 or less disables clipping).
        tile_grid_size: Python `(rows, columns)` of tiles.
        value_range: Python `(low, high)` of the pixels.

    Returns:
        float32 `[B, H, W, C]` in `value_range`, on 256 levels.
    """
    levels = _levels(images, value_range)
    tiles_y, tiles_x = tile_grid_size
    padded = _pad_to_grid(levels, tiles_y, tiles_x)
    shape = tf.shape(padded)
    tile_h, tile_w = shape[1] // tiles_y, shape[2] // tiles_x
    histograms = _tile_histograms(padded, tiles_y, tiles_x, tile_h, tile_w)
    tables = _tables(histograms, clip_limits, tile_h * tile_w)
    output = _interpolate(levels, tables, tiles_y, tiles_x, tile_h, tile_w)
    return from_unit_scale(output, value_range)


def _levels(images, value_range):
    pixels = to_unit_scale(tf.cast(images, tf.float32), value_range)
    # NaN counts as the lowest level (a cast of NaN to int is undefined).
    pixels = tf.where(tf.math.is_nan(pixels), 0.0, pixels)
    return tf.cast(tf.round(tf.clip_by_value(pixels, 0.0, 255.0)), tf.int32)


def _pad_to_grid(levels, tiles_y, tiles_x):
    shape = tf.shape(levels)
    height, width = shape[1], shape[2]
    divided = tf.logical_and(height % tiles_y == 0, width % tiles_x == 0)
    rows = _mirrored(height, tf.where(divided, 0, tiles_y - height % tiles_y))
    columns = _mirrored(width, tf.where(divided, 0, tiles_x - width % tiles_x))
    return tf.gather(tf.gather(levels, rows, axis=1), columns, axis=2)


def _mirrored(size, pad):
    """Indices of `size` extended by `pad` mirrored about the last one
    (OpenCV's BORDER_REFLECT_101, `c b | a b c d | c b`), any `pad`."""
    index = tf.range(size + pad)
    period = tf.maximum(2 * (size - 1), 1)
    folded = index % period
    return tf.where(folded < size, folded, period - folded)


def _tile_histograms(padded, tiles_y, tiles_x, tile_h, tile_w):
    """int32 `[B, tiles_y, tiles_x, C, 256]` counts of each tile and channel."""
    shape = tf.shape(padded)
    batch, channels = shape[0], shape[3]
    tile_row = tf.range(shape[1]) // tile_h
    tile_column = tf.range(shape[2]) // tile_w
    tile = (
        tf.range(batch)[:, None, None, None] * tiles_y + tile_row[None, :, None, None]
    ) * tiles_x + tile_column[None, None, :, None]
    slots = ((tile * channels + tf.range(channels)) * LEVELS) + padded
    size = batch * tiles_y * tiles_x * channels * LEVELS
    counts = tf.math.bincount(tf.reshape(slots, [-1]), minlength=size, maxlength=size)
    return tf.reshape(counts, tf.stack([batch, tiles_y, tiles_x, channels, LEVELS]))


def _tables(histograms, clip_limits, tile_area):
    """Clipped, redistributed, cumulated: float32 lookup tables, same shape."""
    # OpenCV computes the limit in double and truncates it.
    area = tf.cast(tile_area, tf.float64)
    limits = tf.cast(tf.cast(clip_limits, tf.float64) * area / LEVELS, tf.int32)
    limits = tf.maximum(limits, 1)[:, None, None, None, None]
    clipping = clip_limits[:, None, None, None, None] > 0
    limits = tf.where(clipping, limits, tf.int32.max)
    excess = tf.reduce_sum(tf.maximum(histograms - limits, 0), -1, keepdims=True)
    clipped = tf.minimum(histograms, limits) + excess // LEVELS
    residual = excess % LEVELS
    step = tf.maximum(LEVELS // tf.maximum(residual, 1), 1)
    bins = tf.range(LEVELS)
    extra = tf.logical_and(bins % step == 0, bins // step < residual)
    clipped = clipped + tf.cast(extra, tf.int32)
    scale = tf.cast(LEVELS - 1, tf.float32) / tf.cast(tile_area, tf.float32)
    cumulative = tf.cast(tf.cumsum(clipped, axis=-1), tf.float32)
    return tf.clip_by_value(tf.round(cumulative * scale), 0.0, 255.0)


def _interpolate(levels, tables, tiles_y, tiles_x, tile_h, tile_w):
    """Each pixel's value blended from the tables of its four nearest tiles."""
    shape = tf.shape(levels)
    batch, height, width, channels = shape[0], shape[1], shape[2], shape[3]
    ty1, ty2, ya = _neighbours(height, tile_h, tiles_y)
    tx1, tx2, xa = _neighbours(width, tile_w, tiles_x)
    flat = tf.reshape(tables, [-1])
    image = tf.range(batch)[:, None, None, None]
    channel = tf.range(channels)[None, None, None, :]

    def read(rows, columns):
        tile = (image * tiles_y + rows[None, :, None, None]) * tiles_x + columns[None, None, :, None]
        return tf.gather(flat, (tile * channels + channel) * LEVELS + levels)

    xa = xa[None, None, :, None]
    ya = ya[None, :, None, None]
    top = read(ty1, tx1) * (1.0 - xa) + read(ty1, tx2) * xa
    bottom = read(ty2, tx1) * (1.0 - xa) + read(ty2, tx2) * xa
    return tf.clip_by_value(tf.round(top * (1.0 - ya) + bottom * ya), 0.0, 255.0)


def _neighbours(size, tile_size, tiles):
    """Lower and upper tile index of each pixel along one axis, and the
    weight of the upper one (tile centres at half a tile)."""
    position = tf.cast(tf.range(size), tf.float32) * (1.0 / tf.cast(tile_size, tf.float32)) - 0.5
    lower = tf.floor(position)
    weight = position - lower
    lower = tf.cast(lower, tf.int32)
    return tf.maximum(lower, 0), tf.minimum(lower + 1, tiles - 1), weight
