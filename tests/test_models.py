"""VAE and GAN families: training steps, sampling, EMA, callbacks, export."""

import keras
import numpy as np
import pytest
from test_export import entry, load_in_fresh_process

from keras_augment import models
from keras_augment.data import load_digits_arrays
from keras_augment.export import export_generator

SHAPE = (8, 8, 1)
TINY = {"latent_dim": 4, "width": 8, "value_range": (0, 16), "seed": 0}


def digits(count=64):
    images, labels = load_digits_arrays()
    return images[:count].astype("float32"), labels[:count]


def make(name, **overrides):
    kwargs = {**TINY, **overrides}
    if name == "VAE":
        return models.VAE(SHAPE, **kwargs)
    if name == "ConditionalVAE":
        return models.ConditionalVAE(SHAPE, 10, **kwargs)
    if name == "GAN":
        return models.GAN(SHAPE, **kwargs)
    if name == "ConditionalGAN":
        return models.ConditionalGAN(SHAPE, 10, **kwargs)
    if name == "ConditionalGAN-concatenation":
        return models.ConditionalGAN(SHAPE, 10, conditioning="concatenation", **kwargs)
    if name == "GAN-wasserstein_gp":
        return models.GAN(SHAPE, loss="wasserstein_gp", discriminator_steps=2, **kwargs)
    raise KeyError(name)


def compile_model(model, jit_compile=False, learning_rate=1e-3):
    if isinstance(model, models.GAN):
        model.compile(
            d_optimizer=keras.optimizers.Adam(learning_rate),
            g_optimizer=keras.optimizers.Adam(learning_rate),
            jit_compile=jit_compile,
        )
    else:
        model.compile(keras.optimizers.Adam(learning_rate), jit_compile=jit_compile)
    return model


@pytest.mark.parametrize("jit_compile", [True, False], ids=["xla", "no-xla"])
@pytest.mark.parametrize("name", ["VAE", "ConditionalVAE", "GAN", "ConditionalGAN"])
def test_each_model_trains_a_step_with_and_without_xla(name, jit_compile):
    # Losses are not compared across the two modes: XLA picks another
    # stateless RNG algorithm, so the noise (not the math) differs.
    images, labels = digits(16)
    model = compile_model(make(name), jit_compile)
    assert model.jit_compile is jit_compile
    before = [w.numpy().copy() for w in model.trainable_weights]
    history = model.fit(images, labels, batch_size=16, epochs=1, verbose=0).history
    assert history and all(np.isfinite(v[-1]) for v in history.values()), history
    assert all(not np.array_equal(b, a.numpy()) for b, a in zip(before, model.trainable_weights))


def test_concatenation_conditioning_trains():
    images, labels = digits(16)
    model = compile_model(make("ConditionalGAN-concatenation"), jit_compile=False)
    history = model.fit(images, labels, batch_size=16, epochs=1, verbose=0).history
    assert np.isfinite(history["d_loss"][-1])


def test_vae_tracks_its_three_losses_and_kl_is_non_negative():
    images, _ = digits(32)
    model = compile_model(make("VAE"))
    history = model.fit(images, batch_size=16, epochs=1, verbose=0).history
    assert set(history) == {"loss", "reconstruction_loss", "kl_loss"}
    assert history["kl_loss"][-1] >= 0.0
    assert history["loss"][-1] == pytest.approx(
        history["reconstruction_loss"][-1] + history["kl_loss"][-1], rel=1e-4
    )


def test_vae_overfits_64_images():
    images, _ = digits(64)
    vae = models.VAE(SHAPE, latent_dim=8, width=16, beta=0.1, value_range=(0, 16), seed=1)
    model = compile_model(vae, learning_rate=5e-3)
    scaled = images / 16.0
    start = float(np.mean((np.asarray(model(images)) / 16.0 - scaled) ** 2))
    model.fit(images, batch_size=64, epochs=150, verbose=0)
    error = float(np.mean((np.asarray(model(images)) / 16.0 - scaled) ** 2))
    # Predicting the mean image of these digits scores 0.070; 150 steps reach ~0.015.
    assert start > 0.05 and error < 0.03, (start, error)


@pytest.mark.parametrize("name", ["ConditionalVAE", "GAN"])
def test_seeded_generate_is_reproducible_and_in_range(name):
    model = make(name)
    first = np.asarray(model.generate(6, seed=3))
    np.testing.assert_array_equal(first, np.asarray(model.generate(6, seed=3)))
    assert not np.array_equal(first, np.asarray(model.generate(6, seed=4)))
    assert first.shape == (6, 8, 8, 1) and first.min() >= 0.0 and first.max() <= 16.0
    # Without a seed, the model's own generator advances between calls.
    assert not np.array_equal(np.asarray(model.generate(6)), np.asarray(model.generate(6)))
    twin = make(name)
    np.testing.assert_allclose(np.asarray(twin.generate(6, seed=3)), first, rtol=1e-6)


def test_conditional_generate_uses_labels():
    model = make("ConditionalVAE")
    a = np.asarray(model.generate(4, labels=[0, 0, 0, 0], seed=1))
    b = np.asarray(model.generate(4, labels=[5, 5, 5, 5], seed=1))
    assert not np.allclose(a, b)


