"""Harness cases for GenerativeAugment, with small untrained generators."""

from harness import LayerCase

from keras_augment import layers, models


def _sampler(seed):
    # Seeded initializers: a generator rebuilt from its config has equal weights.
    gan = models.GAN((12, 12, 3), latent_dim=8, width=8, value_range=(0, 255), seed=seed)
    return gan.sampling_network()


def _diffusion_sampler(seed):
    # One DDIM step of a tiny U-Net (the sampler runs inside the layer; more
    # steps only repeat it and slow every check).
    # Value range (0, 1): the first DDIM step scales the network's output by
    # 1 / sqrt(alpha_bar) (about 200 here), so rounding that depends on the
    # batch size would exceed the (0, 255) tolerance of batched_equals_stacked.
    model = models.Diffusion(
        (12, 12, 3), timesteps=10, sampling_steps=1, width=8, value_range=(0, 1), seed=seed
    )
    return model.sampling_network()


CASES = [
    LayerCase(
        layers.GenerativeAugment,
        {"generator": _sampler(0), "rate": 0.75, "seed": 1},
        shape=(5, 12, 12, 3),  # the generator's image shape
        id="GenerativeAugment-replace",
    ),
    LayerCase(
        layers.GenerativeAugment,
        {"generator": _diffusion_sampler(0), "rate": 0.75, "seed": 1},
        shape=(5, 12, 12, 3),  # the U-Net halves H and W twice
        id="GenerativeAugment-diffusion",
    ),
]
