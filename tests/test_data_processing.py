"""Seeded split, balancing, normalisation, `augment` determinism, cleaning stats."""

import numpy as np
import pytest
import tensorflow as tf

from keras_augment import data, layers


def _toy(count=40, classes=4):
    images = np.arange(count * 4 * 4, dtype=np.uint8).reshape(count, 4, 4, 1)
    labels = np.arange(count) % classes
    return data.load((images, labels))


def _ids(ds):
    return [int(e["images"][0, 0, 0]) for e in ds.as_numpy_iterator()]


def test_split_is_exact_disjoint_and_seeded():
    ds = _toy()
    train, validation = data.split(ds, 0.25, seed=3)
    train_ids, validation_ids = _ids(train), _ids(validation)
    assert len(validation_ids) == 10 and len(train_ids) == 30
    assert sorted(train_ids + validation_ids) == sorted(_ids(ds))
    assert _ids(data.split(ds, 0.25, seed=3)[1]) == validation_ids
    assert _ids(data.split(ds, 0.25, seed=4)[1]) != validation_ids
    with pytest.raises(ValueError, match="validation_fraction"):
        data.split(ds, 1.5)


@pytest.mark.parametrize("strategy, expected", [("oversample", 12), ("undersample", 2)])
def test_balance(strategy, expected):
    images = np.zeros((20, 2, 2, 1), np.uint8)
    labels = np.array([0] * 12 + [1] * 6 + [2] * 2)
    balanced = data.balance(data.load((images, labels)), strategy, seed=1)
    assert data.class_counts(balanced) == {0: expected, 1: expected, 2: expected}
    assert balanced.cardinality() == 3 * expected
    again = data.balance(data.load((images, labels)), strategy, seed=1)
    assert [e["labels"] for e in balanced.as_numpy_iterator()] == [
        e["labels"] for e in again.as_numpy_iterator()
    ]


def test_balance_target_and_errors():
    ds = _toy(12, 3)
    assert data.class_counts(data.balance(ds, target=6)) == {0: 6, 1: 6, 2: 6}
    with pytest.raises(ValueError, match="strategy"):
        data.balance(ds, "sideways")


def test_resize_and_normalize():
    ds = data.normalize(data.resize(data.load("digits").take(3), 16), input_range=(0, 16))
    images = np.stack([e["images"] for e in ds.as_numpy_iterator()])
    assert images.shape == (3, 16, 16, 1) and images.dtype == np.float32
    assert images.min() >= 0 and images.max() <= 1 and images.max() > 0.5


def _epochs(num_parallel_calls, seed=7, passes=2):
    augmenter = layers.Pipeline(
        [layers.RandomFlip("horizontal_and_vertical"), layers.RandomBrightness(0.5, value_range=(0, 255))],
        seed=0,
    )
    ds = data.augment(_toy(64).batch(8), augmenter, seed=seed, num_parallel_calls=num_parallel_calls)
    return [np.concatenate([b["images"] for b in ds.as_numpy_iterator()]) for _ in range(passes)]


def test_augment_is_bit_identical_across_num_parallel_calls_and_differs_by_epoch():
    serial = _epochs(1)
    for calls in (4, tf.data.AUTOTUNE):
        parallel = _epochs(calls)
        for epoch in range(2):
            np.testing.assert_array_equal(serial[epoch], parallel[epoch])
    assert not np.array_equal(serial[0], serial[1])
    assert not np.array_equal(serial[0], _epochs(1, seed=8, passes=1)[0])
    # Batches within one epoch get different draws too.
    original = np.concatenate([b["images"] for b in _toy(64).batch(8).as_numpy_iterator()])
    assert not np.array_equal(serial[0], original)


def test_augment_in_repeat_gives_new_draws_each_epoch():
    augmenter = layers.RandomBrightness(0.5, value_range=(0, 255), seed=0)
    ds = data.augment(_toy(8).batch(8), augmenter, seed=1).repeat(2)
    first, second = [b["images"] for b in ds.as_numpy_iterator()]
    assert not np.array_equal(first, second)


def test_stats():
    images = np.stack([np.full((2, 3, 3), v, np.uint8) for v in (0, 10, 20, 30)])
    images[..., 1] = 5
    result = data.stats(data.load((images, np.array([0, 0, 1, 2]))).batch(3))
    assert result["count"] == 4
    assert result["class_counts"] == {0: 2, 1: 1, 2: 1}
    np.testing.assert_allclose(result["mean"], [15, 5, 15])
    np.testing.assert_allclose(result["std"], [np.std([0, 10, 20, 30]), 0, np.std([0, 10, 20, 30])])
    assert result["sizes"] == {(2, 3): 4}


def test_duplicates_exact_and_near():
    rng = np.random.default_rng(0)
    base = rng.integers(0, 255, (16, 16, 3), dtype=np.uint8)
    near = base.copy()
    near[0, 0] ^= 1  # one pixel changed by one level
    other = rng.integers(0, 255, (16, 16, 3), dtype=np.uint8)
    images = np.stack([base, other, base, near])
    exact, close = data.find_duplicates(list(images), threshold=4)
    assert exact == [[0, 2]] and close == [[0, 3]]
    ds = data.load((images, np.arange(4)))
    kept, report = data.deduplicate(ds, threshold=4)
    assert [int(e["labels"]) for e in kept.as_numpy_iterator()] == [0, 1]
    assert report.removed == 2 and "1 groups of exact duplicates" in report.summary()
    kept, report = data.deduplicate(ds, threshold=4, remove=False)
    assert report.removed == 0 and kept.cardinality() == 4
