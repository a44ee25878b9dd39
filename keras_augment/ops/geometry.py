"""Batched 3x3 matrices for geometric transforms, and their composition.

Every matrix maps an OUTPUT point to the INPUT point it samples from, in the
continuous pixel plane: `(0, 0)` is the top-left corner of the top-left pixel
and `(width, height)` the bottom-right corner of the image, so pixel `(i, j)`
(column, row) has its centre at `(i + 0.5, j + 0.5)`. Points are column
vectors `(x, y, 1)`. Chaining "apply A, then B" samples the input through
`A @ B` (B's output point goes to A's output plane, then to the input).

All builders take per-sample tensors of shape `[B]` and return `[B, 3, 3]`
float32 tensors. Nothing here draws random numbers.
"""

import math

import tensorflow as tf


def _float(value):
    return tf.cast(tf.convert_to_tensor(value), tf.float32)


def _stack(rows):
    """Build `[B, 3, 3]` from nine `[B]` (or broadcastable) entries, row-major."""
    reference = None
    for entry in rows:
        if isinstance(entry, tf.Tensor) and entry.shape.rank == 1:
            reference = entry
            break
    entries = [tf.broadcast_to(_float(e), tf.shape(reference)) for e in rows]
    return tf.reshape(tf.stack(entries, axis=-1), [-1, 3, 3])


def identity(batch_size):
    """`[B, 3, 3]` identity matrices."""
    return tf.eye(3, batch_shape=[batch_size], dtype=tf.float32)


def translation(dx, dy):
    """Moves the content by `(dx, dy)` pixels (positive: right and down)."""
    dx, dy = _float(dx), _float(dy)
    zero, one = tf.zeros_like(dx), tf.ones_like(dx)
    return _stack([one, zero, -dx, zero, one, -dy, zero, zero, one])


def scaling(scale_x, scale_y, center_x, center_y):
    """Samples the input at `center + scale * (output - center)`.

    A scale above 1 shows more of the input (zoom out).
    """
    scale_x, scale_y = _float(scale_x), _float(scale_y)
    center_x, center_y = _float(center_x), _float(center_y)
    zero, one = tf.zeros_like(scale_x), tf.ones_like(scale_x)
    return _stack(
        [
            scale_x, zero, center_x * (1 - scale_x),
            zero, scale_y, center_y * (1 - scale_y),
            zero, zero, one,
        ]
    )


def rotation(angle, center_x, center_y):
    """Rotation by `angle` radians about a centre; positive turns the content
    counter-clockwise on screen (y points down), as Keras's RandomRotation."""
    angle = _float(angle)
    center_x, center_y = _float(center_x), _float(center_y)
    cos, sin = tf.cos(angle), tf.sin(angle)
    zero, one = tf.zeros_like(angle), tf.ones_like(angle)
    return _stack(
        [
            cos, -sin, center_x - center_x * cos + center_y * sin,
            sin, cos, center_y - center_x * sin - center_y * cos,
            zero, zero, one,
        ]
    )


def shear(shear_x, shear_y, center_x=0.0, center_y=0.0):
    """Samples `x + shear_x * (y - cy)`, `y + shear_y * (x - cx)`."""
    shear_x, shear_y = _float(shear_x), _float(shear_y)
    center_x, center_y = _float(center_x), _float(center_y)
    zero, one = tf.zeros_like(shear_x), tf.ones_like(shear_x)
    return _stack(
        [
            one, shear_x, -shear_x * center_y,
            shear_y, one, -shear_y * center_x,
            zero, zero, one,
        ]
    )


def flip(horizontal, vertical, height, width):
    """Left-right and/or top-bottom flips from boolean flags `[B]`."""
    horizontal = tf.cast(horizontal, tf.float32)
    vertical = tf.cast(vertical, tf.float32)
    width, height = _float(width), _float(height)
    zero, one = tf.zeros_like(horizontal), tf.ones_like(horizontal)
    return _stack(
        [
            1 - 2 * horizontal, zero, horizontal * width,
            zero, 1 - 2 * vertical, vertical * height,
            zero, zero, one,
        ]
    )


