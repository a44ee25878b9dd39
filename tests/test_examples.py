"""Every example script runs in its fast mode (in this process, via runpy)."""

import os
import runpy
import sys

import pytest
from tensorflow.python.framework import config as tf_config

EXAMPLES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "examples")

def _is_script(name):
    if not name.endswith(".py") or name.startswith("_"):
        return False
    with open(os.path.join(EXAMPLES, name)) as handle:
        return 'if __name__ == "__main__"' in handle.read()


SCRIPTS = sorted(name for name in os.listdir(EXAMPLES) if _is_script(name))
# Scripts whose fast mode takes other flags than `--fast --output-dir DIR`.
FAST_ARGUMENTS = {"low_data.py": ["--fast", "--output", "{tmp}/low_data_results.json"]}


def test_every_workflow_has_an_example():
    expected = {
        "tf_data_pipeline.py", "in_model_augmentation.py", "detection_boxes.py",
        "segmentation_masks.py", "generative_augmentation.py", "low_data.py",
        "serving.py", "text_eda.py", "audio_tones.py", "train_vae.py", "train_gan.py",
    }
    assert expected <= set(SCRIPTS)


@pytest.mark.parametrize("script", SCRIPTS)
def test_example_runs_fast(script, tmp_path, monkeypatch, capsys):
    with open(os.path.join(EXAMPLES, script)) as handle:
        if "--fast" not in handle.read():
            pytest.skip(f"{script} has no --fast mode yet")
    arguments = FAST_ARGUMENTS.get(script, ["--fast", "--output-dir", "{tmp}"])
    monkeypatch.setattr(sys, "argv", [script] + [a.format(tmp=tmp_path) for a in arguments])
    monkeypatch.syspath_prepend(EXAMPLES)
    determinism = tf_config.is_op_determinism_enabled()
    try:
        runpy.run_path(os.path.join(EXAMPLES, script), run_name="__main__")
    finally:
        # low_data.py turns op determinism on, which would switch XLA off for
        # every later test in this process.
        if not determinism:
            tf_config.disable_op_determinism()
    assert capsys.readouterr().out.strip()
    if script in ("detection_boxes.py", "segmentation_masks.py"):
        assert any(name.endswith(".png") for name in os.listdir(tmp_path))
