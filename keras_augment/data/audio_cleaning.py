"""Cleaning audio datasets: DC removal, silence trimming, loudness, clipping, statistics.

The cleaning steps are TensorFlow ops on one clip (`[T]` or `[T, C]`
float32 in [-1, 1]), so `clean_audio` runs inside `tf.data` without Python;
the statistics read the dataset once with NumPy.
"""

import collections

import numpy as np

from keras_augment.layers.core.arguments import check_integer, is_number

# A clip holding a run of this many samples at full scale is called clipped.
CLIPPING_LEVEL = 0.999
CLIPPING_RUN = 3


def _check_db(value, name, owner, allow_none=True):
    if (value is None and allow_none) or (is_number(value) and np.isfinite(value)):
        return None if value is None else float(value)
    raise ValueError(f"{owner}: `{name}` must be a finite number of dB{' or None' if allow_none else ''}; "
                     f"received {name}={value!r}.")


def remove_dc(audio):
    """The clip minus its mean (per channel): no constant offset left."""
    import tensorflow as tf

    return audio - tf.reduce_mean(audio, axis=0, keepdims=True)


def trim_silence(audio, sampling_rate, top_db=40.0, frame_seconds=0.02):
    """Cut the leading and trailing frames quieter than `top_db` under the loudest.

    Frames are `frame_seconds` long and do not overlap; a frame's level is
    its RMS over all channels. A clip without any sound is returned whole.
    """
    import tensorflow as tf

    frame = max(1, int(round(frame_seconds * sampling_rate)))
    mono = audio if audio.shape.rank == 1 else tf.reduce_mean(tf.square(audio), axis=1) ** 0.5
    frames = tf.signal.frame(tf.square(mono), frame, frame, pad_end=True)
    rms = tf.sqrt(tf.reduce_mean(frames, axis=1))
    loud = rms >= tf.reduce_max(rms) * 10 ** (-top_db / 20)
    loud = tf.logical_and(loud, rms > 0)
    indices = tf.where(loud)[:, 0]
    length = tf.shape(audio, out_type=tf.int64)[0]
    start = tf.cond(tf.size(indices) > 0, lambda: indices[0] * frame, lambda: tf.constant(0, tf.int64))
    stop = tf.cond(
        tf.size(indices) > 0, lambda: tf.minimum((indices[-1] + 1) * frame, length), lambda: length
    )
    return audio[start:stop]


def normalize_loudness(audio, target_db=-20.0):
    """Scale the clip to an RMS of `target_db` dB full scale, never past a peak of 1.

    This is RMS loudness, not perceptual (LUFS) loudness. When the gain would
    push the peak over 1 it is lowered so the peak is exactly 1 (no clipping
    is added). A silent clip is returned unchanged.
    """
    import tensorflow as tf

    rms = tf.sqrt(tf.reduce_mean(tf.square(audio)))
    peak = tf.reduce_max(tf.abs(audio))
    gain = tf.math.divide_no_nan(tf.constant(10 ** (target_db / 20), audio.dtype), rms)
    gain = tf.minimum(gain, tf.math.divide_no_nan(tf.constant(1.0, audio.dtype), peak))
    return tf.where(rms > 0, audio * gain, audio)


def clipped_samples(audio, level=CLIPPING_LEVEL, run=CLIPPING_RUN):
    """How many samples of a NumPy clip lie in runs of `run` or more at `|x| >= level`."""
    hot = np.abs(np.asarray(audio)) >= level
    hot = hot.any(axis=1) if hot.ndim == 2 else hot
    edges = np.diff(np.concatenate([[0], hot.astype(np.int8), [0]]))
    starts, stops = np.nonzero(edges == 1)[0], np.nonzero(edges == -1)[0]
    lengths = stops - starts
    return int(lengths[lengths >= run].sum())


