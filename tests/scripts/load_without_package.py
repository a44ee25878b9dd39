"""Load SavedModels in a process where keras_augment cannot be imported.

Usage: python load_without_package.py MANIFEST.json
The manifest lists entries {"model": dir, "inputs": npz, "expected": npz,
"signature": name}; each model's signature is called with the npz's arrays as
keyword arguments and must reproduce the expected arrays bit for bit.
"""

import json
import sys


class BlockKerasAugment:
    def find_spec(self, name, path=None, target=None):
        if name == "keras_augment" or name.startswith("keras_augment."):
            raise ImportError("keras_augment is blocked in this process")


sys.meta_path.insert(0, BlockKerasAugment())
sys.path = [p for p in sys.path if p not in ("", ".")]

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

try:
    import keras_augment  # noqa: F401

    raise SystemExit("keras_augment was importable")
except ImportError:
    pass

failures = []
with open(sys.argv[1]) as handle:
    entries = json.load(handle)
for entry in entries:
    loaded = tf.saved_model.load(entry["model"])
    function = loaded.signatures[entry.get("signature", "serving_default")]
    # allow_pickle: text families store tf.string batches as object arrays (files written by the test).
    with np.load(entry["inputs"], allow_pickle=True) as inputs, np.load(
        entry["expected"], allow_pickle=True
    ) as expected:
        outputs = function(**{k: tf.constant(inputs[k]) for k in inputs.files})
        for key in expected.files:
            actual = outputs[key].numpy()
            numeric = actual.dtype.kind in "fc"  # equal_nan fails on strings
            if not np.array_equal(actual, expected[key], equal_nan=numeric):
                failures.append(f"{entry['model']}: output {key} differs")
print("\n".join(failures) or f"all {len(entries)} models match")
sys.exit(1 if failures else 0)
