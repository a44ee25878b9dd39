"""Pipeline R for benchmarks/throughput.py: RandAugment, 2 ops, default magnitude.

Registered into `throughput.PIPELINES` as rows `R`; run with
`python benchmarks/throughput.py --only R`.
"""

import tensorflow as tf


def r_keras_augment():
    import keras_augment

    layer = keras_augment.layers.RandAugment(value_range=(0, 255), num_ops=2, seed=0)

    def augment(images):
        return layer(images, training=True)

    # Each op's kernel is compiled once per partition size bucket (powers of
    # two); running a dozen batches first keeps those one-time compiles out
    # of the timed batches.
    warm = tf.data.Dataset.from_tensors(tf.zeros([64, 224, 224, 3], tf.uint8)).repeat(12)
    for _ in warm.map(augment, num_parallel_calls=tf.data.AUTOTUNE):
        pass
    return "batch", augment


def r_keras():
    import keras

    layer = keras.layers.RandAugment(value_range=(0, 255), num_ops=2, seed=0)
    return "batch", lambda images: layer(tf.cast(images, tf.float32), training=True)


def r_keras_aug(unavailable):
    try:
        from keras_aug import layers
    except Exception as error:  # noqa: BLE001 - any import failure is the reason.
        raise unavailable(f"import keras_aug failed: {type(error).__name__}: {error}") from error
    try:
        layer = layers.vision.RandAugment(num_ops=2)  # its default magnitude (9 of 31 bins)

        def augment(images):
            return tf.cast(layer(tf.cast(images, tf.float32), training=True), tf.float32)

        augment(tf.zeros([2, 32, 32, 3], tf.uint8))
    except Exception as error:  # noqa: BLE001
        raise unavailable(f"keras-aug failed with this Keras: {type(error).__name__}: {error}") from error
    return "batch", augment


def register(pipelines, cast_floor, unavailable):
    pipelines["R"] = {
        "cast_floor": cast_floor,
        "keras_augment": r_keras_augment,
        "keras": r_keras,
        "keras_aug": lambda: r_keras_aug(unavailable),
    }
