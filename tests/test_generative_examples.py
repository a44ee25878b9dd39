"""The generative example scripts run end to end in their --fast mode."""

import json
import os
import sys

EXAMPLES = os.path.join(os.path.dirname(os.path.dirname(__file__)), "examples")


def test_train_gan_fast_writes_grids_export_and_metrics(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(EXAMPLES)
    import train_gan

    results = train_gan.main(["--fast", "--output-dir", str(tmp_path / "out")])
    for key in ("classification_accuracy_score", "real_train_accuracy_on_test",
                "fcd_samples_vs_test", "fcd_train_vs_test"):
        assert 0.0 <= results[key] < float("inf"), key
    assert os.path.isdir(tmp_path / "saved_models" / "conditionalgan_digits")
    with open(tmp_path / "out" / "conditionalgan_digits_results.json") as handle:
        assert json.load(handle)["model"] == "ConditionalGAN"
    sys.modules.pop("train_gan", None)


def test_digits_split_is_fixed_and_disjoint(monkeypatch):
    monkeypatch.syspath_prepend(EXAMPLES)
    import digits_common

    first = digits_common.split_digits()
    second = digits_common.split_digits()
    for a, b in zip(first, second):
        assert (a == b).all()
    assert len(first[0]) == 1347 and len(first[2]) == 450
