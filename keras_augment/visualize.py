"""Image grids for previews and sample sheets, written as PNG."""

import numpy as np
import tensorflow as tf


def to_uint8(images, value_range=(0, 255)):
    """Scale images from `value_range` to uint8 0..255."""
    images = np.asarray(images, np.float32)
    low, high = value_range
    scaled = (images - low) / (high - low) * 255.0
    return np.clip(np.round(scaled), 0, 255).astype(np.uint8)


def make_grid(images, columns, scale=1, padding=2):
    """Tile `[N, H, W, C]` uint8 images into one `[rows*H', columns*W', C]` image.

    Args:
        images: uint8 array of N images with 1 or 3 channels.
        columns: images per row.
        scale: integer nearest-neighbour upscaling of each tile.
        padding: pixels of white between tiles.
    """
    images = np.asarray(images)
    if images.ndim == 3:
        images = images[..., None]
    if scale > 1:
        images = images.repeat(scale, axis=1).repeat(scale, axis=2)
    count, height, width, channels = images.shape
    rows = -(-count // columns)
    grid = np.full(
        (rows * (height + padding) + padding, columns * (width + padding) + padding, channels),
        255,
        np.uint8,
    )
    for index in range(count):
        row, column = divmod(index, columns)
        top = padding + row * (height + padding)
        left = padding + column * (width + padding)
        grid[top : top + height, left : left + width] = images[index]
    return grid


def save_png(path, image):
    """Write a uint8 `[H, W, C]` array as a PNG file."""
    data = tf.io.encode_png(tf.constant(image, tf.uint8)).numpy()
    with open(path, "wb") as handle:
        handle.write(data)
    return path
