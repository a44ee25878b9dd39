"""Entry point of the `keras-augment` command (`python -m keras_augment_cli` too).

A module outside the package, so it can ask the package, before it loads,
not to import its layers (and with them TensorFlow) up front: see
`keras_augment/__init__.py`. `--help` and usage errors then answer in a
fraction of a second, and TensorFlow loads later with its logs silenced.
"""

import sys

# Read by keras_augment/__init__.py while it loads.
DEFER_IMPORTS = True


def main(argv=None):
    """Run `keras-augment` with `argv` (default: the process's arguments)."""
    from keras_augment.cli import main as cli_main

    return cli_main(argv)


if __name__ == "__main__":
    # Run as a script this module is `__main__`; the package looks for it by name.
    sys.modules.setdefault("keras_augment_cli", sys.modules[__name__])
    raise SystemExit(main())
