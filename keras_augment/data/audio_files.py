"""Checking and decoding audio files: the one place that knows how a file is read.

A file is checked twice before it joins a dataset. Its header is read first:
libsndfile (through soundfile) names the format, rate, channels and frames,
and the bytes are compared with what the header promises, since libsndfile
quietly reads a cut WAV file short. Then the `tf.data` decoder the pipeline
uses decodes it: 16-bit PCM WAV with `tf.audio.decode_wav`, every other file
with soundfile, resampled with SciPy's polyphase filter
(`scipy.signal.resample_poly`). A file that fails either check is skipped and
named; it can never stop an epoch.
"""

import fractions
import os
import struct

from keras_augment.data import class_files

# What libsndfile calls each container, by the extension that must name it.
_FORMATS = {".wav": ("WAV", "WAVEX", "RF64"), ".flac": ("FLAC",), ".ogg": ("OGG",)}
_PCM = 1


def _wav_layout(path, size):
    """`(reason, tf_readable)` from a WAV file's chunks.

    `reason` says when the data chunk promises more bytes than the file has
    (a cut file); `tf_readable` is True for 16-bit PCM, which TensorFlow
    decodes itself.
    """
    fmt = None
    with open(path, "rb") as handle:
        riff = handle.read(12)
        if riff[:4] != b"RIFF" or riff[8:12] != b"WAVE":
            return None, False  # RF64 and others: libsndfile's own checks apply
        while True:
            header = handle.read(8)
            if len(header) < 8:
                return "truncated: the file ends before its data chunk", False
            chunk, length = header[:4], struct.unpack("<I", header[4:])[0]
            if chunk == b"fmt ":
                fmt = handle.read(min(length, 40))
                handle.seek(length - len(fmt) + (length & 1), os.SEEK_CUR)
            elif chunk == b"data":
                start = handle.tell()
                if length > size - start and length not in (0, 0xFFFFFFFF):
                    return (
                        f"truncated: the header promises {length} bytes of audio, "
                        f"the file holds {size - start}"
                    ), False
                break
            else:
                handle.seek(length + (length & 1), os.SEEK_CUR)
    if fmt is None or len(fmt) < 16:
        return None, False
    tag, _, _, _, _, bits = struct.unpack("<HHIIHH", fmt[:16])
    # TensorFlow reads plain 16-bit PCM only: not the extensible layout (its
    # format chunk is 40 bytes), whatever samples that holds.
    return None, tag == _PCM and bits == 16 and len(fmt) in (16, 18)


def _ogg_finished(path, size):
    """False when an Ogg file's last page does not end the stream (a cut file)."""
    with open(path, "rb") as handle:
        handle.seek(max(0, size - 65536))
        tail = handle.read()
    last = tail.rfind(b"OggS")
    if last < 0 or len(tail) < last + 27:
        return False
    segments = tail[last + 27 : last + 27 + tail[last + 26]]
    complete = len(tail) >= last + 27 + tail[last + 26] + sum(segments)
    return complete and bool(tail[last + 5] & 0x04)  # the end-of-stream flag


