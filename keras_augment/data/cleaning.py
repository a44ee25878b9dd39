"""Cleaning: skip bad image files, refuse decompression bombs, find duplicates.

Bad files never crash a run: each one is skipped and recorded with its
reason in a `CleaningReport`, whose `summary()` names them.
"""

import collections
import dataclasses
import hashlib
import os
import warnings

import numpy as np

IMAGE_FORMATS = ("JPEG", "PNG", "BMP", "GIF")
IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".bmp", ".gif")
# 40 megapixels: far above any training image, far below a bomb's billions.
DEFAULT_MAX_PIXELS = 40_000_000


@dataclasses.dataclass
class CleaningReport:
    """What cleaning kept and skipped.

    Attributes:
        kept: number of images kept.
        skipped: list of `(path, reason)` for files that were not loaded.
        exact_duplicates: groups of indices (or paths) with identical content.
        near_duplicates: groups whose perceptual hashes are within the threshold.
        removed: number of duplicates removed.
    """

    kept: int = 0
    skipped: list = dataclasses.field(default_factory=list)
    exact_duplicates: list = dataclasses.field(default_factory=list)
    near_duplicates: list = dataclasses.field(default_factory=list)
    removed: int = 0

    def summary(self):
        """A human-readable account naming every skipped file."""
        lines = [f"kept {self.kept} images, skipped {len(self.skipped)} files"]
        lines += [f"  skipped {path}: {reason}" for path, reason in self.skipped]
        if self.exact_duplicates or self.near_duplicates:
            lines.append(
                f"{len(self.exact_duplicates)} groups of exact duplicates, "
                f"{len(self.near_duplicates)} groups of near duplicates, "
                f"{self.removed} images removed"
            )
        return "\n".join(lines)


def check_image_file(path, max_pixels=DEFAULT_MAX_PIXELS):
    """Check that `path` is a complete JPEG/PNG/BMP/GIF within the pixel limit.

    The header is read first, so an oversized image is refused before any
    pixel is decoded.

    Args:
        path: file to check.
        max_pixels: largest width * height accepted.

    Returns:
        `(None, info)` with `info = {"size": (width, height), "mode": mode}`
        when the file is usable, else `(reason, None)`.
    """
    from PIL import Image

    try:
        if os.path.getsize(path) == 0:
            return "empty file (0 bytes)", None
    except OSError as error:
        return f"unreadable: {error.strerror}", None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            with Image.open(path) as image:
                if image.format not in IMAGE_FORMATS:
                    return f"unsupported format {image.format}", None
                width, height = image.size
                if width * height > max_pixels:
                    return (
                        f"too large: {width}x{height} pixels is over the limit of "
                        f"{max_pixels} (possible decompression bomb)"
                    ), None
                mode = image.mode
                previous_limit = Image.MAX_IMAGE_PIXELS
                Image.MAX_IMAGE_PIXELS = None  # our own limit was checked above
                try:
                    image.load()
                finally:
                    Image.MAX_IMAGE_PIXELS = previous_limit
        except Image.UnidentifiedImageError:
            return "not an image", None
        except (OSError, SyntaxError, ValueError) as error:
            return f"truncated or corrupt: {error}", None
    return None, {"size": (width, height), "mode": mode}


def _inside(path, root):
    return os.path.commonpath([path, root]) == root


def scan_folder(root, max_pixels=DEFAULT_MAX_PIXELS, report=None):
    """List the usable images of a folder of class subfolders.

    Symbolic links are never followed out of `root`: a link whose target
    lies outside is skipped and reported.

    Args:
        root: folder whose subfolders are class names.
        max_pixels: largest width * height accepted.
        report: optional `CleaningReport` to fill; a new one by default.

    Returns:
        `(paths, labels, class_names, infos, report)`, sorted by class and name.
    """
    real_root = os.path.realpath(root)
    if not os.path.isdir(real_root):
        raise FileNotFoundError(f"no such folder: {root}")
    report = report or CleaningReport()
    class_names = []
    for name in sorted(os.listdir(real_root)):
        class_dir = os.path.join(real_root, name)
        if name.startswith(".") or not os.path.isdir(class_dir):
            continue
        if not _inside(os.path.realpath(class_dir), real_root):
            report.skipped.append((class_dir, "symbolic link outside the dataset folder"))
            continue
        class_names.append(name)
    if not class_names:
        raise ValueError(f"folder {root} has no class subfolders (one per label).")
    paths, labels, infos = [], [], []
    for label, name in enumerate(class_names):
        class_dir = os.path.join(real_root, name)
        for folder, subfolders, files in os.walk(class_dir, followlinks=False):
            subfolders.sort()
            for file_name in sorted(files):
                path = os.path.join(folder, file_name)
                if not _inside(os.path.realpath(path), real_root):
                    report.skipped.append((path, "symbolic link outside the dataset folder"))
                    continue
                reason, info = check_image_file(path, max_pixels)
                if reason:
                    report.skipped.append((path, reason))
                    continue
                paths.append(path)
                labels.append(label)
                infos.append(info)
    report.kept = len(paths)
    return paths, labels, class_names, infos, report


