"""`keras-augment run` compares the two classifiers fairly: at equal steps,
and says a loss as plainly as a gain."""

import numpy as np
import pytest
import tensorflow as tf

from keras_augment.commands import run


def test_the_comparison_says_a_loss_as_plainly_as_a_gain():
    assert run.describe_gain(0.95, 0.9645) == "augmentation gains 1.45 points"
    assert run.describe_gain(0.913, 0.754) == "augmentation loses 15.90 points"
    assert run.describe_gain(0.9, 0.9) == "augmentation changes nothing"


@pytest.mark.parametrize("count", [10, 70])
def test_a_classifier_takes_the_same_steps_whatever_its_set_size(count):
    # 10 samples and 70 (an expanded set) both get exactly 4 updates.
    rng = np.random.default_rng(0)
    ds = tf.data.Dataset.from_tensor_slices({
        "images": rng.integers(0, 255, (count, 8, 8, 1)).astype("uint8"),
        "labels": rng.integers(0, 3, count),
    })
    model = run.fit_classifier(ds, 3, steps=4, seed=0)
    assert int(model.optimizer.iterations) == 4


def test_steps_replace_epochs_on_the_command_line():
    import argparse

    parser = run.add_parser(argparse.ArgumentParser().add_subparsers(), None)
    args = parser.parse_args([])
    assert args.classifier_steps == run.DEFAULT_STEPS and args.factor == run.DEFAULT_FACTOR
    assert args.synthetic_fraction == run.DEFAULT_SYNTHETIC_FRACTION
    with pytest.raises(SystemExit):
        parser.parse_args(["--classifier-epochs", "40"])
