"""Every example script runs in its fast mode (in this process, via runpy)."""

import os
import runpy
import sys

import pytest

EXAMPLES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "examples")
SCRIPTS = sorted(name for name in os.listdir(EXAMPLES) if name.endswith(".py") and not name.startswith("_"))


def test_every_workflow_has_an_example():
    expected = {
        "tf_data_pipeline.py", "in_model_augmentation.py", "detection_boxes.py",
        "segmentation_masks.py", "generative_augmentation.py", "low_data_classification.py",
        "serving.py", "text_augmentation.py", "audio_augmentation.py",
    }
    assert expected <= set(SCRIPTS)


@pytest.mark.parametrize("script", SCRIPTS)
def test_example_runs_fast(script, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", [script, "--fast", "--output-dir", str(tmp_path)])
    monkeypatch.syspath_prepend(EXAMPLES)
    runpy.run_path(os.path.join(EXAMPLES, script), run_name="__main__")
    assert capsys.readouterr().out.strip()
    if script in ("detection_boxes.py", "segmentation_masks.py"):
        assert any(name.endswith(".png") for name in os.listdir(tmp_path))
