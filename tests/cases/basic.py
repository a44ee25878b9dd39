"""Harness cases for the first layers: RandomFlip and RandomBrightness."""

from harness import LayerCase

from keras_augment import layers

CASES = [
    LayerCase(layers.RandomFlip, {"mode": "horizontal", "seed": 1}, id="RandomFlip-horizontal"),
    LayerCase(layers.RandomFlip, {"seed": 0}, id="RandomFlip-both"),
    LayerCase(layers.RandomBrightness, {"factor": 0.3, "seed": 0}),
    LayerCase(
        layers.RandomBrightness,
        {"factor": (-0.2, 0.4), "value_range": (0.0, 1.0)},
        make_input=lambda shape, dtype, seed: (
            __import__("harness").random_images(shape, "float32", seed) / 255.0
        ).astype(dtype),
        dtypes=("float32",),
        id="RandomBrightness-unit-range",
    ),
]

CASES.append(
    LayerCase(
        layers.Pipeline,
        {"layers": [layers.RandomFlip("horizontal"), layers.RandomBrightness(0.2)], "seed": 3},
        id="Pipeline-flip-brightness",
    )
)
