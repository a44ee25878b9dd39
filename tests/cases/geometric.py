"""Harness cases for the geometric family (layers/geometric/)."""

from harness import LayerCase

from keras_augment import layers

_ACTS_AT_INFERENCE = {
    "inference_identity": "the layer changes the image size, also at inference (as Keras)"
}

CASES = [
    LayerCase(layers.RandomFlip, {"mode": "horizontal", "seed": 1}, id="RandomFlip-horizontal"),
    LayerCase(layers.RandomFlip, {"seed": 0}, id="RandomFlip-both"),
    # Half turns first: checks that take one case per layer (box rules) use
    # non-square images, which odd turns refuse.
    LayerCase(layers.RandomRotate90, {"turns": (0, 2), "seed": 2}, id="RandomRotate90-half-turns"),
    LayerCase(layers.RandomRotate90, {"seed": 1}, shape=(5, 11, 11, 3)),
    LayerCase(layers.RandomRotation, {"factor": 0.2, "seed": 1}),
    LayerCase(
        layers.RandomRotation,
        {"factor": (-0.1, 0.3), "fill_mode": "constant", "fill_value": 7.0, "interpolation": "nearest"},
        id="RandomRotation-constant-nearest",
    ),
    LayerCase(layers.RandomTranslation, {"height_factor": 0.2, "width_factor": (-0.3, 0.1), "fill_mode": "wrap"}),
    LayerCase(layers.RandomZoom, {"height_factor": 0.3, "seed": 2}),
    LayerCase(
        layers.RandomZoom,
        {"height_factor": (-0.2, 0.1), "width_factor": 0.4, "fill_mode": "nearest"},
        id="RandomZoom-both-axes",
    ),
    LayerCase(layers.RandomShear, {"x_factor": 0.3, "y_factor": 0.2, "seed": 3}),
    LayerCase(layers.RandomPerspective, {"factor": (0.5, 1.0), "scale": 0.4, "seed": 4}),
    LayerCase(layers.RandomAffine, {"rotation_factor": 0.1, "height_translation_factor": 0.1,
                                    "width_translation_factor": 0.1, "zoom_factor": 0.2,
                                    "shear_factor": 0.05, "seed": 5}),
    LayerCase(layers.RandomCrop, {"height": 7, "width": 9, "seed": 6}, skip=_ACTS_AT_INFERENCE),
    LayerCase(layers.RandomResizedCrop, {"height": 8, "width": 10, "seed": 7}),
    LayerCase(layers.CenterCrop, {"height": 7, "width": 9}, skip=_ACTS_AT_INFERENCE),
    LayerCase(layers.Resizing, {"height": 8, "width": 15}, skip=_ACTS_AT_INFERENCE),
    LayerCase(
        layers.Resizing,
        {"height": 9, "width": 5, "interpolation": "bicubic", "crop_to_aspect_ratio": True},
        skip=_ACTS_AT_INFERENCE,
        id="Resizing-bicubic-crop",
    ),
]
