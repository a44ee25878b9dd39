"""Cleaning: the report of skipped files, duplicates and dataset statistics.

Bad files never crash a run: each one is skipped (see `image_files` and
`folders`) and recorded with its reason in a `CleaningReport`, whose
`summary()` names them.
"""

import collections
import dataclasses
import hashlib

import numpy as np

from keras_augment.data.image_files import (  # noqa: F401  (kept importable from here)
    DEFAULT_MAX_PIXELS,
    IMAGE_EXTENSIONS,
    IMAGE_FORMATS,
    check_image_file,
)
from keras_augment.layers.core.arguments import check_integer


@dataclasses.dataclass
class CleaningReport:
    """What cleaning kept and skipped.

    Attributes:
        kept: number of images kept.
        skipped: list of `(path, reason)` for files that were not loaded.
        exact_duplicates: groups of indices (or paths) with identical content.
        near_duplicates: groups whose perceptual hashes are within the threshold.
        removed: number of duplicates removed.
        unit: what `kept` counts (`"images"`, `"texts"`, `"rows"`, `"audio files"`),
            set by the loader that fills the report.
    """

    kept: int = 0
    skipped: list = dataclasses.field(default_factory=list)
    exact_duplicates: list = dataclasses.field(default_factory=list)
    near_duplicates: list = dataclasses.field(default_factory=list)
    removed: int = 0
    unit: str = "images"

    def summary(self):
        """A human-readable account naming every skipped file."""
        lines = [f"kept {self.kept} {self.unit}, skipped {len(self.skipped)} files"]
        lines += [f"  skipped {path}: {reason}" for path, reason in self.skipped]
        if self.exact_duplicates or self.near_duplicates:
            lines.append(
                f"{len(self.exact_duplicates)} groups of exact duplicates, "
                f"{len(self.near_duplicates)} groups of near duplicates, "
                f"{self.removed} {self.unit} removed"
            )
        return "\n".join(lines)


def check_report(report, owner):
    """`report`, or a new `CleaningReport` when None; anything else is refused."""
    if report is None:
        return CleaningReport()
    if not isinstance(report, CleaningReport):
        raise ValueError(
            f"{owner}: `report` must be a keras_augment.data.CleaningReport or None; "
            f"received {type(report).__name__}."
        )
    return report


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
    threshold = check_integer(threshold, "threshold", "find_duplicates()")
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

    def close_pairs():
        for start in range(0, len(hashes), 512):
            block = hashes[start : start + 512]
            distances = (block[:, None, :] != hashes[None, :, :]).sum(-1)
            for row, column in zip(*np.nonzero(distances <= threshold)):
                if start + row < column:
                    yield start + row, column

    return exact, joined_groups(representatives, close_pairs())


def joined_groups(members, pairs):
    """Groups of `members` joined by `pairs` of positions (union-find), each
    group a sorted list of members, groups of one left out."""
    parent = list(range(len(members)))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b in pairs:
        parent[find(b)] = find(a)
    groups = collections.defaultdict(list)
    for position, member in enumerate(members):
        groups[find(position)].append(member)
    return sorted(sorted(group) for group in groups.values() if len(group) > 1)


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

    threshold = check_integer(threshold, "threshold", "deduplicate()")
    if not isinstance(remove, bool):
        raise ValueError(f"deduplicate(): `remove` must be True or False; received remove={remove!r}.")
    report = check_report(report, "deduplicate()")
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
    if max_samples is not None:
        max_samples = check_integer(max_samples, "max_samples", "stats()", minimum=1)
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
