"""Harness cases for the composers (layers/compose/): Pipeline, RandomApply, RandomChoice."""

from harness import LayerCase

from keras_augment import layers

_ACTS_AT_INFERENCE = {
    "inference_identity": "the layer changes the image size, also at inference (as Keras)"
}

CASES = [
    LayerCase(
        layers.Pipeline,
        {"layers": [layers.RandomFlip("horizontal"), layers.RandomBrightness(0.2)], "seed": 3},
        id="Pipeline-flip-brightness",
    ),
    LayerCase(layers.RandomApply, {"layer": layers.RandomRotation(0.2), "rate": 0.5, "seed": 9}),
    LayerCase(
        layers.RandomApply,
        {"layer": layers.RandomContrast(0.5), "rate": 0.6, "seed": 9},
        id="RandomApply-contrast",
    ),
    LayerCase(
        layers.RandomChoice,
        {"layers": [layers.RandomRotation(0.2), layers.RandomFlip(), layers.RandomZoom(0.3)], "seed": 10},
    ),
    LayerCase(
        layers.RandomChoice,
        {"layers": [layers.RandomContrast(0.5), layers.RandomBrightness(0.3), layers.RandomShear(0.2)]},
        id="RandomChoice-mixed",
    ),
    LayerCase(
        layers.Pipeline,
        {
            "layers": [
                layers.RandomFlip("horizontal"),
                layers.RandomRotation(0.1),
                layers.RandomTranslation(0.1, 0.1),
                layers.RandomZoom(0.1),
                layers.RandomContrast(0.2),
            ],
            "seed": 11,
        },
        id="Pipeline-G",
    ),
    LayerCase(
        layers.Pipeline,
        {
            "layers": [
                layers.RandomRotation(0.1, fill_mode="constant"),
                layers.RandomCrop(8, 8),
                layers.Resizing(10, 6),
                layers.RandomZoom(0.1),
            ],
        },
        skip=_ACTS_AT_INFERENCE,
        id="Pipeline-fused-resize",
    ),
    LayerCase(
        layers.Pipeline,
        {
            "layers": [
                layers.RandomRotation(0.1, fill_mode="reflect"),
                layers.RandomThinPlateSpline(fill_mode="reflect"),
            ],
            "seed": 4,
        },
        id="Pipeline-rotation-then-warp",
    ),
]
