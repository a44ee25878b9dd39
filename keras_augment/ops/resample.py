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

INTERPOLATIONS = ("bilinear", "nearest")
FILL_MODES = ("reflect", "wrap", "constant", "nearest")

_XLA_AVAILABLE = None


def xla_available():
    """True when XLA can compile on the default device (probed once)."""
    global _XLA_AVAILABLE
    if _XLA_AVAILABLE is None:
        try:
            with tf.init_scope():
                probe = tf.function(lambda x: x * 2.0 + 1.0, jit_compile=True)
                probe(tf.ones([2]))
            _XLA_AVAILABLE = True
        except Exception:  # noqa: BLE001 - any failure means "no XLA here".
            _XLA_AVAILABLE = False
    return _XLA_AVAILABLE


def compiled(function):
    """Decorator: `tf.function(jit_compile=True)` built at first call (XLA
    is probed then, not at import), or a plain `tf.function` without XLA."""
    holder = []

    @functools.wraps(function)
    def call(*args, **kwargs):
        if not holder:
            holder.append(tf.function(function, jit_compile=xla_available()))
        return holder[0](*args, **kwargs)

    return call


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


def _axis_taps(coordinate, size, interpolation, fill_mode):
    """Indices and weights of the (one or two) taps along one axis.

    Returns a list of `(index, weight)`; a weight of None means 1. Under
    constant fill, taps outside the image get weight zero.
    """
    coordinate = _fold(coordinate, size, fill_mode)
    if interpolation == "nearest":
        taps = [(tf.floor(coordinate), None)]
    else:
        position = coordinate - 0.5
        low = tf.floor(position)
        fraction = position - low
        taps = [(low, 1.0 - fraction), (low + 1.0, fraction)]
    result = []
    for index, weight in taps:
        index = tf.cast(index, tf.int32)
        if fill_mode == "constant":
            inside = tf.cast((index >= 0) & (index < size), tf.float32)
            weight = inside if weight is None else weight * inside
        if fill_mode == "wrap":
            # After folding, taps are at most one pixel outside.
            index = tf.where(index < 0, index + size, tf.where(index >= size, index - size, index))
        else:
            index = tf.clip_by_value(index, 0, size - 1)
        result.append((index, weight))
    return result


def _resample(images, matrices, output_size, interpolation, fill_mode, fill_value, displacements=None):
    shape = tf.shape(images)
    batch, height, width, channels = shape[0], shape[1], shape[2], shape[3]
    output_height, output_width = (height, width) if output_size is None else output_size
    dtype = images.dtype
    images = tf.cast(images, tf.float32)
    matrices = tf.cast(matrices, tf.float32)

    ys = tf.range(output_height, dtype=tf.float32) + 0.5
    xs = tf.range(output_width, dtype=tf.float32) + 0.5
    m = [[matrices[:, i, j][:, None, None] for j in range(3)] for i in range(3)]
    x_out, y_out = xs[None, None, :], ys[None, :, None]
    if displacements is not None:
        # A warp's per-pixel field moves the output point before the matrix.
        displacements = tf.cast(displacements, tf.float32)
        x_out = x_out + displacements[..., 0]
        y_out = y_out + displacements[..., 1]
    denominator = m[2][0] * x_out + m[2][1] * y_out + m[2][2]
    x_in = (m[0][0] * x_out + m[0][1] * y_out + m[0][2]) / denominator
    y_in = (m[1][0] * x_out + m[1][1] * y_out + m[1][2]) / denominator
    # Far-away points (perspective horizon) must not overflow the int cast.
    limit = 4.0 * tf.cast(tf.maximum(height, width), tf.float32) + 8.0
    x_in = tf.clip_by_value(x_in, -limit, limit)
    y_in = tf.clip_by_value(y_in, -limit, limit)

    x_taps = _axis_taps(x_in, width, interpolation, fill_mode)
    y_taps = _axis_taps(y_in, height, interpolation, fill_mode)
    flat = tf.reshape(images, [-1, channels])
    base = (tf.range(batch) * height * width)[:, None, None]
    output = None
    total_weight = None
    for y_index, y_weight in y_taps:
        row = base + y_index * width
        for x_index, x_weight in x_taps:
            if y_weight is None and x_weight is None:
                weight = None
            elif y_weight is None:
                weight = x_weight
            elif x_weight is None:
                weight = y_weight
            else:
                weight = y_weight * x_weight
            values = tf.gather(flat, row + x_index)
            term = values if weight is None else values * weight[..., None]
            output = term if output is None else output + term
            if fill_mode == "constant":
                total_weight = weight if total_weight is None else total_weight + weight
    if fill_mode == "constant":
        # The part of each pixel that fell outside reads fill_value.
        output = output + (1.0 - total_weight[..., None]) * tf.cast(fill_value, tf.float32)
    output = tf.reshape(output, [batch, output_height, output_width, channels])
    if dtype.is_integer:
        output = tf.cast(tf.round(output), dtype)
    return tf.cast(output, dtype)


@functools.lru_cache(maxsize=None)
def _compiled(interpolation, fill_mode, jit_compile):
    # output_size is a Python value: XLA needs static output shapes.
    def kernel(images, matrices, fill_value, output_size, displacements=None):
        return _resample(
            images, matrices, output_size, interpolation, fill_mode, fill_value, displacements
        )

    return tf.function(kernel, jit_compile=jit_compile, reduce_retracing=False)


def resample(
    images,
    matrices,
    output_size=None,
    interpolation="bilinear",
    fill_mode="constant",
    fill_value=0.0,
    displacements=None,
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
        displacements: optional float `[B, output_height, output_width, 2]`
            per-pixel `(dx, dy)` added to each output pixel centre before the
            matrix, so a warp field and a matrix resample in one pass.

    Returns:
        `[B, output_height, output_width, C]` in the dtype of `images`.
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
    ]
    if displacements is not None:
        arguments.append(tf.convert_to_tensor(displacements, tf.float32))
    return kernel(*arguments)
