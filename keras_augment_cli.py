"""Entry point of the `keras-augment` command (`python -m keras_augment_cli` too).

A module outside the package, so it can ask the package, before it loads,
not to import its layers (and with them TensorFlow) up front: see
`keras_augment/__init__.py`. `--help` and usage errors then answer in a
fraction of a second, and TensorFlow loads later with its logs silenced.

The command trains, generates and exports with TensorFlow, so it runs Keras
on the TensorFlow backend whatever `KERAS_BACKEND` or `keras.json` say.
"""

import os
import sys

# Read by keras_augment/__init__.py while it loads.
DEFER_IMPORTS = True


def main(argv=None):
    """Run `keras-augment` with `argv` (default: the process's arguments)."""
    _use_tensorflow_backend()
    from keras_augment.cli import main as cli_main

    return cli_main(argv)


def _use_tensorflow_backend():
    if "keras" in sys.modules:
        return  # a caller loaded Keras already; TensorFlow-only parts say so
    requested = os.environ.get("KERAS_BACKEND", "tensorflow")
    if requested != "tensorflow":
        print(
            f"keras-augment: runs on the TensorFlow backend of Keras "
            f"(KERAS_BACKEND={requested} is ignored here).",
            file=sys.stderr,
        )
    os.environ["KERAS_BACKEND"] = "tensorflow"


if __name__ == "__main__":
    # Run as a script this module is `__main__`; the package looks for it by name.
    sys.modules.setdefault("keras_augment_cli", sys.modules[__name__])
    raise SystemExit(main())
