"""Allows `python -m keras_augment ...` as a twin of the `keras-augment` command.

The package has loaded TensorFlow by the time this runs, so its start-up logs
may show; `keras-augment` (or `python -m keras_augment_cli`) keeps them quiet.
"""

from keras_augment.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
