"""Displacement-field warps: identity, inversion, alignment, references, Keras."""

import cv2
import keras
import numpy as np
import pytest
import scipy.interpolate
import scipy.ndimage
import tensorflow as tf

from keras_augment import layers
from keras_augment.ops import warp as warp_ops
from keras_augment.ops.resample import resample

IDENTITY_STRENGTH = [
    layers.RandomElasticTransform(scale=0.0),
    layers.RandomElasticTransform(factor=0.0, scale=1.0),
    layers.RandomGridDistortion(distort_limit=0.0),
    layers.RandomOpticalDistortion(distort_limit=0.0),
    layers.RandomThinPlateSpline(scale_range=(0.0, 0.0)),
]


def _smooth_image(size=48, channels=3):
    y, x = np.mgrid[0:size, 0:size] / size
    planes = [np.sin(2 * np.pi * (x + 0.3 * c)) * np.cos(2 * np.pi * y) for c in range(channels)]
    return (127.5 + 100 * np.stack(planes, -1))[None].astype("float32")


def _identity(batch):
    return tf.eye(3, batch_shape=[batch])


@pytest.mark.parametrize("layer", IDENTITY_STRENGTH, ids=lambda l: f"{type(l).__name__}")
def test_identity_strength_returns_the_input(layer):
    images = np.random.default_rng(0).uniform(0, 255, (3, 13, 17, 3)).astype("float32")
    masks = np.random.default_rng(1).integers(0, 4, (3, 13, 17)).astype("int32")
    keypoints = np.array([[[2.5, 3.5], [10.0, 7.25]]] * 3, "float32")
    out = layer({"images": images, "segmentation_masks": masks, "keypoints": keypoints}, seed=3)
    np.testing.assert_allclose(out["images"], images, atol=1e-4)
    np.testing.assert_array_equal(out["segmentation_masks"], masks)
    np.testing.assert_allclose(out["keypoints"], keypoints, atol=1e-4)


@pytest.mark.parametrize(
    "layer, strength",
    [
        (layers.RandomElasticTransform(factor=(1.0, 1.0), scale=(1.0, 1.0)), 0.4),
        (layers.RandomGridDistortion(distort_limit=0.4), 1.0),
        (layers.RandomOpticalDistortion(0.3), 1.0),
        (layers.RandomThinPlateSpline(scale_range=(0.5, 0.5)), 1.0),
    ],
    ids=lambda v: type(v).__name__ if not isinstance(v, float) else str(v),
)
def test_warp_then_its_inverted_field_restores_a_smooth_image(layer, strength):
    """Documented tolerance: on a 0..255 image of amplitude 100, away from the
    borders (where the warp pulls in fill), mean error < 0.5 and max < 2.

    Elastic fields at Keras's strength fold in places (no inverse exists
    there), so that field is scaled down to 0.4.
    """
    image = np.repeat(_smooth_image(), 2, axis=0)
    field = warp_ops.dense_field(layer.get_random_transformation(image, seed=5)["displacements"]) * strength
    warped = resample(image, _identity(2), None, "bilinear", "nearest", 0.0, displacements=field)
    restored = resample(
        warped, _identity(2), None, "bilinear", "nearest", 0.0, displacements=warp_ops.invert_field(field)
    )
    interior = (slice(None), slice(6, -6), slice(6, -6))
    error = np.abs(np.asarray(restored) - image)[interior]
    assert error.mean() < 0.5 and error.max() < 2.0, (error.mean(), error.max())
    assert np.abs(np.asarray(warped) - image)[interior].mean() > 1.0, "the warp moved nothing"


