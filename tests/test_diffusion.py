"""The diffusion family: schedule maths, DDIM, training, seeded sampling, export, use."""

import keras
import numpy as np
import pytest
import tensorflow as tf
from test_export import entry, load_in_fresh_process

from keras_augment import data, layers, models
from keras_augment.export import export_generator
from keras_augment.models import losses
from keras_augment.models.schedule import NoiseSchedule, alphas_cumprod, ddim_timesteps

SHAPE = (8, 8, 1)
TINY = {"timesteps": 20, "sampling_steps": 4, "width": 8, "value_range": (0, 16), "seed": 0}


def make(conditional=False, **overrides):
    kwargs = {**TINY, **overrides}
    if conditional:
        return models.ConditionalDiffusion(SHAPE, 10, **kwargs)
    return models.Diffusion(SHAPE, **kwargs)


# ------------------------------------------------------------------ schedule
@pytest.mark.parametrize("schedule", ["cosine", "linear"])
def test_alphas_cumprod_falls_strictly_inside_zero_one(schedule):
    alpha_bar = alphas_cumprod(1000, schedule)
    assert alpha_bar.shape == (1000,)
    assert np.all(np.diff(alpha_bar) < 0) and alpha_bar[0] < 1 and alpha_bar[-1] > 0
    assert alpha_bar[0] > 0.999 and alpha_bar[-1] < 1e-4  # from almost clean to almost noise


def test_cosine_schedule_is_the_closed_form_where_betas_are_not_capped():
    t = np.arange(1, 1001)
    f = np.cos((t / 1000 + 0.008) / 1.008 * np.pi / 2) ** 2
    f0 = np.cos(0.008 / 1.008 * np.pi / 2) ** 2
    np.testing.assert_allclose(alphas_cumprod(1000, "cosine")[:990], (f / f0)[:990], rtol=1e-9)


def test_forward_noising_matches_the_closed_form():
    schedule = NoiseSchedule(50, "linear")
    rng = np.random.default_rng(0)
    x0 = rng.uniform(-1, 1, (4, 3, 3, 2)).astype("float32")
    noise = rng.normal(size=x0.shape).astype("float32")
    t = np.array([0, 7, 30, 49])
    a = schedule.alphas_cumprod[t].reshape(-1, 1, 1, 1)
    expected = np.sqrt(a) * x0 + np.sqrt(1 - a) * noise
    np.testing.assert_allclose(schedule.add_noise(x0, t, noise), expected, rtol=1e-5, atol=1e-6)


def test_noise_prediction_loss_matches_numpy():
    rng = np.random.default_rng(1)
    noise, predicted = rng.normal(size=(2, 3, 4, 4, 2)).astype("float32")
    expected = np.mean((noise - predicted) ** 2)
    assert float(losses.noise_prediction_loss(noise, predicted)) == pytest.approx(expected, rel=1e-6)
    assert float(losses.noise_prediction_loss(noise, noise)) == 0.0


@keras.saving.register_keras_serializable(package="test_diffusion")
class ExactNoise(keras.layers.Layer):
    """The noise a perfect network predicts when every image is `clean`:
    `eps = (x_t - sqrt(a_t) clean) / sqrt(1 - a_t)`, from the float timestep."""

    def __init__(self, alpha_bar, clean, **kwargs):
        super().__init__(**kwargs)
        self.alpha_bar, self.clean = np.asarray(alpha_bar), float(clean)

    def call(self, inputs):
        x, t = inputs
        a = tf.reshape(tf.gather(tf.constant(self.alpha_bar, tf.float32), tf.cast(t, tf.int32)), [-1, 1, 1, 1])
        return (x - tf.sqrt(a) * self.clean) / tf.sqrt(1.0 - a)


def exact_network(timesteps, clean):
    x = keras.Input(SHAPE)
    t = keras.Input((), dtype="float32")
    return keras.Model([x, t], ExactNoise(alphas_cumprod(timesteps), clean)([x, t]))


@pytest.mark.parametrize("steps", [1, 3, 20])
def test_ddim_with_the_exact_noise_predictor_lands_on_the_data(steps):
    # All data at one point: DDIM (eta 0) must end exactly there, whatever the start.
    sampler = models.DDIMSampler(exact_network(20, 0.3), 20, steps=steps, clip=False)
    z = np.random.default_rng(2).normal(size=(5, 64)).astype("float32")
    # One step from t = T - 1 divides by sqrt(alpha_bar) of about 0.04 after a
    # cancellation: float32 rounding, as XLA orders it, reaches about 2e-4.
    np.testing.assert_allclose(sampler(z), np.full((5, *SHAPE), 0.3), atol=5e-4)


