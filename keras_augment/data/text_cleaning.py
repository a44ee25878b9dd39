"""Cleaning text datasets: normalisation, duplicates, length filters, statistics.

Near duplicates are pairs whose sets of character shingles (`shingle_size`
characters of the duplicate key: NFKC, lower-cased, whitespace collapsed)
have a Jaccard similarity of at least `threshold`. Candidate pairs come from
MinHash signatures (128 hashes) bucketed in bands (locality-sensitive
hashing), and every candidate is confirmed with its exact Jaccard
similarity, so no pair under the threshold is ever reported; a pair at the
threshold is missed with probability under 2e-4 (threshold >= 0.7).
"""

import collections
import re
import unicodedata

import numpy as np

from keras_augment.data.cleaning import check_report, joined_groups
from keras_augment.layers.core.arguments import check_integer, check_unit_interval

FORMS = ("NFC", "NFKC", "NFD", "NFKD")
_PERMUTATIONS = 128
_SEEDS = np.random.default_rng(0x7E47).integers(1, 2**63, size=(2, _PERMUTATIONS), dtype=np.uint64)
_WORD = re.compile(r"\w+")


def normalize_text(text, form="NFKC", lower=False, whitespace=True):
    """One text, normalised.

    Args:
        text: a `str` (or UTF-8 `bytes`).
        form: Unicode normal form (`"NFC"`, `"NFKC"`, `"NFD"`, `"NFKD"`) or
            None to keep code points as they are. NFKC also folds
            compatibility characters (full-width letters, ligatures).
        lower: lower-case the text.
        whitespace: collapse every run of whitespace (newlines too) to one
            space, drop it at both ends, and drop a leading byte-order mark.

    Returns:
        The normalised `str`.
    """
    if form is not None and form not in FORMS:
        raise ValueError(f"normalize_text(): `form` must be one of {FORMS} or None; received form={form!r}.")
    if isinstance(text, bytes):
        text = text.decode("utf-8")
    if form is not None:
        text = unicodedata.normalize(form, text)
    if whitespace:
        text = " ".join(text.removeprefix("\ufeff").split())
    return text.lower() if lower else text


def duplicate_key(text):
    """What duplicate detection compares: NFKC, lower-cased, whitespace collapsed."""
    return normalize_text(text, "NFKC", lower=True)


