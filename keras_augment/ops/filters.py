"""Batched blur, sharpen and JPEG kernels with per-sample strengths."""

import tensorflow as tf

from keras_augment.ops.colour import clip, from_unit_scale, rows_of, to_unit_scale
from keras_augment.ops.compiled import compiled


def gaussian_kernels(sigmas, size):
    """Normalised 1-D Gaussian weights `[B, size]` for per-sample `sigmas` `[B]`."""
    positions = tf.range(size, dtype=sigmas.dtype) - (size - 1) / 2
    weights = tf.exp(-0.5 * tf.square(positions[None, :] / sigmas[:, None]))
    return weights / tf.reduce_sum(weights, axis=-1, keepdims=True)


def _filter_axis(images, weights, axis):
    """Zero-padded 'same' correlation along `axis` (1 = rows, 2 = columns)
    with per-sample 1-D `weights` `[B, K]` (K odd and static)."""
    size = weights.shape[-1]
    half = size // 2
    paddings = [[0, 0]] * 4
    paddings[axis] = [half, half]
    padded = tf.pad(images, paddings)
    length = tf.shape(images)[axis]
    weights = tf.cast(weights, images.dtype)
    output = None
    for offset in range(size):
        window = padded[:, offset : offset + length] if axis == 1 else padded[:, :, offset : offset + length]
        term = window * tf.reshape(weights[:, offset], [-1, 1, 1, 1])
        output = term if output is None else output + term
    return output


def gaussian_blur(images, sigmas, kernel_size):
    """Separable Gaussian blur with zero padding, as Keras's `gaussian_blur`.

    Args:
        images: float images `[B, H, W, C]`.
        sigmas: `[B, 2]` standard deviations (horizontal, vertical) in pixels.
        kernel_size: `(horizontal, vertical)` odd Python ints.
    """
    sigmas = tf.cast(sigmas, images.dtype)
    horizontal = gaussian_kernels(sigmas[:, 0], kernel_size[0])
    vertical = gaussian_kernels(sigmas[:, 1], kernel_size[1])
    return _filter_axis(_filter_axis(images, horizontal, 2), vertical, 1)


def sharpness_interior(images, factors, value_range, scale=1.0):
    """The `[B, H - 2, W - 2, C]` interior of `sharpness`: each pixel blended
    with PIL's `ImageFilter.SMOOTH` (3x3, centre weight 5, total 13) of it.

    Shifted slices rather than a depthwise convolution: under XLA on CPU the
    slices fuse into one pass, the convolution is ten times slower.
    """
    centre = images[:, 1:-1, 1:-1]
    rows = images[:, :-2] + images[:, 1:-1] + images[:, 2:]
    box = rows[:, :, :-2] + rows[:, :, 1:-1] + rows[:, :, 2:]
    smoothed = (box + 4.0 * centre) * (1.0 / 13.0)
    weights = tf.reshape(tf.cast(factors, images.dtype), [-1, 1, 1, 1]) * scale
    return clip(smoothed + weights * (centre - smoothed), value_range)


def _frame(images, rows=None):
    images = rows_of(images, rows)
    return images[:, :1], images[:, -1:], images[:, 1:-1, :1], images[:, 1:-1, -1:]


def frame(images, rows=None):
    """The one-pixel border of `images`: `(top, bottom, left, right)`, the
    sides without the corners. With `rows`, the border of `images[rows]`,
    gathered in one compiled step without copying the rest."""
    return _frame(images) if rows is None else compiled(_frame)(images, rows)


def with_border(border, interior, value_range=None):
    """`interior` framed by `border` (from `frame`), clipped to `value_range`
    when given.

    Meant to run outside XLA: as plain TF ops the concatenations are copies,
    where XLA's CPU concatenation picks an operand per element and made the
    whole sharpness kernel three times slower.
    """
    top, bottom, left, right = (
        part if value_range is None else clip(part, value_range) for part in border
    )
    middle = tf.concat([left, interior, right], axis=2)
    return tf.concat([top, middle, bottom], axis=1)


def _smaller_than_kernel(images):
    # PIL leaves images smaller than the 3x3 kernel unchanged.
    height, width = images.shape[1], images.shape[2]
    return height is not None and width is not None and (height < 3 or width < 3)


def sharpness(images, factors, value_range, scale=1.0):
    """`ImageEnhance.Sharpness`: blend with the smoothed image (0 = smooth,
    1 = original, 2 = sharpened twice as much); the one-pixel border keeps
    its values as PIL's filters do. The factors are multiplied by `scale`
    (Keras's layer uses 2) after they are broadcast, which keeps graph
    optimizers from refolding the multiplication into how they were drawn.

    Compiles its interior itself; call it as it is, not inside `compiled`.
    """
    if _smaller_than_kernel(images):
        return images
    interior = compiled(sharpness_interior)(images, factors, value_range, scale)
    return with_border(frame(images), interior, value_range)


def _sharpness_eight_bit_interior(images, factors, rows=None):
    images = rows_of(images, rows)
    interior = sharpness_interior(tf.cast(images, tf.float32), factors, (0.0, 255.0))
    return tf.cast(tf.round(interior), tf.uint8)


def sharpness_eight_bit(images, factors, rows=None):
    """`sharpness` of uint8 images (or of `images[rows]`, read in place) on
    the 0..255 range, rounded to uint8."""
    if _smaller_than_kernel(images):
        return rows_of(images, rows)
    interior = compiled(_sharpness_eight_bit_interior)(images, factors, rows)
    return with_border(frame(images, rows), interior)


def jpeg_quality(images, qualities, value_range):
    """Encode and decode each image as JPEG at its own quality in [0, 100].

    `tf.image.adjust_jpeg_quality` works on one image at a time, so this op
    loops over the batch with `tf.map_fn` (not XLA-compilable). Images need 1
    or 3 channels.
    """
    pixels = tf.cast(
        tf.round(tf.clip_by_value(to_unit_scale(images, value_range), 0.0, 255.0)), tf.uint8
    )

    def encode_decode(args):
        image, quality = args
        return tf.image.adjust_jpeg_quality(image, quality)

    decoded = tf.map_fn(
        encode_decode,
        (pixels, tf.cast(qualities, tf.int32)),
        fn_output_signature=tf.TensorSpec(pixels.shape[1:], tf.uint8),
    )
    return from_unit_scale(tf.cast(decoded, images.dtype), value_range)
