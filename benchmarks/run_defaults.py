"""How the defaults of `keras-augment run` were chosen, on data it never reports.

`run` splits the bundled digits by `--seed` (0) into a training part (20%)
and a validation part (80%), and prints both classifiers' accuracy on the
validation part. This script sees only that training part. It carves it
again, by seeds 0, 1, 2, into inner-train (75%) and inner-validation (25%)
splits and, on each, trains the generator on inner-train and measures:

1. the plain classifier at each candidate step count: the step count with
   the best mean inner-validation accuracy becomes the default, the one most
   favourable to the baseline;
2. at that step count, the classifier on each candidate expansion (factor,
   synthetic share): the best mean becomes the default.

The table is printed as measured, including candidates that lose to the
plain classifier.

    python benchmarks/run_defaults.py            # a few minutes on 2 CPU cores
    python benchmarks/run_defaults.py --fast     # smoke run; figures mean nothing
"""

import argparse
import json
import sys
import tempfile

import numpy as np

STEP_CANDIDATES = (250, 500, 1000)
EXPANSIONS = ((2, 0.0), (4, 0.0), (2, 1.0), (4, 1 / 3), (4, 2 / 3))


def inner_splits(seeds):
    """`(inner_train, inner_validation, num_classes)` per seed, from run's training part."""
    import keras_augment  # noqa: F401
    from keras_augment import data
    from keras_augment.commands.common import load_uint8

    ds, num_classes = load_uint8("digits")
    ds, _ = data.deduplicate(ds, threshold=-1)  # as run does
    train, _ = data.split(ds, 0.8, seed=0)  # run's split; its validation part is dropped here
    for seed in seeds:
        inner_train, inner_validation = data.split(train, 0.25, seed=seed)
        yield seed, inner_train.cache(), inner_validation.cache(), num_classes


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--generator-epochs", type=int, default=60)
    parser.add_argument("--fast", action="store_true")
    args = parser.parse_args(argv)
    steps_candidates, expansions = STEP_CANDIDATES, EXPANSIONS
    if args.fast:
        print("--fast: a smoke run; its figures mean nothing", flush=True)
        args.seeds, args.generator_epochs, steps_candidates, expansions = [0], 1, (3, 5), EXPANSIONS[:2]

    from keras_augment.commands import run, train

    spec = run.default_spec()
    plain = {steps: [] for steps in steps_candidates}
    augmented = {expansion: [] for expansion in expansions}
    splits = list(inner_splits(args.seeds))
    for seed, inner_train, inner_validation, num_classes in splits:
        for steps in steps_candidates:
            plain[steps].append(run.train_classifier(inner_train, inner_validation, num_classes, steps, seed))
            print(f"seed {seed} plain, {steps} steps: {plain[steps][-1]:.4f}", flush=True)
    best_steps = max(steps_candidates, key=lambda steps: np.mean(plain[steps]))
    for seed, inner_train, inner_validation, num_classes in splits:
        generator = train.train_generator("cvae", inner_train, num_classes, args.generator_epochs,
                                          batch_size=32, seed=seed, verbose=0, jit_compile=False)
        for factor, share in expansions:
            with tempfile.TemporaryDirectory() as folder:
                expanded, _, _ = run.expand_training_set(inner_train, folder, factor, share, spec,
                                                         generator, seed, verbose=False)
                accuracy = run.train_classifier(expanded, inner_validation, num_classes, best_steps, seed)
            augmented[(factor, share)].append(accuracy)
            print(f"seed {seed} factor {factor}, synthetic share {share:.3g}: {accuracy:.4f}", flush=True)
    best = max(expansions, key=lambda expansion: np.mean(augmented[expansion]))
    print(f"\ninner-validation accuracy, mean (std) over seeds {args.seeds}\n")
    print("| classifier | steps | accuracy |\n|---|---|---|")
    for steps, values in plain.items():
        print(f"| plain | {steps} | {100 * np.mean(values):.2f}% ({100 * np.std(values):.2f}) |")
    for (factor, share), values in augmented.items():
        print(f"| factor {factor}, synthetic share {share:.3g} | {best_steps} | "
              f"{100 * np.mean(values):.2f}% ({100 * np.std(values):.2f}) |")
    gain = 100 * (np.mean(augmented[best]) - np.mean(plain[best_steps]))
    print(f"\nchosen: {best_steps} steps, factor {best[0]}, synthetic share {best[1]:.3g} "
          f"({gain:+.2f} points over plain on inner validation)")
    print(json.dumps({"steps": best_steps, "factor": best[0], "synthetic_fraction": best[1],
                      "plain": {str(k): v for k, v in plain.items()},
                      "augmented": {f"{f},{s:.3g}": v for (f, s), v in augmented.items()}}))
    return best_steps, best


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
