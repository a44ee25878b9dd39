"""Which kind of data a folder of class subfolders holds, and what a file really is.

`load` reads images, text and audio from the same layout: one subfolder per
class. The kind follows from the files' extensions: the kind most files have
wins (images on a tie, as before text and audio existed), and every file of
another kind is skipped and named, never read as the wrong kind.
"""

import collections
import os

from keras_augment.data import folders
from keras_augment.data.cleaning import check_report
from keras_augment.data.image_files import IMAGE_EXTENSIONS

TEXT_EXTENSIONS = (".txt",)
AUDIO_EXTENSIONS = (".wav", ".flac", ".ogg")
KINDS = {"images": IMAGE_EXTENSIONS, "audio": AUDIO_EXTENSIONS, "text": TEXT_EXTENSIONS}

# The first bytes of formats a file may hold under a wrong name.
_MAGIC = (
    (b"RIFF", "WAV audio"),
    (b"RF64", "WAV audio"),
    (b"fLaC", "FLAC audio"),
    (b"OggS", "Ogg audio"),
    (b"ID3", "MP3 audio"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"BM", "a BMP image"),
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive"),
    (b"\x1f\x8b", "a gzip archive"),
)


def check_single_split(split, source):
    """Folders, tables and arrays hold one split: "train" or "all" means all of it."""
    if split not in ("train", "all", None):
        raise ValueError(
            f"load({str(source)!r}): this source has a single split; use "
            f"split='train' (everything) and keras_augment.data.split(); got {split!r}."
        )


def sniff(head):
    """What the first bytes of a file say it holds (e.g. `"FLAC audio"`), or None."""
    for magic, name in _MAGIC:
        if head.startswith(magic):
            return name
    return None


def kind_of(path):
    """`"images"`, `"audio"` or `"text"` from a file's extension, or None."""
    extension = os.path.splitext(path)[1].lower()
    for kind, extensions in KINDS.items():
        if extension in extensions:
            return kind
    return None


def list_class_files(root, report=None):
    """Every file of a folder of class subfolders once, with its label.

    Links, loops and files outside any class folder are handled (and named in
    `report`) exactly as for image folders; see `keras_augment.data.folders`.

    Args:
        root: folder whose subfolders are class names.
        report: optional `CleaningReport` to fill.

    Returns:
        `(class_names, [(path, label), ...])` in class then path order.
    """
    real_root = os.path.realpath(root)
    if not os.path.isdir(real_root):
        raise FileNotFoundError(f"load(): no such folder: {root}")
    report = check_report(report, "list_class_files()")
    # One listing rule for every kind: the image folder reader's own.
    class_names = folders.class_folders(real_root, report)
    if not class_names:
        raise ValueError(
            f"load(): folder {root} has no class subfolders (expected one subfolder "
            "of files per label)."
        )
    return class_names, folders.list_class_paths(real_root, class_names, report)


def folder_kind(root):
    """The kind of data a folder of class subfolders holds, from its extensions.

    Only extensions are read, so this is cheap; the reader of that kind then
    checks every file. Returns `"images"` when no file has a known extension
    (the image reader then names every file it cannot read).
    """
    counts = collections.Counter()
    real_root = os.path.realpath(root)
    for top, subfolders, names in os.walk(real_root):
        subfolders[:] = [name for name in subfolders if not name.startswith(".")]
        if top == real_root:
            continue  # files at the top belong to no class
        counts.update(kind_of(name) for name in names if not name.startswith("."))
    counts.pop(None, None)
    if not counts:
        return "images"
    most = max(counts.values())
    return next(kind for kind in KINDS if counts[kind] == most)


def split_by_kind(files, kind, report):
    """Keep the files of `kind`; name every other one in `report`.

    Args:
        files: `(path, label)` pairs from `list_class_files`.
        kind: `"text"` or `"audio"`.
        report: the `CleaningReport` to fill.

    Returns:
        The `(path, label)` pairs whose extension belongs to `kind`.
    """
    expected = " or ".join(KINDS[kind])
    kept = []
    for path, label in files:
        if kind_of(path) == kind:
            kept.append((path, label))
            continue
        other = kind_of(path)
        found = f"a {other} file" if other else "an unknown extension"
        report.skipped.append(
            (path, f"not {'an' if kind == 'audio' else 'a'} {kind} file: {found} in a folder "
             f"of {kind} files (expected {expected})")
        )
    return kept
