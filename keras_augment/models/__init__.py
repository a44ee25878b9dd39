"""Generative models for augmentation: VAEs, GANs, diffusion models, callbacks and metrics.

Import `keras_augment.models` explicitly; `import keras_augment` does not
load it, so the package stays quick to import. The models train with
TensorFlow ops, so they need Keras on the TensorFlow backend.
"""

from keras_augment.backends import require_tensorflow

require_tensorflow("keras_augment.models (the models train with TensorFlow ops)", ImportError)


from keras_augment.models import losses, metrics
from keras_augment.models.base import GenerativeModel
from keras_augment.models.callbacks import NaNGuard, SampleGrid
from keras_augment.models.diffusion import ConditionalDiffusion, Diffusion
from keras_augment.models.gan import GAN, ConditionalGAN
from keras_augment.models.networks import (
    build_decoder,
    build_discriminator,
    build_encoder,
    build_generator,
)
from keras_augment.models.sampler import DDIMSampler
from keras_augment.models.unet import build_unet
from keras_augment.models.vae import VAE, ConditionalVAE

__all__ = [
    "GAN",
    "VAE",
    "ConditionalDiffusion",
    "ConditionalGAN",
    "ConditionalVAE",
    "DDIMSampler",
    "Diffusion",
    "GenerativeModel",
    "NaNGuard",
    "SampleGrid",
    "build_decoder",
    "build_discriminator",
    "build_encoder",
    "build_generator",
    "build_unet",
    "losses",
    "metrics",
]
