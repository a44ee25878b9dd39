"""Allows `python -m keras_augment ...` as a twin of the `keras-augment` command."""

from keras_augment.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
