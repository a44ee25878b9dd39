"""Training callbacks for the generative models."""

import os

import keras
import numpy as np
import tensorflow as tf

from keras_augment.visualize import make_grid, to_uint8


class SampleGrid(keras.callbacks.Callback):
    """Writes a PNG grid of samples every `every_n_epochs` epochs.

    Samples come from `model.generate` with a fixed seed, so grids of
    successive epochs show the same noise. For conditional models each row is
    one class. With `log_dir`, the grid is also written as a TensorBoard image
    summary (tag `samples`).

    Args:
        directory: folder of the PNG files `samples_epoch_XXXX.png`.
        every_n_epochs: write after epochs `n, 2n, ...` (1-based).
        columns: samples per row.
        rows: rows of the grid; by default the class count (conditional
            models) or `columns`.
        seed: seed of the sample noise.
        log_dir: optional TensorBoard log folder.
        scale: integer upscaling of the PNG (small images are hard to see).
    """

    def __init__(self, directory, every_n_epochs=1, columns=8, rows=None, seed=0, log_dir=None, scale=4):
        super().__init__()
        if int(every_n_epochs) < 1:
            raise ValueError(f"SampleGrid: `every_n_epochs` must be >= 1; received {every_n_epochs!r}.")
        self.directory = str(directory)
        self.every_n_epochs = int(every_n_epochs)
        self.columns = int(columns)
        self.rows = rows
        self.seed = seed
        if log_dir is not None:
            try:
                import tensorboard  # noqa: F401  (tf.summary.image needs it)
            except ImportError as error:
                raise ValueError(
                    "SampleGrid: `log_dir` needs the tensorboard package; "
                    "install it (pip install tensorboard) or pass log_dir=None."
                ) from error
        self.log_dir = log_dir
        self.scale = int(scale)
        self.written = []
        self._writer = None

    def _samples(self):
        model = self.model
        rows = self.rows or (model.num_classes if model.conditional else self.columns)
        count = rows * self.columns
        labels = None
        if model.conditional:
            labels = np.repeat(np.arange(rows) % model.num_classes, self.columns)
        return model.generate(count, labels=labels, seed=self.seed)

    def on_epoch_end(self, epoch, logs=None):
        if (epoch + 1) % self.every_n_epochs:
            return
        # The package's one grid: white gaps keep small tiles (8x8 digits) apart.
        grid = make_grid(to_uint8(self._samples(), self.model.value_range), self.columns, scale=self.scale)
        os.makedirs(self.directory, exist_ok=True)
        path = os.path.join(self.directory, f"samples_epoch_{epoch + 1:04d}.png")
        tf.io.write_file(path, tf.io.encode_png(grid))
        self.written.append(path)
        if self.log_dir is not None:
            if self._writer is None:
                self._writer = tf.summary.create_file_writer(str(self.log_dir))
            with self._writer.as_default():
                tf.summary.image("samples", grid[None], step=epoch + 1)
            self._writer.flush()


class NaNGuard(keras.callbacks.Callback):
    """Stops training at the first non-finite loss and restores the last good state.

    A snapshot of the model's weights and its optimizers' variables is kept
    at the start of training and after every epoch whose losses were finite.
    When a batch logs a NaN or infinite value, the snapshot is restored,
    training stops and `message` says where it happened (also printed).

    Args:
        verbose: print the message when stopping.
    """

    def __init__(self, verbose=True):
        super().__init__()
        self.verbose = verbose
        self.message = None
        self._snapshot = None

    def _variables(self):
        variables = list(self.model.weights)
        for name in ("optimizer", "d_optimizer", "g_optimizer"):
            optimizer = getattr(self.model, name, None)
            if optimizer is not None:
                variables.extend(optimizer.variables)
        return variables

    def _take_snapshot(self):
        self._snapshot = [np.array(v.numpy()) for v in self._variables()]

    def on_train_begin(self, logs=None):
        self.message = None
        self._epoch = 0
        self._take_snapshot()

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        bad = [
            name for name, value in (logs or {}).items()
            if not np.all(np.isfinite(np.asarray(value, dtype=np.float64)))
        ]
        if not bad:
            return
        for variable, value in zip(self._variables(), self._snapshot):
            variable.assign(value)
        self.model.stop_training = True
        self.message = (
            f"NaNGuard: non-finite {', '.join(bad)} at epoch {self._epoch + 1}, "
            f"batch {batch + 1}; training stopped and the weights of the last "
            "good epoch were restored. Lower the learning rate or check the data."
        )
        if self.verbose:
            print(self.message)

    def on_epoch_end(self, epoch, logs=None):
        if not self.model.stop_training:
            self._take_snapshot()
