"""Every example script runs in its fast mode (in this process, via runpy) and
reports sane figures: finite, in range, with the rows, keys and files it
promises. Full-size runs against the published figures: test_generative_examples.py
and the `slow` marker."""

import math
import os

import pytest
from examples_runner import (
    EXAMPLES,
    check_figures,
    check_fraction,
    check_generative_results,
    check_png,
    check_saved_model,
    last_json_line,
    read_json,
    run_example,
)


def _is_script(name):
    if not name.endswith(".py") or name.startswith("_"):
        return False
    with open(os.path.join(EXAMPLES, name)) as handle:
        return 'if __name__ == "__main__"' in handle.read()


FASHION_MNIST = "/usr/share/datasets/fashion-mnist"
SCRIPTS = sorted(name for name in os.listdir(EXAMPLES) if _is_script(name))
DIGITS = 1797


def grid_size(tiles, columns, tile, padding=2):
    """(width, height) of a `make_grid` of square tiles, 2 px white between."""
    rows = math.ceil(tiles / columns)
    return columns * (tile + padding) + padding, rows * (tile + padding) + padding


def check_tf_data_pipeline(output, directory):
    results = last_json_line(output)
    stats = results["stats"]
    assert stats["count"] == DIGITS and sorted(stats["class_counts"]) == [str(c) for c in range(10)]
    assert sum(stats["class_counts"].values()) == DIGITS
    assert 0 < stats["mean"][0] < 16 and 0 < stats["std"][0] < 16
    assert results["train_images"] + results["validation_images"] == DIGITS
    assert abs(results["validation_images"] - 0.2 * DIGITS) <= 1
    assert results["augmented_images"] == 2 * 64  # --fast: two batches of 64


def check_in_model_augmentation(output, directory):
    results = last_json_line(output)
    check_fraction(results["validation_accuracy"], "validation_accuracy")
    assert results["model_file"] == "out/in_model.keras" and os.path.getsize(results["model_file"]) > 0
    assert "RandomBrightness" in results["reloaded_layers"]


def check_detection_boxes(output, directory):
    results = last_json_line(output)
    assert results["classes"] == [[1, -1]] * 4
    assert len(results["boxes"]) == 4
    for x1, y1, x2, y2 in results["boxes"]:
        # Flips of [40, 10, 90, 70] in a 128 x 128 image: size kept, corners mirrored.
        assert x1 in (40.0, 38.0) and y1 in (10.0, 58.0), (x1, y1)
        assert (x2 - x1, y2 - y1) == (50.0, 60.0)
    check_png(results["grid"], *grid_size(5, 5, 128))


def check_segmentation_masks(output, directory):
    results = last_json_line(output)
    assert results["mask_pixels"] == [40 * 40] * 4  # flips keep the 40 x 40 region
    check_png(results["grid"], *grid_size(4, 4, 96))


def check_serving(output, directory):
    results = last_json_line(output)
    assert results["served_images"] == 4
    check_saved_model(results["saved_model"])


def check_generative_augmentation(output, directory):
    results = last_json_line(output)
    check_fraction(results["validation_accuracy"], "validation_accuracy")
    check_png(results["samples_grid"], *grid_size(30, 10, 8 * 4))
    check_saved_model(results["generator"])


def skip_if_data_missing(results):
    """The real-data examples print `{"skipped": why}` where their data is not installed."""
    if "skipped" in results:
        pytest.skip(results["skipped"])


def check_table(table, rows, test_size, seeds=1):
    """A `{row: {"per_seed", "mean", "std"}}` table of test accuracies with exactly `rows`."""
    assert sorted(table) == sorted(rows), sorted(table)
    for row, summary in table.items():
        assert len(summary["per_seed"]) == seeds
        for value in summary["per_seed"]:
            check_fraction(value, row, test_size)
        assert abs(summary["mean"] - sum(summary["per_seed"]) / seeds) < 1e-9 and summary["std"] >= 0.0


def check_text_topics(output, directory):
    results = last_json_line(output)
    skip_if_data_missing(results)
    rows = ["no augmentation", "EDA (swap, deletion, insertion)"]
    rows += ["with WordNet synonyms"] if results["wordnet"] else []
    rows += ["EDA + RandomCharacterNoise", "chosen on validation"]
    check_table(results["test"], rows, results["test_size"])
    assert results["shots"] == 4 and results["seeds"] == [0]
    assert set(results["settings"].values()) <= set(results["validation"])
    assert os.path.getsize(os.path.join(directory, "out", "fortunes_topics.jsonl")) > 0


