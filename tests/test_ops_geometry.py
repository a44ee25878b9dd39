"""Geometry kernels against OpenCV and NumPy references."""

import cv2
import numpy as np
import pytest
import tensorflow as tf

from keras_augment.ops import bounding_boxes as box_ops
from keras_augment.ops import geometry
from keras_augment.ops import keypoints as keypoint_ops
from keras_augment.ops import resample as resample_ops

HALF = np.array([[1, 0, 0.5], [0, 1, 0.5], [0, 0, 1]], np.float64)
BORDERS = {
    "constant": cv2.BORDER_CONSTANT,
    "reflect": cv2.BORDER_REFLECT,
    "wrap": cv2.BORDER_WRAP,
    "nearest": cv2.BORDER_REPLICATE,
}


def _images(shape=(3, 20, 26, 3), seed=0):
    return np.random.default_rng(seed).uniform(0, 1, shape).astype("float32")


def _matrices():
    return geometry.compose(
        geometry.rotation([0.4, -0.9, 2.5], 13.0, 10.0),
        geometry.scaling([1.2, 0.7, 1.0], [0.9, 0.8, 1.3], 13.0, 10.0),
        geometry.translation([2.0, -3.5, 0.3], [1.5, 0.0, -2.0]),
    ).numpy()


def _to_opencv(matrix):
    # OpenCV puts pixel centres on integers: conjugate by the half-pixel shift.
    return np.linalg.inv(HALF) @ matrix.astype(np.float64) @ HALF


def _interior_mae(a, b, border=3):
    return float(np.abs(a - b)[border:-border, border:-border].mean())


@pytest.mark.parametrize("fill_mode", sorted(BORDERS))
def test_resample_matches_warp_affine(fill_mode):
    images, matrices = _images(), _matrices()
    ours = resample_ops.resample(images, matrices, fill_mode=fill_mode).numpy()
    for i in range(len(images)):
        theirs = cv2.warpAffine(
            images[i], _to_opencv(matrices[i])[:2], (26, 20),
            flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP, borderMode=BORDERS[fill_mode],
        )
        assert _interior_mae(ours[i], theirs) < 1e-3


def test_resample_matches_warp_perspective_with_an_output_size():
    images = _images()
    source = np.array([[[0, 0], [26, 0], [0, 20], [26, 20]]] * 3, "float32")
    target = source + np.random.default_rng(1).uniform(-4, 4, source.shape).astype("float32")
    matrices = geometry.homography(source, target).numpy()
    ours = resample_ops.resample(images, matrices, output_size=(18, 30), fill_value=0.25).numpy()
    assert ours.shape == (3, 18, 30, 3)
    for i in range(3):
        theirs = cv2.warpPerspective(
            images[i], _to_opencv(matrices[i]), (30, 18),
            flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
            borderMode=cv2.BORDER_CONSTANT, borderValue=(0.25, 0.25, 0.25),
        )
        assert _interior_mae(ours[i], theirs) < 1e-3


def test_homography_maps_target_points_to_source_points():
    source = np.array([[[1, 2], [30, 1], [2, 25], [28, 27]]], "float32")
    target = np.array([[[0, 0], [32, 0], [0, 32], [32, 32]]], "float32")
    matrix = geometry.homography(source, target)
    mapped = geometry.transform_points(target, matrix).numpy()
    np.testing.assert_allclose(mapped, source, atol=1e-3)
    opencv = cv2.getPerspectiveTransform(target[0], source[0])
    np.testing.assert_allclose(matrix.numpy()[0], opencv / opencv[2, 2], atol=1e-4)


def _nearest_reference(image, matrix):
    height, width = image.shape[:2]
    out = np.zeros_like(image)
    for y in range(height):
        for x in range(width):
            u, v, w = matrix @ np.array([x + 0.5, y + 0.5, 1.0])
            i, j = int(np.floor(v / w)), int(np.floor(u / w))
            if 0 <= i < height and 0 <= j < width:
                out[y, x] = image[i, j]
    return out


def test_nearest_interpolation_matches_numpy_reference():
    images, matrices = _images((3, 9, 11, 2)), _matrices()
    ours = resample_ops.resample(images, matrices, interpolation="nearest").numpy()
    for i in range(3):
        expected = _nearest_reference(images[i], matrices[i].astype(np.float64))
        assert np.mean(ours[i] != expected) < 0.02  # ties at exact pixel edges may differ


def test_uint8_input_reads_the_same_pixels_as_float_input():
    images = np.random.default_rng(2).integers(0, 256, (3, 12, 15, 3)).astype("uint8")
    for interpolation in ("bilinear", "nearest"):
        for fill_mode in sorted(BORDERS):
            as_uint8 = resample_ops.resample(
                images, _matrices(), None, interpolation, fill_mode, 9.0, tf.float32
            )
            as_float = resample_ops.resample(
                images.astype("float32"), _matrices(), None, interpolation, fill_mode, 9.0
            )
            np.testing.assert_array_equal(as_uint8.numpy(), as_float.numpy())