def clean_audio(ds, sampling_rate=None, dc=True, trim_db=40.0, loudness_db=-20.0, duration=None):
    """Remove DC, trim silence and normalise loudness over a `{"audio", ...}` dataset.

    Args:
        ds: unbatched dataset with float `audio` (`[T]` or `[T, C]`).
        sampling_rate: the clips' rate; `ds.sampling_rate` when None.
        dc: subtract each clip's mean.
        trim_db: trim leading and trailing frames this many dB under the
            loudest frame (see `trim_silence`); None keeps them.
        loudness_db: RMS target in dB full scale (see `normalize_loudness`);
            None keeps levels.
        duration: seconds to pad (zeros) or cut every clip to afterwards, so
            clips trimmed to different lengths batch again; None keeps lengths.

    Returns:
        The mapped dataset, keeping `class_names`, `paths` and `sampling_rate`.
    """
    import tensorflow as tf

    owner = "clean_audio()"
    sampling_rate = getattr(ds, "sampling_rate", None) if sampling_rate is None else sampling_rate
    sampling_rate = check_integer(sampling_rate, "sampling_rate", owner, minimum=1)
    trim_db = _check_db(trim_db, "trim_db", owner)
    loudness_db = _check_db(loudness_db, "loudness_db", owner)
    if loudness_db is not None and loudness_db > 0:
        raise ValueError(f"{owner}: `loudness_db` must be <= 0 dB full scale; received {loudness_db!r}.")
    if not isinstance(dc, bool):
        raise ValueError(f"{owner}: `dc` must be True or False; received dc={dc!r}.")
    if duration is not None and (not is_number(duration) or not duration * sampling_rate >= 1):
        raise ValueError(f"{owner}: `duration` must be None or at least one sample long; received {duration!r}.")
    length = None if duration is None else int(round(duration * sampling_rate))

    def apply(element):
        audio = tf.cast(element["audio"], tf.float32)
        if dc:
            audio = remove_dc(audio)
        if trim_db is not None:
            audio = trim_silence(audio, sampling_rate, trim_db)
        if loudness_db is not None:
            audio = normalize_loudness(audio, loudness_db)
        audio = tf.clip_by_value(audio, -1.0, 1.0)  # DC removal can move a peak past 1
        if length is not None:
            audio = audio[:length]
            padding = [[0, length - tf.shape(audio)[0]]] + [[0, 0]] * (audio.shape.rank - 1)
            audio = tf.ensure_shape(tf.pad(audio, padding), [length] + audio.shape[1:].as_list())
        return {**element, "audio": audio}

    cleaned = ds.map(apply, num_parallel_calls=tf.data.AUTOTUNE)
    for name in ("class_names", "paths"):
        if hasattr(ds, name):
            setattr(cleaned, name, getattr(ds, name))
    cleaned.sampling_rate = sampling_rate
    return cleaned


def audio_stats(ds, sampling_rate=None, class_names=None):
    """Per-class durations, levels and clipping of a `{"audio", "labels"}` dataset.

    Args:
        ds: unbatched dataset of float clips.
        sampling_rate: their rate; `ds.sampling_rate` when None.
        class_names: names for the labels; `ds.class_names` or integers when None.

    Returns:
        dict with `count`, `total_seconds`, `clipped` (names of clips with
        clipping runs, by `ds.paths` or `"element i"`), `peak_db` and `rms_db`
        summaries, `largest_dc` (largest absolute mean), and `classes`:
        `{name: {"count", "total_seconds", "seconds": {min, mean, median, max}}}`.
    """
    sampling_rate = getattr(ds, "sampling_rate", None) if sampling_rate is None else sampling_rate
    sampling_rate = check_integer(sampling_rate, "sampling_rate", "audio_stats()", minimum=1)
    class_names = class_names or getattr(ds, "class_names", None)
    paths = list(getattr(ds, "paths", None) or [])
    seconds = collections.defaultdict(list)
    clipped, peaks, levels, largest_dc = [], [], [], 0.0
    for index, sample in enumerate(ds.as_numpy_iterator()):
        audio = np.asarray(sample["audio"], np.float64)
        label = int(sample["labels"])
        seconds[class_names[label] if class_names else label].append(len(audio) / sampling_rate)
        if clipped_samples(audio):
            clipped.append(paths[index] if index < len(paths) else f"element {index}")
        peak, rms = np.abs(audio).max(initial=0.0), np.sqrt(np.mean(audio**2)) if audio.size else 0.0
        peaks.append(20 * np.log10(peak) if peak > 0 else -np.inf)
        levels.append(20 * np.log10(rms) if rms > 0 else -np.inf)
        largest_dc = max(largest_dc, float(np.abs(audio.mean(axis=0)).max()) if audio.size else 0.0)

    def summary(values):
        if not values:
            return {}
        return {"min": float(np.min(values)), "mean": float(np.mean(values)),
                "median": float(np.median(values)), "max": float(np.max(values))}

    order = sorted(seconds, key=lambda n: class_names.index(n) if class_names else n)
    return {
        "count": len(peaks),
        "total_seconds": float(sum(sum(v) for v in seconds.values())),
        "clipped": clipped,
        "peak_db": summary(peaks),
        "rms_db": summary(levels),
        "largest_dc": largest_dc,
        "classes": {name: {"count": len(seconds[name]), "total_seconds": float(sum(seconds[name])),
                           "seconds": summary(seconds[name])} for name in order},
    }
