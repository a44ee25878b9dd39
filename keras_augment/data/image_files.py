"""Checking and decoding image files: the one place that knows how a file is read.

A file is checked twice before it joins a dataset: Pillow reads its header
(format, size, colour mode, EXIF orientation) so the package's pixel limit is
applied before any pixel is decoded, then TensorFlow's decoder, the one the
`tf.data` pipeline uses, decodes it with the same arguments. A file that
fails either check is skipped and named; it can never stop an epoch.
"""

import contextlib
import os
import re
import threading
import warnings

from keras_augment.layers.core.arguments import check_integer, is_integer

IMAGE_FORMATS = ("JPEG", "PNG", "BMP", "GIF")
IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".bmp", ".gif")
# 40 megapixels: far above any training image, far below a bomb's billions.
DEFAULT_MAX_PIXELS = 40_000_000
# TensorFlow decodes GIF and BMP only to 3 (or 4) channels: grey comes from RGB.
_RGB_ONLY_FORMATS = ("GIF", "BMP")
_EXIF_ORIENTATION = 0x0112
# Pillow's own bomb limit is a process-wide setting; it is lifted (our limit
# applies instead) only under this lock and always restored.
_PIL_LIMIT_LOCK = threading.Lock()


@contextlib.contextmanager
def _pil_limit_lifted():
    from PIL import Image

    with _PIL_LIMIT_LOCK, warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        previous = Image.MAX_IMAGE_PIXELS
        Image.MAX_IMAGE_PIXELS = None
        try:
            yield
        finally:
            Image.MAX_IMAGE_PIXELS = previous


def check_max_pixels(max_pixels, owner):
    """`max_pixels` as an int >= 1, or a ValueError naming `owner`."""
    return check_integer(max_pixels, "max_pixels", owner, minimum=1)


def check_channels(channels, owner):
    """`channels` as 1 or 3, or a ValueError naming `owner`."""
    if not is_integer(channels) or channels not in (1, 3):
        raise ValueError(f"{owner}: `channels` must be 1 or 3; received channels={channels!r}.")
    return int(channels)


def read_header(path, max_pixels=DEFAULT_MAX_PIXELS):
    """Read one file with Pillow, refusing it before decoding when too large.

    Every error Pillow can raise (decompression bombs included) becomes a
    reason, never an exception.

    Args:
        path: file to read.
        max_pixels: largest width * height accepted.

    Returns:
        `(None, info)` with `info = {"format", "size": (width, height) as
        stored, "mode", "orientation": EXIF orientation 1..8}`, or
        `(reason, None)`.
    """
    from PIL import Image

    check_max_pixels(max_pixels, "read_header()")
    try:
        if os.path.getsize(path) == 0:
            return "empty file (0 bytes)", None
    except OSError as error:
        return f"unreadable: {error.strerror}", None
    try:
        with _pil_limit_lifted(), Image.open(path) as image:
            if image.format not in IMAGE_FORMATS:
                return f"unsupported format {image.format} (expected one of {IMAGE_FORMATS})", None
            width, height = image.size
            if width * height > max_pixels:
                return (
                    f"too large: {width}x{height} pixels is over the limit of "
                    f"{max_pixels} (possible decompression bomb)"
                ), None
            mode = image.mode
            image.load()
            # As PIL.ImageOps.exif_transpose reads it: after load, so a PNG's
            # eXIf chunk after its image data counts too.
            orientation = image.getexif().get(_EXIF_ORIENTATION, 1)
    except Image.UnidentifiedImageError:
        return "not an image", None
    except Exception as error:  # noqa: BLE001 - any Pillow failure skips the file
        return f"truncated or corrupt: Pillow: {type(error).__name__}: {error}", None
    if orientation not in range(1, 9):
        orientation = 1  # an invalid tag: exif_transpose ignores it too
    return None, {"format": image.format, "size": (width, height), "mode": mode,
                  "orientation": orientation}


def oriented_size(info):
    """`(height, width)` of a file's image once its EXIF orientation is applied."""
    width, height = info["size"]
    return (width, height) if info["orientation"] >= 5 else (height, width)


def needs_rgb_first(info, channels):
    """True when TensorFlow cannot decode this file straight to `channels`."""
    return channels == 1 and info["format"] in _RGB_ONLY_FORMATS


