"""`keras-augment preview` for text and audio: before/after pairs, spectrograms and WAV files."""

import os

import numpy as np

# The augmenter of `expand` and `preview` when --spec is not given, by data kind.
DEFAULT_SPECS = {
    "text": "EDA(), RandomCharacterNoise(0.05)",
    "audio": "RandomGain(-6.0, 6.0), RandomTimeShift(0.1), RandomNoise(20.0, 40.0)",
}
DEFAULT_SAMPLING_RATE = 16000


def default_spec(kind, image_spec):
    """The spec used without --spec: `image_spec` for images, else the kind's own."""
    return DEFAULT_SPECS.get(kind, image_spec)


def spec_help(image_spec):
    """The --spec help of `expand` and `preview`: the default of each kind."""
    defaults = "; ".join(f"{kind}: {spec!r}" for kind, spec in {"images": image_spec, **DEFAULT_SPECS}.items())
    return f"augmenter spec; by default, for {defaults}"


def preview_text(augmenter, texts, variants, row_seed):
    """`[(original, [variants...]), ...]` of each text augmented `variants` times.

    Args:
        augmenter: a text layer or Pipeline.
        texts: byte strings.
        variants: augmented copies of each.
        row_seed: `row_seed(row)`, the seed of each row's copies.
    """
    import tensorflow as tf

    pairs = []
    for row, text in enumerate(texts):
        made = augmenter(tf.constant([text] * variants), seed=tf.constant(row_seed(row), tf.int64))
        decode = lambda value: value.decode("utf-8", "replace")  # noqa: E731
        pairs.append((decode(text), [decode(value) for value in made.numpy()]))
    return pairs


def print_text_pairs(pairs):
    for row, (original, variants) in enumerate(pairs):
        print(f"[{row}] original: {original}")
        for index, variant in enumerate(variants, 1):
            print(f"    {index}: {variant}")


def _spectrogram_tiles(waves, sampling_rate):
    """Mel spectrograms (Keras's `MelSpectrogram`, dB) of `[N, T]` waves as uint8 `[N, mels, frames]`."""
    import keras

    length = max(256, waves.shape[1])
    fft = 1 << min(11, max(8, (length // 8).bit_length() - 1))
    mel = keras.layers.MelSpectrogram(
        fft_length=fft, sequence_stride=fft // 4, sampling_rate=sampling_rate,
        num_mel_bins=64, max_freq=sampling_rate / 2, power_to_db=True, top_db=80.0,
    )
    waves = np.pad(waves, [(0, 0), (0, length - waves.shape[1])])
    decibels = np.asarray(mel(waves.astype(np.float32)))
    low, high = decibels.max() - 80.0, decibels.max()
    tiles = np.clip((decibels - low) / max(high - low, 1e-6) * 255.0, 0, 255).astype(np.uint8)
    return tiles[:, ::-1, :]  # low frequencies at the bottom


def preview_audio(augmenter, clips, variants, row_seed, output, sampling_rate, scale=None):
    """Write a PNG grid of mel spectrograms and one WAV file per clip.

    Each grid row is one clip's spectrogram then its `variants` augmented
    copies'; WAV files (16-bit PCM) go to the folder `<output stem>-audio/`
    as `row<r>-original.wav` and `row<r>-<v>.wav`.

    Returns:
        `(grid_shape, wav_folder)`.
    """
    import tensorflow as tf

    from keras_augment.visualize import make_grid, save_png

    rows = []
    for row, clip in enumerate(clips):
        batch = np.repeat(np.asarray(clip, np.float32)[None], variants, axis=0)
        made = np.asarray(augmenter(batch, seed=tf.constant(row_seed(row), tf.int64)))
        rows.append(np.concatenate([batch[:1], made]))
    length = max(row.shape[1] for row in rows)
    waves = np.concatenate([np.pad(row, [(0, 0), (0, length - row.shape[1])]) for row in rows])
    tiles = _spectrogram_tiles(waves, sampling_rate)
    if scale is None:
        scale = max(1, 128 // max(tiles.shape[1:]))
    grid = make_grid(tiles[..., None], columns=variants + 1, scale=scale)
    os.makedirs(os.path.dirname(os.path.abspath(output)), exist_ok=True)
    save_png(output, grid)
    folder = os.path.splitext(output)[0] + "-audio"
    os.makedirs(folder, exist_ok=True)
    for row, waves in enumerate(rows):
        for index, wave in enumerate(waves):
            name = "original" if index == 0 else str(index)
            wav = tf.audio.encode_wav(tf.constant(wave[:, None]), sampling_rate)
            with open(os.path.join(folder, f"row{row}-{name}.wav"), "wb") as handle:
                handle.write(wav.numpy())
    return grid.shape, folder


def sampling_rate_of(ds, source, load_options):
    """The sampling rate of loaded audio: the dataset's, the expanded folder's, or the one asked for."""
    from keras_augment.data import records

    if getattr(ds, "sampling_rate", None):
        return int(ds.sampling_rate)
    if isinstance(source, (str, os.PathLike)) and records.is_record_folder(source):
        rate = records.read_info(source).get("sampling_rate")
        if rate:
            return int(rate)
    return int((load_options or {}).get("sampling_rate") or DEFAULT_SAMPLING_RATE)
