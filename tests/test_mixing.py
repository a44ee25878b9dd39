"""MixUp, CutMix and Mosaic: label mass, per-sample draws, masks, boxes, Keras parity."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_augment import layers
from keras_augment.ops import mixing as mixing_ops


def _constant_batch(batch_size, height=10, width=14):
    """Sample i is the constant image 10 * (i + 1) with one-hot label i."""
    values = 10.0 * np.arange(1, batch_size + 1)
    images = np.broadcast_to(values[:, None, None, None], (batch_size, height, width, 3))
    return np.ascontiguousarray(images, "float32"), np.eye(batch_size, dtype="float32"), values


def _pixel_shares(images, values):
    """Fraction of each sample's pixels equal to each constant value."""
    first_channel = np.asarray(images)[..., 0]
    return np.stack([(first_channel == v).mean(axis=(1, 2)) for v in values], -1)


@pytest.mark.parametrize("seed", [0, 1, 7])
def test_cut_mix_label_mass_equals_pixel_mass_exactly(seed):
    images, labels, values = _constant_batch(8)
    out = layers.CutMix(seed=seed)({"images": images, "labels": labels})
    shares = _pixel_shares(out["images"], values)
    pixels = images.shape[1] * images.shape[2]
    # Pixel counts, not just fractions: the label is the exact pasted area.
    np.testing.assert_array_equal(np.round(np.asarray(out["labels"]) * pixels), shares * pixels)
    np.testing.assert_allclose(out["labels"], shares, atol=1e-6)


def test_mix_up_label_mass_equals_pixel_mass():
    images, labels, values = _constant_batch(8)
    out = layers.MixUp(alpha=1.0, seed=3)({"images": images, "labels": labels})
    expected_pixels = np.asarray(out["labels"]) @ values
    np.testing.assert_allclose(np.asarray(out["images"])[:, 0, 0, 0], expected_pixels, rtol=1e-5)
    np.testing.assert_allclose(np.asarray(out["labels"]).sum(-1), 1.0, rtol=1e-6)


def test_mosaic_label_mass_equals_pixel_mass_without_fill():
    images, labels, values = _constant_batch(6, 10, 12)
    layer = layers.Mosaic(output_size=(16, 16), fill_value=-1.0, seed=5)
    out = layer({"images": images, "labels": labels})
    first_channel = np.asarray(out["images"])[..., 0]
    covered = (first_channel != -1).sum(axis=(1, 2))
    shares = np.stack([(first_channel == v).sum(axis=(1, 2)) for v in values], -1) / covered[:, None]
    np.testing.assert_allclose(out["labels"], shares, atol=1e-6)


@pytest.mark.parametrize(
    "layer", [layers.MixUp(alpha=1.0), layers.CutMix(), layers.Mosaic()], ids=lambda l: type(l).__name__
)
def test_weights_are_drawn_per_sample(layer):
    images = np.zeros((32, 8, 8, 3), "float32")
    weights = layer.get_random_transformation(images, seed=4)["weights"].numpy()
    assert len(np.unique(np.round(weights[:, 0], 6))) > 8, weights[:, 0]
    np.testing.assert_allclose(weights.sum(-1), 1.0, rtol=1e-6)


def test_mix_up_weights_follow_the_beta_distribution():
    alpha = 0.4
    layer = layers.MixUp(alpha=alpha)
    weights = layer.get_random_transformation(np.zeros((20000, 1, 1, 1), "float32"), seed=0)["weights"]
    weights = weights.numpy()[:, 0]
    assert abs(weights.mean() - 0.5) < 0.02
    assert abs(weights.var() - 1 / (4 * (2 * alpha + 1))) < 0.01


def test_partners_are_a_seeded_permutation():
    layer = layers.CutMix()
    images = np.zeros((16, 4, 4, 3), "float32")
    first = layer.get_random_transformation(images, seed=11)["sources"].numpy()
    again = layer.get_random_transformation(images, seed=11)["sources"].numpy()
    other = layer.get_random_transformation(images, seed=12)["sources"].numpy()
    np.testing.assert_array_equal(first, again)
    assert sorted(first[:, 1]) == list(range(16))
    assert not np.array_equal(first[:, 1], other[:, 1])


