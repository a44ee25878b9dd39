"""Pipeline R for benchmarks/throughput.py: RandAugment, 2 ops, default magnitude.

Registered into `throughput.PIPELINES` as rows `R`; run with
`python benchmarks/throughput.py --only R`.
"""

import tensorflow as tf

WARMUP_BATCHES = 250


def r_keras_augment():
    import keras_augment

    layer = keras_augment.layers.RandAugment(value_range=(0, 255), num_ops=2, seed=0)

    def augment(images):
        return layer(images, training=True)

    # Each op's kernel is compiled once per partition size bucket (20 sizes
    # for a batch of 64), the first time a slot draws that many images for
    # it: ~10 s of compiles in the first 50 batches, the last rare sizes
    # within ~250 (measured). A training run amortises them over its first
    # epoch; running WARMUP_BATCHES first keeps them out of the timed
    # steady state.
    warm = tf.data.Dataset.from_tensors(tf.zeros([64, 224, 224, 3], tf.uint8)).repeat(WARMUP_BATCHES)
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
