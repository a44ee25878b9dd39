"""SavedModels from export_augmenter load and match where keras_augment is absent."""

import subprocess
import sys
import textwrap

import numpy as np

from keras_augment import layers
from keras_augment.export import export_augmenter

BLOCK_AND_LOAD = textwrap.dedent(
    """
    import sys

    class Block:
        def find_spec(self, name, path=None, target=None):
            if name == "keras_augment" or name.startswith("keras_augment."):
                raise ImportError("keras_augment is blocked in this process")

    sys.meta_path.insert(0, Block())
    sys.path = [p for p in sys.path if p not in ("", ".")]
    import numpy as np
    import tensorflow as tf

    try:
        import keras_augment  # noqa: F401
        raise SystemExit("keras_augment was importable")
    except ImportError:
        pass
    loaded = tf.saved_model.load(sys.argv[1])
    images = np.load(sys.argv[2])
    out = loaded.signatures["serving_default"](images=images, seed=tf.constant(99, tf.int64))
    np.save(sys.argv[3], out["images"].numpy())
    """
)


def test_export_reloads_in_a_process_without_keras_augment(tmp_path):
    layer = layers.Pipeline([layers.RandomFlip(), layers.RandomBrightness(0.4)], seed=1)
    images = np.random.default_rng(0).integers(0, 256, (5, 10, 10, 3)).astype("uint8")
    export_augmenter(layer, tmp_path / "model", (10, 10, 3), "uint8")
    np.save(tmp_path / "in.npy", images)
    result = subprocess.run(
        [sys.executable, "-c", BLOCK_AND_LOAD, str(tmp_path / "model"), str(tmp_path / "in.npy"), str(tmp_path / "out.npy")],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    np.testing.assert_array_equal(np.load(tmp_path / "out.npy"), layer(images, seed=99))