def apply_orientation(image, orientation):
    """Turn a decoded `[H, W, C]` image upright as `PIL.ImageOps.exif_transpose` does.

    Args:
        image: image as stored in the file.
        orientation: EXIF orientation tag, an int32 scalar tensor 1..8.
    """
    import tensorflow as tf

    transpose = lambda x: tf.transpose(x, [1, 0, 2])  # noqa: E731
    branches = [
        lambda: image,  # 1: upright already
        lambda: image[:, ::-1],  # 2: mirrored
        lambda: image[::-1, ::-1],  # 3: upside down
        lambda: image[::-1],  # 4: flipped top to bottom
        lambda: transpose(image),  # 5: transposed
        lambda: transpose(image)[:, ::-1],  # 6: turned 90 degrees clockwise to view
        lambda: transpose(image[::-1, ::-1]),  # 7: transversed
        lambda: transpose(image)[::-1],  # 8: turned 90 degrees anticlockwise to view
    ]
    index = tf.clip_by_value(tf.cast(orientation, tf.int32) - 1, 0, 7)
    return tf.switch_case(index, branches)


def make_decoder(channels, rgb_first=False, orient=False):
    """The decode function of the loading pipeline, also used to check files.

    Args:
        channels: 1 or 3 channels to decode to.
        rgb_first: whether some files (GIF, BMP to grey) must be decoded to RGB
            first; their elements then carry a bool `rgb_first`.
        orient: whether some files have an EXIF orientation other than 1; the
            elements then carry an int32 `orientation`.

    Returns:
        `decode(contents, element) -> uint8 [H, W, channels]`.
    """
    import tensorflow as tf

    def to_channels(contents):
        return tf.io.decode_image(contents, channels=channels, expand_animations=False)

    def via_rgb(contents):
        rgb = tf.io.decode_image(contents, channels=3, expand_animations=False)
        return tf.image.rgb_to_grayscale(rgb)

    def decode(contents, element):
        if rgb_first:
            image = tf.cond(
                element["rgb_first"], lambda: via_rgb(contents), lambda: to_channels(contents)
            )
        else:
            image = to_channels(contents)
        image = tf.ensure_shape(image, [None, None, channels])
        if orient:
            image = apply_orientation(image, element["orientation"])
        return image

    return decode


def _decoder_message(error):
    """TensorFlow's message without its op and function decorations."""
    text = getattr(error, "message", str(error)).strip()
    text = re.sub(r"\{\{function_node [^}]*\}\}\s*", "", text)
    text = re.sub(r"\s*\[Op:[^\]]*\].*$", "", text.splitlines()[0] if text else "")
    return text or type(error).__name__


def decoder_failures(paths, decode, extras):
    """Decode every file with `decode` as the pipeline will; return the failures.

    Files are decoded in parallel with `tf.data`; those that fail are decoded
    once more alone to get TensorFlow's message.

    Args:
        paths: list of file paths.
        decode: a `make_decoder` function.
        extras: dict of per-file lists (`rgb_first`, `orientation`) it reads.

    Returns:
        `{index: reason}` for every file TensorFlow cannot decode.
    """
    import tensorflow as tf

    if not paths:
        return {}
    columns = {"path": tf.constant(paths), **{k: tf.constant(v) for k, v in extras.items()}}
    indexed = tf.data.Dataset.from_tensor_slices(columns).enumerate()
    # Each image is reduced to its shape, which needs the whole decode (an
    # index alone would let the decode be pruned); batching keeps the cost of
    # iterating from Python out of the scan.
    decoded = indexed.map(
        lambda index, element: (index, tf.shape(decode(tf.io.read_file(element["path"]), element))),
        num_parallel_calls=tf.data.AUTOTUNE,
    ).ignore_errors().batch(4096)
    good = {int(index) for indices, _ in decoded.as_numpy_iterator() for index in indices}
    failures = {}
    for index in sorted(set(range(len(paths))) - good):
        element = {key: value[index] for key, value in columns.items()}
        try:
            decode(tf.io.read_file(element["path"]), element)
            failures[index] = "TensorFlow's decoder failed only when reading files in parallel"
        except (tf.errors.OpError, ValueError) as error:
            failures[index] = (
                f"truncated or corrupt: TensorFlow cannot decode it ({_decoder_message(error)})"
            )
    return failures


def check_image_file(path, max_pixels=DEFAULT_MAX_PIXELS, channels=3):
    """Check one file as `load` would: Pillow's header and pixel limit, then TensorFlow.

    Args:
        path: file to check.
        max_pixels: largest width * height accepted.
        channels: 1 or 3, the channels the file will be decoded to.

    Returns:
        `(None, info)` when the file is usable (see `read_header`), else
        `(reason, None)`.
    """
    check_channels(channels, "check_image_file()")
    reason, info = read_header(path, max_pixels)
    if reason:
        return reason, None
    decode = make_decoder(channels, rgb_first=True, orient=True)
    extras = {"rgb_first": [needs_rgb_first(info, channels)], "orientation": [info["orientation"]]}
    failure = decoder_failures([os.fspath(path)], decode, extras).get(0)
    return (failure, None) if failure else (None, info)

