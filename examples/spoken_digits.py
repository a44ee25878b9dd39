"""Spoken digits from voices never heard in training, under background noise.

Where the audio comes from: Debian's `espeak-ng` speech engine (`apt-get
install espeak-ng`), run here. Each voice is an accent (`en-us`,
`en-gb-scotland`, ...) with a variant (`+m3`, `+f2`, `+croak`, ...), a
speed and a pitch; it says the ten digits, one WAV file each, written into
class subfolders (`seven/m3__en-us_s160_p40.wav`: the variant leads the
file name). Without `espeak-ng` the script says so and skips (exit 0).

The clips are read with `keras_augment.data.load(folder, sampling_rate=16000,
duration=1.0)` (resampled from espeak-ng's 22050 Hz, padded or cut to 1 s)
and split with `data.split(..., group_by="voice")` by variant: a variant
heard in training is never in validation or test, in any accent. The test
variants are held out once; each seed splits the others into training and
validation. Validation and test clips are mixed with background noise at
10 dB SNR (mean power over the clip): babble of other espeak-ng voices
reading sentences, pink and brown noise, written as WAV files into a noise
folder (one each for training, validation and test, from different
talkers and seeds) and read back with `data.load`.

The model: Keras's `MelSpectrogram` (40 bins, 10 ms hop: 101 frames), a
per-clip normalisation and a small CNN. Waveform layers (gain, noise, time
shift, speed, pitch; with or without `AddBackgroundNoise` from the
training noise folder) run in `tf.data`; SpecAugment (two masks of each kind
and a 5% warp, filled with each clip's mean or minimum, or the default
"relative" policy: one mask of each kind, no warp) runs in the model on the decibel spectrogram. Which
waveform layers to use is chosen on validation only; the test voices are
read once, reported per seed with mean and spread, with and without the
test noise.

    python examples/spoken_digits.py [--fast] [--epochs 20]
"""

import os
import shutil
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

import keras_augment as ka  # noqa: E402
from keras_augment import data  # noqa: E402

DIGITS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
ACCENTS = ("en-us", "en-gb", "en-gb-scotland", "en-gb-x-gbclan", "en-gb-x-rp", "en-gb-x-gbcwmd",
           "en-029", "en-us-nyc")
VARIANTS = ("m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "f1", "f2", "f3", "f4", "f5", "croak",
            "whisper", "whisperf", "klatt", "klatt2", "klatt3", "klatt4", "grandpa", "grandma", "adam",
            "Alex", "Andy", "Annie", "boris", "david", "ed", "john", "linda", "steph")
# What the babble talkers read: prose, never digits, several talkers at once.
BABBLE_TEXT = (
    "The weather station on the hill records wind and rain every hour of the day.",
    "After the meeting we walked along the river and talked about the new library.",
    "Please remember to close the windows before you leave the house in the evening.",
    "The market was crowded with people buying bread, apples and fresh flowers.",
)
RATE, SNR_DB, TEST_SEED, SEEDS = 16000, 10.0, 17, (0, 1, 2)


def say(voice, speed, pitch, text, path):
    subprocess.run(["espeak-ng", "-v", voice, "-s", str(speed), "-p", str(pitch), "-w", path, text],
                   check=True, capture_output=True)


def make_clips(folder, variants, accents_per_variant, seed):
    """Writes every voice's ten digits (kept when already there); the voice list."""
    rng = np.random.default_rng(seed)
    jobs = []
    for variant in variants:
        for accent in rng.choice(ACCENTS, accents_per_variant, replace=False):
            speed, pitch = int(rng.integers(130, 200)), int(rng.integers(25, 75))
            name = f"{variant}__{accent}_s{speed}_p{pitch}.wav"
            for digit in DIGITS:
                os.makedirs(os.path.join(folder, digit), exist_ok=True)
                path = os.path.join(folder, digit, name)
                if not os.path.exists(path):
                    jobs.append((f"{accent}+{variant}", speed, pitch, digit, path))
    with ThreadPoolExecutor(2) as pool:
        list(pool.map(lambda job: say(*job), jobs))


