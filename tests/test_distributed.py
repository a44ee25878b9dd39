"""keras_augment under tf.distribute: MirroredStrategy and MultiWorkerMirroredStrategy."""

import json
import os
import socket
import subprocess
import sys
import textwrap

import numpy as np
import pytest

SCRIPT = os.path.join(os.path.dirname(__file__), "scripts", "distributed_train.py")


def _env(**extra):
    return dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", **extra)


def _train(mode, output, env=None):
    return subprocess.Popen(
        [sys.executable, SCRIPT, mode, str(output)],
        env=env or _env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _finish(process, timeout=240):
    out, err = process.communicate(timeout=timeout)
    assert process.returncode == 0, err[-3000:]


def _weights(path):
    with np.load(path) as data:
        return [data[k] for k in sorted(data.files, key=lambda k: int(k.split("_")[1]))]


@pytest.fixture(scope="module")
def single_device_weights(tmp_path_factory):
    path = tmp_path_factory.mktemp("single") / "weights.npz"
    _finish(_train("single", path))
    return _weights(path)


def test_mirrored_strategy_matches_a_single_device(tmp_path, single_device_weights):
    _finish(_train("mirrored", tmp_path / "w.npz"))
    for mirrored, single in zip(_weights(tmp_path / "w.npz"), single_device_weights):
        np.testing.assert_allclose(mirrored, single, atol=1e-5)


def _free_ports(count):
    sockets = [socket.socket() for _ in range(count)]
    for s in sockets:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    return ports


def test_multi_worker_mirrored_strategy_on_loopback_matches_a_single_device(tmp_path, single_device_weights):
    workers = [f"127.0.0.1:{port}" for port in _free_ports(2)]
    processes = []
    for index in range(2):
        config = {"cluster": {"worker": workers}, "task": {"type": "worker", "index": index}}
        processes.append(_train("multiworker", tmp_path / f"w{index}.npz", _env(TF_CONFIG=json.dumps(config))))
    try:
        for process in processes:
            _finish(process)
    finally:
        for process in processes:
            process.kill()
    for distributed, single in zip(_weights(tmp_path / "w0.npz"), single_device_weights):
        np.testing.assert_allclose(distributed, single, atol=1e-5)


REPLICA_DRAWS = textwrap.dedent(
    """
    import tensorflow as tf
    cpu = tf.config.list_physical_devices("CPU")[0]
    tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
    import numpy as np
    import keras_augment as ka

    strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
    with strategy.scope():
        layer = ka.layers.RandomBrightness(0.5, seed=1)
    images = tf.fill([4, 2, 2, 1], 100.0)

    @tf.function
    def step(batch):
        return strategy.run(lambda x: layer(x, training=True), args=(batch,))

    batches = strategy.experimental_distribute_values_from_function(lambda ctx: images)
    first, second = [r.numpy() for r in strategy.experimental_local_results(step(batches))]
    assert not np.array_equal(first, second), "replicas drew the same parameters"

    import keras
    with strategy.scope():
        model = keras.Sequential([
            keras.Input((2, 2, 1)), ka.layers.RandomFlip(), layer,
            keras.layers.Flatten(), keras.layers.Dense(2),
        ])
        model.compile("sgd", keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    history = model.fit(np.ones((8, 2, 2, 1), "float32"), np.zeros(8, "int32"), batch_size=4, epochs=2, verbose=0)
    assert np.isfinite(history.history["loss"]).all()
    print("ok")
    """
)


def test_in_model_layers_train_under_mirrored_strategy_with_their_own_draws_per_replica():
    result = subprocess.run([sys.executable, "-c", REPLICA_DRAWS], env=_env(), capture_output=True, text=True)
    assert result.returncode == 0 and "ok" in result.stdout, result.stderr[-3000:]
