"""Loading never dies mid-epoch because of one file; links, EXIF and unfinished folders.

Each test builds the bad input the way a user's folder would hold it and
checks that `load` skips and names it (or refuses it clearly) up front.
"""

import io
import os
import struct
import time
import zlib

import numpy as np
import pytest
import tensorflow as tf
from PIL import Image, ImageOps

from keras_augment import data


def _chunk(kind, payload):
    checksum = struct.pack(">I", zlib.crc32(kind + payload))
    return struct.pack(">I", len(payload)) + kind + payload + checksum


def _png(array):
    buffer = io.BytesIO()
    Image.fromarray(array).save(buffer, format="PNG")
    return buffer.getvalue()


def _folder(root, files):
    """A one-class folder `root/a` with a good 4x4 PNG and `files` (name -> bytes)."""
    (root / "a").mkdir(parents=True)
    Image.new("RGB", (4, 4), (10, 20, 30)).save(root / "a" / "good.png")
    for name, content in files.items():
        (root / "a" / name).write_bytes(content)
    return root


def _load_all(root, **kwargs):
    report = data.CleaningReport()
    samples = list(data.load(str(root), report=report, **kwargs).as_numpy_iterator())
    return samples, {os.path.basename(path): reason for path, reason in report.skipped}


def test_a_header_claiming_ten_billion_pixels_is_skipped_not_raised(tmp_path):
    # Pillow itself raises DecompressionBombError for this header at open().
    header = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 0, 0, 0, 0)
    bomb = (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header)
            + _chunk(b"IDAT", zlib.compress(b"\0" * 64)) + _chunk(b"IEND", b""))
    samples, reasons = _load_all(_folder(tmp_path, {"bomb.png": bomb}))
    assert len(samples) == 1
    assert "100000x100000" in reasons["bomb.png"] and "decompression bomb" in reasons["bomb.png"]


def test_files_pillow_accepts_but_tensorflow_cannot_decode_are_skipped(tmp_path):
    good = _png(np.full((6, 6, 3), 9, np.uint8))
    bad_crc = bytearray(good)
    bad_crc[good.index(b"IEND") - 8] ^= 0xFF  # the image data chunk's CRC
    no_end = good[: good.index(b"IEND") - 4]
    samples, reasons = _load_all(_folder(tmp_path, {"crc.png": bytes(bad_crc), "no_end.png": no_end}))
    assert len(samples) == 1  # the whole epoch runs
    for name in ("crc.png", "no_end.png"):
        assert "TensorFlow cannot decode it" in reasons[name]
        assert "function_node" not in reasons[name]  # TensorFlow's decorations are cut


def test_grey_loading_reads_gif_and_bmp_through_rgb(tmp_path):
    colour = (200, 40, 90)
    (tmp_path / "a").mkdir()
    for file_format in ("GIF", "BMP", "PNG"):
        Image.new("RGB", (3, 2), colour).save(tmp_path / "a" / f"x.{file_format.lower()}", file_format)
    samples, reasons = _load_all(tmp_path, channels=1)
    assert reasons == {} and len(samples) == 3
    expected = tf.image.rgb_to_grayscale(tf.constant(np.full((2, 3, 3), colour, np.uint8))).numpy()
    for sample in samples:
        assert sample["images"].shape == (2, 3, 1)
        # GIF and BMP match exactly; libpng's grey weights for the PNG differ a little.
        np.testing.assert_allclose(sample["images"], expected, atol=1)


def test_links_are_resolved_loops_refused_and_each_file_loaded_once(tmp_path):
    root = tmp_path / "photos"
    for name, count in (("cat", 2), ("dog", 1)):
        (root / name).mkdir(parents=True)
        for index in range(count):
            Image.new("L", (3, 3), 10 * index + (0 if name == "cat" else 100)).save(
                root / name / f"{index}.png"
            )
    os.symlink(root, root / "loop")  # a class folder that is the root again
    os.symlink(root / "cat", root / "a_cat")  # a second name for a class, sorted first
    os.symlink(root / "dog" / "0.png", root / "cat" / "again.png")  # a file listed twice
    os.symlink(root / "dog", root / "cat" / "sub")  # another class inside a class
    os.symlink(root / "cat", root / "cat" / "self")  # a loop inside a class
    report = data.CleaningReport()
    ds = data.load(str(root), report=report)
    samples = list(ds.as_numpy_iterator())
    assert ds.class_names == ["cat", "dog"]
    assert sorted((int(s["labels"]), int(s["images"][0, 0, 0])) for s in samples) == [
        (0, 0), (0, 10), (1, 100)
    ]
    reasons = {os.path.basename(path): reason for path, reason in report.skipped}
    assert set(reasons) == {"loop", "a_cat", "again.png", "sub", "self"}
    assert "loop" in reasons["loop"] and "same folder" in reasons["a_cat"]
    assert "dog/0.png" in reasons["again.png"]  # names the file it duplicates
    assert report.kept == 3 and "again.png" in report.summary()