@pytest.mark.parametrize("layer_class", [layers.MixUp, layers.CutMix, layers.Mosaic])
def test_integer_labels_need_num_classes(layer_class):
    images = np.zeros((4, 8, 8, 3), "float32")
    with pytest.raises(ValueError, match=f"{layer_class.__name__}.*num_classes"):
        layer_class()({"images": images, "labels": np.arange(4)})
    out = layer_class(num_classes=6)({"images": images, "labels": np.arange(4)[:, None]}, seed=1)
    assert out["labels"].shape == (4, 6) and out["labels"].dtype == tf.float32
    np.testing.assert_allclose(np.asarray(out["labels"]).sum(-1), 1.0, rtol=1e-6)


@pytest.mark.parametrize("layer_class", [layers.MixUp, layers.CutMix, layers.Mosaic])
def test_training_false_is_identity_for_every_key(layer_class):
    images = np.random.default_rng(0).uniform(0, 255, (4, 8, 8, 3)).astype("float32")
    data = {"images": images, "labels": np.arange(4), "segmentation_masks": np.ones((4, 8, 8), "int32")}
    out = layer_class()(data, training=False)
    np.testing.assert_array_equal(out["images"], images)
    np.testing.assert_array_equal(out["labels"], np.arange(4))
    assert out["segmentation_masks"].shape == (4, 8, 8)


def _images_with_matching_masks(batch_size=6, height=10, width=12):
    masks = np.random.default_rng(2).integers(0, 5, (batch_size, height, width)).astype("int32")
    images = np.repeat(masks[..., None].astype("float32"), 3, axis=-1)
    return images, masks


@pytest.mark.parametrize(
    "layer", [layers.CutMix(seed=3), layers.Mosaic(output_size=(14, 16), seed=3)], ids=["CutMix", "Mosaic"]
)
def test_masks_move_with_the_pixels(layer):
    images, masks = _images_with_matching_masks()
    out = layer({"images": images, "segmentation_masks": masks})
    assert out["segmentation_masks"].dtype == tf.int32
    np.testing.assert_array_equal(out["segmentation_masks"], np.asarray(out["images"])[..., 0])


def test_mix_up_keeps_the_dominant_masks_and_keypoints():
    images, masks = _images_with_matching_masks()
    keypoints = np.arange(6, dtype="float32")[:, None, None] * np.ones((1, 2, 2), "float32")
    layer = layers.MixUp(alpha=1.0)
    transformation = layer.get_random_transformation(images, seed=9)
    out = layer.apply_transformation(
        {"images": images, "segmentation_masks": masks, "keypoints": keypoints}, transformation
    )
    sources, weights = transformation["sources"].numpy(), transformation["weights"].numpy()
    dominant = np.where(weights[:, 0] >= 0.5, sources[:, 0], sources[:, 1])
    np.testing.assert_array_equal(out["segmentation_masks"], masks[dominant])
    np.testing.assert_array_equal(out["keypoints"], keypoints[dominant])


def test_mix_up_appends_the_partner_boxes():
    boxes = np.arange(4 * 2 * 4, dtype="float32").reshape(4, 2, 4)
    classes = np.arange(8).reshape(4, 2)
    layer = layers.MixUp()
    data = {"images": np.zeros((4, 8, 8, 3)), "bounding_boxes": {"boxes": boxes, "classes": classes}}
    transformation = layer.get_random_transformation(data, seed=2)
    out = layer.apply_transformation(data, transformation)["bounding_boxes"]
    partners = transformation["sources"].numpy()[:, 1]
    np.testing.assert_array_equal(out["boxes"], np.concatenate([boxes, boxes[partners]], 1))
    np.testing.assert_array_equal(out["classes"], np.concatenate([classes, classes[partners]], 1))


def _cut_mix_transformation(rectangle, partners, size=(10, 10)):
    rectangles = np.array([rectangle] * len(partners), "int32")
    area = (rectangles[:, 2] - rectangles[:, 0]) * (rectangles[:, 3] - rectangles[:, 1])
    pasted = area / (size[0] * size[1])
    return {
        "sources": tf.constant(np.stack([np.arange(len(partners)), partners], 1), tf.int32),
        "weights": tf.constant(np.stack([1 - pasted, pasted], 1), tf.float32),
        "rectangles": tf.constant(rectangles),
    }


