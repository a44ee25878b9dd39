"""Listing a folder of class subfolders: every usable image once, every other file named.

Symbolic links are followed only while they stay inside the dataset folder;
a link leading back to a folder already read (a loop) or to a file already
listed is skipped and reported, so no image is loaded twice or under a second
label.
"""

import dataclasses
import os

from keras_augment.data import image_files
from keras_augment.data.cleaning import CleaningReport, check_report

# Pillow modes read as one grey channel when `channels` is not given.
_GREY_MODES = ("L", "1", "I;16", "I")


@dataclasses.dataclass
class FolderContents:
    """The usable images of a folder, in class then path order.

    Attributes:
        paths: image file paths.
        labels: class index of each path.
        class_names: sorted class folder names; the label is the position.
        infos: `image_files.read_header` info of each path.
        channels: channels every image is decoded to (1 or 3).
        report: the `CleaningReport` naming every skipped file.
    """

    paths: list
    labels: list
    class_names: list
    infos: list
    channels: int
    report: CleaningReport

    def decoder_extras(self):
        """Per-file columns the decoder needs, and the `make_decoder` flags."""
        rgb_first = [image_files.needs_rgb_first(info, self.channels) for info in self.infos]
        orientation = [info["orientation"] for info in self.infos]
        extras, flags = {}, {"rgb_first": any(rgb_first), "orient": any(o != 1 for o in orientation)}
        if flags["rgb_first"]:
            extras["rgb_first"] = rgb_first
        if flags["orient"]:
            extras["orientation"] = orientation
        return extras, flags


def _inside(path, root):
    return os.path.commonpath([path, root]) == root


def _identity(path):
    status = os.stat(path)  # follows links: two names of one file agree
    return status.st_dev, status.st_ino


def class_folders(real_root, report):
    candidates = []
    for name in sorted(os.listdir(real_root)):
        path = os.path.join(real_root, name)
        if name.startswith("."):
            continue  # hidden entries (.git, .DS_Store) are not data
        if not os.path.isdir(path):
            if os.path.isfile(path):
                report.skipped.append((path, "file outside any class subfolder"))
            elif os.path.islink(path):
                report.skipped.append((path, "broken symbolic link"))
            continue
        real = os.path.realpath(path)
        if real == real_root or _inside(real_root, real):
            report.skipped.append((path, "symbolic link loop: leads back to the dataset folder"))
        elif not _inside(real, real_root):
            report.skipped.append((path, "symbolic link outside the dataset folder"))
        else:
            candidates.append(name)
    # Two names for one folder make one class: its real name, else the first.
    chosen = {}
    for name in candidates:
        identity = _identity(os.path.join(real_root, name))
        if identity not in chosen or (
            not os.path.islink(os.path.join(real_root, name))
            and os.path.islink(os.path.join(real_root, chosen[identity]))
        ):
            chosen[identity] = name
    names = sorted(chosen.values())
    for name in candidates:
        first = chosen[_identity(os.path.join(real_root, name))]
        if name != first:
            report.skipped.append(
                (os.path.join(real_root, name),
                 f"same folder as {os.path.join(real_root, first)}, reached twice through a link")
            )
    return names


def _walk(top, label, real_root, seen_folders, found, links, report):
    """Add the files under `top` to `found`, depth first in name order.

    Real subfolders are walked at once; links to folders inside the dataset
    are put in `links`, to be walked only after every real folder, so that
    files belong to the class they really lie in.
    """
    stack = [top]
    while stack:
        folder = stack.pop()
        subfolders = []
        for name in sorted(os.listdir(folder)):
            path = os.path.join(folder, name)
            if not _inside(os.path.realpath(path), real_root):
                report.skipped.append((path, "symbolic link outside the dataset folder"))
            elif os.path.islink(path) and os.path.isdir(path):
                links.append((path, label))
            elif os.path.isdir(path):
                seen_folders.setdefault(_identity(path), path)
                subfolders.append(path)
            elif not os.path.exists(path):
                report.skipped.append((path, "broken symbolic link"))
            else:
                found.append((path, label))
        stack.extend(reversed(subfolders))


