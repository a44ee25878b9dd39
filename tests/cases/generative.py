"""Harness cases for GenerativeAugment, with small untrained generators."""

from harness import LayerCase

from keras_augment import layers, models


def _sampler(seed):
    # Seeded initializers: a generator rebuilt from its config has equal weights.
    gan = models.GAN((12, 12, 3), latent_dim=8, width=8, value_range=(0, 255), seed=seed)
    return gan.sampling_network()


CASES = [
    LayerCase(
        layers.GenerativeAugment,
        {"generator": _sampler(0), "rate": 0.75, "seed": 1},
        shape=(5, 12, 12, 3),  # the generator's image shape
        id="GenerativeAugment-replace",
    ),
]
