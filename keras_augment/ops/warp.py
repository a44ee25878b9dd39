"""Displacement fields for non-rigid warps, and their numerical inverse.

A warp maps each output pixel centre `p` to the input point `p + d(p)`,
with `d` a float `[B, H, W, 2]` field of `(dx, dy)` in pixels (the plane of
`keras_augment.ops.geometry`). `keras_augment.ops.resample.resample` samples
the input once through a field and, optionally, a matrix applied after it.
Fields here are built from given noise or parameters: nothing is random.
"""

import functools

import tensorflow as tf

from keras_augment.ops.resample import resample, xla_available

THIN_PLATE_STRIDE = 2
# Fixed-point steps when inverting a warp; each gains about a digit on smooth fields.
FIXED_POINT_ITERATIONS = 10


def _xla_kernel(with_size):
    """Run the decorated function as one XLA kernel (plain TF where XLA is missing).

    Compiled, it gives the same bits in eager mode, in a `tf.function`, in
    `tf.data` and in a SavedModel, which op-by-op float maths does not. With
    `with_size`, its last two arguments are the image height and width: they
    reach the kernel as the lengths of two vectors, so XLA sees them as
    compile-time constants.
    """

    def decorate(function):
        compiled = {}

        def body(tensors, rows, cols):
            if with_size:
                return function(*tensors, tf.shape(rows)[0], tf.shape(cols)[0])
            return function(*tensors)

        @functools.wraps(function)
        def wrapper(*args):
            jit = xla_available()
            if jit not in compiled:
                compiled[jit] = tf.function(body, jit_compile=jit)
            if with_size:
                *tensors, height, width = args
                rows, cols = tf.zeros(tf.reshape(height, [1])), tf.zeros(tf.reshape(width, [1]))
            else:
                tensors, rows, cols = args, tf.zeros([0]), tf.zeros([0])
            return compiled[jit](tuple(tf.convert_to_tensor(t) for t in tensors), rows, cols)

        return wrapper

    return decorate


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


@_xla_kernel(with_size=True)
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
    return tf.image.resize(coarse, tf.stack([height, width]), "bilinear")


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


@_xla_kernel(with_size=True)
def grid_field(units_x, units_y, limits, height, width):
    """Separable grid-distortion field `[B, H, W, 2]` (see `piecewise_linear_axis`).

    Cell lengths are `1 + u` with `u` in `limits`, from unit draws
    `units_x`, `units_y` of shape `[B, cells]`.
    """
    steps_x = 1.0 + in_range(units_x, limits)
    steps_y = 1.0 + in_range(units_y, limits)
    x_shift = piecewise_linear_axis(steps_x, width)
    y_shift = piecewise_linear_axis(steps_y, height)
    dx = tf.broadcast_to(x_shift[:, None, :], tf.stack([tf.shape(x_shift)[0], height, width]))
    dy = tf.broadcast_to(y_shift[:, :, None], tf.stack([tf.shape(y_shift)[0], height, width]))
    return tf.stack([dx, dy], -1)


@_xla_kernel(with_size=True)
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