@pytest.mark.parametrize("orientation", range(2, 9))  # 1 (upright) is every plain file
def test_exif_orientation_is_applied_like_exif_transpose(tmp_path, orientation):
    rng = np.random.default_rng(orientation)
    # Smooth blocks keep JPEG's error small; a 16x32 image shows any turn.
    pixels = np.kron(rng.integers(0, 255, (2, 4, 3)), np.ones((8, 8, 1))).astype(np.uint8)
    (tmp_path / "a").mkdir()
    path = tmp_path / "a" / "photo.jpg"
    exif = Image.Exif()
    exif[0x0112] = orientation
    Image.fromarray(pixels).save(path, "JPEG", quality=95, exif=exif.tobytes())
    with Image.open(path) as image:
        upright = np.asarray(ImageOps.exif_transpose(image))
    ds = data.load(str(tmp_path))
    (sample,) = list(ds.as_numpy_iterator())
    assert ds.element_spec["images"].shape == upright.shape
    # Pillow's and TensorFlow's JPEG decoders differ by a few levels; a wrong
    # turn or flip would differ by about a hundred.
    difference = np.abs(sample["images"].astype(int) - upright)
    assert difference.mean() < 2 and difference.max() <= 10


def test_expand_refuses_fractional_factors_fractions_and_seeds(tmp_path):
    images, labels = np.zeros((4, 2, 2, 1), np.uint8), np.arange(4) % 2
    ds = data.load((images, labels))
    flip = lambda x, training=True, seed=None: x  # noqa: E731
    bad = [
        ({"factor": 2.7}, "factor"), ({"factor": True}, "factor"), ({"factor": 0}, "factor"),
        ({"synthetic_fraction": -1}, "synthetic_fraction"),
        ({"synthetic_fraction": 1.5}, "synthetic_fraction"),
        ({"seed": 1.5}, "seed"), ({"seed": True}, "seed"), ({"seed": 2**63}, "seed"),
        ({"batch_size": 0}, "batch_size"), ({"shard_size": -1}, "shard_size"),
    ]
    for kwargs, name in bad:
        arguments = {"factor": 2, "augmenter": flip, **kwargs}
        with pytest.raises(ValueError, match=rf"expand\(\): `{name}`"):
            data.expand(ds, str(tmp_path / "out"), verbose=False, **arguments)
        assert not (tmp_path / "out").exists()  # refused before anything is written
    # NumPy seeds and the int64 extremes work (derived seeds wrap, never overflow).
    counts = data.expand(ds, str(tmp_path / "ok"), factor=2, augmenter=flip,
                         seed=np.int64(2**63 - 1), verbose=False)
    assert counts["augmented"] == 4


def test_seeds_are_validated_in_every_data_function():
    ds = data.load((np.arange(16, dtype=np.uint8).reshape(4, 2, 2, 1), np.arange(4) % 2))
    flip = lambda x, training=True, seed=None: x  # noqa: E731
    calls = {
        "augment": lambda seed: data.augment(ds.batch(2), flip, seed=seed),
        "split": lambda seed: data.split(ds, 0.5, seed=seed),
        "balance": lambda seed: data.balance(ds, seed=seed),
    }
    for name, call in calls.items():
        for seed in (1.5, True, 2**63, -(2**63) - 1, "1"):
            with pytest.raises(ValueError, match=rf"{name}\(\): `seed` must be an integer"):
                call(seed)
        # NumPy integers and the int64 range's ends are seeds like any other.
        for seed in (np.uint8(7), 2**63 - 1, -(2**63)):
            result = call(seed)
            first = result[0] if isinstance(result, tuple) else result
            assert len(list(first.as_numpy_iterator())) >= 1
    def batches(seed):
        return [batch["images"] for batch in data.augment(ds.batch(2), flip, seed=seed)]

    np.testing.assert_array_equal(batches(np.int64(7)), batches(7))


