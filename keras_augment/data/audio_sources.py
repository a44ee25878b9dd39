"""Audio for `load`: folders of class subfolders of `.wav`, `.flac` and `.ogg` files.

Every file's header is checked and then the whole file is decoded, resampled
and measured by the very `tf.data` decoder the dataset uses (see
`audio_files`), so an epoch never meets a file it cannot read: zero-byte,
cut, wrongly named, undecodable, empty, too short and silent files are
skipped and named in the `CleaningReport`.
"""

import math

import tensorflow as tf

from keras_augment.data import audio_files, class_files, folders
from keras_augment.data.cleaning import check_report
from keras_augment.layers.arguments import check_integer, is_number

DEFAULT_SAMPLING_RATE = 16000
# A file whose loudest sample is below this (about 33 steps of 16-bit PCM)
# holds no usable sound.
SILENCE_DB = -60.0


def check_audio_options(sampling_rate, duration, min_duration, channels, owner="load()"):
    """The audio arguments of `load`, checked: `(sampling_rate, duration, min_duration, channels)`.

    `sampling_rate` None means 16000, `channels` None means 1 (mono).
    """
    sampling_rate = DEFAULT_SAMPLING_RATE if sampling_rate is None else sampling_rate
    sampling_rate = check_integer(sampling_rate, "sampling_rate", owner, minimum=1)
    channels = 1 if channels is None else check_integer(channels, "channels", owner, minimum=1)
    for name, value in (("duration", duration), ("min_duration", min_duration)):
        if value is not None and (
            not is_number(value) or not math.isfinite(value) or value < 0
            or (name == "duration" and value * sampling_rate < 1)
        ):
            least = f"at least 1 / sampling_rate = {1 / sampling_rate:g}" if name == "duration" else ">= 0"
            raise ValueError(
                f"{owner}: `{name}` must be None or a finite number of seconds, {least}; "
                f"received {name}={value!r}."
            )
    return sampling_rate, duration, min_duration, channels


def _columns(paths, infos, sampling_rate):
    ratios = [audio_files.resampling_ratio(info["rate"], sampling_rate) for info in infos]
    return {
        "path": tf.constant(paths, tf.string),
        "tf_wav": tf.constant([info["tf_wav"] for info in infos], tf.bool),
        "frames": tf.constant([info["frames"] for info in infos], tf.int64),
        "up": tf.constant([up for up, _ in ratios], tf.int64),
        "down": tf.constant([down for _, down in ratios], tf.int64),
    }


def _decode_all(columns, decode):
    """`{index: (length, peak)}` of every file the decoder reads, and `{index: reason}` failures."""
    indexed = tf.data.Dataset.from_tensor_slices(columns).enumerate()

    def measure(index, element):
        audio, peak = decode(element)
        return index, tf.shape(audio)[0], peak

    decoded = indexed.map(measure, num_parallel_calls=tf.data.AUTOTUNE).ignore_errors().batch(1024)
    measured = {}
    for indices, lengths, peaks in decoded.as_numpy_iterator():
        measured.update(
            (int(i), (int(n), float(p))) for i, n, p in zip(indices, lengths, peaks)
        )
    failures = {}
    count = int(columns["path"].shape[0])
    for index in sorted(set(range(count)) - set(measured)):
        element = {key: value[index] for key, value in columns.items()}
        try:
            decode(element)
            failures[index] = "the decoder failed only when reading files in parallel"
        except Exception as error:  # noqa: BLE001 - eager runs raise the reader's own errors
            message = getattr(error, "message", str(error)).strip().splitlines()
            message = message[0] if message else type(error).__name__
            failures[index] = f"truncated or corrupt: cannot be decoded ({message})"
    return measured, failures


def scan_audio_folder(root, report=None, sampling_rate=DEFAULT_SAMPLING_RATE, channels=1,
                      min_duration=None, silence_db=SILENCE_DB):
    """The usable audio files of a folder of class subfolders.

    Args:
        root: folder whose subfolders are class names.
        report: optional `CleaningReport` to fill.
        sampling_rate: rate every file is resampled to.
        channels: 1 (mix to mono) or the channel count to keep.
        min_duration: shortest duration in seconds (after resampling) kept.
        silence_db: files whose peak is below this many dB full scale are
            skipped as silent; None keeps them.

    Returns:
        `(paths, labels, class_names, columns, report)`; `columns` are the
        decoder's per-file inputs for the kept files.
    """
    report = check_report(report, "scan_audio_folder()")
    report.unit = "audio files"
    class_names, files = class_files.list_class_files(root, report)
    paths, labels, columns = usable_audio_files(
        class_files.split_by_kind(files, "audio", report), report, sampling_rate, channels,
        min_duration, silence_db,
    )
    return paths, labels, class_names, columns, report


