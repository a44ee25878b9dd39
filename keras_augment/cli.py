"""The `keras-augment` command line (also `python -m keras_augment`).

Each subcommand lives in `keras_augment/commands/` and is imported only when
the parser is built, so `keras-augment --help` stays quick.
"""

import argparse
import os
import sys

DEFAULT_SPEC = "RandomFlip('horizontal'), RandomRotation(0.1), RandomZoom(0.2), RandomBrightness(0.3)"
SUBCOMMANDS = ("run", "preview", "train", "generate", "expand", "bench")


def _quiet_tensorflow():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def preview(spec, output, count=6, variants=5, seed=0, scale=None, source=None, files=None):
    """Write a PNG preview grid; see `keras_augment.commands.preview.preview`."""
    from keras_augment.commands.preview import preview as write_preview

    return write_preview(spec, output, source, files, count, variants, seed, scale)


def build_parser():
    import importlib

    parser = argparse.ArgumentParser(
        prog="keras-augment",
        description=(
            "Data augmentation for Keras: preview augmenters, train generators, "
            "expand datasets, benchmark, and run the main job on the bundled digits."
        ),
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in SUBCOMMANDS:
        try:
            module = importlib.import_module(f"keras_augment.commands.{name}")
        except ModuleNotFoundError as error:
            if error.name != f"keras_augment.commands.{name}":
                raise
            continue  # a subcommand whose module is not part of this build
        module.add_parser(commands, DEFAULT_SPEC)
    return parser


def main(argv=None):
    _quiet_tensorflow()
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except (ValueError, FileNotFoundError, NotADirectoryError) as error:
        print(f"keras-augment {args.command}: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"keras-augment {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
