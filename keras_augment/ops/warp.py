"""Displacement fields for non-rigid warps (how points move through them:
`ops.warp_points`, re-exported here).

A warp maps each output pixel centre `p` to the input point `p + d(p)`,
with `d` a float `[B, H, W, 2]` field of `(dx, dy)` in pixels (the plane of
`keras_augment.ops.geometry`). `keras_augment.ops.resample.resample` samples
the input once through a field and, optionally, a matrix applied after it.
Fields here are built from given noise or parameters: nothing is random.
"""

import tensorflow as tf

from keras_augment.ops.compiled import compiled_on_tensors, compiled_with_size
from keras_augment.ops.warp_points import (
    FIXED_POINT_ITERATIONS,
    dense_field,
    forward_map,
    forward_points,
    invert_field,
    sample_field_at_points,
    warp_fields,
)

__all__ = [
    "FIXED_POINT_ITERATIONS",
    "dense_field",
    "elastic_field",
    "field_stride",
    "forward_map",
    "forward_points",
    "gaussian_matrices",
    "gaussian_smooth",
    "grid_field",
    "in_range",
    "invert_field",
    "jitter_points",
    "optical_field",
    "piecewise_linear_axis",
    "sample_field_at_points",
    "thin_plate_field",
    "upsample_linear",
    "warp_fields",
]


def _pixel_centres(size):
    return tf.range(size, dtype=tf.float32) + 0.5


def gaussian_matrices(sigma, size):
    """Row-normalised Gaussian blur matrices `[B, size, size]`, one per sigma."""
    index = tf.range(size, dtype=tf.float32)
    distance2 = tf.square(index[:, None] - index[None, :])[None]
    sigma = tf.maximum(tf.cast(sigma, tf.float32), 1e-3)[:, None, None]
    weights = tf.exp(-distance2 / (2.0 * tf.square(sigma)))
    return weights / tf.reduce_sum(weights, -1, keepdims=True)


def gaussian_smooth(noise, sigma):
    """Blur `[B, h, w, C]` fields with a per-sample Gaussian of width `sigma`.

    The blur is two batched matrix products (rows, then columns), so a whole
    batch with different `sigma` runs as one op; edges use the truncated,
    renormalised kernel. Meant for the small grids of `elastic_field`.

    Args:
        noise: float `[B, h, w, C]`.
        sigma: float `[B]` standard deviation in samples of `noise`.
    """
    shape = tf.shape(noise)
    rows = gaussian_matrices(sigma, shape[1])
    cols = gaussian_matrices(sigma, shape[2])
    noise = tf.cast(noise, tf.float32)
    blurred = tf.einsum("bij,bjwc->biwc", rows, noise)
    return tf.einsum("bkw,biwc->bikc", cols, blurred)


def _linear_taps(output_size, input_size):
    """Indices and weights of half-pixel linear interpolation along one axis."""
    out_f = tf.cast(output_size, tf.float32)
    in_f = tf.cast(input_size, tf.float32)
    position = (tf.range(output_size, dtype=tf.float32) + 0.5) * in_f / out_f - 0.5
    position = tf.clip_by_value(position, 0.0, in_f - 1.0)
    low = tf.floor(position)
    high = tf.minimum(low + 1.0, in_f - 1.0)
    return tf.cast(low, tf.int32), tf.cast(high, tf.int32), position - low


def upsample_linear(coarse, height, width):
    """Separable linear resize of `[B, h, w, C]` to `[B, height, width, C]`.

    Two gathers per axis, much cheaper on CPU than XLA's generic resize;
    the same values as `tf.image.resize(..., "bilinear")`.
    """
    shape = tf.shape(coarse)
    low, high, weight = _linear_taps(height, shape[1])
    weight = weight[None, :, None, None]
    rows = tf.gather(coarse, low, axis=1) * (1.0 - weight) + tf.gather(coarse, high, axis=1) * weight
    low, high, weight = _linear_taps(width, shape[2])
    weight = weight[None, None, :, None]
    return tf.gather(rows, low, axis=2) * (1.0 - weight) + tf.gather(rows, high, axis=2) * weight


