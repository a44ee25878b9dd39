"""No code from user input is ever evaluated or unpickled."""

import ast
import pathlib

import pytest

import keras_augment

PACKAGE = pathlib.Path(keras_augment.__file__).parent
SOURCES = sorted(PACKAGE.rglob("*.py"))
FORBIDDEN_CALLS = {"eval", "exec", "compile", "__import__"}
FORBIDDEN_MODULES = {"pickle", "cPickle", "dill", "marshal", "shelve", "cloudpickle"}


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_eval_exec_or_pickle(path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            assert node.func.id not in FORBIDDEN_CALLS, f"{path}:{node.lineno} calls {node.func.id}()"
        if isinstance(node, ast.Import):
            names = {alias.name.split(".")[0] for alias in node.names}
            assert not names & FORBIDDEN_MODULES, f"{path}:{node.lineno} imports {names & FORBIDDEN_MODULES}"
        if isinstance(node, ast.ImportFrom) and node.module:
            assert node.module.split(".")[0] not in FORBIDDEN_MODULES, f"{path}:{node.lineno} imports {node.module}"
        if isinstance(node, ast.keyword) and node.arg == "safe_mode":
            assert not (isinstance(node.value, ast.Constant) and node.value.value is False), (
                f"{path}:{node.lineno} loads a .keras file with safe_mode=False"
            )
        if isinstance(node, ast.keyword) and node.arg == "allow_pickle":
            assert not (isinstance(node.value, ast.Constant) and node.value.value is True), (
                f"{path}:{node.lineno} loads NumPy files with allow_pickle=True"
            )


def test_a_keras_file_with_a_lambda_is_refused_by_safe_mode(tmp_path):
    import keras

    model = keras.Sequential([keras.Input((2,)), keras.layers.Lambda(lambda x: x * 2)])
    path = tmp_path / "lambda.keras"
    model.save(path)
    with pytest.raises(ValueError, match="safe_mode"):
        keras.saving.load_model(path, safe_mode=True)