def perceptual_hash(image):
    """64-bit difference hash of one `[H, W, C]` image as a bool array `[64]`.

    The grey image is resized to 9x8 and each bit says whether a pixel is
    brighter than its right neighbour, so small edits flip few bits.
    """
    from PIL import Image

    image = np.asarray(image, np.float32)
    grey = image.mean(axis=-1) if image.ndim == 3 else image
    low, high = float(grey.min()), float(grey.max())
    scaled = np.zeros_like(grey) if high == low else (grey - low) / (high - low) * 255
    small = Image.fromarray(scaled.astype(np.uint8)).resize((9, 8), Image.BILINEAR)
    small = np.asarray(small, np.int16)
    return (small[:, 1:] > small[:, :-1]).reshape(-1)


def find_duplicates(images, threshold=4):
    """Group exact duplicates (same bytes) and near duplicates (close dHash).

    Args:
        images: sequence of `[H, W, C]` arrays.
        threshold: largest Hamming distance between 64-bit perceptual hashes
            for two images to count as near duplicates; negative disables it.

    Returns:
        `(exact_groups, near_groups)`: lists of sorted index lists with two or
        more members; near groups leave out pairs already exact duplicates.
    """
    by_digest = collections.defaultdict(list)
    for index, image in enumerate(images):
        array = np.ascontiguousarray(image)
        key = hashlib.sha256(array.tobytes() + str(array.shape).encode()).hexdigest()
        by_digest[key].append(index)
    exact = [group for group in by_digest.values() if len(group) > 1]
    if threshold < 0 or len(images) < 2:
        return exact, []
    # Compare one representative per exact group; union-find joins close pairs.
    representatives = [group[0] for group in by_digest.values()]
    hashes = np.stack([perceptual_hash(images[i]) for i in representatives])
    parent = list(range(len(representatives)))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for start in range(0, len(hashes), 512):
        block = hashes[start : start + 512]
        distances = (block[:, None, :] != hashes[None, :, :]).sum(-1)
        for row, column in zip(*np.nonzero(distances <= threshold)):
            i, j = start + row, column
            if i < j:
                parent[find(j)] = find(i)
    groups = collections.defaultdict(list)
    for position, index in enumerate(representatives):
        groups[find(position)].append(index)
    near = [sorted(group) for group in groups.values() if len(group) > 1]
    return exact, sorted(near)


def deduplicate(ds, threshold=4, remove=True, report=None):
    """Report (and by default drop) duplicates of a `{"images", "labels"}` dataset.

    The first image of each group is kept. The dataset is read into memory.

    Args:
        ds: unbatched dataset of dicts with `images` and `labels`.
        threshold: near-duplicate Hamming threshold (see `find_duplicates`).
        remove: drop duplicates when True; only report them when False.
        report: optional `CleaningReport` to fill.

    Returns:
        `(dataset, report)`.
    """
    import tensorflow as tf

    report = report or CleaningReport()
    samples = list(ds.as_numpy_iterator())
    exact, near = find_duplicates([s["images"] for s in samples], threshold)
    report.exact_duplicates, report.near_duplicates = exact, near
    drop = {index for group in exact + near for index in group[1:]}
    if remove and drop:
        samples = [s for index, s in enumerate(samples) if index not in drop]
        report.removed = len(drop)
    report.kept = len(samples)
    if not samples:
        return ds.take(0), report
    spec = ds.element_spec
    stacked = {key: np.stack([s[key] for s in samples]) for key in samples[0]}
    if any(None in spec[key].shape for key in spec):
        return tf.data.Dataset.from_generator(lambda: iter(samples), output_signature=spec), report
    return tf.data.Dataset.from_tensor_slices(stacked), report


def stats(ds, max_samples=None):
    """Per-class counts, per-channel mean and std, and a histogram of sizes.

    Args:
        ds: dataset of `{"images", "labels"}`, batched or not.
        max_samples: stop after this many images (all by default).

    Returns:
        dict with `count`, `class_counts` ({label: count}), `mean` and `std`
        (lists, one per channel, in the images' own units) and `sizes`
        ({(height, width): count}).
    """
    class_counts, sizes = collections.Counter(), collections.Counter()
    total = 0
    sums = squares = None
    pixels = 0
    for element in ds.as_numpy_iterator():
        images, labels = element["images"], np.asarray(element["labels"])
        if images.ndim == 3:
            images, labels = images[None], labels[None]
        for image, label in zip(images, labels):
            if max_samples is not None and total >= max_samples:
                break
            image = image.astype(np.float64)
            flat = image.reshape(-1, image.shape[-1])
            sums = flat.sum(0) if sums is None else sums + flat.sum(0)
            squares = (flat**2).sum(0) if squares is None else squares + (flat**2).sum(0)
            pixels += flat.shape[0]
            class_counts[int(np.argmax(label)) if label.ndim else int(label)] += 1
            sizes[image.shape[:2]] += 1
            total += 1
    if total == 0:
        return {"count": 0, "class_counts": {}, "mean": [], "std": [], "sizes": {}}
    mean = sums / pixels
    std = np.sqrt(np.maximum(squares / pixels - mean**2, 0.0))
    return {
        "count": total,
        "class_counts": dict(sorted(class_counts.items())),
        "mean": mean.tolist(),
        "std": std.tolist(),
        "sizes": dict(sizes),
    }