def test_image_rows_warp_those_images_in_place():
    # Output n warps images[rows[n]] with matrices[n]: the same values as
    # warping a gathered copy, for both interpolations and uint8 input.
    images = np.random.default_rng(3).integers(0, 256, (5, 12, 15, 3)).astype("uint8")
    rows = np.array([4, 0, 4], np.int32)
    for interpolation in ("bilinear", "nearest"):
        ours = resample_ops.resample(
            images, _matrices(), None, interpolation, "reflect", 0.0, image_rows=rows
        )
        copied = resample_ops.resample(images[rows], _matrices(), None, interpolation, "reflect")
        np.testing.assert_array_equal(ours.numpy(), copied.numpy())


def test_identity_and_integer_shifts_are_exact():
    images = _images()
    identity = resample_ops.resample(images, geometry.identity(3)).numpy()
    np.testing.assert_array_equal(identity, images)
    shifted = resample_ops.resample(images, geometry.translation([0, 0, 0], [-2.0, -2.0, -2.0]))
    np.testing.assert_array_equal(shifted.numpy()[:, :-2], images[:, 2:])


def test_fallback_without_xla_gives_the_same_result():
    images, matrices = _images(), _matrices()
    compiled = resample_ops._compiled("bilinear", "reflect", True)
    plain = resample_ops._compiled("bilinear", "reflect", False)
    args = (images, matrices, tf.constant(0.0), None, tf.float32)
    np.testing.assert_allclose(compiled(*args).numpy(), plain(*args).numpy(), atol=1e-5)


def test_resample_rejects_unknown_modes():
    with pytest.raises(ValueError, match="fill_mode"):
        resample_ops.resample(_images(), _matrices(), fill_mode="mirror")
    with pytest.raises(ValueError, match="interpolation"):
        resample_ops.resample(_images(), _matrices(), interpolation="cubic")


def test_flip_and_crop_matrices():
    flipped = geometry.transform_points([[[1.0, 2.0]]], geometry.flip([True], [True], 10, 20))
    np.testing.assert_allclose(flipped.numpy(), [[[19.0, 8.0]]])
    crop = geometry.crop_and_resize([2.0], [4.0], 6.0, 8.0, 3, 4)
    np.testing.assert_allclose(geometry.transform_points([[[4.0, 3.0]]], crop).numpy(), [[[12.0, 8.0]]])


def test_transform_boxes_encloses_the_moved_corners():
    boxes = np.array([[[2.0, 3.0, 8.0, 5.0]]], "float32")
    forward = geometry.invert(geometry.rotation([np.pi / 2], 5.0, 5.0))
    moved = box_ops.transform_boxes(boxes, forward).numpy()
    corners = geometry.transform_points(box_ops.box_corners(boxes)[0], forward).numpy()
    np.testing.assert_allclose(moved[0, 0, :2], corners[0].min(0), atol=1e-5)
    np.testing.assert_allclose(moved[0, 0, 2:], corners[0].max(0), atol=1e-5)


def test_clip_and_filter_with_min_area_and_min_visibility():
    boxes = tf.constant([[[-5.0, -5.0, 5.0, 5.0], [20, 20, 30, 30], [8, 8, 9, 9], [0, 0, 10, 4]]])
    clipped, keep = box_ops.clip_and_filter(boxes, 10, 10)
    np.testing.assert_allclose(clipped.numpy()[0, 0], [0, 0, 5, 5])
    assert keep.numpy().tolist() == [[True, False, True, True]]
    _, keep = box_ops.clip_and_filter(boxes, 10, 10, min_area=2.0, min_visibility=0.3)
    assert keep.numpy().tolist() == [[False, False, False, True]]
    dropped = box_ops.drop_boxes({"boxes": boxes, "classes": tf.constant([[1, 2, 3, 4]])}, keep)
    assert dropped["classes"].numpy().tolist() == [[-1, -1, -1, 4]]


def test_keypoints_move_and_lose_visibility_outside():
    points = tf.constant([[[1.0, 1.0, 1.0], [9.0, 1.0, 1.0]]])
    moved = keypoint_ops.transform_keypoints(points, geometry.invert(geometry.translation([3.0], [0.0])))
    np.testing.assert_allclose(moved.numpy()[..., :2], [[[4.0, 1.0], [12.0, 1.0]]])
    flagged = keypoint_ops.flag_visibility(moved, 10, 10).numpy()
    assert flagged[0, :, 2].tolist() == [1.0, 0.0]
