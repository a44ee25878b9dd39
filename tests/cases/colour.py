"""Harness cases for the colour family (layers/colour/): intensity, hue and saturation, pixel maps, filters, noise."""

from harness import LayerCase, random_images

from keras_augment import layers


def _unit_images(shape, dtype, seed):
    return (random_images(shape, "float32", seed) / 255.0).astype(dtype)


def _low_contrast(shape, dtype, seed):
    return (random_images(shape, "float32", seed) * (24 / 255) + 100).round().astype(dtype)


CASES = [
    LayerCase(layers.RandomBrightness, {"factor": 0.3, "seed": 0}),
    LayerCase(
        layers.RandomBrightness,
        {"factor": (-0.2, 0.4), "value_range": (0.0, 1.0)},
        make_input=_unit_images,
        dtypes=("float32",),
        id="RandomBrightness-unit-range",
    ),
    LayerCase(layers.RandomContrast, {"factor": 0.4, "seed": 8}),
    LayerCase(layers.RandomSaturation, {"factor": (0.2, 0.8), "seed": 0}),
    LayerCase(layers.RandomHue, {"factor": 0.8, "seed": 1}),
    LayerCase(
        layers.RandomHue,
        {"factor": (0.2, 0.6), "value_range": (0, 1), "seed": 2},
        make_input=_unit_images,
        dtypes=("float32",),
        id="RandomHue-unit-range",
    ),
    LayerCase(
        layers.RandomColorJitter,
        {
            "brightness_factor": 0.2,
            "contrast_factor": 0.3,
            "saturation_factor": (0.3, 0.7),
            "hue_factor": 0.2,
            "seed": 3,
        },
    ),
    LayerCase(layers.RandomColorDegeneration, {"factor": 0.8, "seed": 4}),
    LayerCase(layers.RandomGrayscale, {"factor": 0.5, "seed": 5}),
    LayerCase(layers.RandomInvert, {"factor": (0.5, 1.0), "seed": 6}),
    LayerCase(layers.RandomPosterization, {"factor": (1, 8), "seed": 7}),
    LayerCase(layers.Solarization, {"addition_factor": 0.3, "threshold_factor": (0.2, 0.9), "seed": 8}),
    LayerCase(layers.AutoContrast, {}),
    LayerCase(layers.Equalization, {}),
    LayerCase(layers.Equalization, {"bins": 64, "value_range": (0, 1)}, make_input=_unit_images,
              dtypes=("float32",), id="Equalization-64-bins-unit-range"),
    LayerCase(layers.RandomSharpness, {"factor": (0.0, 1.0), "seed": 9}),
    LayerCase(layers.RandomGaussianBlur, {"factor": (0.5, 1.0), "kernel_size": 5, "sigma": (0.5, 2.0), "seed": 10}),
    LayerCase(layers.RandomJpegQuality, {"factor": (20, 90), "seed": 11}),
    LayerCase(layers.RandomGamma, {"factor": (0.5, 2.0), "seed": 12}),
    LayerCase(layers.RandomGaussianNoise, {"stddev": 0.2, "seed": 13}),
    LayerCase(layers.RandomGaussianNoise, {"stddev": (0.05, 0.1), "per_channel": False},
              id="RandomGaussianNoise-luminance"),
    LayerCase(layers.RandomChannelShuffle, {"seed": 14}),
    # Low contrast, so that the clip limit drawn per sample decides the output.
    LayerCase(layers.CLAHE, {"clip_limit": (0.5, 8.0), "tile_grid_size": (1, 2), "seed": 3}, make_input=_low_contrast),
    LayerCase(
        layers.CLAHE,
        {"clip_limit": (0.5, 8.0), "tile_grid_size": (1, 2), "value_range": (0, 1)},
        make_input=lambda shape, dtype, seed: (_low_contrast(shape, "float32", seed) / 255.0).astype(dtype),
        dtypes=("float32",),
        id="CLAHE-unit-range",
    ),
]
