"""Harness cases for the batch-mixing layers: MixUp, CutMix and Mosaic."""

from harness import LayerCase

from keras_augment import layers

_SAME_IMAGES = "mixing copies of one image gives that image back whatever the draws"

CASES = [
    LayerCase(layers.MixUp, {"alpha": 0.4, "seed": 0}, skip={"seed_varies": _SAME_IMAGES}),
    LayerCase(layers.CutMix, {"seed": 1}, skip={"seed_varies": _SAME_IMAGES}),
    LayerCase(
        layers.CutMix,
        {"factor": (0.2, 0.8), "num_classes": 3, "bounding_box_format": "xyxy"},
        skip={"seed_varies": _SAME_IMAGES},
        id="CutMix-factor-range",
    ),
    LayerCase(layers.Mosaic, {"seed": 2}),
    LayerCase(layers.Mosaic, {"output_size": (16, 20), "fill_value": 114}, id="Mosaic-larger"),
]