def read_header(path, channels=1):
    """Check one audio file's name, header and length without decoding it.

    Args:
        path: a `.wav`, `.flac` or `.ogg` file.
        channels: channels it will be decoded to; a file must have 1 or that
            many (1 means any: every file is mixed to mono).

    Returns:
        `(None, info)` with `info = {"format", "subtype", "rate", "channels",
        "frames", "tf_wav"}`, or `(reason, None)`. Every error becomes a
        reason, never an exception.
    """
    import soundfile

    try:
        size = os.path.getsize(path)
        if size == 0:
            return "empty file (0 bytes)", None
        with open(path, "rb") as handle:
            head = handle.read(8)
        info = soundfile.info(path)
    except OSError as error:
        return f"unreadable: {error.strerror}", None
    except Exception as error:  # noqa: BLE001 - libsndfile's refusals skip the file
        what = class_files.sniff(head)
        if what and not what.endswith("audio"):
            return f"wrongly named: the file holds {what}, not audio", None
        return f"not a readable audio file (libsndfile: {str(error).strip().splitlines()[-1]})", None
    extension = os.path.splitext(path)[1].lower()
    if info.format not in _FORMATS.get(extension, ()):
        return (
            f"wrongly named: the file holds {info.format} audio, not {extension[1:].upper()}"
        ), None
    reason, tf_wav = None, False
    try:
        if info.format in ("WAV", "WAVEX"):
            reason, tf_wav = _wav_layout(path, size)
        elif info.format == "OGG" and not _ogg_finished(path, size):
            reason = "truncated: the Ogg stream has no final page"
    except OSError as error:
        return f"unreadable: {error.strerror}", None
    if reason:
        return reason, None
    if info.frames <= 0:
        return "empty: no audio frames", None
    if channels != 1 and info.channels not in (1, channels):
        return f"{info.channels} channels: channels={channels} takes files with 1 or {channels}", None
    return None, {
        "format": info.format, "subtype": info.subtype, "rate": int(info.samplerate),
        "channels": int(info.channels), "frames": int(info.frames), "tf_wav": tf_wav,
    }


def resampling_ratio(rate, sampling_rate):
    """`(up, down)`: the smallest integers with `rate * up / down == sampling_rate`."""
    ratio = fractions.Fraction(int(sampling_rate), int(rate))
    return ratio.numerator, ratio.denominator


def resampled_length(frames, up, down):
    """How many samples `scipy.signal.resample_poly` returns for `frames` input samples."""
    return -(-frames * up // down)


def _read_with_soundfile(path):
    import numpy as np
    import soundfile

    path = path.item() if hasattr(path, "item") else path  # eager calls pass a 0-d array
    audio, _ = soundfile.read(path.decode("utf-8", "surrogateescape"), dtype="float32", always_2d=True)
    return np.ascontiguousarray(audio)


def resample(audio, up, down):
    """`audio` (`[T, C]` NumPy) resampled by `up / down` with SciPy's polyphase filter, as float32."""
    import numpy as np
    from scipy import signal

    return signal.resample_poly(audio, int(up), int(down), axis=0).astype(np.float32)


def make_decoder(channels):
    """The decode function of the loading pipeline, also used to check files.

    Args:
        channels: 1 to mix every file to mono (`[T]`), or C to give `[T, C]`
            (mono files repeated; others must have C channels).

    Returns:
        `decode(element) -> (audio, peak)`, reading `path`, `tf_wav`,
        `frames`, `up` and `down` from the element: `audio` is float32,
        resampled by `up / down` and clipped to [-1, 1]; `peak` is the
        largest magnitude as decoded, before any mixing or resampling. A
        decode that yields fewer or more frames than the header promises
        raises, so the scan skips the file.
    """
    import tensorflow as tf

    def decode(element):
        path = element["path"]
        audio = tf.cond(
            element["tf_wav"],
            lambda: tf.audio.decode_wav(tf.io.read_file(path)).audio,
            lambda: tf.numpy_function(_read_with_soundfile, [path], tf.float32, stateful=False),
        )
        audio = tf.ensure_shape(audio, [None, None])
        same_length = tf.debugging.assert_equal(
            tf.shape(audio, out_type=tf.int64)[0], element["frames"],
            message="decoded length differs from the header's frame count",
        )
        with tf.control_dependencies([same_length]):
            audio = tf.identity(audio)
        peak = tf.reduce_max(tf.abs(audio))
        if channels == 1:
            audio = tf.reduce_mean(audio, axis=1, keepdims=True)
        else:
            audio = tf.tile(audio, [1, channels // tf.shape(audio)[1]])
        audio = tf.cond(
            tf.equal(element["up"], element["down"]),
            lambda: audio,
            lambda: tf.numpy_function(
                resample, [audio, element["up"], element["down"]], tf.float32, stateful=False
            ),
        )
        audio = tf.clip_by_value(tf.ensure_shape(audio, [None, channels]), -1.0, 1.0)
        return (audio[:, 0] if channels == 1 else audio), peak

    return decode
