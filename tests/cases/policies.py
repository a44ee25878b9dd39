"""Harness cases for the policies."""

from harness import LayerCase, random_images

from keras_augment import layers

CASES = [
    LayerCase(layers.RandAugment, {"value_range": (0, 255), "num_ops": 2, "factor": 0.5, "seed": 0}),
    LayerCase(
        layers.RandAugment,
        {"num_ops": 1, "factor": (0.2, 0.9), "interpolation": "nearest", "seed": 1},
        id="RandAugment-1-op-nearest",
    ),
    LayerCase(layers.TrivialAugmentWide, {"seed": 2}),
    LayerCase(layers.AutoAugment, {"policy": "imagenet", "seed": 3}),
    LayerCase(layers.AutoAugment, {"policy": "cifar10", "seed": 4}, id="AutoAugment-cifar10"),
    LayerCase(
        layers.AutoAugment,
        {"policy": "svhn", "value_range": (0, 1), "fill_value": 0.5, "seed": 5},
        make_input=lambda shape, dtype, seed: (random_images(shape, "float32", seed) / 255.0).astype(dtype),
        dtypes=("float32",),
        id="AutoAugment-svhn-unit-range",
    ),
    LayerCase(layers.AugMix, {"value_range": (0, 255), "num_chains": 2, "chain_depth": 2, "seed": 6}),
    LayerCase(layers.AugMix, {"num_chains": 2, "chain_depth": 1, "all_ops": False, "alpha": 0.5},
              id="AugMix-basic-ops"),
]
