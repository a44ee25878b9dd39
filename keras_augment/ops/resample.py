"""One batched resampler for every geometric transform, written as gathers.

`resample(images, matrices, output_size)` computes, for every output pixel
centre, the input point given by its `[3, 3]` matrix (see
`keras_augment.ops.geometry` for the plane) and reads the input there with
bilinear or nearest interpolation. Points outside the input follow Keras's
fill modes:

- `reflect`: `d c b a | a b c d | d c b a` (mirror about the edge),
- `wrap`: `a b c d | a b c d | a b c d`,
- `nearest`: `a a a a | a b c d | d d d d`,
- `constant`: `k k k k | a b c d | k k k k` with `k = fill_value`.

The kernel runs under `tf.function(jit_compile=True)`, so XLA fuses the
coordinate maths, the four gathers and the blend into one pass; where XLA
cannot compile on this machine it runs the same ops without XLA.
"""

import functools

import tensorflow as tf

from keras_augment.ops.compiled import cached_function, xla_available

INTERPOLATIONS = ("bilinear", "nearest")
FILL_MODES = ("reflect", "wrap", "constant", "nearest")


def _fold(coordinate, size, fill_mode):
    """Fold a continuous coordinate of a reflect/wrap extension into the image.

    Bilinear interpolation of a mirrored (periodic) signal is itself mirrored
    (periodic), so folding first and clamping (wrapping) the two taps later
    gives the same value with one modulo per axis instead of one per tap.
    """
    size = tf.cast(size, tf.float32)
    if fill_mode == "reflect":
        coordinate = _floormod(coordinate, 2.0 * size)
        return tf.where(coordinate > size, 2.0 * size - coordinate, coordinate)
    if fill_mode == "wrap":
        return _floormod(coordinate, size)
    return coordinate


def _floormod(value, period):
    # floor-based: XLA vectorizes it, where a float floormod calls fmod.
    return value - period * tf.floor(value / period)


def _inside(index, size):
    return tf.cast((index >= 0) & (index < size), tf.float32)


def _wrap_or_clip(index, size, fill_mode):
    if fill_mode == "wrap":
        # After folding, indices are at most one pixel outside.
        return tf.where(index < 0, index + size, tf.where(index >= size, index - size, index))
    return tf.clip_by_value(index, 0, size - 1)


def _output_coordinates(matrices, output_height, output_width, height, width, displacements=None):
    """Input x, y (continuous plane) of every output pixel centre, `[B, h, w]`."""
    ys = tf.range(output_height, dtype=tf.float32) + 0.5
    xs = tf.range(output_width, dtype=tf.float32) + 0.5
    m = [[matrices[:, i, j][:, None, None] for j in range(3)] for i in range(3)]
    x_out, y_out = xs[None, None, :], ys[None, :, None]
    if displacements is not None:
        # A warp's per-pixel field moves the output point before the matrix;
        # parts broadcast, so separable fields never materialise [B, H, W, 2].
        for part in displacements:
            x_out = x_out + part[..., 0]
            y_out = y_out + part[..., 1]
    denominator = m[2][0] * x_out + m[2][1] * y_out + m[2][2]
    x_in = (m[0][0] * x_out + m[0][1] * y_out + m[0][2]) / denominator
    y_in = (m[1][0] * x_out + m[1][1] * y_out + m[1][2]) / denominator
    # Far-away points (perspective horizon) must not overflow the int cast.
    limit = 4.0 * tf.cast(tf.maximum(height, width), tf.float32) + 8.0
    return tf.clip_by_value(x_in, -limit, limit), tf.clip_by_value(y_in, -limit, limit)


def _first_rows(image_rows, images, height):
    """Flat row index of each output image's first row: `image_rows[n] *
    height`, with `image_rows` the input image of each output (default: the
    n-th)."""
    if image_rows is None:
        image_rows = tf.range(tf.shape(images)[0])
    return image_rows[:, None, None] * height


def _nearest(images, x_in, y_in, fill_mode, fill_value, image_rows=None):
    shape = tf.shape(images)
    height, width, channels = shape[1], shape[2], shape[3]
    x = tf.cast(tf.floor(_fold(x_in, width, fill_mode)), tf.int32)
    y = tf.cast(tf.floor(_fold(y_in, height, fill_mode)), tf.int32)
    flat = tf.reshape(images, [-1, channels])
    rows = (_first_rows(image_rows, images, height) + _wrap_or_clip(y, height, fill_mode)) * width
    output = tf.cast(tf.gather(flat, rows + _wrap_or_clip(x, width, fill_mode)), tf.float32)
    if fill_mode == "constant":
        inside = (_inside(x, width) * _inside(y, height))[..., None]
        output = output * inside + (1.0 - inside) * fill_value
    return output


