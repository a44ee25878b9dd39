"""keras_augment.data.load from every kind of source, and cleaning of folders."""

import io
import os

import numpy as np
import pytest
import tensorflow as tf
from PIL import Image

from keras_augment import data


def _image_bytes(array, file_format):
    buffer = io.BytesIO()
    Image.fromarray(array).save(buffer, format=file_format)
    return buffer.getvalue()


@pytest.fixture
def messy_folder(tmp_path):
    """Two classes of good 6x5 images in all four formats, plus bad files."""
    root = tmp_path / "photos"
    rng = np.random.default_rng(0)
    good = {}
    for label, name in enumerate(["cat", "dog"]):
        (root / name).mkdir(parents=True)
        for index, file_format in enumerate(["PNG", "BMP", "GIF", "JPEG"]):
            array = rng.integers(0, 255, (5, 6, 3), dtype=np.uint8)
            path = root / name / f"{index}.{file_format.lower()}"
            path.write_bytes(_image_bytes(array, file_format))
            good[str(path)] = (array, label, file_format)
    png = _image_bytes(rng.integers(0, 255, (30, 30, 3), dtype=np.uint8), "PNG")
    (root / "cat" / "truncated.png").write_bytes(png[: len(png) // 2])
    (root / "cat" / "corrupted.jpg").write_bytes(b"\xff\xd8\xff\xe0" + rng.bytes(200))
    (root / "dog" / "empty.png").write_bytes(b"")
    (root / "dog" / "notes.txt").write_text("not an image")
    outside = tmp_path / "secret.png"
    outside.write_bytes(_image_bytes(np.zeros((5, 6, 3), np.uint8), "PNG"))
    os.symlink(outside, root / "dog" / "link.png")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "x.png").write_bytes(_image_bytes(np.zeros((5, 6, 3), np.uint8), "PNG"))
    os.symlink(tmp_path / "elsewhere", root / "zebra")  # a class folder outside the root
    return root, good


def test_folder_skips_and_names_every_bad_file(messy_folder):
    root, good = messy_folder
    report = data.CleaningReport()
    ds = data.load(str(root), report=report)
    samples = list(ds.as_numpy_iterator())
    assert len(samples) == len(good) == report.kept == 8
    assert ds.class_names == ["cat", "dog"]
    reasons = {os.path.basename(path): reason for path, reason in report.skipped}
    assert set(reasons) == {"truncated.png", "corrupted.jpg", "empty.png", "notes.txt", "link.png", "zebra"}
    assert "truncated" in reasons["truncated.png"]
    assert "empty" in reasons["empty.png"]
    assert reasons["notes.txt"] == "not an image"
    assert "outside" in reasons["link.png"]
    summary = report.summary()
    for name in reasons:
        assert name in summary
    assert "skipped 6 files" in summary


def test_decompression_bomb_is_refused_from_its_header(tmp_path):
    (tmp_path / "a").mkdir()
    Image.new("L", (8000, 6000)).save(tmp_path / "a" / "bomb.png")  # 48 Mpx of zeros, a few KB
    Image.new("L", (4, 4)).save(tmp_path / "a" / "fine.png")
    report = data.CleaningReport()
    assert data.load(str(tmp_path), report=report).cardinality() == 1
    (path, reason), = report.skipped
    assert path.endswith("bomb.png") and "8000x6000" in reason


def test_folder_pixels_match_the_files(messy_folder):
    root, good = messy_folder
    samples = list(data.load(str(root)).as_numpy_iterator())
    ordered = sorted(good.items())  # load sorts by class then file name
    ordered.sort(key=lambda item: item[1][1])
    for sample, (path, (array, label, file_format)) in zip(samples, ordered):
        assert sample["labels"] == label
        assert sample["images"].shape == (5, 6, 3)
        if file_format in ("PNG", "BMP"):  # lossless formats come back exactly
            np.testing.assert_array_equal(sample["images"], array)


def test_folder_refuses_images_over_the_pixel_limit(messy_folder):
    root, _ = messy_folder
    report = data.CleaningReport()
    with pytest.raises(ValueError, match="no readable images"):
        data.load(str(root), max_pixels=29, report=report)  # 6x5 = 30 pixels
    assert any("decompression bomb" in reason for _, reason in report.skipped)


def test_folder_resize_and_grey_channels(tmp_path):
    for label in ("a", "b"):
        (tmp_path / label).mkdir()
        for size in (4, 9):
            Image.new("L", (size, size + 1), 7).save(tmp_path / label / f"{size}.png")
    ds = data.load(str(tmp_path), image_size=(3, 3))
    images = np.stack([s["images"] for s in ds.as_numpy_iterator()])
    assert images.shape == (4, 3, 3, 1)
    np.testing.assert_array_equal(images, 7)


def test_digits_arrays_and_npz(tmp_path):
    ds = data.load("digits")
    assert ds.cardinality() == 1797
    first = next(iter(ds))
    assert first["images"].shape == (8, 8, 1) and first["images"].dtype == tf.uint8
    images = np.arange(2 * 3 * 3, dtype=np.uint8).reshape(2, 3, 3)
    labels = np.array([1, 0])
    from_tuple = list(data.load((images, labels)).as_numpy_iterator())
    np.savez(tmp_path / "a.npz", images=images, labels=labels)
    from_npz = list(data.load(str(tmp_path / "a.npz")).as_numpy_iterator())
    for samples in (from_tuple, from_npz):
        np.testing.assert_array_equal(samples[1]["images"][..., 0], images[1])
        assert samples[1]["labels"] == 0


def test_bad_sources_are_clear_errors(tmp_path):
    with pytest.raises(FileNotFoundError):
        data.load(str(tmp_path / "missing"))
    with pytest.raises(ValueError, match="2 images but 3 labels"):
        data.load((np.zeros((2, 4, 4)), np.zeros(3)))
    with pytest.raises(ValueError, match="single split"):
        data.load("digits", split="test")
    with pytest.raises(ValueError, match="not a folder, file or TensorFlow Datasets name"):
        data.load("no_such_dataset_anywhere")


def test_tfds_name_with_mock_data():
    import tensorflow_datasets as tfds

    with tfds.testing.mock_data(num_examples=4):
        ds = data.load("mnist", split="train", image_size=(14, 14))
        samples = list(ds.as_numpy_iterator())
    assert len(samples) == 4
    assert samples[0]["images"].shape == (14, 14, 1)
    assert samples[0]["labels"].dtype == np.int64


def test_digits_tfds_builder_works_offline(tmp_path):
    import tensorflow_datasets as tfds

    import keras_augment.data.digits_tfds  # noqa: F401

    ds = tfds.load("digits", split="train", as_supervised=True, data_dir=str(tmp_path))
    images, labels = data.load_digits_arrays()
    pairs = sorted(((int(y), x.tobytes()) for x, y in ds.as_numpy_iterator()))
    assert pairs == sorted((int(y), x.tobytes()) for x, y in zip(images, labels))
    # And through load() by name, reusing the prepared files.
    assert data.load("digits", data_dir=str(tmp_path)).cardinality() == 1797