def test_cut_mix_clips_boxes_to_where_their_image_is_visible():
    # The pasted rectangle covers rows 0..4 (y < 5) over the full width.
    transformation = _cut_mix_transformation([0, 0, 5, 10], np.array([1, 0]))
    boxes = np.array(
        [
            [[1, 1, 4, 4], [2, 3, 6, 9], [0, 6, 10, 10]],  # hidden, half hidden, fully visible
            [[0, 0, 10, 2], [3, 4, 5, 8], [0, 0, 0, 0]],  # partner boxes; last is padding
        ],
        "float32",
    )
    classes = np.array([[1, 2, 3], [4, 5, -1]])
    layer = layers.CutMix(bounding_box_format="xyxy", min_visibility=0.2)
    out = layer.apply_transformation(
        {"images": np.zeros((2, 10, 10, 3)), "bounding_boxes": {"boxes": boxes, "classes": classes}},
        transformation,
    )["bounding_boxes"]
    # Sample 0: own boxes lose the top strip, then its partner's boxes inside the rectangle.
    np.testing.assert_array_equal(out["classes"][0], [-1, 2, 3, 4, 5, -1])
    np.testing.assert_allclose(out["boxes"][0, 1], [2, 5, 6, 9])
    np.testing.assert_allclose(out["boxes"][0, 2], [0, 6, 10, 10])
    np.testing.assert_allclose(out["boxes"][0, 3], [0, 0, 10, 2])
    np.testing.assert_allclose(out["boxes"][0, 4], [3, 4, 5, 5])
    # Sample 1 keeps 3/4 of its box [3, 4, 5, 8] (unchanged: the strip is not full width).
    np.testing.assert_array_equal(out["classes"][1], [-1, 5, -1, 1, 2, -1])


def test_cut_mix_min_visibility_drops_mostly_hidden_boxes():
    transformation = _cut_mix_transformation([0, 0, 5, 10], np.array([0]))
    boxes = np.array([[[0, 3, 10, 7]]], "float32")  # 2 of 4 rows hidden
    for min_visibility, expected in [(0.4, 1), (0.6, -1)]:
        layer = layers.CutMix(bounding_box_format="xyxy", min_visibility=min_visibility)
        out = layer.apply_transformation(
            {"images": np.zeros((1, 10, 10, 3)), "bounding_boxes": {"boxes": boxes, "classes": np.array([[1]])}},
            transformation,
        )["bounding_boxes"]
        assert out["classes"][0, 0] == expected


def test_mosaic_boxes_cover_the_visible_part_of_each_image():
    images, _, values = _constant_batch(4, 8, 8)
    whole_image = np.tile(np.array([[[0, 0, 8, 8]]], "float32"), (4, 1, 1))
    classes = np.arange(4)[:, None]
    layer = layers.Mosaic(output_size=(12, 12), fill_value=-1, bounding_box_format="xyxy")
    out = layer(
        {"images": images, "bounding_boxes": {"boxes": whole_image, "classes": classes}}, seed=6
    )
    pixels, boxes = np.asarray(out["images"])[..., 0], out["bounding_boxes"]
    for sample in range(4):
        covered = {}
        for box, cls in zip(boxes["boxes"][sample].numpy(), boxes["classes"][sample].numpy()):
            x1, y1, x2, y2 = box.astype(int)
            region = pixels[sample, y1:y2, x1:x2]
            assert region.size and np.all(region == values[cls]), (sample, box, cls)
            covered[cls] = covered.get(cls, 0) + region.size
        for cls, size in covered.items():  # an image may fill two quadrants
            assert (pixels[sample] == values[cls]).sum() == size


def test_mosaic_relative_boxes_use_the_output_size():
    layer = layers.Mosaic(output_size=(16, 16), bounding_box_format="rel_xyxy", offset=(0.5, 0.5))
    boxes = np.tile(np.array([[[0.0, 0.0, 1.0, 1.0]]], "float32"), (2, 1, 1))
    out = layer({"images": np.zeros((2, 8, 8, 3)), "bounding_boxes": {"boxes": boxes, "classes": np.array([[0], [1]])}})
    np.testing.assert_allclose(out["images"].shape, (2, 16, 16, 3))
    quadrants = np.sort(out["bounding_boxes"]["boxes"][0].numpy(), axis=0)
    np.testing.assert_allclose(quadrants[:, 0], [0, 0, 0.5, 0.5])
    np.testing.assert_allclose(quadrants[:, 2], [0.5, 0.5, 1, 1])