def write_wav(path, samples, rate):
    import wave

    with wave.open(path, "wb") as handle:
        handle.setnchannels(1)
        handle.setsampwidth(2)
        handle.setframerate(rate)
        handle.writeframes((np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes())


def read_wav(path):
    import wave

    with wave.open(path, "rb") as handle:
        raw = handle.readframes(handle.getnframes())
        return np.frombuffer(raw, "<i2").astype(np.float32) / 32768, handle.getframerate()


def coloured_noise(rng, length, exponent):
    """Noise whose power falls as 1 / f**exponent (1: pink, 2: brown)."""
    spectrum = np.fft.rfft(rng.standard_normal(length))
    spectrum /= np.maximum(np.arange(len(spectrum)), 1) ** (exponent / 2)
    noise = np.fft.irfft(spectrum, length)
    return 0.5 * noise / np.max(np.abs(noise))


def make_noise(folder, seed, talkers=4, seconds=3.0):
    """Writes `folder/{babble,pink,brown}/*.wav`: 2 files each, drawn from `seed`."""
    rng = np.random.default_rng(seed)
    for kind in ("babble", "pink", "brown"):
        os.makedirs(os.path.join(folder, kind), exist_ok=True)
    scratch = os.path.join(folder, "talker.wav")
    for index in range(2):
        mix, rate = None, 22050
        for _ in range(talkers):
            voice = f"{rng.choice(ACCENTS)}+{rng.choice(VARIANTS)}"
            say(voice, int(rng.integers(140, 190)), int(rng.integers(20, 80)),
                " ".join(rng.permutation(BABBLE_TEXT)), scratch)
            speech, rate = read_wav(scratch)
            speech = np.roll(speech, int(rng.integers(len(speech))))[: int(seconds * rate)]
            mix = speech if mix is None else mix[: len(speech)] + speech[: len(mix)]
        write_wav(os.path.join(folder, "babble", f"babble{index}.wav"), 0.7 * mix / np.abs(mix).max(), rate)
        for kind, exponent in (("pink", 1), ("brown", 2)):
            noise = coloured_noise(rng, int(seconds * 22050), exponent)
            write_wav(os.path.join(folder, kind, f"{kind}{index}.wav"), noise, 22050)
    os.remove(scratch)


def load_noise(folder):
    """The noise folder's waveforms at 16 kHz, read with the package's loader."""
    return [element["audio"] for element in data.load(folder, sampling_rate=RATE).as_numpy_iterator()]


def add_noise(clips, noises, snr_db, seed):
    """Each clip plus a random stretch of a random noise file, at `snr_db`."""
    rng = np.random.default_rng(seed)
    mixed = np.empty_like(clips)
    for index, clip in enumerate(clips):
        noise = noises[rng.integers(len(noises))]
        noise = np.tile(noise, -(-clip.size // noise.size) + 1)
        start = rng.integers(noise.size - clip.size)
        noise = noise[start:start + clip.size]
        scale = np.sqrt(np.mean(clip**2) / (np.mean(noise**2) * 10 ** (snr_db / 10)))
        mixed[index] = np.clip(clip + scale * noise, -1, 1)
    return mixed


def load_clips(folder):
    """`(audio, labels, voice)` arrays and class names, read and split with the package.

    Returns the held-out test part and the rest, with each clip's variant.
    """
    ds = data.load(folder, sampling_rate=RATE, duration=1.0, verbose=True)
    voices = [os.path.basename(path).split("__")[0] for path in ds.paths]
    tagged = tf.data.Dataset.zip(ds, tf.data.Dataset.from_tensor_slices(voices)).map(
        lambda element, voice: {**element, "voice": voice})
    rest, test = data.split(tagged, 0.25, seed=TEST_SEED, group_by="voice")
    return rest, test, ds.class_names


def arrays(part):
    rows = list(part.batch(256).as_numpy_iterator())
    return tuple(np.concatenate([row[key] for row in rows]) for key in ("audio", "labels", "voice"))


def waveform_augmenter(background, seed):
    """The waveform layers; with `background` (a noise folder) recorded noise too."""
    layers = [ka.layers.RandomGain(-9.0, 6.0), ka.layers.RandomSpeed(0.9, 1.1),
              ka.layers.RandomPitchShift(-2.0, 2.0), ka.layers.RandomTimeShift(0.1)]
    if background:
        layers.append(ka.layers.AddBackgroundNoise(background, min_snr_db=0.0, max_snr_db=20.0, rate=0.8))
    layers.append(ka.layers.RandomNoise(10.0, 30.0))
    return ka.layers.Pipeline(layers, seed=seed)


# SpecAugment on Keras's decibel output, widths as fractions of the clip:
# two masks of each kind and a warp (mean or silence fill), and the default.
SPEC_AUGMENT = {
    "two masks and a 5% warp, mean fill": dict(time_warp=0.05, frequency_masks=2, time_masks=2, mask_value="mean"),
    "two masks and a 5% warp, min fill": dict(time_warp=0.05, frequency_masks=2, time_masks=2, mask_value="min"),
    "relative: one mask each, no warp": dict(mask_value="mean"),
}


def build_model(spec_augment, seed, classes=10):
    """MelSpectrogram, optional SpecAugment, per-clip normalisation, a small CNN."""
    inputs = keras.Input(shape=(RATE,))
    x = keras.layers.MelSpectrogram(fft_length=512, sequence_stride=160, sampling_rate=RATE,
                                    num_mel_bins=40, min_freq=60.0, max_freq=7600.0)(inputs)
    x = keras.layers.Permute((2, 1))(x)  # [B, 101 frames, 40 bins], as SpecAugment expects
    if spec_augment:
        x = ka.layers.SpecAugment("relative", **SPEC_AUGMENT[spec_augment], seed=seed)(x)
    x = keras.layers.LayerNormalization(axis=[1, 2], center=False, scale=False)(x)
    x = keras.layers.Reshape((101, 40, 1))(x)
    for filters in (16, 32, 64):
        x = keras.layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
        x = keras.layers.MaxPooling2D(2)(x)
    x = keras.layers.Dropout(0.2)(keras.layers.GlobalAveragePooling2D()(x))
    model = keras.Model(inputs, keras.layers.Dense(classes, activation="softmax")(x))
    model.compile(keras.optimizers.Adam(2e-3), "sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def fit(train, setting, seed, epochs):
    keras.utils.set_random_seed(seed)
    model = build_model(setting.get("spec_augment"), seed)
    audio, labels, _ = train
    stream = tf.data.Dataset.from_tensor_slices({"audio": audio, "labels": labels})
    stream = stream.shuffle(len(labels), seed=seed).batch(32)
    if "waveform" in setting:
        stream = data.augment(stream, waveform_augmenter(setting["waveform"], seed), seed=seed)
    stream = stream.map(lambda b: (b["audio"], b["labels"])).prefetch(2)
    model.fit(stream, epochs=epochs, verbose=0)
    return model


def accuracy(model, audio, labels):
    return float(model.evaluate(audio, labels, batch_size=128, verbose=0)[1])


def main(argv=None):
    import sys

    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from _common import best, parse_args, print_results, print_table, skip, summarise, train_settings

    def extra(parser):
        parser.add_argument("--epochs", type=int, default=20, help="training epochs of the full run")

    args = parse_args("Spoken digits of unseen voices under noise, with and without augmentation.",
                      argv, extra)
    if shutil.which("espeak-ng") is None:
        return skip("no espeak-ng speech engine (apt-get install espeak-ng)")
    if args.fast:
        variants, accents, seeds, epochs = VARIANTS[:8], 1, (0,), 1
    else:
        variants, accents, seeds, epochs = VARIANTS, 3, SEEDS, args.epochs
    start = time.perf_counter()
    clips, noise = os.path.join(args.output_dir, "spoken_digits"), os.path.join(args.output_dir, "noise")
    make_clips(clips, variants, accents, seed=0)
    for part, seed in (("validation", 1), ("test", 2), ("train", 3)):
        if not os.path.isdir(os.path.join(noise, part)):
            make_noise(os.path.join(noise, part), seed)
    print(f"espeak-ng: {len(variants) * accents} voices x 10 digits, noise folders: "
          f"{time.perf_counter() - start:.0f} s")
    rest, test_part, class_names = load_clips(clips)
    test_audio, test_labels, test_voices = arrays(test_part)
    noisy_test = add_noise(test_audio, load_noise(os.path.join(noise, "test")), SNR_DB, seed=TEST_SEED)
    validation_noise = load_noise(os.path.join(noise, "validation"))
    splits = {}
    for seed in seeds:
        train, validation = (arrays(part) for part in data.split(rest, 0.25, seed=seed, group_by="voice"))
        noisy = add_noise(validation[0], validation_noise, SNR_DB, seed=seed)
        splits[seed] = (train, (noisy, validation[1]))
    print(f"test: {len(test_labels)} clips, variants {sorted(set(test_voices.astype(str).tolist()))}; "
          f"seed {seeds[0]}: {len(splits[seeds[0]][0][1])} training, {len(splits[seeds[0]][1][1])} "
          f"validation clips; {epochs} epochs")
    waveform_settings = {"waveform layers": {"waveform": None},
                         "waveform layers + AddBackgroundNoise": {"waveform": os.path.join(noise, "train")}}
    settings = {"no augmentation": {}, **waveform_settings}
    if args.fast:  # one of each kind
        settings.pop("waveform layers")

    def train_one(setting, seed):
        model = fit(splits[seed][0], setting, seed, epochs)
        return model, accuracy(model, *splits[seed][1])

    print("choosing settings on the noisy validation voices:")
    scores, models = train_settings(settings, seeds, train_one)
    waveform = best(scores, [name for name in settings if name in waveform_settings])
    spec_names = list(SPEC_AUGMENT)[:1] if args.fast else list(SPEC_AUGMENT)
    spec = {f"{waveform} + SpecAugment {name}": {**settings[waveform], "spec_augment": name}
            for name in spec_names}
    spec_scores, spec_models = train_settings(spec, seeds, train_one)
    scores.update(spec_scores)
    models.update(spec_models)
    rows = {"no augmentation": "no augmentation", "waveform layers": waveform}
    for name in spec_names:
        rows[f"waveform + SpecAugment ({name})"] = f"{waveform} + SpecAugment {name}"
    rows["chosen on validation"] = best(scores, list(scores))
    table = {row: summarise([accuracy(models[name, seed], noisy_test, test_labels) for seed in seeds])
             for row, name in rows.items()}
    clean = {row: summarise([accuracy(models[name, seed], test_audio, test_labels) for seed in seeds])
             for row, name in rows.items()}
    print_table(table, f"test accuracy, {len(test_labels)} clips of unseen voices at {SNR_DB:g} dB SNR, "
                       "read once:")
    print_table(clean, "the same test voices without noise:")
    return print_results({"test_noisy": table, "test_clean": clean, "settings": rows, "validation": scores,
                          "test_size": len(test_labels), "seeds": list(seeds), "snr_db": SNR_DB,
                          "epochs": epochs})


if __name__ == "__main__":
    main()