def _bilinear(images, x_in, y_in, fill_mode, fill_value, image_rows=None):
    shape = tf.shape(images)
    height, width, channels = shape[1], shape[2], shape[3]
    x = _fold(x_in, width, fill_mode) - 0.5
    y = _fold(y_in, height, fill_mode) - 0.5
    x_low, y_low = tf.floor(x), tf.floor(y)
    x_fraction, y_fraction = (x - x_low)[..., None], (y - y_low)[..., None]
    x_low, y_low = tf.cast(x_low, tf.int32), tf.cast(y_low, tf.int32)

    # Four row gathers of C values each (uint8 stays uint8 until after the
    # gather); XLA fuses the index maths and the blend around them.
    flat = tf.reshape(images, [-1, channels])
    columns = [_wrap_or_clip(x_low + i, width, fill_mode) for i in (0, 1)]
    first_rows = _first_rows(image_rows, images, height)
    rows = []
    for y_index in (y_low, y_low + 1):
        start = (first_rows + _wrap_or_clip(y_index, height, fill_mode)) * width
        rows.append([tf.cast(tf.gather(flat, start + c), tf.float32) for c in columns])
    (top_left, top_right), (bottom_left, bottom_right) = rows
    if fill_mode != "constant":
        top = top_left + (top_right - top_left) * x_fraction
        bottom = bottom_left + (bottom_right - bottom_left) * x_fraction
        return top + (bottom - top) * y_fraction
    # Constant fill: taps outside the image weigh nothing; fill_value takes
    # the weight they leave.
    left = (1.0 - x_fraction) * _inside(x_low, width)[..., None]
    right = x_fraction * _inside(x_low + 1, width)[..., None]
    upper = (1.0 - y_fraction) * _inside(y_low, height)[..., None]
    lower = y_fraction * _inside(y_low + 1, height)[..., None]
    top = top_left * left + top_right * right
    bottom = bottom_left * left + bottom_right * right
    inside = (left + right) * (upper + lower)
    return top * upper + bottom * lower + (1.0 - inside) * fill_value


def _resample(
    images,
    matrices,
    fill_value,
    output_size,
    output_dtype,
    displacements=None,
    image_rows=None,
    *,
    interpolation,
    fill_mode,
):
    shape = tf.shape(images)
    height, width = shape[1], shape[2]
    output_height, output_width = (height, width) if output_size is None else output_size
    x_in, y_in = _output_coordinates(
        tf.cast(matrices, tf.float32), output_height, output_width, height, width, displacements
    )
    fill_value = tf.cast(fill_value, tf.float32)
    if not (images.dtype == tf.uint8 or images.dtype == tf.float32):
        images = tf.cast(images, tf.float32)
    if interpolation == "nearest":
        output = _nearest(images, x_in, y_in, fill_mode, fill_value, image_rows)
    else:
        output = _bilinear(images, x_in, y_in, fill_mode, fill_value, image_rows)
    if tf.as_dtype(output_dtype).is_integer:
        output = tf.round(output)
    return tf.cast(output, output_dtype)


def _compiled(interpolation, fill_mode, jit_compile):
    # output_size is a Python value: XLA needs static output shapes.
    kernel = functools.partial(_resample, interpolation=interpolation, fill_mode=fill_mode)
    key = ("resample", interpolation, fill_mode, jit_compile)
    return cached_function(key, kernel, jit_compile=jit_compile, reduce_retracing=False)


def resample(
    images,
    matrices,
    output_size=None,
    interpolation="bilinear",
    fill_mode="constant",
    fill_value=0.0,
    output_dtype=None,
    displacements=None,
    image_rows=None,
):
    """Warp a batch of images, each with its own output-to-input matrix.

    Args:
        images: `[B, H, W, C]` tensor of any real dtype.
        matrices: `[B, 3, 3]` float matrices from output to input points.
        output_size: `(height, width)` of the output as Python ints; defaults
            to the input size.
        interpolation: `"bilinear"` or `"nearest"`.
        fill_mode: `"reflect"`, `"wrap"`, `"constant"` or `"nearest"`.
        fill_value: value of points outside the input when
            `fill_mode="constant"`.
        output_dtype: dtype of the result; defaults to the dtype of `images`
            (integer results are rounded).
        displacements: optional float `[B, output_height, output_width, 2]`
            per-pixel `(dx, dy)` added to each output pixel centre before the
            matrix, so a warp field and a matrix resample in one pass; or a
            tuple of parts that broadcast to that shape and are summed (e.g.
            `[B, 1, W, 2]` and `[B, H, 1, 2]` for a separable field).
        image_rows: optional int `[N]`: output `n` warps `images[image_rows[n]]`
            with `matrices[n]`, read in place (no gathered copy of the
            inputs); `matrices` is then `[N, 3, 3]`.

    Returns:
        `[B, output_height, output_width, C]` (`[N, ...]` with `image_rows`) in
        `output_dtype`.
    """
    if interpolation not in INTERPOLATIONS:
        raise ValueError(
            f"resample: `interpolation` must be one of {INTERPOLATIONS}; "
            f"received {interpolation!r}."
        )
    if fill_mode not in FILL_MODES:
        raise ValueError(
            f"resample: `fill_mode` must be one of {FILL_MODES}; received {fill_mode!r}."
        )
    images = tf.convert_to_tensor(images)
    if output_size is not None:
        output_size = (int(output_size[0]), int(output_size[1]))
    kernel = _compiled(interpolation, fill_mode, xla_available())
    arguments = [
        images,
        tf.convert_to_tensor(matrices, tf.float32),
        tf.convert_to_tensor(fill_value, tf.float32),
        output_size,
        tf.as_dtype(output_dtype or images.dtype),
    ]
    if displacements is not None:
        parts = displacements if isinstance(displacements, (tuple, list)) else (displacements,)
        displacements = tuple(tf.convert_to_tensor(part, tf.float32) for part in parts)
    if image_rows is not None:
        image_rows = tf.convert_to_tensor(image_rows, tf.int32)
    return kernel(*arguments, displacements, image_rows)
