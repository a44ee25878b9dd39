"""The built-in networks at 28x28x1 and 32x32x3 (and their refusals)."""

import keras
import numpy as np
import pytest

from keras_augment import models

SIZES = [(28, 28, 1), (32, 32, 3)]


@pytest.mark.parametrize("shape", SIZES, ids=["28x28x1", "32x32x3"])
def test_every_builder_gives_the_right_shapes(shape):
    batch = np.zeros((2, *shape), "float32")
    labels = np.array([0, 9])
    z = np.zeros((2, 16), "float32")
    mean, log_variance = models.build_encoder(shape, 16, 10, width=8)([batch, labels])
    assert mean.shape == log_variance.shape == (2, 16)
    assert models.build_decoder(shape, 16, width=8)(z).shape == (2, *shape)
    assert models.build_generator(shape, 16, 10, width=8)([z, labels]).shape == (2, *shape)
    assert models.build_discriminator(shape, 10, width=8)([batch, labels]).shape == (2, 1)
    noise = models.build_unet(shape, 10, width=8)([batch, np.array([0.0, 999.0]), labels])
    assert noise.shape == (2, *shape)


def test_larger_images_get_the_extra_convolutions_and_8x8_keeps_its_design():
    def convolutions(model):
        kinds = (keras.layers.Conv2D, keras.layers.Conv2DTranspose)
        return sum(isinstance(layer, kinds) for layer in model.layers)

    assert convolutions(models.build_encoder((8, 8, 1), 4)) == 2
    assert convolutions(models.build_encoder((28, 28, 1), 4)) == 4
    assert convolutions(models.build_discriminator((32, 32, 3))) == 4
    # Two transposed convolutions and the output one (+ one refinement).
    assert convolutions(models.build_generator((8, 8, 1), 4)) == 3
    assert convolutions(models.build_decoder((32, 32, 3), 4)) == 4


@pytest.mark.parametrize("name", ["ConditionalVAE", "ConditionalGAN"])
def test_conditional_families_train_a_step_on_28x28(name):
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, (8, 28, 28, 1)).astype("float32")
    labels = rng.integers(0, 10, 8)
    cls = getattr(models, name)
    model = cls((28, 28, 1), 10, latent_dim=8, width=8, value_range=(0, 255), seed=0)
    if name.endswith("GAN"):
        model.compile(d_optimizer="adam", g_optimizer="adam", jit_compile=False)
    else:
        model.compile("adam", jit_compile=False)
    history = model.fit(images, labels, batch_size=8, epochs=1, verbose=0).history
    assert all(np.isfinite(values[-1]) for values in history.values()), history
    samples = np.asarray(model.generate(3, seed=0))
    assert samples.shape == (3, 28, 28, 1) and 0 <= samples.min() and samples.max() <= 255


@pytest.mark.parametrize(
    "build, message",
    [
        (lambda: models.build_encoder((30, 30, 1), 8), r"build_encoder: `image_shape`.*multiples of 4.*\(30, 30, 1\)"),
        (lambda: models.build_decoder((28, 26, 1), 8), r"build_decoder: `image_shape`.*\(28, 26, 1\)"),
        (lambda: models.build_generator((32, 32), 8), r"build_generator: `image_shape`.*\(32, 32\)"),
        (lambda: models.build_discriminator("32x32"), r"build_discriminator: `image_shape`.*'32x32'"),
        (lambda: models.build_generator((32, 32, 3), 8, width=0), r"build_generator\(\).*width.*0"),
        (lambda: models.build_encoder((32, 32, 3), 2.5), r"build_encoder\(\).*latent_dim.*2.5"),
        (lambda: models.GAN((36, 30, 3)), r"GAN: `image_shape`.*\(36, 30, 3\)"),
    ],
)
def test_sizes_the_design_cannot_take_are_refused(build, message):
    with pytest.raises(ValueError, match=message):
        build()