def _drawn_shape(size=40):
    """A bright disk (channel 0) with a matching mask and box, and a small dot
    (channel 1) under a keypoint."""
    y, x = np.mgrid[0:size, 0:size] + 0.5
    disk = (x - 12) ** 2 + (y - 27) ** 2 < 7**2
    dot = (x - 14) ** 2 + (y - 25) ** 2 < 2.5**2
    images = np.stack([np.where(disk, 250.0, 5.0), np.where(dot, 250.0, 5.0), np.zeros_like(x)], -1)
    images = images[None].astype("float32")
    masks = disk[None].astype("int32")
    keypoints = np.array([[[14.0, 25.0, 1.0]]], "float32")
    boxes = {"boxes": np.array([[[5.0, 20.0, 19.0, 34.0]]], "float32"), "classes": np.array([[1]])}
    return images, masks, keypoints, boxes


WARPS = [
    layers.RandomElasticTransform(factor=(1.0, 1.0), scale=(1.0, 1.0), bounding_box_format="xyxy"),
    layers.RandomGridDistortion(num_steps=4, distort_limit=0.4, bounding_box_format="xyxy"),
    layers.RandomOpticalDistortion(distort_limit=(0.3, 0.3), bounding_box_format="xyxy"),
    layers.RandomThinPlateSpline(scale_range=(0.5, 0.5), bounding_box_format="xyxy"),
]


@pytest.mark.parametrize("layer", WARPS, ids=lambda l: type(l).__name__)
def test_masks_keypoints_and_boxes_stay_aligned_with_a_drawn_shape(layer):
    images, masks, keypoints, boxes = _drawn_shape()
    data = {"images": images, "segmentation_masks": masks, "keypoints": keypoints, "bounding_boxes": boxes}
    out = layer(data, seed=7)
    shape = np.asarray(out["images"])[0, ..., 0] > 127.5
    mask = np.asarray(out["segmentation_masks"])[0] == 1
    assert (shape != masks[0].astype(bool)).mean() > 0.005, "the warp moved nothing"
    assert (shape ^ mask).sum() <= 0.06 * shape.sum(), "mask and image disagree"
    # The keypoint moves with the dot drawn under it.
    dot_rows, dot_cols = np.nonzero(np.asarray(out["images"])[0, ..., 1] > 127.5)
    x, y, visible = out["keypoints"].numpy()[0, 0]
    assert visible == 1.0
    assert np.hypot(x - (dot_cols.mean() + 0.5), y - (dot_rows.mean() + 0.5)) < 0.75
    rows, cols = np.nonzero(shape)
    # The box follows the disk's extent (corners and midpoints: an approximation).
    x1, y1, x2, y2 = out["bounding_boxes"]["boxes"].numpy()[0, 0]
    tight = np.array([cols.min(), rows.min(), cols.max() + 1, rows.max() + 1])
    np.testing.assert_allclose([x1, y1, x2, y2], tight, atol=1.5)


def test_keypoints_leaving_the_image_are_flagged_invisible():
    layer = layers.RandomOpticalDistortion(distort_limit=(-0.5, -0.5))
    keypoints = np.array([[[0.5, 0.5, 1.0], [16.0, 16.0, 1.0]]], "float32")
    out = layer({"images": np.zeros((1, 32, 32, 3)), "keypoints": keypoints})
    np.testing.assert_array_equal(out["keypoints"].numpy()[0, :, 2], [0.0, 1.0])


def test_grid_field_matches_a_numpy_reference():
    rng = np.random.default_rng(0)
    units_x, units_y = rng.uniform(size=(2, 4)), rng.uniform(size=(2, 4))
    limits = (-0.3, 0.5)
    parts = warp_ops.grid_field(units_x, units_y, limits, 15, 22)
    assert parts[0].shape == (2, 1, 22, 2) and parts[1].shape == (2, 15, 1, 2)
    field = warp_ops.dense_field(parts).numpy()
    for sample in range(2):
        for axis, units, size in ((0, units_x, 22), (1, units_y, 15)):
            steps = 1 + limits[0] + units[sample] * (limits[1] - limits[0])
            knots_in = np.concatenate([[0], np.cumsum(steps)]) / steps.sum() * size
            knots_out = np.linspace(0, size, 5)
            centres = np.arange(size) + 0.5
            expected = np.interp(centres, knots_out, knots_in) - centres
            line = field[sample, 0, :, 0] if axis == 0 else field[sample, :, 0, 1]
            np.testing.assert_allclose(line, expected, atol=1e-4)


