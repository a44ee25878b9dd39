"""Shared command-line flags of the examples: `--fast` and `--output-dir`."""

import argparse
import os


def parse_args(description, argv=None):
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--fast", action="store_true", help="tiny run, for the tests")
    parser.add_argument("--output-dir", default="outputs/examples", help="where files go")
    args = parser.parse_args(argv)
    os.makedirs(args.output_dir, exist_ok=True)
    return args
