"""`expand(runner="beam")` writes the local runner's records; a killed run never looks finished."""

import collections
import os
import signal
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest
import tensorflow as tf

from keras_augment import data, layers
from keras_augment.data import expand_beam

pytest.importorskip("apache_beam", reason='Apache Beam is not installed (pip install "keras_augment[beam]")')

MULTI_PROCESS = "--direct_running_mode=multi_processing --direct_num_workers=2"
TESTS = os.path.dirname(os.path.abspath(__file__))


class LabelNoise:
    """A generator (labels, seed) -> images; the Beam workers import it from this module."""

    def __call__(self, labels, seed):
        rng = np.random.default_rng(seed % 2**63)
        return rng.integers(0, 17, (len(labels), 8, 8, 1)) // 2 + np.asarray(labels)[:, None, None, None]


def _multiset(path):
    return collections.Counter(
        (int(e["labels"]), int(e["origin"]), e["images"].tobytes())
        for e in data.read_records(path, with_origin=True).as_numpy_iterator()
    )


def test_beam_expansion_holds_exactly_the_local_records(tmp_path, monkeypatch):
    rng = np.random.default_rng(0)
    source = str(tmp_path / "small.npz")
    np.savez(source, images=rng.integers(0, 17, (90, 8, 8, 1), dtype=np.uint8), labels=rng.integers(0, 10, 90))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [TESTS, os.environ.get("PYTHONPATH")])))
    arguments = dict(
        factor=4, augmenter=layers.Pipeline([layers.RandomFlip("horizontal"), layers.RandomBrightness(0.3)]),
        generator=LabelNoise(), synthetic_fraction=1 / 3, seed=7, batch_size=8, shard_size=20, verbose=False,
    )
    local = data.expand(source, str(tmp_path / "local"), **arguments)
    beam = data.expand(source, str(tmp_path / "beam"), runner="beam", beam_options=MULTI_PROCESS, **arguments)
    assert local == beam == {"original": 90, "augmented": 180, "synthetic": 90, "shards": 5}
    expected = _multiset(str(tmp_path / "local"))
    assert sum(expected.values()) == 360 and _multiset(str(tmp_path / "beam")) == expected
    info = data.records.read_info(str(tmp_path / "beam"))
    assert info == data.records.read_info(str(tmp_path / "local"))


_KILLED_RUN = """
import sys, time
import numpy as np
from keras_augment import data

def slow(labels, seed):  # the first shard quickly, then stuck until killed
    slow.calls = getattr(slow, "calls", 0) + 1
    time.sleep(0.1 if slow.calls == 1 else 600)
    return np.zeros([len(labels), 8, 8, 1], np.uint8)

data.expand(sys.argv[1], sys.argv[2], factor=2, generator=slow, batch_size=10, shard_size=10,
            verbose=False, runner="beam")
"""


def test_a_killed_beam_run_leaves_no_shard_that_reads_as_valid(tmp_path):
    source, out = str(tmp_path / "small.npz"), tmp_path / "out"
    np.savez(source, images=np.ones((40, 8, 8, 1), np.uint8), labels=np.arange(40) % 3)
    script = tmp_path / "run.py"
    script.write_text(textwrap.dedent(_KILLED_RUN))
    process = subprocess.Popen([sys.executable, str(script), source, str(out)], start_new_session=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 120
        while not (out.is_dir() and any(n.startswith("data-") for n in os.listdir(out))):
            assert process.poll() is None and time.time() < deadline, "the run ended before it was killed"
            time.sleep(0.05)
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    names = os.listdir(out)
    assert "dataset_info.json" not in names
    for name in names:  # a visible shard is a whole one; anything else is hidden
        assert name.startswith(".") or (name.startswith("data-") and name.endswith("-of-00004.tfrecord"))
        if name.startswith("data-"):
            assert sum(1 for _ in tf.data.TFRecordDataset(str(out / name))) == 20
    for read in (data.read_records, data.load):
        with pytest.raises(ValueError, match="unfinished expand"):
            read(str(out))
    counts = data.expand(source, str(out), factor=1, runner="beam", overwrite=True, verbose=False)
    assert counts["original"] == 40 and not [n for n in os.listdir(out) if n.endswith(".partial")]


def test_beam_refuses_what_its_workers_cannot_load_and_unknown_options(tmp_path):
    ds = data.load("digits")
    with pytest.raises(ValueError, match="needs a source every worker can load"):
        data.expand(ds, str(tmp_path / "a"), factor=1, runner="beam")
    with pytest.raises(ValueError, match="does not know the option.*--direct_num_wokers"):
        data.expand("digits", str(tmp_path / "b"), factor=1, runner="beam",
                    beam_options="--direct_num_wokers=2")
    options = expand_beam.pipeline_options(["--runner", "DirectRunner", "--direct_num_workers=2"])
    assert options.get_all_options()["direct_num_workers"] == 2
