"""`expand` writes TFRecord shards that `load` reads back exactly; writes are atomic."""

import json
import os
import sys

import numpy as np
import pytest
import tensorflow as tf

from keras_augment import data, layers
from keras_augment.data.expand_shards import batches_by_shard, derive_seed, shard_seed


def _arrays(count=20):
    rng = np.random.default_rng(1)
    return rng.integers(0, 255, (count, 6, 5, 3), dtype=np.uint8), rng.integers(0, 3, count)


def _fake_generator(labels, seed):
    labels = tf.cast(labels, tf.float32)
    return tf.ones([tf.shape(labels)[0], 6, 5, 3]) * (labels[:, None, None, None] * 50 + seed % 7)


def _shard_batches(count, shard_size, batch_size):
    """`(shard, batch, start, stop)` of every batch `expand` makes of `count` samples."""
    bounds = []
    for shard, shard_start in enumerate(range(0, count, shard_size)):
        shard_stop = min(shard_start + shard_size, count)
        for batch, start in enumerate(range(shard_start, shard_stop, batch_size)):
            bounds.append((shard, batch, start, min(start + batch_size, shard_stop)))
    return bounds


def test_expand_then_load_round_trips_exactly(tmp_path):
    images, labels = _arrays()
    augmenter = layers.RandomFlip("horizontal", seed=0)
    counts = data.expand(
        data.load((images, labels)), str(tmp_path / "out"), factor=3,
        augmenter=augmenter, generator=_fake_generator, batch_size=8, shard_size=12, verbose=False,
    )
    assert counts == {"original": 20, "augmented": 20, "synthetic": 20, "shards": 2}
    back = list(data.read_records(str(tmp_path / "out"), with_origin=True).as_numpy_iterator())
    assert len(back) == 60 and data.load(str(tmp_path / "out")).cardinality() == 60
    originals = [e for e in back if e["origin"] == 0]
    np.testing.assert_array_equal(np.stack([e["images"] for e in originals]), images)
    np.testing.assert_array_equal([e["labels"] for e in originals], labels)
    # Shards of 12 in batches of 8: batches [0, 8), [8, 12) | [12, 20), each
    # augmented (round 1; round 0 is synthetic) with its derived seed.
    augmented = np.stack([e["images"] for e in back if e["origin"] == 1])
    expected = np.concatenate([
        augmenter(images[start:stop], seed=derive_seed(shard_seed(0, shard), 1, batch)).numpy()
        for shard, batch, start, stop in _shard_batches(20, 12, 8)
    ])
    np.testing.assert_array_equal(augmented, expected.astype(np.uint8))
    synthetic = [e for e in back if e["origin"] == 2]
    assert all(e["images"].dtype == np.uint8 for e in synthetic)
    assert [e["labels"] for e in synthetic] == list(labels)


def test_a_shard_read_alone_gives_the_batches_of_a_full_pass():
    # What makes the Beam runner's records those of the local runner.
    ds = tf.data.Dataset.from_tensor_slices({"images": np.arange(23), "labels": np.arange(23)})
    full = [(s, b, e["labels"].tolist()) for s, b, e in batches_by_shard(ds, 7, 3)]
    assert [(s, b, y[0], y[-1] + 1) for s, b, y in full] == _shard_batches(23, 7, 3)
    alone = [
        (s, b, e["labels"].tolist())
        for shard in range(4)
        for s, b, e in batches_by_shard(ds.skip(shard * 7).take(7), 7, 3, first_shard=shard)
    ]
    assert alone == full


def test_shard_seeds_differ_and_stay_in_int64():
    seeds = {shard_seed(seed, shard) for seed in (0, 1, -1, 2**63 - 1) for shard in range(100)}
    assert len(seeds) == 400 and all(-(2**63) <= s < 2**63 for s in seeds)


