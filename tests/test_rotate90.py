"""RandomRotate90: quarter turns are exact for images, masks, boxes and keypoints."""

import numpy as np
import pytest
import tensorflow as tf

from harness import random_images
from keras_augment import layers

SIZE = 9


def _rot90(x, turns):
    """np.rot90 of each sample of a `[B, H, W, ...]` array by its own turns."""
    return np.stack([np.rot90(sample, int(k), axes=(0, 1)) for sample, k in zip(x, turns)])


@pytest.mark.parametrize("dtype", ["uint8", "float32"])
@pytest.mark.parametrize("turns", [0, 1, 2, 3])
def test_images_match_numpy_rot90(turns, dtype):
    x = random_images((3, SIZE, SIZE, 2), dtype, seed=turns)
    out = layers.RandomRotate90(turns=turns)(x, seed=0)
    np.testing.assert_array_equal(out, _rot90(x, [turns] * 3).astype("float32"))


def test_each_sample_draws_its_own_turns():
    x = random_images((16, SIZE, SIZE, 1), "float32", seed=1)
    layer = layers.RandomRotate90()
    transformation = layer.get_random_transformation(x, seed=3)
    turns = np.asarray(transformation["turns"])
    assert set(turns) == {0, 1, 2, 3}
    np.testing.assert_array_equal(layer.apply_transformation(x, transformation), _rot90(x, turns))
    np.testing.assert_array_equal(layer(x, seed=3), _rot90(x, turns))


def test_masks_keypoints_and_boxes_move_exactly():
    batch = 8
    x = random_images((batch, SIZE, SIZE, 3), "uint8", seed=2)
    masks = np.random.default_rng(0).integers(0, 5, (batch, SIZE, SIZE)).astype("int32")
    rows, columns = np.array([0, 3, 8, 5]), np.array([1, 7, 0, 4])
    keypoints = np.tile(np.stack([columns + 0.5, rows + 0.5], -1)[None], (batch, 1, 1)).astype("float32")
    box = np.array([1, 2, 6, 4], "float32")  # x1, y1, x2, y2 on pixel edges
    boxes = {"boxes": np.tile(box, (batch, 1, 1)), "classes": np.zeros((batch, 1), "int32")}
    layer = layers.RandomRotate90(bounding_box_format="xyxy")
    data = {"images": x, "segmentation_masks": masks, "keypoints": keypoints, "bounding_boxes": boxes}
    transformation = layer.get_random_transformation(data, seed=5)
    turns = np.asarray(transformation["turns"])
    out = layer.apply_transformation(data, transformation)

    np.testing.assert_array_equal(out["segmentation_masks"], _rot90(masks, turns))
    for sample, k in enumerate(turns):
        for point, (row, column) in enumerate(zip(rows, columns)):
            # Where the pixel under the keypoint went, by numpy's rotation.
            marker = np.zeros((SIZE, SIZE))
            marker[row, column] = 1
            new_row, new_column = np.argwhere(np.rot90(marker, k))[0]
            np.testing.assert_array_equal(out["keypoints"][sample, point], [new_column + 0.5, new_row + 0.5])
        region = np.zeros((SIZE, SIZE))
        region[int(box[1]) : int(box[3]), int(box[0]) : int(box[2])] = 1
        ys, xs = np.nonzero(np.rot90(region, k))
        expected = [xs.min(), ys.min(), xs.max() + 1, ys.max() + 1]
        np.testing.assert_array_equal(out["bounding_boxes"]["boxes"][sample, 0], expected)


def test_half_turns_work_on_any_size_and_odd_turns_need_squares():
    x = random_images((2, 5, 8, 3), "float32", seed=3)
    np.testing.assert_array_equal(layers.RandomRotate90(turns=(2,))(x), _rot90(x, [2, 2]))
    with pytest.raises(ValueError, match=r"RandomRotate90.*square images.*height 5 and width 8"):
        layers.RandomRotate90()(x)
    with pytest.raises(ValueError, match=r"RandomRotate90.*square images"):
        layers.Pipeline([layers.RandomBrightness(0.1), layers.RandomRotate90(turns=1)])(x)


def test_fuses_exactly_in_a_pipeline():
    x = random_images((3, SIZE, SIZE, 3), "uint8", seed=4)
    pipeline = layers.Pipeline([layers.RandomRotate90(turns=1), layers.RandomRotate90(turns=(1,))])
    assert pipeline._groups == [[0, 1]]
    np.testing.assert_array_equal(pipeline(x, seed=1), _rot90(x, [2] * 3).astype("float32"))


@pytest.mark.parametrize("turns", [4, -1, (), (1, 1), 1.5, True, "1"])
def test_refuses_bad_turns(turns):
    with pytest.raises(ValueError, match=r"RandomRotate90.*`turns` must be an integer in 0\.\.3"):
        layers.RandomRotate90(turns=turns)


def test_config_round_trip():
    layer = layers.RandomRotate90(turns=[3, 1], seed=7, name="quarter")
    clone = layers.RandomRotate90.from_config(layer.get_config())
    assert clone.turns == (1, 3) and clone.seed == 7
    x = tf.constant(random_images((4, SIZE, SIZE, 1), "float32"))
    np.testing.assert_array_equal(clone(x, seed=2), layer(x, seed=2))
