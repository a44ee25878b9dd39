"""Train with BackupAndRestore; optionally SIGKILL this process mid-epoch.

Usage: python resumable_train.py BACKUP_DIR OUTPUT.npz [KILL_AT_STEP]
The model holds keras_augment layers, whose seed state is part of the
backup, so a resumed run draws the same augmentations as an uninterrupted one.
"""

import os
import signal
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import keras  # noqa: E402
import numpy as np  # noqa: E402

import keras_augment as ka  # noqa: E402
from keras_augment.data import load_digits_arrays  # noqa: E402

BACKUP_DIR, OUTPUT = sys.argv[1], sys.argv[2]
KILL_AT_STEP = int(sys.argv[3]) if len(sys.argv) > 3 else None


class KillAt(keras.callbacks.Callback):
    def __init__(self, step):
        super().__init__()
        self.step = step
        self.seen = 0

    def on_train_batch_end(self, batch, logs=None):
        self.seen += 1
        if self.seen == self.step:
            os.kill(os.getpid(), signal.SIGKILL)


def main():
    images, labels = load_digits_arrays()
    images = images[:320].astype("float32") / 16.0
    labels = labels[:320]
    keras.utils.set_random_seed(1)
    model = keras.Sequential(
        [
            keras.Input((8, 8, 1)),
            ka.layers.RandomFlip("horizontal", seed=3),
            ka.layers.RandomBrightness(0.2, value_range=(0, 1), seed=4),
            keras.layers.Conv2D(8, 3, activation="relu"),
            keras.layers.Flatten(),
            keras.layers.Dense(10),
        ]
    )
    model.compile(keras.optimizers.Adam(0.01), keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    callbacks = [keras.callbacks.BackupAndRestore(BACKUP_DIR)]
    if KILL_AT_STEP:
        callbacks.append(KillAt(KILL_AT_STEP))
    model.fit(images, labels, batch_size=32, epochs=4, shuffle=False, callbacks=callbacks, verbose=0)
    np.savez(OUTPUT, *[w.numpy() for w in model.weights])


main()