def test_optical_field_matches_opencv_camera_model():
    height, width, k = 30, 40, 0.2
    field = warp_ops.optical_field(np.array([0.5]), (k - 0.1, k + 0.1), height, width).numpy()[0]
    camera = np.array([[width, 0, width / 2 - 0.5], [0, height, height / 2 - 0.5], [0, 0, 1]], "float32")
    map_x, map_y = cv2.initUndistortRectifyMap(
        camera, np.array([k, k, 0, 0, 0], "float32"), None, None, (width, height), cv2.CV_32FC1
    )
    columns, rows = np.meshgrid(np.arange(width), np.arange(height))
    np.testing.assert_allclose(field[..., 0], map_x - columns, atol=1e-3)
    np.testing.assert_allclose(field[..., 1], map_y - rows, atol=1e-3)


def test_thin_plate_field_matches_scipy():
    rng = np.random.default_rng(0)
    side = np.linspace(0, 1, 3)
    source = np.stack(np.meshgrid(side, side), -1).reshape(-1, 2)
    target = source + rng.normal(0, 0.04, (2, *source.shape))
    height, width = 32, 24
    fields = warp_ops.thin_plate_field(source, target, height, width).numpy()
    y, x = np.mgrid[0:height, 0:width] + 0.5
    points = np.stack([x.ravel() / width, y.ravel() / height], -1)
    for field, sample_target in zip(fields, target):
        spline = scipy.interpolate.RBFInterpolator(source, sample_target - source, kernel="thin_plate_spline")
        expected = spline(points).reshape(height, width, 2) * [width, height]
        np.testing.assert_allclose(field, expected, atol=2e-3)


def test_gaussian_smooth_matches_scipy_in_the_interior():
    noise = np.random.default_rng(0).normal(size=(2, 40, 40, 1)).astype("float32")
    sigma = np.array([1.5, 3.0], "float32")
    ours = warp_ops.gaussian_smooth(noise, sigma).numpy()
    for sample in range(2):
        expected = scipy.ndimage.gaussian_filter(noise[sample, ..., 0], sigma[sample], truncate=8)
        np.testing.assert_allclose(ours[sample, 12:-12, 12:-12, 0], expected[12:-12, 12:-12], atol=1e-4)


def test_forward_points_inverts_the_field():
    field = layers.RandomThinPlateSpline(scale_range=(0.6, 0.6)).get_random_transformation(
        np.zeros((2, 30, 30, 1)), seed=1
    )["displacements"]
    outputs = np.random.default_rng(0).uniform(5, 25, (2, 6, 2)).astype("float32")
    inputs = outputs + warp_ops.sample_field_at_points(field, outputs).numpy()
    np.testing.assert_allclose(warp_ops.forward_points(inputs, field), outputs, atol=1e-3)


def test_elastic_signature_and_field_strength_match_keras():
    import inspect

    ours = list(inspect.signature(layers.RandomElasticTransform.__init__).parameters)
    theirs = list(inspect.signature(keras.layers.RandomElasticTransform.__init__).parameters)
    theirs.remove("kwargs")
    assert ours[: len(theirs)] == theirs
    # On a horizontal ramp the output minus the input is the x displacement.
    size = 96
    ramp = np.tile(np.arange(size, dtype="float32")[None, :, None], (size, 1, 1))[None]
    images = np.repeat(ramp, 8, axis=0)
    args = {"factor": (1.0, 1.0), "scale": (1.0, 1.0), "value_range": (-1000, 1000)}
    keras_dx = np.asarray(keras.layers.RandomElasticTransform(**args, seed=1)(images)) - images
    our_dx = np.asarray(layers.RandomElasticTransform(**args)(images, seed=1)) - images
    interior = (slice(None), slice(20, -20), slice(20, -20))
    keras_std, our_std = keras_dx[interior].std(), our_dx[interior].std()
    assert keras_std > 1.0
    assert 0.6 < our_std / keras_std < 1.6, (our_std, keras_std)


