"""Train a small classifier with keras_augment augmentation under a strategy.

Usage: python distributed_train.py MODE OUTPUT.npz
MODE is `single`, `mirrored` (two logical CPUs) or `multiworker` (TF_CONFIG
from the environment). Writes the final weights (worker 0 only) so the test
can compare strategies. Augmentation runs in tf.data with a per-batch seed,
so every strategy sees the same augmented global batches.

Training is a custom loop over `strategy.run`, because Keras 3's `fit` fails
under MultiWorkerMirroredStrategy (keras-team/keras#20585); the same loop is
used for every mode so the maths compared is the same.
"""

import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import tensorflow as tf  # noqa: E402

MODE, OUTPUT = sys.argv[1], sys.argv[2]
if MODE == "mirrored":
    cpu = tf.config.list_physical_devices("CPU")[0]
    tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)

import keras  # noqa: E402
import numpy as np  # noqa: E402

import keras_augment as ka  # noqa: E402
from keras_augment.data import load_digits_arrays  # noqa: E402

GLOBAL_BATCH = 32


def dataset():
    images, labels = load_digits_arrays()
    images = images[:256].astype("float32") / 16.0
    labels = labels[:256]
    augment = ka.layers.Pipeline(
        [ka.layers.RandomFlip("horizontal"), ka.layers.RandomBrightness(0.2, value_range=(0, 1))]
    )
    ds = tf.data.Dataset.from_tensor_slices((images, labels)).batch(GLOBAL_BATCH, drop_remainder=True)
    ds = ds.enumerate().map(
        lambda index, batch: (augment(batch[0], seed=index), batch[1]),
        num_parallel_calls=tf.data.AUTOTUNE,
    )
    options = tf.data.Options()
    options.experimental_distribute.auto_shard_policy = tf.data.experimental.AutoShardPolicy.DATA
    return ds.with_options(options)


def main():
    if MODE == "single":
        strategy = tf.distribute.get_strategy()
    elif MODE == "mirrored":
        strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
    else:
        strategy = tf.distribute.MultiWorkerMirroredStrategy()
    keras.utils.set_random_seed(0)
    with strategy.scope():
        model = keras.Sequential(
            [
                keras.Input((8, 8, 1)),
                keras.layers.Conv2D(8, 3, activation="relu"),
                keras.layers.Flatten(),
                keras.layers.Dense(10),
            ]
        )
        model.compile(
            keras.optimizers.SGD(0.1),
            keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        )
        optimizer = model.optimizer
        loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True, reduction=None)

    @tf.function
    def train_step(batch):
        def replica_step(images, labels):
            with tf.GradientTape() as tape:
                per_example = loss_fn(labels, model(images, training=True))
                loss = tf.nn.compute_average_loss(per_example, global_batch_size=GLOBAL_BATCH)
            gradients = tape.gradient(loss, model.trainable_variables)
            optimizer.apply_gradients(zip(gradients, model.trainable_variables))
            return loss

        return strategy.run(replica_step, args=batch)

    distributed = strategy.experimental_distribute_dataset(dataset())
    for _ in range(2):
        for batch in distributed:
            train_step(batch)
    is_chief = MODE != "multiworker" or strategy.cluster_resolver.task_id == 0
    if is_chief:
        np.savez(OUTPUT, *[w.numpy() for w in model.weights])


main()