def test_numeric_arguments_of_the_data_api_are_checked(tmp_path):
    arrays = (np.zeros((2, 3, 3, 1), np.uint8), np.array([0, 1]))
    ds = data.load(arrays)
    bad_calls = [
        (lambda: data.load(arrays, image_size=0), r"load\(\): `image_size`"),
        (lambda: data.load(arrays, image_size=(-4, 8)), r"load\(\): `image_size`"),
        (lambda: data.load(arrays, image_size=(2.5, 3)), r"load\(\): `image_size`"),
        (lambda: data.load(arrays, image_size=(2, 3, 4)), r"load\(\): `image_size`"),
        (lambda: data.load(arrays, channels=2), r"load\(\): `channels` must be 1 or 3"),
        (lambda: data.load(arrays, channels=1), r"load\(\): `channels` applies to folders"),
        (lambda: data.load(arrays, max_pixels=0), r"load\(\): `max_pixels`"),
        (lambda: data.load(arrays, report="yes"), r"load\(\): `report`"),
        (lambda: data.resize(ds, (0, 3)), r"resize\(\): `image_size`"),
        (lambda: data.split(ds, validation_fraction=-0.1), r"split\(\): `validation_fraction`"),
        (lambda: data.balance(ds, target=0), r"balance\(\): `target`"),
        (lambda: data.balance(ds, target=2.5), r"balance\(\): `target`"),
        (lambda: data.normalize(ds, input_range=(3, 3)), r"normalize\(\): `input_range`"),
        (lambda: data.normalize(ds, value_range=(0, "1")), r"normalize\(\): `value_range`"),
        (lambda: data.normalize(ds, std=[0.5, 0.0, 1.0]), r"normalize\(\): `std`"),
        (lambda: data.normalize(ds, mean=float("nan")), r"normalize\(\): `mean`"),
        (lambda: data.augment(ds.batch(2), lambda x, **k: x, num_parallel_calls=0),
         r"augment\(\): `num_parallel_calls`"),
        (lambda: data.stats(ds, max_samples=0), r"stats\(\): `max_samples`"),
        (lambda: data.find_duplicates([np.zeros((2, 2, 1))], threshold=1.5),
         r"find_duplicates\(\): `threshold`"),
        (lambda: data.deduplicate(ds, threshold="4"), r"deduplicate\(\): `threshold`"),
    ]
    for call, message in bad_calls:
        with pytest.raises(ValueError, match=message):
            call()


def test_an_unfinished_expansion_is_named_as_such(tmp_path):
    images, labels = np.zeros((6, 2, 2, 1), np.uint8), np.arange(6) % 2
    out = tmp_path / "out"
    data.expand(data.load((images, labels)), str(out), factor=1, shard_size=2, verbose=False)
    shard = sorted(name for name in os.listdir(out) if name.endswith(".tfrecord"))[0]
    # A copy cut short: the info file is there but a shard is not whole.
    (out / shard).write_bytes((out / shard).read_bytes()[:-5])
    with pytest.raises(ValueError, match=rf"{shard} is \d+ bytes but expand\(\) wrote"):
        data.load(str(out))
    # A killed run: shards but no info file, or only a partly written shard.
    (out / "dataset_info.json").unlink()
    for folder in (out, tmp_path / "killed"):
        if folder != out:
            folder.mkdir()
            (folder / ".data-00000.partial").write_bytes(b"\0" * 10)
        for call in (data.load, data.read_records):
            with pytest.raises(ValueError, match="unfinished expand\\(\\) output") as error:
                call(str(folder))
            assert str(folder) in str(error.value) and "dataset_info.json" in str(error.value)


def test_a_tfds_name_that_cannot_be_downloaded_fails_within_seconds(tmp_path):
    import tensorflow_datasets as tfds

    class KerasAugmentUnreachable(tfds.core.GeneratorBasedBuilder):
        """A dataset whose only file lives on a host that never resolves (RFC 6761)."""

        VERSION = tfds.core.Version("1.0.0")
        code_path = None

        def _info(self):
            return tfds.core.DatasetInfo(
                builder=self,
                features=tfds.features.FeaturesDict({
                    "image": tfds.features.Image(shape=(2, 2, 1)),
                    "label": tfds.features.ClassLabel(num_classes=2),
                }),
                supervised_keys=("image", "label"),
            )

        def _split_generators(self, dl_manager):
            dl_manager.download("https://keras-augment.invalid/data.bin")
            return {"train": self._generate_examples()}

        def _generate_examples(self):
            yield from ()

    start = time.monotonic()
    with pytest.raises(ValueError) as error:
        data.load("keras_augment_unreachable", data_dir=str(tmp_path))
    assert time.monotonic() - start < 30  # TFDS's own retries take over three minutes
    message = str(error.value)
    assert message.startswith("load('keras_augment_unreachable'): the dataset is not prepared")
    assert str(tmp_path) in message and "keras-augment.invalid" in message
