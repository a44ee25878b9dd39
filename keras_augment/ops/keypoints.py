"""Keypoint transforms: points move with the image, and leaving it is flagged.

Keypoints are `[B, K, D]` floats whose first two columns are x, y in the
continuous pixel plane (see `keras_augment.ops.geometry`).
"""

import tensorflow as tf

from keras_augment.ops import geometry


def transform_keypoints(keypoints, forward_matrices):
    """Move the x, y columns of `keypoints` with input-to-output matrices.

    Extra columns are kept unchanged.
    """
    keypoints = tf.convert_to_tensor(keypoints)
    moved = geometry.transform_points(keypoints[..., :2], forward_matrices)
    return tf.concat([tf.cast(moved, keypoints.dtype), keypoints[..., 2:]], axis=-1)


def inside_image(keypoints, height, width):
    """Boolean `[B, K]`: the point lies inside `[0, width) x [0, height)`."""
    x, y = keypoints[..., 0], keypoints[..., 1]
    height = tf.cast(height, keypoints.dtype)
    width = tf.cast(width, keypoints.dtype)
    return (x >= 0) & (x < width) & (y >= 0) & (y < height)


def flag_visibility(keypoints, height, width):
    """Zero the visibility column (the third, when present) of points that
    left the image; points with only x, y are returned unchanged."""
    if keypoints.shape[-1] is not None and keypoints.shape[-1] < 3:
        return keypoints
    visible = tf.cast(inside_image(keypoints, height, width), keypoints.dtype)
    return tf.concat(
        [keypoints[..., :2], keypoints[..., 2:3] * visible[..., None], keypoints[..., 3:]],
        axis=-1,
    )