def check_spoken_digits(output, directory):
    results = last_json_line(output)
    skip_if_data_missing(results)
    # --fast trains the first SpecAugment setting only.
    rows = ["no augmentation", "waveform layers", "waveform + SpecAugment (two masks and a 5% warp, mean fill)",
            "chosen on validation"]
    for key in ("test_noisy", "test_clean"):
        check_table(results[key], rows, results["test_size"])
    assert set(results["settings"].values()) <= set(results["validation"])
    assert results["snr_db"] == 10.0 and results["epochs"] == 1


def check_low_data(output, directory):
    report = read_json(os.path.join(directory, "low_data_results.json"))
    assert report["settings"]["seeds"] == [0] and report["settings"]["fast"] is True
    table = report["table"]
    families = ["cvae", "cgan", "cdiffusion"]
    assert list(table) == ["none", "geometric", *(f"geometric+{kind}" for kind in families)]
    for condition, row in table.items():
        assert len(row["per_seed"]) == 1
        check_fraction(row["per_seed"][0], condition, 500)  # --fast: the first 500 test images
        assert row["mean"] == row["per_seed"][0] and row["std"] == 0.0
    # Settings were chosen on validation: two step counts, then two pool shares per family.
    assert len(report["validation"]) == 2 + 2 + 2 * len(families)
    assert all(f"{kind}: generation" in output for kind in families)


def check_train_vae(output, directory):
    assert check_generative_results(directory, "ConditionalVAE")["epochs"] <= 2


def check_train_gan(output, directory):
    results = check_generative_results(directory, "ConditionalGAN")
    assert results["epochs"] <= 2 and results["loss"] == "non_saturating"


CHECKS = {
    "tf_data_pipeline.py": check_tf_data_pipeline,
    "in_model_augmentation.py": check_in_model_augmentation,
    "detection_boxes.py": check_detection_boxes,
    "segmentation_masks.py": check_segmentation_masks,
    "serving.py": check_serving,
    "generative_augmentation.py": check_generative_augmentation,
    "spoken_digits.py": check_spoken_digits,
    "text_topics.py": check_text_topics,
    "low_data.py": check_low_data,
    "train_vae.py": check_train_vae,
    "train_gan.py": check_train_gan,
}
# Scripts whose fast mode takes other flags than `--fast --output-dir out`.
FAST_ARGUMENTS = {"low_data.py": ["--fast", "--output", "low_data_results.json"]}


def test_every_example_is_run_and_checked():
    assert set(SCRIPTS) == set(CHECKS), "a new example needs a check in CHECKS"


@pytest.mark.parametrize("script", SCRIPTS)
def test_example_fast_run_reports_sane_figures(script, tmp_path, monkeypatch, capsys):
    if script == "low_data.py" and not os.path.isdir(FASHION_MNIST):
        pytest.skip(f"Fashion-MNIST not installed at {FASHION_MNIST} (apt-get install dataset-fashion-mnist)")
    arguments = FAST_ARGUMENTS.get(script, ["--fast", "--output-dir", "out"])
    output = run_example(script, arguments, tmp_path, monkeypatch, capsys)
    CHECKS[script](output, str(tmp_path))


# Full-size figures the README states (section "Text and speech on real
# data"): the mean test accuracy over seeds 0, 1, 2 of each row, (stated,
# tolerance). The tolerance covers TensorFlow's run-to-run noise on other CPUs.
FULL_SIZE = {
    "text_topics.py": ("test", {
        "no augmentation": (0.237, 0.03), "EDA (swap, deletion, insertion)": (0.234, 0.03),
        "with WordNet synonyms": (0.236, 0.03), "EDA + RandomCharacterNoise": (0.244, 0.03)}),
    "spoken_digits.py": ("test_noisy", {
        "no augmentation": (0.542, 0.06), "waveform layers": (0.744, 0.08),
        "waveform + SpecAugment (two masks and a 5% warp, mean fill)": (0.585, 0.08),
        "waveform + SpecAugment (two masks and a 5% warp, min fill)": (0.464, 0.08),
        "waveform + SpecAugment (relative: one mask each, no warp)": (0.760, 0.08)}),
}


@pytest.mark.slow
@pytest.mark.parametrize("script", sorted(FULL_SIZE))
def test_example_full_size_matches_the_stated_figures(script, tmp_path, monkeypatch, capsys):
    output = run_example(script, ["--output-dir", "out"], tmp_path, monkeypatch, capsys)
    results = last_json_line(output)
    skip_if_data_missing(results)
    key, figures = FULL_SIZE[script]
    check_figures([(f"{script} {row}", results[key][row]["mean"], stated, tolerance)
                   for row, (stated, tolerance) in figures.items() if row in results[key]])