def _mix(values):
    # SplitMix64's finaliser: every input bit moves every output bit.
    values = (values ^ (values >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    values = (values ^ (values >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return values ^ (values >> np.uint64(31))


def _shingles(key, size):
    """64-bit hashes of the distinct `size`-character shingles of `key`.

    Vectorised over code points: a 64-bit hash of each shingle. Two distinct
    shingles collide with probability about 2**-64, so Jaccard similarities
    of these sets are those of the shingle sets themselves.
    """
    points = np.frombuffer(key.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    if len(points) == 0:
        return np.zeros(0, np.uint64)
    width = min(size, len(points))
    count = len(points) - width + 1
    with np.errstate(over="ignore"):
        hashes = np.full(count, width, np.uint64)
        for offset in range(width):
            hashes = _mix(hashes ^ points[offset : offset + count])
    return np.unique(hashes)


def _signature(hashes):
    # Multiply-shift hashing: the high 32 bits of a * x + b (mod 2**64).
    with np.errstate(over="ignore"):
        mixed = hashes[:, None] * (_SEEDS[0] | np.uint64(1)) + _SEEDS[1]
    return (mixed >> np.uint64(32)).min(axis=0)


def find_text_duplicates(texts, threshold=0.8, shingle_size=5):
    """Group exact duplicates (same key) and near duplicates (shingle Jaccard >= threshold).

    Args:
        texts: sequence of `str` or UTF-8 `bytes`.
        threshold: least Jaccard similarity of two texts' shingle sets for
            them to be near duplicates, in [0, 1]; None looks for exact ones only.
        shingle_size: characters per shingle (an integer >= 1).

    Returns:
        `(exact_groups, near_groups)`: sorted lists of index lists with two
        or more members; near groups join exact groups' first members only.
    """
    shingle_size = check_integer(shingle_size, "shingle_size", "find_text_duplicates()", minimum=1)
    if threshold is not None:
        threshold = check_unit_interval(threshold, "threshold", "find_text_duplicates()")
    by_key = collections.defaultdict(list)
    for index, text in enumerate(texts):
        by_key[duplicate_key(text)].append(index)
    exact = sorted(group for group in by_key.values() if len(group) > 1)
    keys = [key for key in by_key if key]
    if threshold is None or len(keys) < 2:
        return exact, []
    shingles = [_shingles(key, shingle_size) for key in keys]
    sets = [set(values.tolist()) for values in shingles]
    signatures = np.stack([_signature(values) for values in shingles])
    rows = 4 if threshold >= 0.7 else 2 if threshold >= 0.4 else 1
    candidates = set()
    for start in range(0, _PERMUTATIONS, rows):
        buckets = collections.defaultdict(list)
        for position, band in enumerate(signatures[:, start : start + rows]):
            buckets[band.tobytes()].append(position)
        for members in buckets.values():
            candidates.update((a, b) for i, a in enumerate(members) for b in members[i + 1 :])
    close = (
        (a, b) for a, b in candidates if len(sets[a] & sets[b]) >= threshold * len(sets[a] | sets[b])
    )
    return exact, joined_groups([by_key[key][0] for key in keys], close)


def _length(text, unit):
    return len(_WORD.findall(text)) if unit == "words" else len(text)


def _read_all(ds):
    """Every element as a dict of NumPy values, read in batches (far fewer Python steps)."""
    spec = ds.element_spec
    if not all(part.shape.is_fully_defined() for part in spec.values()):
        return list(ds.as_numpy_iterator())
    samples = []
    for batch in ds.batch(1024).as_numpy_iterator():
        size = len(next(iter(batch.values())))
        samples.extend({key: values[i] for key, values in batch.items()} for i in range(size))
    return samples


def clean_text(ds, form="NFKC", lower=False, min_length=None, max_length=None, unit="words",
               threshold=0.8, remove=True, report=None):
    """Normalise, length-filter and deduplicate a `{"text", "labels", ...}` dataset.

    The dataset is read into memory. Texts are normalised (see
    `normalize_text`); texts outside the length limits are skipped and named
    (by `ds.paths` when the dataset has them, else `"element i"`); then
    exact and near duplicates (see `find_text_duplicates`) are found and,
    when `remove`, all but the first of each group dropped.

    Args:
        ds: unbatched dataset of dicts with a `text` string.
        form, lower: see `normalize_text`.
        min_length, max_length: length limits (integers), None for none.
        unit: `"words"` or `"characters"`, the unit of the limits.
        threshold: near-duplicate Jaccard threshold; None for exact only.
        remove: drop duplicates (True) or only report them (False).
        report: optional `CleaningReport` to fill.

    Returns:
        `(dataset, report)`; the dataset keeps `class_names` and `paths`.
    """
    import tensorflow as tf

    owner = "clean_text()"
    if unit not in ("words", "characters"):
        raise ValueError(f"{owner}: `unit` must be 'words' or 'characters'; received unit={unit!r}.")
    low = 0 if min_length is None else check_integer(min_length, "min_length", owner, minimum=0)
    high = None if max_length is None else check_integer(max_length, "max_length", owner, minimum=low)
    if not isinstance(remove, bool):
        raise ValueError(f"{owner}: `remove` must be True or False; received remove={remove!r}.")
    report = check_report(report, owner)
    report.unit = "texts"
    names = list(getattr(ds, "paths", None) or [])
    samples = _read_all(ds)
    names = names if len(names) == len(samples) else [f"element {i}" for i in range(len(samples))]
    kept = []
    for index, sample in enumerate(samples):
        try:
            text = normalize_text(sample["text"], form, lower)
        except UnicodeDecodeError as error:
            report.skipped.append((names[index], f"invalid UTF-8 at byte {error.start}"))
            continue
        length = _length(text, unit)
        if length < low or (high is not None and length > high):
            report.skipped.append(
                (names[index], f"{length} {unit}, outside [{low}, {'inf' if high is None else high}]")
            )
            continue
        kept.append((index, {**sample, "text": text}))
    exact, near = find_text_duplicates([s["text"] for _, s in kept], threshold)
    report.exact_duplicates = [[names[kept[i][0]] for i in group] for group in exact]
    report.near_duplicates = [[names[kept[i][0]] for i in group] for group in near]
    drop = {i for group in exact + near for i in group[1:]} if remove else set()
    report.removed = len(drop)
    kept = [item for position, item in enumerate(kept) if position not in drop]
    report.kept = len(kept)
    spec = ds.element_spec
    columns = {key: [sample[key] for _, sample in kept] for key in spec}
    cleaned = tf.data.Dataset.from_tensor_slices(
        {key: tf.constant(values, spec[key].dtype) if values else tf.zeros([0], spec[key].dtype)
         for key, values in columns.items()}
    )
    if hasattr(ds, "class_names"):
        cleaned.class_names = ds.class_names
    cleaned.paths = [names[index] for index, _ in kept]
    return cleaned, report


def text_stats(ds, class_names=None, top=20):
    """Per-class counts, lengths and vocabulary of a `{"text", "labels"}` dataset.

    Words are runs of letters, digits and underscores in the lower-cased
    NFKC text.

    Args:
        ds: unbatched dataset (its `class_names` are used when present).
        class_names: names for the labels; None uses `ds.class_names` or the integers.
        top: how many of the most frequent words to list.

    Returns:
        dict with `count`, `vocabulary_size`, `top_words` ([(word, count)]) and
        `classes`: `{name: {"count", "vocabulary_size", "words": {...},
        "characters": {...}}}` where each length summary has `min`, `mean`,
        `median` and `max`.
    """
    top = check_integer(top, "top", "text_stats()", minimum=0)
    class_names = class_names or getattr(ds, "class_names", None)
    words_of = collections.defaultdict(list)
    lengths = collections.defaultdict(lambda: {"words": [], "characters": []})
    vocabulary = collections.Counter()
    count = 0
    for sample in ds.as_numpy_iterator():
        label = int(sample["labels"])
        name = class_names[label] if class_names else label
        text = normalize_text(sample["text"], "NFKC", lower=True)
        words = _WORD.findall(text)
        vocabulary.update(words)
        words_of[name].append(set(words))
        lengths[name]["words"].append(len(words))
        lengths[name]["characters"].append(len(text))
        count += 1

    def summary(values):
        return {"min": int(np.min(values)), "mean": float(np.mean(values)),
                "median": float(np.median(values)), "max": int(np.max(values))}

    classes = {
        name: {
            "count": len(lengths[name]["words"]),
            "vocabulary_size": len(set().union(*words_of[name])),
            "words": summary(lengths[name]["words"]),
            "characters": summary(lengths[name]["characters"]),
        }
        for name in sorted(lengths, key=lambda n: class_names.index(n) if class_names else n)
    }
    return {"count": count, "vocabulary_size": len(vocabulary),
            "top_words": vocabulary.most_common(top), "classes": classes}