def test_bad_arguments_name_the_layer():
    with pytest.raises(ValueError, match="RandomElasticTransform.*fill_mode"):
        layers.RandomElasticTransform(fill_mode="mirror")
    with pytest.raises(ValueError, match="RandomGridDistortion.*num_steps"):
        layers.RandomGridDistortion(num_steps=0)
    with pytest.raises(ValueError, match="RandomThinPlateSpline.*num_control_points"):
        layers.RandomThinPlateSpline(num_control_points=1)
    with pytest.raises(ValueError, match="RandomOpticalDistortion.*distort_limit"):
        layers.RandomOpticalDistortion(distort_limit=2.0)
    with pytest.raises(ValueError, match="RandomGridDistortion.*bounding_box_format"):
        layers.RandomGridDistortion()(
            {"images": np.zeros((1, 8, 8, 3)), "bounding_boxes": {"boxes": np.zeros((1, 1, 4)), "classes": np.zeros((1, 1))}}
        )


def _fused_and_manual(pipeline, data, seed):
    """The pipeline's output, and one resample through its composed matrix and field."""
    transformation = pipeline.get_random_transformation(data, seed=seed)
    fused = pipeline.apply_transformation(data, transformation)
    from keras_augment.layers.geometric.base import compose_matrices

    matrices = compose_matrices([t["matrix"] for t in transformation])
    warp = pipeline.layers[-1]
    size = pipeline.layers[0].output_size() if hasattr(pipeline.layers[0], "output_size") else None
    manual = resample(
        tf.cast(data["images"], tf.float32), matrices, size, warp.interpolation,
        warp.fill_mode, warp.fill_value, displacements=transformation[-1]["displacements"],
    )
    return fused, manual


def test_a_warp_after_geometric_layers_resamples_once_in_a_pipeline():
    images, masks, keypoints, boxes = _drawn_shape()
    pipeline = layers.Pipeline(
        [
            layers.RandomRotation(0.1, fill_mode="constant"),
            layers.RandomTranslation(0.1, 0.1, fill_mode="constant"),
            layers.RandomGridDistortion(num_steps=4, distort_limit=0.4),
        ],
        bounding_box_format="xyxy",
    )
    assert pipeline._groups == [[0, 1, 2]]
    data = {"images": images, "segmentation_masks": masks, "keypoints": keypoints, "bounding_boxes": boxes}
    fused, manual = _fused_and_manual(pipeline, data, seed=4)
    np.testing.assert_array_equal(fused["images"], manual)
    # Masks and keypoints still follow the drawn shapes through the fused map.
    shape = np.asarray(fused["images"])[0, ..., 0] > 127.5
    assert (shape ^ (np.asarray(fused["segmentation_masks"])[0] == 1)).sum() <= 0.06 * shape.sum()
    dot_rows, dot_cols = np.nonzero(np.asarray(fused["images"])[0, ..., 1] > 127.5)
    x, y = fused["keypoints"].numpy()[0, 0, :2]
    assert np.hypot(x - (dot_cols.mean() + 0.5), y - (dot_rows.mean() + 0.5)) < 0.75


def test_a_warp_after_a_resize_fuses_at_the_output_size():
    pipeline = layers.Pipeline([layers.Resizing(20, 24), layers.RandomElasticTransform(factor=(1.0, 1.0))])
    images = np.random.default_rng(0).uniform(0, 255, (2, 12, 16, 3)).astype("float32")
    fused, manual = _fused_and_manual(pipeline, {"images": images}, seed=2)
    assert fused["images"].shape == (2, 20, 24, 3)
    np.testing.assert_allclose(fused["images"], np.clip(manual, 0, 255), atol=1e-4)


def test_layers_after_a_warp_start_a_new_group():
    pipeline = layers.Pipeline(
        [layers.RandomElasticTransform(), layers.RandomFlip(), layers.RandomOpticalDistortion()]
    )
    assert pipeline._groups == [[0], [1, 2]]