def test_text_expands_to_its_exact_bytes(tmp_path):
    texts = ["a good film é", "a dull plot indeed", "what a time to be alive", "ok", "日本語 の 文"]
    ds = tf.data.Dataset.from_tensor_slices({"text": texts, "labels": np.arange(5)})
    augmenter = layers.Pipeline([layers.RandomWordSwap(0.5, seed=0), layers.RandomCharacterNoise(0.2, seed=1)])
    out = str(tmp_path / "text")
    counts = data.expand(ds, out, factor=3, augmenter=augmenter, batch_size=2, shard_size=3, verbose=False)
    assert counts == {"original": 5, "augmented": 10, "synthetic": 0, "shards": 2}
    back = list(data.load(out).as_numpy_iterator())
    assert [e["text"].decode("utf-8") for e in back[:2]] == texts[:2]  # originals of batch 0
    by_origin = list(data.read_records(out, with_origin=True).as_numpy_iterator())
    augmented = [e["text"] for e in by_origin if e["origin"] == 1]
    expected = [
        text
        for shard, batch, start, stop in _shard_batches(5, 3, 2)
        for round_index in (0, 1)
        for text in augmenter(tf.constant(texts[start:stop]),
                              seed=derive_seed(shard_seed(0, shard), round_index, batch)).numpy()
    ]
    assert augmented == expected and augmented != [t.encode() for t in texts] * 2
    info = json.loads(open(os.path.join(out, "dataset_info.json")).read())
    assert info["kind"] == "text" and info["text_dtype"] == "string"
    # The same seed writes the same files.
    data.expand(ds, str(tmp_path / "again"), factor=3, augmenter=augmenter, batch_size=2, shard_size=3,
                verbose=False)
    for name in info["shards"]:
        assert open(os.path.join(out, name), "rb").read() == open(tmp_path / "again" / name, "rb").read()


def _write_tone_folder(root, rate=8000):
    import soundfile

    for label, frequency in enumerate((440, 660)):
        os.makedirs(os.path.join(root, f"class{label}"))
        for index in range(3):
            time = np.arange(rate // 10 + index * 37) / rate
            tone = 0.5 * np.sin(2 * np.pi * frequency * time).astype(np.float32)
            soundfile.write(os.path.join(root, f"class{label}", f"{index}.wav"), tone, rate)


def test_audio_from_a_folder_expands_to_its_exact_values(tmp_path):
    _write_tone_folder(tmp_path / "tones")
    options = {"sampling_rate": 8000, "duration": 0.1}
    out = str(tmp_path / "audio")
    augmenter = layers.RandomGain(-6.0, 6.0, seed=0)
    counts = data.expand(str(tmp_path / "tones"), out, factor=2, augmenter=augmenter, batch_size=4,
                         load_options=options, verbose=False)
    assert counts == {"original": 6, "augmented": 6, "synthetic": 0, "shards": 1}
    source = np.stack([e["audio"] for e in data.load(str(tmp_path / "tones"), **options).as_numpy_iterator()])
    back = list(data.read_records(out, with_origin=True).as_numpy_iterator())
    assert all(e["audio"].dtype == np.float32 and e["audio"].shape == (800,) for e in back)
    np.testing.assert_array_equal(np.stack([e["audio"] for e in back if e["origin"] == 0]), source)
    expected = np.concatenate([
        augmenter(source[start:stop], seed=derive_seed(shard_seed(0, 0), 0, batch)).numpy()
        for _, batch, start, stop in _shard_batches(6, 1024, 4)
    ])
    np.testing.assert_array_equal(np.stack([e["audio"] for e in back if e["origin"] == 1]), expected)
    info = data.records.read_info(out)
    assert info["sampling_rate"] == 8000 and info["class_names"] == ["class0", "class1"]


def test_expand_refuses_what_it_cannot_write_faithfully(tmp_path):
    audio = tf.data.Dataset.from_tensor_slices({"audio": np.zeros([2, 50], np.float32), "labels": [0, 1]})
    with pytest.raises(ValueError, match="RandomFlip works on images, but the data holds audio"):
        data.expand(audio, str(tmp_path / "a"), augmenter=layers.RandomFlip(), verbose=False)
    ragged = tf.data.Dataset.from_generator(
        lambda: iter([{"audio": np.zeros(5, np.float32), "labels": 0}]),
        output_signature={"audio": tf.TensorSpec([None], tf.float32), "labels": tf.TensorSpec([], tf.int64)},
    )
    with pytest.raises(ValueError, match=r"audio of one fixed shape.*duration="):
        data.expand(ragged, str(tmp_path / "b"), augmenter=layers.RandomGain(), verbose=False)
    images, labels = _arrays(4)
    with pytest.raises(ValueError, match=r"generator returned images of shape \(2, 6, 5, 3\) for a batch"):
        data.expand(data.load((images, labels)), str(tmp_path / "c"), verbose=False,
                    generator=lambda labels, seed: tf.zeros([2, 6, 5, 3]))


def test_beam_runner_says_how_to_install_beam(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "apache_beam", None)  # as if not installed
    with pytest.raises(ImportError, match=r'pip install "keras_augment\[beam\]"'):
        data.expand("digits", str(tmp_path), factor=1, runner="beam", verbose=False)


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
    assert Explodes.calls == 3  # two shards were written before
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
    with pytest.raises(ValueError, match=r"`runner` must be one of \('local', 'beam'\)"):
        data.expand(ds, str(tmp_path / "x"), factor=1, runner="spark")