def usable_audio_files(listed, report, sampling_rate, channels=1, min_duration=None,
                       silence_db=SILENCE_DB):
    """The files of `listed` that decode and pass the level checks.

    Every file is decoded once by the decoder the pipeline uses, so a file
    kept here cannot fail mid-epoch; the others are named in `report`.

    Args:
        listed: `(path, label)` pairs.
        report: the `CleaningReport` to fill (its `kept` is set).
        sampling_rate, channels, min_duration, silence_db: as in
            `scan_audio_folder`.

    Returns:
        `(paths, labels, columns)` of the kept files; `columns` are the
        decoder's per-file inputs (`audio_files.make_decoder(channels)`).
    """
    paths, labels, infos = folders.keep_readable(
        listed, lambda path: audio_files.read_header(path, channels), report
    )
    decode = audio_files.make_decoder(channels)
    measured, failures = _decode_all(_columns(paths, infos, sampling_rate), decode) if paths else ({}, {})
    least = 1 if min_duration is None else max(1, math.ceil(min_duration * sampling_rate))
    keep = []
    for index, path in enumerate(paths):
        reason = failures.get(index)
        if reason is None:
            length, peak = measured[index]
            reason = _level_reason(infos[index], length, peak, least, sampling_rate, silence_db)
        if reason:
            report.skipped.append((path, reason))
        else:
            keep.append(index)
    paths, labels, infos = ([values[i] for i in keep] for values in (paths, labels, infos))
    report.kept = len(paths)
    return paths, labels, _columns(paths, infos, sampling_rate)


def _level_reason(info, length, peak, least, sampling_rate, silence_db):
    if peak > 1.0:
        return (
            f"{info['subtype']} samples beyond [-1, 1] (peak {peak:.3g}): scale the file "
            "to full range first"
        )
    if silence_db is not None and (peak == 0 or 20 * math.log10(peak) < silence_db):
        level = "-inf" if peak == 0 else f"{20 * math.log10(peak):.1f}"
        return f"silent: peak {level} dBFS, under {silence_db:g} dBFS"
    if length < least:
        return (
            f"too short: {length / sampling_rate:.4g} s, under min_duration="
            f"{least / sampling_rate:.4g} s"
        )
    return None


def load_audio_folder(root, report, verbose=False, sampling_rate=None, duration=None,
                      min_duration=None, channels=None):
    """A folder of class subfolders of audio files as a `tf.data.Dataset`.

    Elements are `{"audio": float32 [T] (or [T, channels]) in [-1, 1],
    "labels": int64 []}`; `T` is `round(duration * sampling_rate)` when
    `duration` is given (zeros appended or the end cut), else each file's
    own resampled length. The dataset carries `class_names`, `paths` and
    `sampling_rate`.
    """
    sampling_rate, duration, min_duration, channels = check_audio_options(
        sampling_rate, duration, min_duration, channels
    )
    paths, labels, class_names, columns, report = scan_audio_folder(
        root, report, sampling_rate, channels, min_duration
    )
    if verbose and report.skipped:
        print(report.summary())
    if not paths:
        raise ValueError(f"load(): folder {root} holds no readable audio files.\n{report.summary()}")
    decode = audio_files.make_decoder(channels)
    length = None if duration is None else int(round(duration * sampling_rate))
    shape = [length] if channels == 1 else [length, channels]

    def read(element):
        audio, _ = decode(element)
        if length is not None:
            audio = audio[:length]
            padding = [[0, length - tf.shape(audio)[0]]] + [[0, 0]] * (len(shape) - 1)
            audio = tf.pad(audio, padding)
        return {"audio": tf.ensure_shape(audio, shape), "labels": element["labels"]}

    columns["labels"] = tf.constant(labels, tf.int64)
    ds = tf.data.Dataset.from_tensor_slices(columns).map(read, num_parallel_calls=tf.data.AUTOTUNE)
    ds.class_names = class_names
    ds.paths = list(paths)
    ds.sampling_rate = sampling_rate
    return ds


def to_float_audio(audio):
    """Integer PCM samples as float32 in [-1, 1] (float input is only clipped)."""
    if audio.dtype.is_integer:
        # TFDS stores 16-bit PCM in int64 features too: their range is int16's.
        scale = float(2 ** (8 * audio.dtype.size - 1)) if audio.dtype != tf.int64 else 32768.0
        audio = tf.cast(audio, tf.float32) / scale
    return tf.clip_by_value(tf.cast(audio, tf.float32), -1.0, 1.0)