def test_discriminator_steps_and_ema():
    images, _ = digits(32)
    model = compile_model(make("GAN-wasserstein_gp"))
    model.fit(images, batch_size=16, epochs=1, verbose=0)
    assert int(model.d_optimizer.iterations) == 2 * int(model.g_optimizer.iterations) == 4
    ema, live = model.ema_generator.trainable_weights, model.generator.trainable_weights
    assert not ema and len(model.ema_generator.weights) == len(model.generator.weights)
    differs = [not np.allclose(a.numpy(), b.numpy()) for a, b in zip(model.ema_generator.weights, model.generator.weights)]
    assert any(differs)
    assert model._sampler_base() is model.ema_generator
    assert make("GAN", use_ema=False)._sampler_base().name == "generator"


def test_user_networks_are_used():
    encoder = models.build_encoder(SHAPE, 3, width=4)
    decoder = models.build_decoder(SHAPE, 3, width=4)
    model = models.VAE(SHAPE, latent_dim=3, encoder=encoder, decoder=decoder)
    assert model.encoder is encoder and model.decoder is decoder
    assert model.generate(2, seed=0).shape == (2, 8, 8, 1)


def test_bad_arguments_raise():
    with pytest.raises(ValueError, match="multiples of 4"):
        models.VAE((6, 8, 1))
    with pytest.raises(ValueError, match="reconstruction"):
        models.VAE(SHAPE, reconstruction="poisson")
    with pytest.raises(ValueError, match="loss"):
        models.GAN(SHAPE, loss="wgan")
    with pytest.raises(ValueError, match="conditioning"):
        models.ConditionalGAN(SHAPE, 10, conditioning="film")
    with pytest.raises(ValueError, match="labels"):
        compile_model(make("ConditionalVAE")).fit(digits(8)[0], epochs=1, verbose=0)


def test_sample_grid_writes_png_and_tensorboard(tmp_path):
    images, labels = digits(16)
    model = compile_model(make("ConditionalVAE"))
    grid = models.SampleGrid(tmp_path / "grids", every_n_epochs=2, columns=3, log_dir=tmp_path / "logs")
    model.fit(images, labels, batch_size=16, epochs=4, verbose=0, callbacks=[grid])
    assert [p.split("/")[-1] for p in grid.written] == ["samples_epoch_0002.png", "samples_epoch_0004.png"]
    png = keras.utils.load_img(grid.written[0], color_mode="grayscale")
    assert png.size == (3 * (8 * 4 + 2) + 2, 10 * (8 * 4 + 2) + 2)  # 2-pixel gaps between tiles
    assert list((tmp_path / "logs").glob("events.out.tfevents.*"))


def test_nan_guard_stops_and_restores_last_good_weights():
    images, _ = digits(32)
    model = compile_model(make("VAE"))
    saved = {}

    class Poison(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            if epoch == 1:
                saved["weights"] = [w.numpy().copy() for w in self.model.weights]
                kernel = self.model.decoder.weights[0]
                kernel.assign(np.full(kernel.shape, np.nan, np.float32))

    guard = models.NaNGuard(verbose=False)
    history = model.fit(images, batch_size=16, epochs=5, verbose=0, callbacks=[Poison(), guard])
    assert len(history.history["loss"]) == 2
    assert "non-finite" in guard.message and "epoch 2" in guard.message
    for weight, value in zip(model.weights, saved["weights"]):
        np.testing.assert_array_equal(weight.numpy(), value)


def test_backup_and_restore_resumes_a_gan(tmp_path):
    images, labels = digits(32)

    class Interrupt(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            if epoch == 2:
                raise RuntimeError("interrupted")

    first = compile_model(make("ConditionalGAN"))
    backup = keras.callbacks.BackupAndRestore(str(tmp_path / "backup"))
    with pytest.raises(RuntimeError, match="interrupted"):
        first.fit(images, labels, batch_size=16, epochs=4, verbose=0, callbacks=[backup, Interrupt()])
    seen = {}

    class Record(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            if "epoch" not in seen:
                seen["epoch"] = epoch
                seen["weights"] = [w.numpy().copy() for w in self.model.weights]
                seen["d_iterations"] = int(self.model.d_optimizer.iterations)

    second = compile_model(make("ConditionalGAN", seed=5))
    second.fit(images, labels, batch_size=16, epochs=4, verbose=0,
               callbacks=[keras.callbacks.BackupAndRestore(str(tmp_path / "backup")), Record()])
    assert seen["epoch"] == 2
    assert seen["d_iterations"] == 4
    for restored, original in zip(seen["weights"], first.weights):
        np.testing.assert_array_equal(restored, original.numpy())


def test_exported_generators_reload_without_keras_augment(tmp_path):
    z = np.random.default_rng(0).normal(size=(5, 4)).astype("float32")
    labels = np.arange(5, dtype=np.int64)
    entries = []
    for name in ("ConditionalVAE", "GAN"):
        model = make(name)
        export_generator(model, tmp_path / name)
        inputs = {"z": z, "labels": labels} if model.conditional else {"z": z}
        network = model.sampling_network()
        expected = network([z, labels] if model.conditional else z, training=False)
        np.testing.assert_allclose(
            expected, model.decode_latents(z, labels if model.conditional else None), rtol=1e-5, atol=1e-5
        )
        # The conditional signature takes labels, the unconditional one only z.
        entries.append(entry(tmp_path, name, inputs, {"images": expected}, signature="generate"))
    load_in_fresh_process(tmp_path, entries)