def test_ddim_with_a_zero_predictor_rescales_the_start_analytically():
    # eps = 0: each step multiplies by sqrt(a_prev / a), which telescopes to 1 / sqrt(a_{T-1}).
    schedule = NoiseSchedule(20)
    times = ddim_timesteps(20, 5)
    assert list(times) == [19, 14, 10, 5, 0]
    start = np.random.default_rng(3).normal(size=(2, *SHAPE)).astype("float32")
    x = start
    for t, t_prev in zip(times, [14, 10, 5, 0, -1]):
        x = schedule.ddim_step(x, np.zeros_like(x), t, t_prev, clip=False)
    np.testing.assert_allclose(x, start / np.sqrt(schedule.alphas_cumprod[-1]), rtol=1e-4)


def test_ddim_with_steps_T_and_eta_0_is_deterministic_and_eta_1_draws_from_its_seed():
    model = make(timesteps=8)
    z = model.sample_noise(3, seed=1)
    first = model.sampler(steps=8)(z)
    np.testing.assert_array_equal(first, model.sampler(steps=8)(z))
    # Eager sampler and traced generate are one XLA program: bit for bit.
    np.testing.assert_array_equal(model.generate(3, seed=1, steps=8), model.from_network_range(first))
    noisy = [np.asarray(model.generate(3, seed=s, steps=3, eta=1.0)) for s in (5, 5, 6)]
    np.testing.assert_array_equal(noisy[0], noisy[1])
    assert not np.array_equal(noisy[0], noisy[2])
    assert not np.array_equal(noisy[0], np.asarray(model.generate(3, seed=5, steps=3)))


# ------------------------------------------------------------------ training
# XLA compiles a U-Net for about 30 s on 2 cores, too long for the default
# suite: the XLA step runs with `pytest -m slow` (the same train_step as without).
@pytest.mark.parametrize(
    "conditional, jit_compile",
    [(False, False), pytest.param(True, True, marks=pytest.mark.slow)],
    ids=["Diffusion-no-xla", "ConditionalDiffusion-xla"],
)
def test_a_train_step_updates_the_network_and_its_ema(conditional, jit_compile):
    images, labels = data.load_digits_arrays()
    model = make(conditional)
    model.compile(keras.optimizers.Adam(1e-3), jit_compile=jit_compile)
    before = [w.numpy().copy() for w in model.network.trainable_weights]
    history = model.fit(images[:16].astype("float32"), labels[:16], batch_size=16, epochs=1, verbose=0).history
    assert set(history) == {"loss"} and np.isfinite(history["loss"][0])
    assert all(not np.array_equal(b, a.numpy()) for b, a in zip(before, model.network.trainable_weights))
    ema = [w.numpy() for w in model.ema_network.weights]
    assert not model.ema_network.trainable_weights and int(model.ema_step.numpy()) == 1
    assert any(not np.allclose(e, b) for e, b in zip(ema, before))  # moved,
    assert any(not np.allclose(e, w.numpy()) for e, w in zip(ema, model.network.weights))  # but lags


@pytest.mark.slow  # about 30 s of training; the train-step test checks an update by default
def test_the_loss_falls_on_a_trivial_data_set():
    # One image, repeated: the best noise predictor is simple, and a small U-Net finds it.
    image = np.zeros((1, *SHAPE), "float32")
    image[:, 2:6, 3:5] = 16.0
    images = np.repeat(image, 64, axis=0)
    model = make(timesteps=100, width=16)
    model.compile(keras.optimizers.Adam(3e-3), jit_compile=False)
    losses_seen = model.fit(images, batch_size=32, epochs=30, verbose=0).history["loss"]
    first, last = np.mean(losses_seen[:3]), np.mean(losses_seen[-3:])
    assert last < 0.35 * first, (first, last)


# ------------------------------------------------------------------ sampling
@pytest.mark.parametrize("conditional", [False, True], ids=["Diffusion", "ConditionalDiffusion"])
def test_generate_is_seeded_shaped_and_in_range(conditional):
    model = make(conditional)
    first = np.asarray(model.generate(6, seed=3))
    assert first.shape == (6, *SHAPE) and first.dtype == np.float32
    assert first.min() >= 0.0 and first.max() <= 16.0
    np.testing.assert_array_equal(first, np.asarray(model.generate(6, seed=3)))
    assert not np.array_equal(first, np.asarray(model.generate(6, seed=4)))
    assert not np.array_equal(np.asarray(model.generate(6)), np.asarray(model.generate(6)))
    np.testing.assert_array_equal(np.asarray(make(conditional).generate(6, seed=3)), first)
    labels = np.arange(6) % 10 if conditional else None
    np.testing.assert_array_equal(model.decode_latents(model.sample_noise(6, 3), labels), first)