def field_stride(height, width):
    """Grid step of elastic noise: about 48 noise samples across the short side."""
    return tf.maximum(tf.minimum(height, width) // 48, 1)


def in_range(units, bounds):
    """Map unit draws in `[0, 1)` to `[low, high)` with `bounds = (low, high)`.

    Done inside the kernels: outside XLA, graph rewrites may fold this
    arithmetic with later constants and change the last bit.
    """
    bounds = tf.cast(bounds, tf.float32)
    return bounds[0] + tf.cast(units, tf.float32) * (bounds[1] - bounds[0])


@compiled_with_size
def elastic_field(noise, strength_units, scale_bounds, applied, stride, height, width):
    """Keras's elastic field on a coarse grid, per-sample strength `s`.

    As Keras: `alpha = 0.1 * s * max(H, W)`, `sigma = 0.05 * s * min(H, W)`,
    field `alpha * blur_sigma(sigma * noise)`. Keras blurs unit noise drawn
    at every pixel; here the noise lives on a grid `stride` pixels apart, is
    scaled by `1 / stride` so the blurred field has the variance of a
    per-pixel draw, blurred by `sigma / stride` grid steps, and resized
    bilinearly. For `sigma` under about `stride` pixels the field is smoother
    than Keras's.

    Args:
        noise: float `[B, ceil(H / stride), ceil(W / stride), 2]` unit normal.
        strength_units: float `[B]` unit draws of the strength `s`.
        scale_bounds: `(low, high)` range of `s`.
        applied: bool `[B]`; samples with False get a zero field.
        stride: int scalar grid step in pixels.
        height, width: image size.

    Returns:
        float `[B, H, W, 2]` displacements.
    """
    strength = in_range(strength_units, scale_bounds) * tf.cast(applied, tf.float32)
    height_f, width_f = tf.cast(height, tf.float32), tf.cast(width, tf.float32)
    alpha = 0.1 * strength * tf.maximum(height_f, width_f)
    sigma = 0.05 * strength * tf.minimum(height_f, width_f)
    stride_f = tf.cast(stride, tf.float32)
    scale = (alpha * sigma / stride_f)[:, None, None, None]
    coarse = gaussian_smooth(noise, sigma / stride_f) * scale
    return upsample_linear(coarse, height, width)


def piecewise_linear_axis(steps, size):
    """Grid distortion along one axis: `[B, size]` displacements of pixel centres.

    The axis is cut into `n` equal cells; cell `i` of the output shows a
    stretch of the input `steps[:, i]` times as long, rescaled so the cells
    still cover the axis exactly (edges stay at the edges).

    Args:
        steps: float `[B, n]` positive relative cell lengths.
        size: axis length in pixels.
    """
    steps = tf.cast(steps, tf.float32)
    cells = tf.shape(steps)[1]
    cells_f = tf.cast(cells, tf.float32)
    # Work in cell units so equal steps give exactly zero displacement.
    knots = tf.cumsum(steps / tf.reduce_mean(steps, 1, keepdims=True), axis=1, exclusive=True)
    knots = tf.concat([knots, tf.fill(tf.stack([tf.shape(steps)[0], 1]), cells_f)], 1)
    shifts = knots - tf.range(cells + 1, dtype=tf.float32)[None, :]  # [B, n + 1]
    cell_size = tf.cast(size, tf.float32) / cells_f
    position = _pixel_centres(size) / cell_size
    index = tf.clip_by_value(tf.cast(tf.floor(position), tf.int32), 0, cells - 1)
    fraction = (position - tf.cast(index, tf.float32))[None, :]
    low = tf.gather(shifts, index, axis=1)
    high = tf.gather(shifts, index + 1, axis=1)
    return (low + fraction * (high - low)) * cell_size


@compiled_with_size
def grid_field(units_x, units_y, limits, height, width):
    """Separable grid-distortion field (see `piecewise_linear_axis`).

    Returned as two parts, `[B, 1, W, 2]` (x moves) and `[B, H, 1, 2]`
    (y moves), that sum by broadcasting to the `[B, H, W, 2]` field; the
    resampler takes them as they are and `dense_field` adds them up.

    Cell lengths are `1 + u` with `u` in `limits`, from unit draws
    `units_x`, `units_y` of shape `[B, cells]`.
    """
    steps_x = 1.0 + in_range(units_x, limits)
    steps_y = 1.0 + in_range(units_y, limits)
    x_shift = piecewise_linear_axis(steps_x, width)[:, None, :]
    y_shift = piecewise_linear_axis(steps_y, height)[:, :, None]
    return (
        tf.stack([x_shift, tf.zeros_like(x_shift)], -1),
        tf.stack([tf.zeros_like(y_shift), y_shift], -1),
    )


@compiled_with_size
def optical_field(units, limits, height, width):
    """Radial lens distortion `[B, H, W, 2]` with `k1 = k2 = k` per sample.

    `k` is `units` (`[B]` unit draws) mapped into `limits`.

    Output point `(x, y)`, normalised by the image size about its centre,
    samples the input at `(x, y) * (1 + k r^2 + k r^4)`: `k > 0` pulls the
    borders in (barrel), `k < 0` pushes them out (pincushion). This is
    OpenCV's camera model with focal lengths `(W, H)`, as albumentations uses.
    """
    height_f, width_f = tf.cast(height, tf.float32), tf.cast(width, tf.float32)
    x = (_pixel_centres(width) - width_f / 2)[None, None, :] / width_f
    y = (_pixel_centres(height) - height_f / 2)[None, :, None] / height_f
    radius2 = x * x + y * y
    k = in_range(units, limits)[:, None, None]
    gain = k * radius2 + k * radius2 * radius2  # displacement / position
    return tf.stack([x * gain * width_f, y * gain * height_f], -1)


def _thin_plate_kernel(squared_distance):
    # U(r) = r^2 log r^2, with U(0) = 0.
    safe = tf.where(squared_distance > 0, squared_distance, 1.0)
    return tf.where(squared_distance > 0, squared_distance * tf.math.log(safe), 0.0)


@compiled_on_tensors
def jitter_points(points, normals, strength_units, scale_range):
    """`points + normals * s / 10` with `s` per sample in `scale_range`.

    Args:
        points: float `[P, 2]` (or `[B, P, 2]`) normalised control points.
        normals: float `[B, P, 2]` unit normal draws.
        strength_units: float `[B]` unit draws of `s`.
        scale_range: `(low, high)` of `s`.
    """
    strength = in_range(strength_units, scale_range) / 10.0
    return tf.cast(points, tf.float32) + tf.cast(normals, tf.float32) * strength[:, None, None]


@compiled_with_size
def thin_plate_field(source_points, target_points, height, width):
    """Thin-plate spline field `[B, H, W, 2]` taking each source to its target.

    Points are normalised `[0, 1]` coordinates on the output; the spline
    maps output point `source` to input point `target` and is smooth in
    between. The control points are shared by the batch, so the spline
    system and its basis at every pixel are built once and each sample costs
    one small matrix product.

    Args:
        source_points: float `[P, 2]` control points (x, y).
        target_points: float `[B, P, 2]` where each sample sends them.
    """
    source = tf.cast(source_points, tf.float32)
    target = tf.cast(target_points, tf.float32)
    count = tf.shape(source)[0]
    squared = tf.reduce_sum(tf.square(source[:, None, :] - source[None, :, :]), -1)
    affine = tf.concat([tf.ones([count, 1]), source], -1)  # [P, 3]
    system = tf.concat(
        [
            tf.concat([_thin_plate_kernel(squared), affine], 1),
            tf.concat([tf.transpose(affine), tf.zeros([3, 3])], 1),
        ],
        0,
    )
    offsets = tf.transpose(target - source[None], [1, 0, 2])  # [P, B, 2]
    offsets = tf.reshape(offsets, tf.stack([count, -1]))
    rhs = tf.concat([offsets, tf.zeros(tf.stack([3, tf.shape(offsets)[1]]))], 0)
    coefficients = tf.linalg.solve(system, rhs)  # [P + 3, B * 2]
    ys = _pixel_centres(height) / tf.cast(height, tf.float32)
    xs = _pixel_centres(width) / tf.cast(width, tf.float32)
    grid = tf.reshape(tf.stack(tf.meshgrid(xs, ys), -1), [-1, 2])  # [HW, 2]
    to_control = tf.reduce_sum(tf.square(grid[:, None, :] - source[None]), -1)
    basis = tf.concat([_thin_plate_kernel(to_control), tf.ones_like(grid[:, :1]), grid], -1)
    field = tf.matmul(basis, coefficients)  # [HW, B * 2], normalised units
    field = tf.reshape(field, tf.stack([height, width, -1, 2]))
    size = tf.cast(tf.stack([width, height]), tf.float32)
    return tf.transpose(field, [2, 0, 1, 3]) * size