def quarter_turns(turns, height, width):
    """Rotation by `turns` `[B]` quarter turns about the image centre,
    counter-clockwise on screen as `np.rot90`. The entries are exact, so
    pixel centres land on pixel centres; odd turns keep the image inside
    its frame only when it is square."""
    turns = tf.math.floormod(tf.cast(turns, tf.int32), 4)
    cos = tf.gather(tf.constant([1.0, 0.0, -1.0, 0.0]), turns)
    sin = tf.gather(tf.constant([0.0, 1.0, 0.0, -1.0]), turns)
    center_x, center_y = _float(width) / 2, _float(height) / 2
    zero, one = tf.zeros_like(cos), tf.ones_like(cos)
    return _stack(
        [
            cos, -sin, center_x - center_x * cos + center_y * sin,
            sin, cos, center_y - center_x * sin - center_y * cos,
            zero, zero, one,
        ]
    )


def crop_and_resize(top, left, crop_height, crop_width, output_height, output_width):
    """Samples the window `[left, left + crop_width) x [top, top + crop_height)`
    of the input into an `output_height x output_width` image."""
    top, left = _float(top), _float(left)
    scale_x = _float(crop_width) / _float(output_width)
    scale_y = _float(crop_height) / _float(output_height)
    scale_x = tf.broadcast_to(scale_x, tf.shape(left))
    scale_y = tf.broadcast_to(scale_y, tf.shape(top))
    zero, one = tf.zeros_like(left), tf.ones_like(left)
    return _stack([scale_x, zero, left, zero, scale_y, top, zero, zero, one])


def from_pixel_index_plane(matrices):
    """Convert matrices written for pixel-index coordinates (pixel centres at
    integers, as Keras and TF's ImageProjectiveTransform use) to this module's
    continuous plane: `T(0.5) @ M @ T(-0.5)`."""
    matrices = _float(matrices)
    batch_size = tf.shape(matrices)[0]
    half = tf.fill([batch_size], 0.5)
    # translation(d) samples at p - d, so translation(-half) is "+0.5".
    return translation(-half, -half) @ matrices @ translation(half, half)


def from_projective_vector(transforms):
    """`[B, 8]` TF/Keras projective transform vectors to `[B, 3, 3]`."""
    transforms = _float(transforms)
    ones = tf.ones_like(transforms[:, :1])
    return tf.reshape(tf.concat([transforms, ones], axis=-1), [-1, 3, 3])


def homography(source_points, target_points):
    """The matrix mapping each `target_points[b, i]` to `source_points[b, i]`.

    Args:
        source_points: `[B, 4, 2]` x, y points in the input.
        target_points: `[B, 4, 2]` where those points land in the output.

    Returns:
        `[B, 3, 3]` output-to-input matrices (the last entry is 1).
    """
    source_points = _float(source_points)
    target_points = _float(target_points)
    tx, ty = target_points[..., 0], target_points[..., 1]
    sx, sy = source_points[..., 0], source_points[..., 1]
    zero, one = tf.zeros_like(tx), tf.ones_like(tx)
    rows_x = tf.stack([tx, ty, one, zero, zero, zero, -sx * tx, -sx * ty], -1)
    rows_y = tf.stack([zero, zero, zero, tx, ty, one, -sy * tx, -sy * ty], -1)
    system = tf.reshape(tf.stack([rows_x, rows_y], axis=2), [-1, 8, 8])
    values = tf.reshape(tf.stack([sx, sy], axis=2), [-1, 8, 1])
    solution = tf.linalg.solve(system, values)[..., 0]
    return from_projective_vector(solution)


def compose(*matrices):
    """Chain transforms applied in the given order (first one first)."""
    result = matrices[0]
    for matrix in matrices[1:]:
        result = result @ matrix
    return result


def degrees_to_radians(degrees):
    return _float(degrees) * (math.pi / 180.0)


def transform_points(points, matrices):
    """Apply `[B, 3, 3]` matrices to `[B, N, 2]` points (with perspective divide)."""
    points = _float(points)
    ones = tf.ones_like(points[..., :1])
    homogeneous = tf.concat([points, ones], axis=-1)
    mapped = tf.einsum("bij,bnj->bni", matrices, homogeneous)
    denominator = mapped[..., 2:3]
    # Points on the horizon of a perspective transform go far away, not to NaN.
    denominator = tf.where(tf.abs(denominator) < 1e-8, 1e-8, denominator)
    return mapped[..., :2] / denominator


def invert(matrices):
    """Input-to-output matrices for points (boxes, keypoints)."""
    return tf.linalg.inv(_float(matrices))