def test_mosaic_keypoints_land_on_their_image_or_are_hidden():
    images, _, values = _constant_batch(4, 8, 8)
    # A grid of points on pixel centres; the last column names the image.
    grid = np.stack(np.meshgrid(np.arange(8) + 0.5, np.arange(8) + 0.5), -1).reshape(-1, 2)
    keypoints = np.stack(
        [np.concatenate([grid, np.ones([64, 1]), np.full([64, 1], i)], -1) for i in range(4)]
    ).astype("float32")
    layer = layers.Mosaic(output_size=(12, 12), fill_value=-1)
    out = layer({"images": images, "keypoints": keypoints}, seed=6)
    pixels, moved = np.asarray(out["images"])[..., 0], np.asarray(out["keypoints"])
    assert moved.shape == (4, 4 * 64, 4)
    for sample in range(4):
        shown = moved[sample][moved[sample, :, 2] == 1]
        x, y = shown[:, 0].astype(int), shown[:, 1].astype(int)
        np.testing.assert_array_equal(pixels[sample, y, x], values[shown[:, 3].astype(int)])
        # Every output pixel shows one visible point of its image, once.
        assert len(shown) == (pixels[sample] != -1).sum()
        assert len(set(zip(x, y))) == len(shown)


def test_mosaic_rejects_keypoints_and_bad_arguments():
    with pytest.raises(ValueError, match="Mosaic.*keypoints need a visibility column"):
        layers.Mosaic()({"images": np.zeros((2, 8, 8, 3)), "keypoints": np.zeros((2, 1, 2))})
    with pytest.raises(ValueError, match="Mosaic.*output_size"):
        layers.Mosaic(output_size=(0, 8))
    with pytest.raises(ValueError, match="MixUp.*alpha"):
        layers.MixUp(alpha=0)
    with pytest.raises(ValueError, match="CutMix.*factor"):
        layers.CutMix(factor=1.5)
    with pytest.raises(ValueError, match="CutMix.*labels"):
        layers.CutMix()({"images": np.zeros((2, 8, 8, 3)), "labels": np.zeros((2,), "float32")})


def test_mix_up_matches_keras_for_fixed_weights_and_partners():
    images = np.random.default_rng(1).uniform(0, 255, (4, 6, 5, 3)).astype("float32")
    labels = np.eye(4, dtype="float32")
    weights = np.array([0.1, 0.5, 0.9, 0.3], "float32")
    partners = np.array([2, 0, 3, 1])
    ours = layers.MixUp().apply_transformation(
        {"images": images, "labels": labels},
        {"sources": np.stack([np.arange(4), partners], 1), "weights": np.stack([weights, 1 - weights], 1)},
    )
    keras_layer = keras.layers.MixUp()
    theirs = {"mix_weight": weights, "permutation_order": partners}
    np.testing.assert_allclose(ours["images"], keras_layer.transform_images(images, theirs), rtol=1e-6)
    np.testing.assert_allclose(ours["labels"], keras_layer.transform_labels(labels, theirs), rtol=1e-6)


def test_cut_mix_matches_keras_for_a_fixed_rectangle():
    images = np.random.default_rng(1).uniform(0, 255, (2, 10, 10, 3)).astype("float32")
    transformation = _cut_mix_transformation([2, 3, 7, 9], np.array([1, 0]))
    ours = layers.CutMix().apply_transformation(images, transformation)
    inside = mixing_ops.rectangle_masks(transformation["rectangles"], 10, 10)[..., None]
    theirs = keras.layers.CutMix().transform_images(
        images,
        {"permutation_order": np.array([1, 0]), "batch_masks": np.repeat(inside, 3, -1), "mix_weight": None},
    )
    np.testing.assert_array_equal(ours, theirs)


def test_signatures_start_like_keras():
    import inspect

    for name in ("MixUp", "CutMix"):
        ours = list(inspect.signature(getattr(layers, name).__init__).parameters)
        theirs = list(inspect.signature(getattr(keras.layers, name).__init__).parameters)
        theirs.remove("kwargs")
        assert ours[: len(theirs)] == theirs, (name, ours, theirs)


def test_mixing_kernels_compile_with_xla():
    images, labels, _ = _constant_batch(4)
    data = {"images": images, "labels": labels}
    for layer in (layers.MixUp(), layers.CutMix(), layers.Mosaic(output_size=(12, 12))):
        transformation = layer.get_random_transformation(images, seed=3)
        compiled = tf.function(layer.apply_transformation, jit_compile=True)
        out = compiled(data, transformation)
        expected = layer(data, seed=3)
        np.testing.assert_allclose(out["images"], expected["images"], rtol=1e-5)
        np.testing.assert_allclose(out["labels"], expected["labels"], rtol=1e-5)
