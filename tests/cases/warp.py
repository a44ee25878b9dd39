"""Harness cases for the displacement-field warps."""

from harness import LayerCase

from keras_augment import layers

CASES = [
    LayerCase(layers.RandomElasticTransform, {"factor": (1.0, 1.0), "scale": (0.5, 1.0), "seed": 0}),
    LayerCase(
        layers.RandomElasticTransform,
        {"factor": (1.0, 1.0), "fill_mode": "constant", "interpolation": "nearest"},
        id="RandomElasticTransform-constant-nearest",
    ),
    LayerCase(layers.RandomGridDistortion, {"num_steps": 3, "seed": 1}),
    LayerCase(layers.RandomOpticalDistortion, {"distort_limit": 0.3, "fill_mode": "reflect"}),
    LayerCase(layers.RandomThinPlateSpline, {"scale_range": (0.3, 0.6), "seed": 2}),
]
