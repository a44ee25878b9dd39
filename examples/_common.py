"""Shared command-line flags of the examples (`--fast`, `--output-dir`) and
their last line of output: the figures as one line of JSON."""

import argparse
import json
import os
import time


def parse_args(description, argv=None, extra=None):
    """The common flags, plus those `extra(parser)` adds."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--fast", action="store_true", help="tiny run, for the tests")
    parser.add_argument("--output-dir", default="outputs/examples", help="where files go")
    if extra is not None:
        extra(parser)
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


def skip(reason):
    """Says why the example cannot run here and prints `{"skipped": reason}`.

    Data that is missing is not a failure: the caller returns after this
    (exit status 0), and tools reading the last line see why.
    """
    print(f"skipped: {reason}", flush=True)
    return print_results({"skipped": reason})


def summarise(per_seed):
    """`{"per_seed", "mean", "std"}` of accuracies, one per seed (population std)."""
    values = [float(v) for v in per_seed]
    mean = sum(values) / len(values)
    spread = (sum((v - mean) ** 2 for v in values) / len(values)) ** 0.5
    return {"per_seed": values, "mean": mean, "std": spread}


def print_table(rows, title):
    """Prints `{condition: summarise(...)}` as percentages, one line per condition."""
    print(title)
    for name, row in rows.items():
        seeds = "  ".join(f"{100 * v:5.1f}" for v in row["per_seed"])
        print(f"  {name:34s} {100 * row['mean']:5.1f} +- {100 * row['std']:4.1f}   (seeds: {seeds})")


def train_settings(settings, seeds, train_one):
    """Trains every setting on every seed, printing each mean validation accuracy.

    Args:
        settings: `{name: setting}`, in the order to train them.
        seeds: the seeds each setting is trained with.
        train_one: `(setting, seed) -> (model, validation accuracy)`.

    Returns:
        `({name: mean validation accuracy}, {(name, seed): model})`; the test
        split is left for the settings chosen from the first.
    """
    scores, models = {}, {}
    for name, setting in settings.items():
        per_seed, start = [], time.perf_counter()
        for seed in seeds:
            models[name, seed], accuracy = train_one(setting, seed)
            per_seed.append(accuracy)
        scores[name] = sum(per_seed) / len(per_seed)
        seconds = time.perf_counter() - start
        print(f"  validation {100 * scores[name]:5.1f}  {name}  ({seconds:.0f} s)", flush=True)
    return scores, models


def best(scores, names):
    """The name among `names` with the highest validation score (the first of equals)."""
    return max(names, key=lambda name: scores[name])
