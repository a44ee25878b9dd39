"""The README's Python blocks run as written, in order, in a fresh process."""

import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def python_blocks():
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as handle:
        text = handle.read()
    return re.findall(r"```python\n(.*?)```", text, re.S)


def test_readme_has_python_blocks():
    assert len(python_blocks()) >= 6


def test_readme_python_blocks_run_in_order(tmp_path):
    # One script, as a reader pasting the blocks one after the other would run
    # them; the working folder is empty, so relative paths land in tmp_path.
    script = "\n\n".join(
        f"# --- README block {i + 1}\n{block}" for i, block in enumerate(python_blocks())
    )
    (tmp_path / "readme_blocks.py").write_text(script, encoding="utf-8")
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2", PYTHONPATH=ROOT)
    result = subprocess.run(
        [sys.executable, "readme_blocks.py"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    assert (tmp_path / "outputs" / "my_augmenter" / "saved_model.pb").exists()
    assert (tmp_path / "outputs" / "cvae" / "saved_model.pb").exists()
    assert not (tmp_path / "saved_models").exists(), "README blocks must not write where `run` writes"
