"""Runs an example script as a user would and reads back what it reported.

Shared by `test_examples.py` (the `--fast` runs) and
`test_generative_examples.py` (the full-size runs of the `slow` marker).
"""

import json
import math
import os
import runpy
import sys

from tensorflow.python.framework import config as tf_config

EXAMPLES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "examples")


def run_example(script, arguments, directory, monkeypatch, capsys):
    """Runs `examples/script` as `__main__` with `arguments`, in `directory`.

    The working directory is `directory`, so files a script writes next to it
    (`saved_models/`) land there and not in the checkout.

    Returns:
        The script's standard output.
    """
    monkeypatch.chdir(directory)
    monkeypatch.setattr(sys, "argv", [script, *arguments])
    monkeypatch.syspath_prepend(EXAMPLES)
    determinism = tf_config.is_op_determinism_enabled()
    try:
        runpy.run_path(os.path.join(EXAMPLES, script), run_name="__main__")
    finally:
        # low_data.py turns op determinism on, which would switch XLA off for
        # every later test in this process.
        if not determinism:
            tf_config.disable_op_determinism()
    return capsys.readouterr().out


def last_json_line(output):
    """The JSON object printed on the last line of `output`."""
    lines = output.strip().splitlines()
    assert lines, "the example printed nothing"
    return json.loads(lines[-1])


def read_json(path):
    with open(path) as handle:
        return json.load(handle)


def check_fraction(value, name, count=None):
    """`value` is a finite fraction in [0, 1], a whole number of `count`ths if given."""
    assert isinstance(value, float) and math.isfinite(value), f"{name}: {value!r}"
    assert 0.0 <= value <= 1.0, f"{name}: {value!r} outside [0, 1]"
    if count is not None:
        # An accuracy over `count` test items is k / count for a whole k.
        assert abs(value * count - round(value * count)) < 1e-3, f"{name}: {value!r} is not k/{count}"


def check_distance(value, name):
    assert isinstance(value, float) and math.isfinite(value) and value >= 0.0, f"{name}: {value!r}"


def check_png(path, width, height):
    """`path` is a PNG file of `width` x `height` pixels."""
    from PIL import Image

    with Image.open(path) as image:
        assert image.format == "PNG", path
        assert image.size == (width, height), f"{path}: {image.size} != {(width, height)}"


def check_saved_model(path):
    assert os.path.isfile(os.path.join(path, "saved_model.pb")), f"no SavedModel in {path}"


def check_generative_results(directory, model, dataset="digits", test_size=450):
    """The results JSON of train_vae.py / train_gan.py in `directory`, checked and returned."""
    name = f"{model.lower()}_{dataset}"
    results = read_json(os.path.join(directory, "out", f"{name}_results.json"))
    assert results["model"] == model and results["dataset"] == dataset
    assert isinstance(results["jit_compile"], bool)
    assert isinstance(results["epochs"], int) and results["epochs"] >= 1
    assert results["training_seconds"] > 0
    assert results["final_losses"] and all(math.isfinite(v) for v in results["final_losses"].values())
    assert results["saved_model"] == os.path.join("saved_models", name)
    check_saved_model(os.path.join(directory, results["saved_model"]))
    for key in ("real_train_accuracy_on_test", "classification_accuracy_score"):
        check_fraction(results[key], key, test_size)
    for key in ("fcd_samples_vs_test", "fcd_train_vs_test"):
        check_distance(results[key], key)
    return results


def check_figures(rows):
    """Each `(name, value, stated, tolerance)` has `value` within `tolerance` of
    `stated`; every mismatch is reported at once (a full-size run is long)."""
    wrong = [f"{name}: {value:.4f}, stated {stated:.4f} +- {tolerance:.4f}"
             for name, value, stated, tolerance in rows
             if not (math.isfinite(value) and abs(value - stated) <= tolerance)]
    assert not wrong, "; ".join(wrong)
