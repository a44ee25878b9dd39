"""`expand` writes TFRecord shards that `load` reads back exactly; writes are atomic."""

import json
import os

import numpy as np
import pytest
import tensorflow as tf

from keras_augment import data, layers


def _arrays(count=20):
    rng = np.random.default_rng(1)
    return rng.integers(0, 255, (count, 6, 5, 3), dtype=np.uint8), rng.integers(0, 3, count)


def _fake_generator(labels, seed):
    labels = tf.cast(labels, tf.float32)
    return tf.ones([tf.shape(labels)[0], 6, 5, 3]) * (labels[:, None, None, None] * 50 + seed % 7)


def test_expand_then_load_round_trips_exactly(tmp_path):
    images, labels = _arrays()
    augmenter = layers.RandomFlip("horizontal", seed=0)
    counts = data.expand(
        data.load((images, labels)), str(tmp_path / "out"), factor=3,
        augmenter=augmenter, generator=_fake_generator, batch_size=8, shard_size=16, verbose=False,
    )
    assert counts == {"original": 20, "augmented": 20, "synthetic": 20, "shards": 4}
    back = list(data.read_records(str(tmp_path / "out"), with_origin=True).as_numpy_iterator())
    assert len(back) == 60 and data.load(str(tmp_path / "out")).cardinality() == 60
    originals = [e for e in back if e["origin"] == 0]
    np.testing.assert_array_equal(np.stack([e["images"] for e in originals]), images)
    np.testing.assert_array_equal([e["labels"] for e in originals], labels)
    # Augmented samples are exactly the augmenter's output for the recorded seeds.
    augmented = np.stack([e["images"] for e in back if e["origin"] == 1])
    expected = np.concatenate([
        augmenter(images[start:start + 8], seed=0 * 1_000_003 + 1 * 10_007 + batch).numpy()
        for batch, start in enumerate(range(0, 20, 8))
    ])
    np.testing.assert_array_equal(augmented, expected.astype(np.uint8))
    synthetic = [e for e in back if e["origin"] == 2]
    assert all(e["images"].dtype == np.uint8 for e in synthetic)
    assert [e["labels"] for e in synthetic] == list(labels)


def test_interrupted_expand_leaves_no_partial_shard(tmp_path):
    images, labels = _arrays(40)

    class Explodes:
        """A generator that is interrupted (like Ctrl-C) on its third batch."""

        calls = 0

        def __call__(self, labels, seed):
            Explodes.calls += 1
            if Explodes.calls == 3:
                raise KeyboardInterrupt("simulated interruption")
            return tf.zeros([len(labels), 6, 5, 3])

    out = tmp_path / "out"
    with pytest.raises(KeyboardInterrupt):
        data.expand(data.load((images, labels)), str(out), factor=2, generator=Explodes(),
                    batch_size=8, shard_size=8, verbose=False)
    assert Explodes.calls == 3  # two batches (four shards' worth) were written before
    assert os.listdir(out) == []  # no shard, partial or finished, and no info file
    with pytest.raises(ValueError, match="no class subfolders"):
        data.load(str(out))


def test_expand_refuses_to_overwrite_and_checks_arguments(tmp_path):
    images, labels = _arrays(4)
    ds = data.load((images, labels))
    data.expand(ds, str(tmp_path), factor=1, verbose=False)
    with pytest.raises(ValueError, match="not empty"):
        data.expand(ds, str(tmp_path), factor=1, verbose=False)
    data.expand(ds, str(tmp_path), factor=1, overwrite=True, verbose=False)
    info = json.loads((tmp_path / "dataset_info.json").read_text())
    assert info["count"] == 4 and info["images_dtype"] == "uint8"
    with pytest.raises(ValueError, match="needs an augmenter or a generator"):
        data.expand(ds, str(tmp_path / "x"), factor=2)
