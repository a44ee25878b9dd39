"""TensorFlow Datasets text and audio datasets as `load` elements.

A TFDS dataset's kind follows from its supervised input feature: `Text`
gives `{"text", "labels"}`, `Audio` gives `{"audio": float32 in [-1, 1],
"labels"}` resampled from the feature's `sample_rate` to `sampling_rate`
with SciPy's polyphase filter, and anything else stays an image.
"""

import tensorflow as tf

from keras_augment.data import audio_files
from keras_augment.data.audio_sources import check_audio_options, to_float_audio


def kind_of_feature(feature):
    """`"text"`, `"audio"` or `"images"` for a TFDS feature."""
    import tensorflow_datasets as tfds

    if isinstance(feature, tfds.features.Text):
        return "text"
    if isinstance(feature, tfds.features.Audio):
        return "audio"
    return "images"


def converter(name, sampling_rate=None, duration=None, channels=None):
    """A `convert(ds, info, input_key, label_key)` for `tfds_source.load_tfds`.

    Returns None from `convert` for image datasets, so the image mapping
    applies; the returned dataset carries `class_names` when the label is a
    `ClassLabel`, and `sampling_rate` for audio.
    """

    def convert(ds, info, input_key, label_key):
        feature = info.features[input_key]
        kind = kind_of_feature(feature)
        if kind == "images":
            if sampling_rate is not None or duration is not None:
                raise ValueError(
                    f"load({name!r}): `sampling_rate` and `duration` apply to audio; this "
                    f"dataset's {input_key!r} is {type(feature).__name__}."
                )
            return None
        if kind == "text":
            if sampling_rate is not None or duration is not None or channels is not None:
                raise ValueError(
                    f"load({name!r}): `sampling_rate`, `duration` and `channels` apply to "
                    "audio and images; this dataset holds text."
                )
            mapped = ds.map(
                lambda e: {"text": e[input_key], "labels": tf.cast(e[label_key], tf.int64)},
                num_parallel_calls=tf.data.AUTOTUNE,
            )
        else:
            mapped = _audio(ds, feature, input_key, label_key, name, sampling_rate, duration, channels)
        names = getattr(info.features[label_key], "names", None)
        if names:
            mapped.class_names = list(names)
        return mapped

    return convert


def _audio(ds, feature, input_key, label_key, name, sampling_rate, duration, channels):
    rate, duration, _, channels = check_audio_options(
        sampling_rate, duration, None, channels, f"load({name!r})"
    )
    source_rate = getattr(feature, "sample_rate", None)
    if not source_rate:
        raise ValueError(
            f"load({name!r}): the audio feature states no sample rate, so it cannot be "
            f"resampled to sampling_rate={rate}."
        )
    shape = tuple(feature.shape)
    stored_channels = shape[1] if len(shape) == 2 and shape[1] else 1
    if channels != 1 and stored_channels not in (1, channels):
        raise ValueError(
            f"load({name!r}): the audio has {stored_channels} channels; channels={channels} "
            f"takes 1 or {channels} (or use channels=1 to mix to mono)."
        )
    up, down = audio_files.resampling_ratio(source_rate, rate)
    length = None if duration is None else int(round(duration * rate))
    resample = audio_files.resample

    def read(element):
        audio = to_float_audio(element[input_key])
        audio = audio[:, None] if audio.shape.rank == 1 else audio
        if channels == 1:
            audio = tf.reduce_mean(audio, axis=1, keepdims=True)
        else:
            audio = tf.tile(audio, [1, channels // stored_channels])
        if up != down:
            audio = tf.numpy_function(resample, [audio, up, down], tf.float32, stateful=False)
        audio = tf.clip_by_value(tf.ensure_shape(audio, [None, channels]), -1.0, 1.0)
        audio = audio[:, 0] if channels == 1 else audio
        if length is not None:
            audio = audio[:length]
            padding = [[0, length - tf.shape(audio)[0]]] + [[0, 0]] * (channels > 1)
            audio = tf.ensure_shape(tf.pad(audio, padding), [length] + [channels] * (channels > 1))
        return {"audio": audio, "labels": tf.cast(element[label_key], tf.int64)}

    mapped = ds.map(read, num_parallel_calls=tf.data.AUTOTUNE)
    mapped.sampling_rate = rate
    return mapped
