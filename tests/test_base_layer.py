"""The layer contract beyond the harness: routing, seeding and clear errors."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_augment import layers


def _images(batch=3, size=6):
    return np.random.default_rng(0).integers(0, 256, (batch, size, size, 3)).astype("uint8")


def test_dict_routing_flips_everything_together_and_passes_unknown_keys():
    images = np.zeros((2, 4, 6, 1), "float32")
    images[:, 1, 0] = 1.0  # a bright pixel at x=0, y=1
    data = {
        "images": images,
        "labels": np.array([3, 4]),
        "segmentation_masks": images[..., 0].astype("int32"),
        "keypoints": np.array([[[0.5, 1.5]], [[0.5, 1.5]]], "float32"),
        "bounding_boxes": {
            "boxes": np.array([[[0, 1, 1, 2]], [[0, 1, 1, 2]]], "float32"),
            "classes": np.array([[7], [7]]),
        },
        "weights": np.array([0.5, 2.0]),
    }
    layer = layers.RandomFlip("horizontal", bounding_box_format="xyxy")
    transformation = {"horizontal": tf.constant([True, False]), "vertical": tf.constant([False, False])}
    out = layer.apply_transformation(data, transformation)
    assert out["images"][0, 1, 5, 0] == 1.0 and out["images"][1, 1, 0, 0] == 1.0
    assert out["segmentation_masks"][0, 1, 5] == 1 and out["segmentation_masks"].dtype == tf.int32
    np.testing.assert_allclose(out["keypoints"][:, 0], [[5.5, 1.5], [0.5, 1.5]])
    np.testing.assert_allclose(out["bounding_boxes"]["boxes"][:, 0], [[5, 1, 6, 2], [0, 1, 1, 2]])
    np.testing.assert_array_equal(out["bounding_boxes"]["classes"], [[7], [7]])
    np.testing.assert_array_equal(out["labels"], [3, 4])
    assert out["weights"] is data["weights"]


def test_single_image_dict_keeps_unbatched_shapes():
    data = {
        "images": np.zeros((5, 5, 3), "uint8"),
        "segmentation_masks": np.zeros((5, 5), "int32"),
        "keypoints": np.zeros((2, 2), "float32"),
        "bounding_boxes": {"boxes": np.zeros((3, 4), "float32"), "classes": np.zeros((3,))},
    }
    out = layers.RandomFlip(bounding_box_format="rel_xyxy")(data, seed=0)
    assert out["images"].shape == (5, 5, 3)
    assert out["segmentation_masks"].shape == (5, 5)
    assert out["keypoints"].shape == (2, 2)
    assert out["bounding_boxes"]["boxes"].shape == (3, 4)


def test_seed_zero_is_honoured():
    x = _images(8)
    a = layers.RandomBrightness(0.5, seed=0)(x)
    b = layers.RandomBrightness(0.5, seed=0)(x)
    c = layers.RandomBrightness(0.5, seed=1)(x)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


def test_explicit_seed_zero_differs_from_other_seeds():
    layer = layers.RandomBrightness(0.5)
    x = _images(8)
    np.testing.assert_array_equal(layer(x, seed=0), layer(x, seed=0))
    assert not np.array_equal(layer(x, seed=0), layer(x, seed=1))


def test_layer_without_explicit_seed_changes_between_calls():
    layer = layers.RandomBrightness(0.5, seed=3)
    x = _images(4)
    assert not np.array_equal(layer(x), layer(x))


def test_tf_data_map_without_seed_and_with_dicts():
    layer = layers.RandomFlip(bounding_box_format="xyxy", seed=1)
    ds = tf.data.Dataset.from_tensor_slices(
        {"images": _images(6), "bounding_boxes": {"boxes": np.zeros((6, 2, 4), "float32"), "classes": np.zeros((6, 2))}}
    ).batch(3).map(layer, num_parallel_calls=tf.data.AUTOTUNE)
    batches = list(ds)
    assert len(batches) == 2 and batches[0]["images"].shape == (3, 6, 6, 3)


def test_model_applies_layer_in_fit_and_not_in_predict():
    layer = layers.RandomBrightness((0.5, 0.5), value_range=(0, 1))
    model = keras.Sequential([keras.Input((4, 4, 3)), layer])
    x = np.zeros((2, 4, 4, 3), "float32")
    np.testing.assert_array_equal(model.predict(x, verbose=0), x)
    np.testing.assert_allclose(model(x, training=True), x + 0.5)


def test_channels_first():
    x = _images(2, 4).transpose(0, 3, 1, 2)
    layer = layers.RandomFlip("horizontal", data_format="channels_first")
    out = layer.apply_transformation(x, {"horizontal": tf.constant([True, True]), "vertical": tf.constant([False, False])})
    np.testing.assert_array_equal(out, x[..., ::-1].astype("float32"))


@pytest.mark.parametrize(
    "images, expected",
    [
        (np.zeros((2, 3, 4, 4, 3), "float32"), "rank 3"),
        (np.zeros((4, 4), "float32"), "rank 3"),
        (tf.fill([1, 2, 2, 3], "a"), "integer or float dtype"),
        (np.zeros((1, 2, 2, 3), bool), "integer or float dtype"),
    ],
)
def test_bad_images_name_the_layer_and_the_shape(images, expected):
    layer = layers.RandomBrightness(0.1, name="bright")
    with pytest.raises(ValueError, match=expected) as caught:
        layer(images)
    assert "RandomBrightness" in str(caught.value) and "bright" in str(caught.value)
    assert str(tuple(np.shape(images))).replace(",)", ")")[:3] in str(caught.value) or "shape" in str(caught.value)


def test_unknown_bounding_box_format():
    with pytest.raises(ValueError, match="unknown bounding_box_format 'xyz'"):
        layers.RandomFlip(bounding_box_format="xyz")


def test_boxes_without_a_format_are_refused_by_geometric_layers():
    data = {"images": _images(1), "bounding_boxes": {"boxes": np.zeros((1, 1, 4)), "classes": np.zeros((1, 1))}}
    with pytest.raises(ValueError, match="bounding_box_format"):
        layers.RandomFlip()(data)


def test_boxes_of_the_wrong_shape():
    data = {"images": _images(1), "bounding_boxes": {"boxes": np.zeros((1, 1, 5)), "classes": np.zeros((1, 1))}}
    with pytest.raises(ValueError, match=r"\(B, N, 4\)"):
        layers.RandomFlip(bounding_box_format="xyxy")(data)


def test_bad_constructor_arguments():
    with pytest.raises(ValueError, match="RandomBrightness.*factor"):
        layers.RandomBrightness(1.5)
    with pytest.raises(ValueError, match="value_range"):
        layers.RandomBrightness(0.1, value_range=(0, 1, 2))
    with pytest.raises(ValueError, match="mode"):
        layers.RandomFlip("diagonal")


def test_bad_call_seed():
    with pytest.raises(ValueError, match="seed"):
        layers.RandomFlip()(_images(1), seed=1.5)


def test_training_defaults_to_true_alone_and_inside_a_model_as_in_keras_core():
    layer = layers.RandomBrightness((0.5, 0.5), value_range=(0, 1))
    x = np.zeros((2, 3, 3, 1), "float32")
    np.testing.assert_allclose(layer(x), x + 0.5)
    model = keras.Sequential([keras.Input((3, 3, 1)), layer])
    np.testing.assert_allclose(model(x), x + 0.5)
    np.testing.assert_array_equal(model(x, training=False), x)
    np.testing.assert_array_equal(model.predict(x, verbose=0), x)
