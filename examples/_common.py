"""Shared command-line flags of the examples (`--fast`, `--output-dir`) and
their last line of output: the figures as one line of JSON."""

import argparse
import json
import os


def parse_args(description, argv=None):
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--fast", action="store_true", help="tiny run, for the tests")
    parser.add_argument("--output-dir", default="outputs/examples", help="where files go")
    args = parser.parse_args(argv)
    os.makedirs(args.output_dir, exist_ok=True)
    say_if_smoke_run(args.fast)
    return args


SMOKE_RUN = "--fast: a smoke run of a few steps; its figures mean nothing (run without --fast for results)"


def say_if_smoke_run(fast):
    """With `--fast`, say first that the figures to come are not results."""
    if fast:
        print(SMOKE_RUN, flush=True)


def print_results(results):
    """Prints `results` as one JSON line, the script's last, for tools and tests."""
    print(json.dumps(results, sort_keys=True))
    return results
