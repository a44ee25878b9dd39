"""A `.keras` file saved before the layers moved into family folders
(tests/data/layers_before_layout.*, written by the tree at commit 12cdb47)
still loads, and each of its layers gives the output it gave then."""

import os

import keras
import numpy as np

import keras_augment.layers  # noqa: F401 - registers the layer classes

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")


def test_layers_saved_before_the_layout_change_load_and_agree():
    model = keras.saving.load_model(os.path.join(DATA, "layers_before_layout.keras"))
    recorded = np.load(os.path.join(DATA, "layers_before_layout.npz"))
    names = [f"{i}_{type(layer).__name__}" for i, layer in enumerate(model.layers)]
    assert names == sorted(k for k in recorded.files if k != "input")
    for name, layer in zip(names, model.layers):
        output = np.asarray(layer(recorded["input"], training=True, seed=11))
        np.testing.assert_array_equal(output, recorded[name], err_msg=name)
