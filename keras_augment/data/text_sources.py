"""Text for `load`: folders of `.txt` files, one sample per file.

Every file is read and decoded as strict UTF-8 while the folder is scanned,
so the dataset only ever reads files that passed; a file that is empty,
whitespace only, not valid UTF-8, or really something else under a `.txt`
name (audio, an image, any file with NUL bytes) is skipped and named in the
`CleaningReport`. Elements are `{"text": tf.string [], "labels": int64 []}`,
with each file's bytes exactly as stored.
"""

import os

import tensorflow as tf

from keras_augment.data import class_files
from keras_augment.data.cleaning import check_report


def check_text(raw, min_length=1):
    """Why `raw` bytes cannot be a text sample, or None when they can.

    Args:
        raw: the bytes of one sample.
        min_length: fewest characters (after stripping whitespace) accepted.
    """
    if not raw:
        return "empty file (0 bytes)"
    try:
        text = raw.decode("utf-8")
        binary = "\x00" in text
    except UnicodeDecodeError as error:
        text, binary = None, error
    if text is None or binary:
        # Magic numbers only name what a file that is not text holds: a real
        # sentence may well start with "BM" or "ID3".
        what = class_files.sniff(raw[:8])
        if what:
            return f"wrongly named: the file holds {what}, not text"
        if text is not None:
            return "binary contents (NUL bytes), not text"
        return f"invalid UTF-8 at byte {binary.start} ({binary.reason})"
    stripped = text.strip()
    if not stripped:
        return "empty text (whitespace only)"
    if len(stripped) < min_length:
        return f"too short: {len(stripped)} characters, under min_length={min_length}"
    return None


def read_text_file(path, min_length=1):
    """Read one text file as `load` will: `(None, text)` or `(reason, None)`."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except OSError as error:
        return f"unreadable: {error.strerror}", None
    reason = check_text(raw, min_length)
    return (reason, None) if reason else (None, raw.decode("utf-8"))


def scan_text_folder(root, report=None, min_length=1):
    """The usable text files of a folder of class subfolders.

    Args:
        root: folder whose subfolders are class names.
        report: optional `CleaningReport` to fill.
        min_length: fewest non-blank characters a file must hold.

    Returns:
        `(paths, labels, class_names, report)`.
    """
    report = check_report(report, "scan_text_folder()")
    report.unit = "texts"
    class_names, files = class_files.list_class_files(root, report)
    paths, labels = [], []
    for path, label in class_files.split_by_kind(files, "text", report):
        reason, _ = read_text_file(path, min_length)
        if reason:
            report.skipped.append((path, reason))
        else:
            paths.append(path)
            labels.append(label)
    report.kept = len(paths)
    return paths, labels, class_names, report


def load_text_folder(root, report, verbose=False, min_length=1):
    """A folder of class subfolders of `.txt` files as a `tf.data.Dataset`.

    The dataset carries `class_names` (sorted folder names; a label is the
    position) and `paths` (each element's file, for `split(group_by=...)`).
    """
    paths, labels, class_names, report = scan_text_folder(root, report, min_length)
    if verbose and report.skipped:
        print(report.summary())
    if not paths:
        raise ValueError(f"load(): folder {root} holds no readable text files.\n{report.summary()}")
    columns = {"path": tf.constant(paths), "labels": tf.constant(labels, tf.int64)}
    ds = tf.data.Dataset.from_tensor_slices(columns).map(
        lambda element: {"text": tf.io.read_file(element["path"]), "labels": element["labels"]},
        num_parallel_calls=tf.data.AUTOTUNE,
    )
    ds.class_names = class_names
    ds.paths = [os.fspath(path) for path in paths]
    return ds
