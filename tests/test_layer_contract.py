"""Runs every harness check on every registered layer case."""

import inspect

import pytest
from cases import all_cases
from harness import CHECKS, run_check

import keras_augment.layers
from keras_augment.layers.core.base import BaseAugmentation

CASES = all_cases()


@pytest.mark.parametrize("check", sorted(CHECKS))
@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_layer_contract(case, check):
    reason = run_check(case, check)
    if reason:
        pytest.skip(reason)


def exported_layer_classes():
    for name in keras_augment.layers.__all__:
        obj = getattr(keras_augment.layers, name)
        if inspect.isclass(obj) and issubclass(obj, BaseAugmentation) and obj is not BaseAugmentation:
            yield obj


def test_every_exported_layer_has_harness_cases():
    covered = {case.layer for case in CASES}
    missing = sorted(cls.__name__ for cls in exported_layer_classes() if cls not in covered)
    assert not missing, f"layers without harness cases in tests/cases/: {missing}"


def test_every_exported_name_is_a_layer():
    for name in keras_augment.layers.__all__:
        assert hasattr(keras_augment.layers, name), name
