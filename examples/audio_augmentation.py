"""Audio augmentation: waveform layers (gain, noise, time shift) and time and
frequency masking on spectrograms, for a toy two-tone classification task.

Run: python examples/audio_augmentation.py [--fast]
"""

import keras
import numpy as np
import tensorflow as tf

import keras_augment as ka
from keras_augment import data

from _common import parse_args

RATE = 8000


def tones(count, seed=0):
    """One-second clips of a low (class 0) or high (class 1) tone with jitter."""
    rng = np.random.default_rng(seed)
    labels = np.arange(count) % 2
    time = np.arange(RATE) / RATE
    frequencies = np.where(labels == 1, 1200.0, 400.0) * rng.uniform(0.9, 1.1, count)
    clips = np.sin(2 * np.pi * frequencies[:, None] * time) * rng.uniform(0.2, 0.8, (count, 1))
    return clips.astype(np.float32), labels


def spectrogram(waveforms):
    return tf.math.log(tf.abs(tf.signal.stft(waveforms, 256, 128)) + 1e-6)  # [B, T, F]


def main(argv=None):
    args = parse_args(__doc__.splitlines()[0], argv)
    clips, labels = tones(16 if args.fast else 200)
    # Pipeline checks for images, so the waveform layers are mapped one by one.
    waveform_layers = [
        ka.layers.RandomGain(-6.0, 6.0), ka.layers.RandomNoise(10.0, 30.0),
        ka.layers.RandomTimeShift(0.2),
    ]
    # SpecAugment("LB") does the same with widths meant for long speech clips.
    masking = [ka.layers.TimeMasking(max_width=6, count=2), ka.layers.FrequencyMasking(max_width=8, count=2)]
    ds = tf.data.Dataset.from_tensor_slices({"audio": clips, "labels": labels})
    batches = ds.shuffle(256, seed=0).batch(16)
    for index, layer in enumerate(waveform_layers):
        batches = data.augment(batches, layer, seed=10 + index)
    batches = batches.map(lambda e: {**e, "audio": spectrogram(e["audio"])})
    for index, layer in enumerate(masking):
        batches = data.augment(batches, layer, seed=20 + index)
    example = next(iter(batches))["audio"]
    print(f"augmented spectrogram batch: {example.shape}, masked cells {int(tf.reduce_sum(tf.cast(example == 0, tf.int32)))}")
    model = keras.Sequential([
        keras.Input(example.shape[1:]), keras.layers.GlobalAveragePooling1D(),  # mean over time
        keras.layers.Dense(2),
    ])
    model.compile(keras.optimizers.Adam(0.05), keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
    model.fit(batches.map(lambda e: (e["audio"], e["labels"])), epochs=1 if args.fast else 5, verbose=0)
    test_clips, test_labels = tones(16 if args.fast else 100, seed=1)
    _, accuracy = model.evaluate(spectrogram(test_clips), test_labels, verbose=0)
    print(f"held-out accuracy: {accuracy:.2f}")


if __name__ == "__main__":
    main()
