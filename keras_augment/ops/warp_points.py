"""How points and fields move through a warp `p -> matrix @ (p + d(p))`.

Fields are `[B, H, W, 2]` `(dx, dy)` in pixels, or parts that broadcast to
that shape (see `ops.resample`). Forward maps and inverses are solved by
fixed-point iteration, which converges where the warp folds nothing
(`|grad d| < 1`), as the smooth fields of the warp layers do.
"""

import tensorflow as tf

from keras_augment.ops import geometry
from keras_augment.ops.compiled import compiled_on_tensors
from keras_augment.ops.resample import resample

# Fixed-point steps when inverting a warp; each gains about a digit on smooth fields.
FIXED_POINT_ITERATIONS = 10


def dense_field(displacements):
    """A field given as a tensor or as broadcasting parts, as one `[B, H, W, 2]` tensor."""
    if not isinstance(displacements, (tuple, list)):
        return displacements
    total = displacements[0]
    for part in displacements[1:]:
        total = total + part
    return total


def warp_fields(fields, displacements):
    """Sample `[B, H, W, C]` fields at each pixel centre plus `displacements`."""
    batch = tf.shape(fields)[0]
    identity = tf.eye(3, batch_shape=[batch])
    return resample(fields, identity, None, "bilinear", "nearest", 0.0, displacements=displacements)


@compiled_on_tensors
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


@compiled_on_tensors
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


def forward_map(points, matrices, displacements):
    """Output positions of input points `[B, K, 2]` under `matrix @ (p + d(p))`."""
    on_warp_plane = geometry.transform_points(points, geometry.invert(matrices))
    return forward_points(on_warp_plane, dense_field(displacements))
