"""Load and clean throughput (files/s) for images, text and audio folders.

Writes a folder of class subfolders per kind into a temporary directory
(PNG images, UTF-8 `.txt` quotes, 22.05 kHz WAV clips that load resamples to
16 kHz), then times `data.load` (scan, which decodes every file once to name
the bad ones, plus one pass over the dataset) and the kind's cleaning pass
(`deduplicate`, `clean_text`, `clean_audio`), each the best of `--rounds`.

    python benchmarks/loading.py [--files 400] [--rounds 2]
"""

import argparse
import json
import os
import sys
import tempfile
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))


def write_images(root, count, rng):
    from PIL import Image

    for index in range(count):
        folder = os.path.join(root, f"class_{index % 4}")
        os.makedirs(folder, exist_ok=True)
        pixels = rng.integers(0, 256, (64, 64, 3), dtype=np.uint8)
        Image.fromarray(pixels).save(os.path.join(folder, f"{index}.png"))


def write_texts(root, count, rng):
    words = "the quick brown fox jumps over a lazy dog while seven old men read".split()
    for index in range(count):
        folder = os.path.join(root, f"class_{index % 4}")
        os.makedirs(folder, exist_ok=True)
        text = " ".join(rng.choice(words, size=int(rng.integers(8, 40))))
        with open(os.path.join(folder, f"{index}.txt"), "w", encoding="utf-8") as handle:
            handle.write(text)


def write_audio(root, count, rng):
    import soundfile

    for index in range(count):
        folder = os.path.join(root, f"class_{index % 4}")
        os.makedirs(folder, exist_ok=True)
        clip = 0.3 * np.sin(np.arange(22050) * (0.02 + 0.01 * (index % 7))) + 0.01 * rng.normal(size=22050)
        soundfile.write(os.path.join(folder, f"{index}.wav"), clip.astype(np.float32), 22050, subtype="PCM_16")


def best_time(function, rounds):
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=400, help="files per kind")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args(argv)
    from keras_augment import data

    rng = np.random.default_rng(0)
    kinds = {
        "images": (write_images, {}, lambda ds: data.deduplicate(ds)[0]),
        "text": (write_texts, {}, lambda ds: data.clean_text(ds)[0]),
        "audio": (write_audio, {"sampling_rate": 16000}, lambda ds: data.clean_audio(ds)),
    }
    rows = {}
    with tempfile.TemporaryDirectory() as scratch:
        for kind, (write, options, clean) in kinds.items():
            root = os.path.join(scratch, kind)
            write(root, args.files, rng)

            def load():
                for _ in data.load(root, **options):
                    pass

            def load_and_clean():
                for _ in clean(data.load(root, **options)):
                    pass

            load_seconds = best_time(load, args.rounds)
            both_seconds = best_time(load_and_clean, args.rounds)
            rows[kind] = {
                "files": args.files,
                "load_files_per_s": round(args.files / load_seconds, 1),
                "load_and_clean_files_per_s": round(args.files / both_seconds, 1),
            }
            print(f"{kind:7s} load {rows[kind]['load_files_per_s']:8.1f} files/s   "
                  f"load + clean {rows[kind]['load_and_clean_files_per_s']:8.1f} files/s")
    print(json.dumps(rows))


if __name__ == "__main__":
    main()