def list_class_paths(real_root, class_names, report):
    """`(path, label)` of every file, each real file once, in class order."""
    # The root and every class folder belong to themselves: a link to one of
    # them from inside a class is a loop or a second name, never a new source.
    seen_folders = {_identity(real_root): real_root}
    found, links = [], []
    for label, name in enumerate(class_names):
        class_dir = os.path.join(real_root, name)
        seen_folders[_identity(class_dir)] = class_dir
    for label, name in enumerate(class_names):
        _walk(os.path.join(real_root, name), label, real_root, seen_folders, found, links, report)
    while links:
        path, label = links.pop(0)
        identity = _identity(path)
        if identity in seen_folders:
            report.skipped.append(
                (path, f"symbolic link loop or second name for folder {seen_folders[identity]}: "
                 "not followed, so no file is read twice")
            )
            continue
        seen_folders[identity] = path
        _walk(path, label, real_root, seen_folders, found, links, report)
    # A file reached twice (links, hard links) is kept once: under its own
    # name where it was reached that way, else where it was reached first.
    chosen = {}
    for index, (path, _) in enumerate(found):
        identity = _identity(path)
        if identity not in chosen or (_link_free(path) and not _link_free(found[chosen[identity]][0])):
            chosen[identity] = index
    keep = set(chosen.values())
    for index, (path, _) in enumerate(found):
        if index not in keep:
            first = found[chosen[_identity(path)]][0]
            report.skipped.append(
                (path, f"duplicate: the same file as {first}, reached twice through a link")
            )
    return [found[index] for index in sorted(keep, key=lambda index: (found[index][1], index))]


def _link_free(path):
    return os.path.realpath(path) == path


def keep_readable(listed, read_header, report):
    """`(paths, labels, infos)` of the `(path, label)` pairs whose header reads;
    the others are recorded in `report` with the reader's reason."""
    paths, labels, infos = [], [], []
    for path, label in listed:
        reason, info = read_header(path)
        if reason:
            report.skipped.append((path, reason))
            continue
        paths.append(path)
        labels.append(label)
        infos.append(info)
    return paths, labels, infos


def scan_folder(root, max_pixels=image_files.DEFAULT_MAX_PIXELS, report=None, channels=None):
    """List the usable images of a folder of class subfolders.

    Each file is checked with Pillow (header, pixel limit, full read) and
    then decoded by TensorFlow exactly as the loading pipeline will decode
    it, so a file that would fail mid-epoch is skipped here instead.

    Args:
        root: folder whose subfolders are class names.
        max_pixels: largest width * height accepted.
        report: optional `CleaningReport` to fill; a new one by default.
        channels: 1 or 3, or None for 1 when every image is grey, else 3.

    Returns:
        A `FolderContents`.
    """
    max_pixels = image_files.check_max_pixels(max_pixels, "scan_folder()")
    if channels is not None:
        channels = image_files.check_channels(channels, "scan_folder()")
    real_root = os.path.realpath(root)
    if not os.path.isdir(real_root):
        raise FileNotFoundError(f"scan_folder(): no such folder: {root}")
    report = check_report(report, "scan_folder()")
    class_names = class_folders(real_root, report)
    if not class_names:
        raise ValueError(
            f"load(): folder {root} has no class subfolders (expected one subfolder "
            "of images per label)."
        )
    paths, labels, infos = keep_readable(
        list_class_paths(real_root, class_names, report),
        lambda path: image_files.read_header(path, max_pixels),
        report,
    )
    if channels is None:
        grey = bool(infos) and all(info["mode"] in _GREY_MODES for info in infos)
        channels = 1 if grey else 3
    contents = FolderContents(paths, labels, class_names, infos, channels, report)
    extras, flags = contents.decoder_extras()
    decode = image_files.make_decoder(channels, **flags)
    failures = image_files.decoder_failures(paths, decode, extras)
    if failures:
        report.skipped.extend((paths[index], reason) for index, reason in failures.items())
        keep = [index for index in range(len(paths)) if index not in failures]
        contents = FolderContents(
            [paths[i] for i in keep], [labels[i] for i in keep], class_names,
            [infos[i] for i in keep], channels, report,
        )
    report.kept = len(contents.paths)
    return contents
