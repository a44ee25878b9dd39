"""The `keras-augment` command line (also `python -m keras_augment_cli`).

Each subcommand lives in `keras_augment/commands/` and imports TensorFlow,
Keras and the layers only in its handler, so `--help` and most usage errors
answer without loading them. Every failure is one line on stderr: exit 2
for a usage error (a bad argument, a missing input), 1 for any other error,
130 when interrupted; `--debug` shows the full traceback instead.
"""

import argparse
import importlib
import re
import sys

from keras_augment.commands import options

DEFAULT_SPEC = "RandomFlip('horizontal'), RandomRotation(0.1), RandomZoom(0.2), RandomBrightness(0.3)"
SUBCOMMANDS = ("run", "preview", "train", "generate", "expand", "bench")

# Errors that say the user's input is wrong rather than that something broke.
USAGE_ERRORS = (ValueError, FileNotFoundError, FileExistsError, NotADirectoryError, IsADirectoryError)
ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def preview(spec, output, count=6, variants=5, seed=0, scale=None, source=None, files=None):
    """Write a PNG preview grid; see `keras_augment.commands.preview.preview`."""
    from keras_augment.commands.preview import preview as write_preview

    return write_preview(spec, output, source, files, count, variants, seed, scale)


class _Parser(argparse.ArgumentParser):
    """argparse's parser, with usage errors on one line (the usage is in --help)."""

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def build_parser():
    parser = _Parser(
        prog="keras-augment",
        description=(
            "Data augmentation for Keras: preview augmenters, train generators, "
            "expand datasets, benchmark, and run the main job on the bundled digits."
        ),
    )
    debug_help = "on an error, show the full traceback instead of one line"
    parser.add_argument("--debug", action="store_true", help=debug_help)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in SUBCOMMANDS:
        try:
            module = importlib.import_module(f"keras_augment.commands.{name}")
        except ModuleNotFoundError as error:
            if error.name != f"keras_augment.commands.{name}":
                raise
            continue  # a subcommand whose module is not part of this build
        subparser = module.add_parser(commands, DEFAULT_SPEC)
        # Also after the command; SUPPRESS keeps an earlier --debug.
        subparser.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=debug_help)
    return parser


def original_error(error):
    """The exception Keras wrapped in "Exception encountered when calling ...".

    Keras re-raises a layer's error as a new one of the same class whose
    message adds the call's arguments and ANSI bold codes; the original is
    its `__context__`.
    """
    while getattr(error, "_keras_call_info_injected", False) and error.__context__ is not None:
        error = error.__context__
    return error


def one_line(error):
    """The error's message on one line, without ANSI escape codes."""
    error = original_error(error)
    message = getattr(error, "message", None)  # TensorFlow's OpError, without its node dump
    if not isinstance(message, str):
        message = str(error)
    if not isinstance(error, USAGE_ERRORS):
        message = f"{type(error).__name__}: {message}" if message else type(error).__name__
    message = ANSI_ESCAPE.sub("", message)
    return " ".join(part.strip() for part in message.splitlines() if part.strip())


def main(argv=None):
    """Run the command line; returns the exit status.

    Usage errors found while parsing exit through argparse (`SystemExit(2)`).
    """
    argv = sys.argv[1:] if argv is None else list(argv)
    # Known before parsing: argument types may load TensorFlow.
    options.DEBUG = "--debug" in argv
    if not options.DEBUG:
        options.quiet_tensorflow_environment()
    args = build_parser().parse_args(argv)
    try:
        options.import_tensorflow_quietly()
        return args.handler(args)
    except KeyboardInterrupt:
        print(f"keras-augment {args.command}: interrupted", file=sys.stderr)
        return 130
    except Exception as error:  # every failure, one line: the trace is for --debug
        if args.debug:
            raise
        status = 2 if isinstance(original_error(error), USAGE_ERRORS) else 1
        hint = "" if status == 2 else " (rerun with --debug for the full traceback)"
        sys.stdout.flush()
        print(f"keras-augment {args.command}: error: {one_line(error)}{hint}", file=sys.stderr)
        return status


if __name__ == "__main__":
    raise SystemExit(main())
