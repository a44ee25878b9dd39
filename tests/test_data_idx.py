"""IDX folders (the MNIST family's format) through `data.load`."""

import gzip
import os
import struct

import numpy as np
import pytest

from keras_augment import data
from keras_augment.data import idx

FASHION_MNIST = "/usr/share/datasets/fashion-mnist"


def idx_bytes(array, magic=None):
    """An IDX file as the spec describes it, written independently of the reader:
    magic (0, 0, type 0x08, rank), big-endian uint32 sizes, then the bytes."""
    array = np.asarray(array, np.uint8)
    magic = (0x0800 | array.ndim) if magic is None else magic
    header = struct.pack(">I", magic) + b"".join(struct.pack(">I", n) for n in array.shape)
    return header + array.tobytes()


def write_split(folder, prefix, images, labels, gz=False, image_magic=None):
    suffix = ".gz" if gz else ""
    opener = gzip.open if gz else open
    paths = []
    for name, array, magic in (
        (f"{prefix}-images-idx3-ubyte{suffix}", images, image_magic),
        (f"{prefix}-labels-idx1-ubyte{suffix}", labels, None),
    ):
        path = os.path.join(folder, name)
        with opener(path, "wb") as handle:
            handle.write(idx_bytes(array, magic))
        paths.append(path)
    return paths


def tiny(count=5, height=4, width=3, seed=0):
    rng = np.random.default_rng(seed)
    return rng.integers(0, 256, (count, height, width)), rng.integers(0, 10, count)


def collect(ds):
    items = list(ds.as_numpy_iterator())
    return np.stack([e["images"] for e in items]), np.array([e["labels"] for e in items])


def test_the_spec_magic_numbers():
    assert idx_bytes(np.zeros((2, 4, 3)))[:4] == b"\x00\x00\x08\x03"
    assert idx.IMAGES_MAGIC == 0x00000803 and idx.LABELS_MAGIC == 0x00000801


@pytest.mark.parametrize("gz", [False, True], ids=["plain", "gzipped"])
def test_train_and_test_splits_load_with_their_values(tmp_path, gz):
    train, test = tiny(5), tiny(3, seed=1)
    write_split(tmp_path, "train", *train, gz=gz)
    write_split(tmp_path, "t10k", *test, gz=gz)
    ds = data.load(str(tmp_path))
    spec = ds.element_spec
    assert spec["images"].shape == (4, 3, 1) and spec["images"].dtype.name == "uint8"
    assert spec["labels"].dtype.name == "int64"
    images, labels = collect(ds)
    np.testing.assert_array_equal(images[..., 0], train[0])
    np.testing.assert_array_equal(labels, train[1])
    images, labels = collect(data.load(str(tmp_path), split="test"))
    np.testing.assert_array_equal(images[..., 0], test[0])
    np.testing.assert_array_equal(labels, test[1])
    images, labels = collect(data.load(str(tmp_path), split="all"))
    assert len(images) == 8
    np.testing.assert_array_equal(labels, np.concatenate([train[1], test[1]]))


def test_the_dotted_mirror_spelling_and_resizing(tmp_path):
    images, labels = tiny(2)
    with open(tmp_path / "train-images.idx3-ubyte", "wb") as handle:
        handle.write(idx_bytes(images))
    with open(tmp_path / "train-labels.idx1-ubyte", "wb") as handle:
        handle.write(idx_bytes(labels))
    ds = data.load(str(tmp_path), image_size=(8, 8))
    assert collect(ds)[0].shape == (2, 8, 8, 1)


def test_a_wrong_magic_names_load_and_the_file(tmp_path):
    images_path, _ = write_split(tmp_path, "train", *tiny(), image_magic=0x00000801)
    with pytest.raises(ValueError, match=r"load\(\).*train-images-idx3-ubyte.*0x00000801.*0x00000803"):
        data.load(str(tmp_path))
    assert images_path.endswith("train-images-idx3-ubyte")


@pytest.mark.parametrize("cut", [2, 10, 7 + 12], ids=["in-magic", "in-header", "in-values"])
def test_a_truncated_file_is_refused(tmp_path, cut):
    images_path, _ = write_split(tmp_path, "train", *tiny())
    content = open(images_path, "rb").read()
    with open(images_path, "wb") as handle:
        handle.write(content[:cut])
    with pytest.raises(ValueError, match=r"load\(\): IDX file .*train-images-idx3-ubyte is truncated"):
        data.load(str(tmp_path))


def test_trailing_bytes_a_cut_gzip_and_mismatched_counts_are_refused(tmp_path):
    images_path, labels_path = write_split(tmp_path, "train", *tiny())
    with open(images_path, "ab") as handle:
        handle.write(b"\x00")
    with pytest.raises(ValueError, match="longer than its header says"):
        data.load(str(tmp_path))
    write_split(tmp_path, "train", tiny(5)[0], tiny(4)[1])
    with pytest.raises(ValueError, match=r"load\(\).*5 images.*4 labels"):
        data.load(str(tmp_path))
    gz_folder = tmp_path / "gz"
    gz_folder.mkdir()
    images_path, _ = write_split(gz_folder, "train", *tiny(), gz=True)
    content = open(images_path, "rb").read()
    with open(images_path, "wb") as handle:
        handle.write(content[: len(content) // 2])
    with pytest.raises(ValueError, match=r"load\(\): cannot read IDX file .*\.gz"):
        data.load(str(gz_folder))


def test_a_missing_split_and_a_bad_split_name(tmp_path):
    write_split(tmp_path, "train", *tiny())
    with pytest.raises(ValueError, match=r"no t10k-images-idx3-ubyte\[\.gz\].*'test'"):
        data.load(str(tmp_path), split="test")
    with pytest.raises(ValueError, match=r"'train', 'test' and 'all'.*'validation'"):
        data.load(str(tmp_path), split="validation")


@pytest.mark.skipif(
    not os.path.isdir(FASHION_MNIST),
    reason=f"Fashion-MNIST not installed at {FASHION_MNIST} (apt-get install dataset-fashion-mnist)",
)
def test_debian_fashion_mnist_loads():
    images, labels = idx.load_idx_arrays(FASHION_MNIST, "train")
    assert images.shape == (60000, 28, 28, 1) and images.dtype == np.uint8
    assert sorted(np.unique(labels)) == list(range(10))
    assert np.bincount(labels).tolist() == [6000] * 10
    test = data.load(FASHION_MNIST, split="test")
    assert int(test.cardinality()) == 10000
    assert test.element_spec["images"].shape == (28, 28, 1)
