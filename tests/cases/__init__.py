"""Harness cases for every exported layer, one module per layer family.

Each module in this package defines `CASES`, a list of `harness.LayerCase`.
Adding a family means adding a module; nothing here changes.
"""

import importlib
import pkgutil


def all_cases():
    cases = []
    for module_info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        cases.extend(module.CASES)
    return cases
