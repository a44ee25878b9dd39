"""augment(..., service=...) runs the map on tf.data service workers on loopback."""

import socket

import numpy as np
import pytest
import tensorflow as tf

from keras_augment import layers
from keras_augment.data import augment


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def service():
    svc = tf.data.experimental.service
    ports = [_free_port(), _free_port()]
    addresses = [f"localhost:{port}" for port in ports]
    dispatcher = svc.DispatchServer(svc.DispatcherConfig(port=0, worker_addresses=addresses))
    host = dispatcher.target.split("://")[1]
    workers = [
        svc.WorkerServer(svc.WorkerConfig(dispatcher_address=host, worker_address=a, port=p))
        for a, p in zip(addresses, ports)
    ]
    yield dispatcher.target
    for worker in workers:
        worker.stop()
    dispatcher.stop()


def test_every_batch_arrives_once_and_matches_the_local_result(service):
    images = np.random.default_rng(0).integers(0, 256, (60, 12, 12, 3)).astype("uint8")
    labels = np.arange(60)
    batches = tf.data.Dataset.from_tensor_slices({"images": images, "labels": labels}).batch(5)
    augmenter = layers.Pipeline(
        [layers.RandomFlip(), layers.RandomRotation(0.2), layers.RandomBrightness(0.3)]
    )
    local = {int(b["labels"][0]): b for b in augment(batches, augmenter, seed=4)}
    served = list(augment(batches, augmenter, seed=4, service=service))
    firsts = sorted(int(b["labels"][0]) for b in served)
    assert firsts == sorted(local), "each batch must arrive exactly once"
    for batch in served:
        expected = local[int(batch["labels"][0])]
        np.testing.assert_array_equal(batch["labels"], expected["labels"])
        np.testing.assert_array_equal(batch["images"], expected["images"])