def test_guidance_weighs_the_class():
    model = make(True)
    a = np.asarray(model.generate(4, labels=[0] * 4, seed=1, guidance=1.0))
    b = np.asarray(model.generate(4, labels=[5] * 4, seed=1, guidance=1.0))
    assert not np.allclose(a, b)
    guided = np.asarray(model.generate(4, labels=[0] * 4, seed=1, guidance=3.0))
    assert not np.allclose(a, guided)
    # Guidance 0 is the unconditional model: the labels no longer matter.
    free = [np.asarray(model.generate(4, labels=[c] * 4, seed=1, guidance=0.0)) for c in (0, 5)]
    np.testing.assert_allclose(free[0], free[1], atol=1e-5)


def test_exported_samplers_serve_identically_without_keras_augment(tmp_path):
    # The unconditional signature (z only) is the one the GAN export test covers.
    entries = []
    for conditional in (True,):
        model = make(conditional)
        name = "cdiffusion" if conditional else "diffusion"
        export_generator(model, tmp_path / name)
        z = np.asarray(model.sample_noise(5, seed=7))
        labels = np.arange(5, dtype=np.int64)
        expected = np.asarray(model.generate(5, labels=labels if conditional else None, seed=7))
        loaded = tf.saved_model.load(str(tmp_path / name)).signatures["generate"]
        inputs = {"z": z, "labels": labels} if conditional else {"z": z}
        np.testing.assert_allclose(loaded(**{k: tf.constant(v) for k, v in inputs.items()})["images"],
                                   expected, atol=1e-4)
        entries.append(entry(tmp_path, name, inputs, {"images": expected}, signature="generate"))
    load_in_fresh_process(tmp_path, entries)


# ------------------------------------------------------------------ use
def test_generative_augment_and_expand_use_the_conditional_model(tmp_path):
    model = make(True)
    layer = layers.GenerativeAugment(model, rate=1.0)
    batch = {"images": np.zeros((3, *SHAPE), "float32"), "labels": np.array([1, 2, 3])}
    transformation = layer.get_random_transformation(batch, seed=2)
    out = layer.apply_transformation(batch, transformation)
    expected = model.decode_latents(transformation["z"], batch["labels"])
    np.testing.assert_allclose(out["images"], expected, atol=1e-4)
    images, labels = data.load_digits_arrays()
    ds = data.load((images[:6], labels[:6]))
    counts = data.expand(ds, str(tmp_path / "expanded"), factor=2, generator=model, verbose=False)
    assert counts["original"] == counts["synthetic"] == 6
    written = list(data.read_records(str(tmp_path / "expanded")).as_numpy_iterator())
    assert [int(e["labels"]) for e in written[6:]] == [int(v) for v in labels[:6]]


def test_cli_builds_and_trains_both_kinds():
    from keras_augment.commands.train import build_model, train_generator

    assert isinstance(build_model("diffusion", SHAPE, None, width=8), models.Diffusion)
    images, labels = data.load_digits_arrays()
    ds = data.load((images[:32], labels[:32]))
    model = train_generator("cdiffusion", ds, 10, epochs=1, batch_size=16, width=8, verbose=0, jit_compile=False)
    assert isinstance(model, models.ConditionalDiffusion) and model.value_range == (0.0, 255.0)
    assert int(model.optimizer.iterations) == 2


def test_bad_arguments_name_the_class_and_the_value():
    with pytest.raises(ValueError, match=r"Diffusion: `image_shape`.*multiples of 4.*\(6, 8, 1\)"):
        models.Diffusion((6, 8, 1))
    with pytest.raises(ValueError, match=r"Diffusion: `schedule` must be one of.*'quadratic'"):
        make(schedule="quadratic")
    with pytest.raises(ValueError, match=r"sampling_steps"):
        make(sampling_steps=21)
    with pytest.raises(ValueError, match=r"ConditionalDiffusion: `guidance`.*-1"):
        make(True, guidance=-1)
    with pytest.raises(ValueError, match=r"ConditionalDiffusion.*label_dropout"):
        make(True, label_dropout=1.5)
    with pytest.raises(ValueError, match=r"Diffusion: `network` must be a Keras model with inputs \[images, timesteps\]"):
        make(network=models.build_unet(SHAPE, 10, width=4))
    with pytest.raises(ValueError, match=r"steps"):
        make().generate(2, steps=0)
    with pytest.raises(ValueError, match=r"build_unet: `image_shape`.*\(30, 30, 1\)"):
        models.build_unet((30, 30, 1))
