"""Argument types of the command line and a quiet way to load TensorFlow.

The types turn a bad value into an argparse usage error (exit 2) naming the
option. They parse the text themselves and leave the rule to the package's
shared checks (`keras_augment.layers.core.arguments`), imported only when a value
is checked: that import loads TensorFlow, which `--help` must not.
"""

import argparse
import os
import sys

# Set before TensorFlow loads, or they do nothing.
QUIET_ENVIRONMENT = {"TF_CPP_MIN_LOG_LEVEL": "3", "TF_ENABLE_ONEDNN_OPTS": "0"}
# Set by `keras-augment --debug`: TensorFlow then loads and logs as it would.
DEBUG = False


def quiet_tensorflow_environment():
    """Silence TensorFlow's C++ logs, unless the user chose a setting."""
    for name, value in QUIET_ENVIRONMENT.items():
        os.environ.setdefault(name, value)


def import_tensorflow_quietly():
    """Import TensorFlow with its start-up lines kept off the terminal.

    TensorFlow 2.21 writes "All log messages before absl::InitializeLog()..."
    and CUDA probe lines from C++ before `TF_CPP_MIN_LOG_LEVEL` applies, so
    the process's stderr is pointed at /dev/null for the import alone.
    """
    if "tensorflow" in sys.modules:
        return sys.modules["tensorflow"]
    if DEBUG:
        import tensorflow

        return tensorflow
    quiet_tensorflow_environment()
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 2)
            try:
                import tensorflow
            finally:
                os.dup2(saved, 2)
    finally:
        os.close(saved)
    from absl import logging as absl_logging

    absl_logging.set_verbosity(absl_logging.ERROR)
    tensorflow.get_logger().setLevel("ERROR")
    return tensorflow


def _checks():
    import_tensorflow_quietly()
    from keras_augment.layers.core import arguments

    return arguments


def _owner(option):
    return f"keras-augment option {option}"


def _usage_error(error, option):
    # The shared checks start with "<owner>: "; argparse already names the option.
    return argparse.ArgumentTypeError(str(error).removeprefix(f"{_owner(option)}: "))


def _parse_integer(text, option):
    try:
        return int(text, 10)
    except (TypeError, ValueError):
        raise argparse.ArgumentTypeError(f"`{option}` must be an integer; received {text!r}.") from None


def integer(option, minimum=None, maximum=None):
    """An argparse type: an integer within the bounds, checked by `check_integer`."""

    def parse(text):
        value = _parse_integer(text, option)
        try:
            return _checks().check_integer(value, option, _owner(option), minimum, maximum)
        except ValueError as error:
            raise _usage_error(error, option) from None

    parse.__name__ = "integer"
    return parse


def int64_seed(option="--seed"):
    """An argparse type: a seed in the int64 range, checked by `check_seed`."""

    def parse(text):
        value = _parse_integer(text, option)
        try:
            return _checks().check_seed(value, _owner(option), option, allow_none=False)
        except ValueError as error:
            raise _usage_error(error, option) from None

    parse.__name__ = "seed"
    return parse


def fraction(option, open_interval=False):
    """An argparse type: a number in [0, 1] (or (0, 1)), checked by `check_unit_interval`.

    Args:
        option: the option's name, for messages.
        open_interval: refuse 0 and 1 too, for a share that must leave both
            parts non-empty.
    """

    def parse(text):
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"`{option}` must be a number; received {text!r}.") from None
        try:
            value = _checks().check_unit_interval(value, option, _owner(option))
        except ValueError as error:
            raise _usage_error(error, option) from None
        if open_interval and value in (0.0, 1.0):
            raise argparse.ArgumentTypeError(
                f"`{option}` must be strictly between 0 and 1; received {option}={text}."
            )
        return value

    parse.__name__ = "fraction"
    return parse


def number(option):
    """An argparse type: a finite number (the rule on its range lives where it is used)."""

    def parse(text):
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"`{option}` must be a number; received {text!r}.") from None
        if value != value or value in (float("inf"), float("-inf")):
            raise argparse.ArgumentTypeError(f"`{option}` must be a finite number; received {text!r}.")
        return value

    parse.__name__ = "number"
    return parse


def add_audio_options(parser):
    """`--sampling-rate` and `--duration`: how `load` reads a folder of audio files."""
    parser.add_argument("--sampling-rate", type=integer("--sampling-rate", minimum=1), default=None,
                        help="audio: rate in Hz every file is resampled to (16000)")
    parser.add_argument("--duration", type=number("--duration"), default=None,
                        help="audio: seconds every clip is padded or cut to (expand needs one length)")


def audio_load_options(args):
    """The `load` keyword arguments of `add_audio_options`' options that were given."""
    given = {"sampling_rate": args.sampling_rate, "duration": args.duration}
    return {name: value for name, value in given.items() if value is not None}
