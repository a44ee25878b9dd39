"""Harness cases for the dropout-style layers."""

from harness import LayerCase

from keras_augment import layers

CASES = [
    LayerCase(layers.RandomErasing, {"seed": 0}),
    LayerCase(layers.RandomErasing, {"factor": (0.5, 1.0), "fill_value": [0, 128, 255], "seed": 1},
              id="RandomErasing-constant"),
    LayerCase(layers.RandomCutout, {"height_factor": 0.3, "width_factor": (0.1, 0.3), "num_holes": (1, 3), "seed": 2}),
    LayerCase(layers.RandomCutout, {"height_factor": 0.25, "width_factor": 0.25, "fill_mode": "gaussian_noise"},
              id="RandomCutout-noise"),
    LayerCase(layers.GridMask, {"seed": 3}),
    LayerCase(layers.GridMask, {"ratio_factor": (0.3, 0.6), "fill_mode": "gaussian_noise", "seed": 4},
              id="GridMask-noise"),
]
