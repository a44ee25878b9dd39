"""Throughput of the text and audio layers, with nlpaug measured in the same run.

Text rows: sentences/s over 10,000 synthetic English-like sentences (8 to 20
words drawn from a fixed word list, seeded), keras_augment in batches of
1,000 under `tf.function`, nlpaug (pip install -e ".[bench]") calling
`augment` on the same list. nlpaug's WordNet synonym augmenter needs NLTK
data that cannot be downloaded here, so synonym replacement is compared with
its closest offline operation, substitution from a word list.
Audio rows: SpecAugment in spectrograms/s on `[64, 500, 80]` log-mel-sized
inputs (5 s at a 10 ms hop, 80 bins), against a per-sample NumPy loop.

    python benchmarks/text_audio.py              # full: 10,000 sentences
    python benchmarks/text_audio.py --quick      # 2,000 sentences, fewer repeats
"""

import argparse
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

WORDS = (
    "the a film movie story plot actor actress scene music score script director "
    "good bad great dull boring funny sad happy quick slow long short brilliant "
    "awful fine nice poor superb weak strong moving charming clever silly is was "
    "and but with very really quite too not it this that of in on for"
).split()
SYNONYMS = {
    "film": ["movie", "picture"], "good": ["fine", "nice"], "bad": ["poor", "awful"],
    "great": ["superb", "brilliant"], "dull": ["boring"], "funny": ["amusing"],
    "quick": ["fast"], "sad": ["unhappy"], "story": ["tale"], "clever": ["smart"],
}


def sentences(count, seed=0):
    import numpy as np

    rng = np.random.default_rng(seed)
    return [" ".join(rng.choice(WORDS, size=rng.integers(8, 21))) for _ in range(count)]


def best_rate(run, items, repeats):
    run()  # warm-up: tracing, table initialisation
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return items / best


def text_rows(count, repeats):
    import nlpaug.augmenter.char as nac
    import nlpaug.augmenter.word as naw
    import tensorflow as tf

    import keras_augment as ka

    texts = sentences(count)
    batches = [tf.constant(texts[i : i + 1000]) for i in range(0, count, 1000)]
    targets = sorted({s for v in SYNONYMS.values() for s in v})
    pairs = [
        ("RandomWordSwap", ka.layers.RandomWordSwap(0.1), naw.RandomWordAug("swap", aug_p=0.1)),
        ("RandomWordDeletion", ka.layers.RandomWordDeletion(0.1), naw.RandomWordAug("delete", aug_p=0.1)),
        ("SynonymReplacement", ka.layers.SynonymReplacement(SYNONYMS, 0.1),
         naw.RandomWordAug("substitute", aug_p=0.1, target_words=targets)),
        ("RandomWordInsertion", ka.layers.RandomWordInsertion(SYNONYMS, alpha=0.1), None),
        ("RandomCharacterNoise", ka.layers.RandomCharacterNoise(0.05), nac.KeyboardAug(aug_char_p=0.05)),
        ("EDA", ka.layers.EDA(SYNONYMS), None),
    ]
    rows = []
    for name, layer, peer in pairs:
        function = tf.function(lambda batch, seed, layer=layer: layer(batch, seed=seed))
        ours = best_rate(lambda: [function(b, tf.constant(i, tf.int64)) for i, b in enumerate(batches)], count, repeats)
        theirs = best_rate(lambda: peer.augment(texts), count, 1) if peer is not None else None
        rows.append((name, ours, type(peer).__name__ if peer else "-", theirs))
    return rows


def _numpy_spec_augment(spectrograms, rng):
    # Per-sample reference loop: LD masks (2 frequency, 2 time), no warp.
    out = spectrograms.copy()
    for sample in out:
        for _ in range(2):
            width = rng.integers(0, 28)
            start = rng.integers(0, sample.shape[1] - width + 1)
            sample[:, start : start + width] = 0
        for _ in range(2):
            width = rng.integers(0, 101)
            start = rng.integers(0, sample.shape[0] - width + 1)
            sample[start : start + width, :] = 0
    return out


def audio_rows(repeats):
    import numpy as np
    import tensorflow as tf

    import keras_augment as ka

    spectrograms = tf.constant(np.random.default_rng(0).random((64, 500, 80), np.float32))
    rows = []
    for name, layer in (
        ("SpecAugment LD", ka.layers.SpecAugment("LD")),
        ("SpecAugment LD, no warp", ka.layers.SpecAugment("LD", time_warp=0)),
    ):
        for jit in (False, True):
            function = tf.function(lambda x, s, layer=layer: layer(x, seed=s), jit_compile=jit)
            rate = best_rate(lambda: function(spectrograms, tf.constant(1, tf.int64)).numpy(), 64, repeats)
            rows.append((name + (" (XLA)" if jit else ""), rate))
    host = spectrograms.numpy()
    rng = np.random.default_rng(0)
    rows.append(("NumPy per-sample loop, LD masks only", best_rate(lambda: _numpy_spec_augment(host, rng), 64, repeats)))
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    count, repeats = (2000, 2) if args.quick else (10_000, 3)
    print(f"text: {count} sentences, best of {repeats}")
    print(f"{'layer':24s} {'keras_augment s/s':>18s} {'nlpaug peer':>22s} {'nlpaug s/s':>11s} {'ratio':>7s}")
    for name, ours, peer, theirs in text_rows(count, repeats):
        ratio = f"{ours / theirs:7.1f}" if theirs else "      -"
        theirs_text = f"{theirs:11.0f}" if theirs else "          -"
        print(f"{name:24s} {ours:18.0f} {peer:>22s} {theirs_text} {ratio}")
    print("audio: [64, 500, 80] spectrograms")
    for name, rate in audio_rows(repeats):
        print(f"{name:40s} {rate:10.0f} spectrograms/s")


if __name__ == "__main__":
    main()
