"""Recorded clips for the waveform layers that mix in real audio (noise, impulse responses).

A layer takes its clips from a folder of audio files or from arrays. A
folder is read once, when the layer is made, by the decoder `data.load`
uses (same file checks, resampling and mono mixing); every file it cannot
use is named in a `CleaningReport` and skipped. The clips then live in the
layer: in its traced graphs, in a SavedModel and, as an asset, in a
`.keras` file, so none of these needs the folder. They are held in memory
(4 bytes a sample) and embedded in every graph that calls the layer, so a
bank should stay well under TensorFlow's 2 GB graph limit (an hour of
16 kHz audio is 230 MB).
"""

import os
import warnings

import keras
import numpy as np

from keras_augment.layers.arguments import check_integer
from keras_augment.layers.audio.base import WaveformAugmentation

_ASSET = "clips.npz"


def read_folder(folder, sampling_rate, owner):
    """Every usable audio file anywhere under `folder`, decoded as by `data.load`.

    Returns:
        `(clips, paths, report)`: float32 mono arrays at `sampling_rate`, the
        path of each, and the `CleaningReport` naming every skipped file.
    """
    import tensorflow as tf

    from keras_augment.data import audio_files, audio_sources, class_files
    from keras_augment.data.cleaning import CleaningReport

    report = CleaningReport(unit="audio files")
    listed = []
    for top, subfolders, names in os.walk(folder):
        subfolders[:] = sorted(name for name in subfolders if not name.startswith("."))
        for name in sorted(names):
            path = os.path.join(top, name)
            if name.startswith("."):
                continue  # hidden entries (.DS_Store) are not data
            if class_files.kind_of(path) == "audio":
                listed.append((path, 0))
            else:
                report.skipped.append((path, "not an audio file (expected .wav, .flac or .ogg)"))
    paths, _, columns = audio_sources.usable_audio_files(listed, report, sampling_rate)
    if not paths:
        raise ValueError(
            f"{owner}: folder {folder} holds no usable audio files.\n{report.summary()}"
        )
    decode = audio_files.make_decoder(1)
    decoded = tf.data.Dataset.from_tensor_slices(columns).map(lambda e: decode(e)[0])
    return [np.asarray(clip, np.float32) for clip in decoded.as_numpy_iterator()], paths, report


def clips_from_arrays(value, name, owner):
    """`value` (one 1-D clip, a 2-D array of clips, or a list of 1-D clips) as float32 arrays."""
    message = (
        f"{owner}: `{name}` must be a folder of audio files, or one clip or a list of "
        "clips (1-D arrays of samples, at least one, each non-empty, finite and not "
        "silent)"
    )
    if isinstance(value, (list, tuple)) and not value:
        raise ValueError(f"{message}; received an empty {type(value).__name__}.")
    try:
        if isinstance(value, (list, tuple)) and np.ndim(value[0]) == 1:
            clips = [np.asarray(clip, np.float32) for clip in value]
        else:
            array = np.asarray(value, np.float32)
            clips = [array] if array.ndim == 1 else list(array)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{message}; received {type(value).__name__} ({error}).") from None
    if not clips:
        raise ValueError(f"{message}; received an empty {type(value).__name__}.")
    for index, clip in enumerate(clips):
        problem = (
            f"shape {clip.shape}" if clip.ndim != 1 or clip.size == 0
            else "non-finite samples" if not np.isfinite(clip).all()
            else "only zeros" if not clip.any() else None
        )
        if problem:
            raise ValueError(f"{message}; clip {index} has {problem}.")
    return clips


class ClipAugmentation(WaveformAugmentation):
    """Base of waveform layers that draw from a bank of recorded clips.

    Subclasses name their clip argument in `clips_argument` and turn the
    clips into tensors in `set_clips(clips)`; `arguments()` gives their
    other constructor arguments for `get_config`.
    """

    clips_argument = "clips"

    def __init__(self, clips, sampling_rate=16000, seed=None, **kwargs):
        super().__init__(seed=seed, **kwargs)
        self.sampling_rate = check_integer(sampling_rate, "sampling_rate", self._owner, minimum=1)
        self.report, self.paths, self.folder = None, None, None
        if isinstance(clips, (str, os.PathLike)):
            self.folder = os.fspath(clips)
            if not os.path.isdir(self.folder):
                raise ValueError(
                    f"{self._owner}: `{self.clips_argument}` names no folder: {self.folder!r}."
                )
            arrays, self.paths, self.report = read_folder(self.folder, self.sampling_rate, self._owner)
            if self.report.skipped:
                warnings.warn(f"{self._owner} skipped files:\n{self.report.summary()}", stacklevel=2)
        else:
            arrays = clips_from_arrays(clips, self.clips_argument, self._owner)
        self._use(arrays)

    def _use(self, arrays):
        self.clips = arrays
        self.set_clips(arrays)

    def set_clips(self, clips):
        raise NotImplementedError(f"{type(self).__name__} must define set_clips.")

    def arguments(self):
        """The constructor arguments other than the clips, sampling rate and seed."""
        raise NotImplementedError(f"{type(self).__name__} must define arguments.")

    def check_clips(self):
        if self.clips is None:
            raise ValueError(
                f"{self._owner} was rebuilt from a config naming folder {self.folder!r}, "
                "which is not here, and holds no clips; load it with "
                "keras.saving.load_model from a .keras file (which carries the clips) "
                "or make the folder available."
            )

    def get_config(self):
        # Keras's own part (name, trainable, dtype); the arguments follow.
        config = keras.layers.Layer.get_config(self)
        config.update(self.arguments(), sampling_rate=self.sampling_rate, seed=self.seed)
        # A folder is kept as its path (the .keras file carries the clips as
        # an asset); arrays are kept as lists, as Keras keeps a vocabulary.
        source = self.folder if self.folder is not None else [c.tolist() for c in self.clips]
        config[self.clips_argument] = source
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        source = config[cls.clips_argument]
        if isinstance(source, str) and not os.path.isdir(source):
            # Loading a .keras file elsewhere: its asset fills the clips in.
            config[cls.clips_argument] = [[1.0]]
            layer = cls(**config)
            layer.folder, layer.clips = source, None
            return layer
        return cls(**config)

    def save_assets(self, dir_path):
        # Arrays are in the config already; only a folder's clips need the asset.
        if self.folder is not None:
            self.check_clips()
            np.savez(os.path.join(dir_path, _ASSET), *self.clips)

    def load_assets(self, dir_path):
        path = os.path.join(dir_path, _ASSET)
        if os.path.exists(path):
            with np.load(path, allow_pickle=False) as stored:
                self._use([stored[f"arr_{i}"] for i in range(len(stored.files))])