def _corner_aligned_samples(size, stride):
    """About `size / stride + 1` pixel centres from the first to the last pixel,
    where corner-aligned bilinear resizing expects its samples."""
    count = tf.maximum((size - 1) // stride + 1, 2)
    step = tf.cast(size - 1, tf.float32) / tf.cast(count - 1, tf.float32)
    return tf.range(count, dtype=tf.float32) * step + 0.5


@_xla_kernel(with_size=False)
def jitter_points(points, normals, strength_units, scale_range):
    """`points + normals * s / 10` with `s` per sample in `scale_range`.

    Args:
        points: float `[B, P, 2]` normalised control points.
        normals: float `[B, P, 2]` unit normal draws.
        strength_units: float `[B]` unit draws of `s`.
        scale_range: `(low, high)` of `s`.
    """
    strength = in_range(strength_units, scale_range) / 10.0
    return tf.cast(points, tf.float32) + tf.cast(normals, tf.float32) * strength[:, None, None]


@_xla_kernel(with_size=True)
def thin_plate_field(source_points, target_points, height, width):
    """Thin-plate spline field `[B, H, W, 2]` taking each source to its target.

    Points are normalised `[0, 1]` coordinates `[B, P, 2]` on the output; the
    spline maps output point `source` to input point `target` and is smooth
    in between. It is evaluated every `THIN_PLATE_STRIDE` pixels and resized
    bilinearly.
    """
    stride = THIN_PLATE_STRIDE
    source = tf.cast(source_points, tf.float32)
    target = tf.cast(target_points, tf.float32)
    count = tf.shape(source)[1]
    batch = tf.shape(source)[0]
    differences = source[:, :, None, :] - source[:, None, :, :]
    kernel = _thin_plate_kernel(tf.reduce_sum(tf.square(differences), -1))
    affine = tf.concat([tf.ones([batch, count, 1]), source], -1)  # [B, P, 3]
    top = tf.concat([kernel, affine], 2)
    bottom = tf.concat([tf.transpose(affine, [0, 2, 1]), tf.zeros([batch, 3, 3])], 2)
    system = tf.concat([top, bottom], 1)
    rhs = tf.concat([target - source, tf.zeros([batch, 3, 2])], 1)
    coefficients = tf.linalg.solve(system, rhs)  # [B, P + 3, 2]
    ys = _corner_aligned_samples(height, stride)
    xs = _corner_aligned_samples(width, stride)
    coarse_h, coarse_w = tf.shape(ys)[0], tf.shape(xs)[0]
    ys = ys / tf.cast(height, tf.float32)
    xs = xs / tf.cast(width, tf.float32)
    grid = tf.reshape(tf.stack(tf.meshgrid(xs, ys), -1), [1, -1, 2])  # [1, hw, 2]
    to_control = grid[:, :, None, :] - source[:, None, :, :]
    basis = tf.concat(
        [
            _thin_plate_kernel(tf.reduce_sum(tf.square(to_control), -1)),
            tf.ones([batch, tf.shape(grid)[1], 1]),
            tf.broadcast_to(grid, [batch, tf.shape(grid)[1], 2]),
        ],
        -1,
    )
    offsets = tf.matmul(basis, coefficients)  # normalised displacement
    size = tf.cast(tf.stack([width, height]), tf.float32)
    coarse = tf.reshape(offsets * size, tf.stack([batch, coarse_h, coarse_w, 2]))
    return tf.raw_ops.ResizeBilinear(
        images=coarse, size=tf.stack([height, width]), align_corners=True, half_pixel_centers=False
    )


def warp_fields(fields, displacements):
    """Sample `[B, H, W, C]` fields at each pixel centre plus `displacements`."""
    batch = tf.shape(fields)[0]
    identity = tf.eye(3, batch_shape=[batch])
    return resample(fields, identity, None, "bilinear", "nearest", 0.0, displacements)


@_xla_kernel(with_size=False)
def invert_field(displacements):
    """The field `e` that undoes a warp by `d`: `e(p) = -d(p + e(p))`.

    Solved by fixed-point iteration, which converges where the warp folds
    nothing (`|grad d| < 1`), as the smooth fields of these layers do.
    """
    inverse = -displacements
    for _ in range(FIXED_POINT_ITERATIONS):
        inverse = -warp_fields(displacements, inverse)
    return inverse


def sample_field_at_points(displacements, points):
    """Bilinear `[B, K, 2]` field values at `[B, K, 2]` points (edges repeated)."""
    shape = tf.shape(displacements)
    height, width = shape[1], shape[2]
    position = tf.cast(points, tf.float32) - 0.5
    low = tf.floor(position)
    fraction = position - low
    low = tf.cast(low, tf.int32)
    result = 0.0
    for dy in (0, 1):
        for dx in (0, 1):
            x = tf.clip_by_value(low[..., 0] + dx, 0, width - 1)
            y = tf.clip_by_value(low[..., 1] + dy, 0, height - 1)
            weight_x = fraction[..., 0] if dx else 1.0 - fraction[..., 0]
            weight_y = fraction[..., 1] if dy else 1.0 - fraction[..., 1]
            values = tf.gather_nd(displacements, tf.stack([y, x], -1), batch_dims=1)
            result += values * (weight_x * weight_y)[..., None]
    return result


@_xla_kernel(with_size=False)
def forward_points(points, displacements):
    """Output positions `p` of input points `q`: solves `p + d(p) = q`.

    Args:
        points: float `[B, K, 2]` input x, y.
        displacements: float `[B, H, W, 2]`.
    """
    points = tf.cast(points, tf.float32)
    output = points - sample_field_at_points(displacements, points)
    for _ in range(FIXED_POINT_ITERATIONS):
        output = points - sample_field_at_points(displacements, output)
    return output
