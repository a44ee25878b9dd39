"""IDX files, the format the MNIST family (MNIST, Fashion-MNIST, KMNIST) ships in.

An IDX file is a 4-byte magic number, then one big-endian uint32 size per
dimension, then the values in C order. The magic's first two bytes are zero,
the third is the value type (0x08: unsigned byte, the only type these data
sets use) and the fourth the number of dimensions: images files start with
0x00000803 (`[N, H, W]`), labels files with 0x00000801 (`[N]`).

A folder holds one pair per split, optionally gzipped:

    train-images-idx3-ubyte[.gz]   train-labels-idx1-ubyte[.gz]
    t10k-images-idx3-ubyte[.gz]    t10k-labels-idx1-ubyte[.gz]

(some mirrors write `train-images.idx3-ubyte`; both spellings are found).
"""

import gzip
import os
import zlib

import numpy as np

UNSIGNED_BYTE = 0x08
IMAGES_MAGIC = 0x00000803
LABELS_MAGIC = 0x00000801
PREFIXES = {"train": "train", "test": "t10k"}
OWNER = "load()"


def _candidates(prefix, kind, rank):
    for separator in ("-", "."):
        name = f"{prefix}-{kind}{separator}idx{rank}-ubyte"
        yield name
        yield name + ".gz"


def _find(folder, prefix, kind, rank):
    for name in _candidates(prefix, kind, rank):
        path = os.path.join(folder, name)
        if os.path.isfile(path):
            return path
    return None


def is_idx_folder(folder):
    """True when `folder` holds the images file of a train or test split."""
    return any(_find(folder, prefix, "images", 3) for prefix in PREFIXES.values())


def _read_bytes(path):
    try:
        if path.endswith(".gz"):
            with gzip.open(path, "rb") as handle:
                return handle.read()
        with open(path, "rb") as handle:
            return handle.read()
    except (OSError, EOFError, zlib.error) as error:
        # gzip raises BadGzipFile (an OSError) or EOFError for a cut archive.
        raise ValueError(f"{OWNER}: cannot read IDX file {path}: {error}") from error


def read_idx(path, magic):
    """The array stored in the IDX file at `path`, checked against `magic`.

    Args:
        path: an IDX file, gzipped when its name ends with `.gz`.
        magic: the magic number expected (`IMAGES_MAGIC` or `LABELS_MAGIC`).

    Returns:
        A uint8 NumPy array of the shape the header gives.

    Raises:
        ValueError: naming `load()` and the file, when the file is not
            gzip-readable, its magic is not `magic`, or it holds fewer or
            more bytes than its header's sizes say.
    """
    data = _read_bytes(path)
    rank = magic & 0xFF
    header = 4 + 4 * rank
    if len(data) < 4:
        raise ValueError(
            f"{OWNER}: IDX file {path} is truncated: {len(data)} bytes, shorter "
            "than the 4-byte magic number."
        )
    found = int.from_bytes(data[:4], "big")
    if found != magic:
        raise ValueError(
            f"{OWNER}: IDX file {path} has magic number 0x{found:08X}; expected "
            f"0x{magic:08X} (unsigned bytes, {rank} dimension{'s' * (rank > 1)})."
        )
    if len(data) < header:
        raise ValueError(
            f"{OWNER}: IDX file {path} is truncated: {len(data)} bytes, shorter "
            f"than its {header}-byte header."
        )
    shape = tuple(int(v) for v in np.frombuffer(data, ">u4", count=rank, offset=4))
    expected = header + int(np.prod(shape, dtype=np.int64))
    if len(data) != expected:
        state = "truncated" if len(data) < expected else "longer than its header says"
        raise ValueError(
            f"{OWNER}: IDX file {path} is {state}: header sizes {list(shape)} "
            f"need {expected} bytes; the file holds {len(data)}."
        )
    return np.frombuffer(data, np.uint8, offset=header).reshape(shape)


def _load_split(folder, name, prefix):
    images_path = _find(folder, prefix, "images", 3)
    labels_path = _find(folder, prefix, "labels", 1)
    if images_path is None or labels_path is None:
        missing = f"{prefix}-images-idx3-ubyte" if images_path is None else f"{prefix}-labels-idx1-ubyte"
        raise ValueError(
            f"{OWNER}: IDX folder {folder} has no {missing}[.gz], needed for split={name!r}."
        )
    images = read_idx(images_path, IMAGES_MAGIC)
    labels = read_idx(labels_path, LABELS_MAGIC)
    if len(images) != len(labels):
        raise ValueError(
            f"{OWNER}: IDX files disagree: {images_path} holds {len(images)} images "
            f"but {labels_path} holds {len(labels)} labels."
        )
    return images[..., None], labels.astype(np.int64)


def load_idx_arrays(folder, split="train"):
    """Images `[N, H, W, 1]` uint8 and labels `[N]` int64 of an IDX folder.

    Args:
        folder: a folder with the IDX files of the module docstring.
        split: `"train"` (`train-*` files), `"test"` (`t10k-*` files) or
            `"all"` (both, train first).

    Raises:
        ValueError: for another split, a missing file of the split, a bad
            file (see `read_idx`) or images and labels of different counts.
    """
    if split == "all":
        names = list(PREFIXES)
    elif split in PREFIXES:
        names = [split]
    else:
        raise ValueError(
            f"{OWNER}: IDX folder {folder} has the splits 'train', 'test' and "
            f"'all'; received split={split!r}."
        )
    parts = [_load_split(folder, name, PREFIXES[name]) for name in names]
    shapes = {images.shape[1:] for images, _ in parts}
    if len(shapes) > 1:
        raise ValueError(f"{OWNER}: IDX folder {folder} has splits of other image sizes: {sorted(shapes)}.")
    return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])
