"""`expand`: write original + augmented + synthetic samples to TFRecord shards.

Layout of an expanded folder:

    dataset_info.json            written last; lists the shards and the specs
    data-00000-of-00003.tfrecord
    ...

Shard `i` holds the expansion of the source's samples `[i * shard_size,
(i + 1) * shard_size)` with seeds derived from `(seed, i)` (see
`expand_shards`), whichever runner wrote it. Each shard is written under a
hidden `.partial` name and renamed into place only when complete, and
`dataset_info.json` appears only when every shard is there, so an
interrupted write never leaves a half-written shard visible and never looks
like a finished dataset.
"""

import json
import math
import os

import tensorflow as tf

from keras_augment.data.expand_shards import (  # noqa: F401  (also importable from here)
    AUGMENTED,
    ORIGINAL,
    SYNTHETIC,
    ShardExpander,
    batches_by_shard,
    check_augmenter_kind,
    data_kind,
    shard_names,
    shard_seed,
    temporary_name,
)
from keras_augment.data.records import (  # noqa: F401  (also importable from here)
    FORMAT,
    INFO_FILE,
    is_record_folder,
    read_records,
    unfinished_expansion,
)
from keras_augment.layers.core.arguments import check_choice, check_integer, check_seed, check_unit_interval

RUNNERS = ("local", "beam")


def expand(
    ds,
    path,
    factor=2,
    augmenter=None,
    generator=None,
    synthetic_fraction=None,
    seed=0,
    batch_size=256,
    shard_size=1024,
    overwrite=False,
    verbose=True,
    runner="local",
    beam_options=None,
    load_options=None,
):
    """Write `ds` plus `factor - 1` augmented or synthetic copies as TFRecords.

    The source is cut into shards of `shard_size` samples, each batched from
    its first sample. Each batch's originals are written, then `factor - 1`
    rounds of the same size: `round((factor - 1) * synthetic_fraction)` of
    them synthetic (from `generator`, conditioned on the batch's labels),
    the rest `augmenter` outputs, each with a seed derived from `(seed,
    shard, round, batch)`. The same arguments give the same records with
    either runner.

    Args:
        ds: unbatched `{"images" | "text" | "audio", "labels"}` samples of one
            fixed shape: a `tf.data.Dataset`, a function of no arguments
            returning one, or any source `keras_augment.data.load` takes
            (loaded with `load_options`). Text is written as its bytes,
            images and audio as their exact values.
        path: output folder (created; must be empty unless `overwrite`).
        factor: integer >= 1, total samples over original samples.
        augmenter: keras_augment layer or Pipeline for the data's kind, or None.
        generator: None, a model with `generate(n, labels=..., seed=...)` or a
            callable `generator(labels, seed)` returning `n` samples in the
            same value range as the data (cast to its dtype).
        synthetic_fraction: share of the extra rounds that are synthetic, in
            [0, 1]; default 0.5 with both sources, else all from the one given.
        seed: integer seed of every draw (Python or NumPy int in the int64
            range).
        batch_size: samples processed at once, an integer >= 1.
        shard_size: source samples per shard, an integer >= 1; each shard
            file holds `factor` times as many records.
        overwrite: replace an existing dataset at `path`.
        verbose: show a progress bar (local runner).
        runner: `"local"` (this process) or `"beam"`: an Apache Beam pipeline
            (`pip install "keras_augment[beam]"`) with one work item per
            shard; `ds` must then be a function or a `load` source, which
            every worker loads, and the augmenter and generator must pickle.
        beam_options: Beam pipeline options, a string of command-line flags
            (e.g. `"--direct_running_mode=multi_processing
            --direct_num_workers=2"`) or a list of them; Beam's DirectRunner
            by default.
        load_options: keyword arguments of `load` for a source given by name
            (e.g. `{"sampling_rate": 16000, "duration": 1.0}`).

    Returns:
        dict of counts: `{"original", "augmented", "synthetic", "shards"}`.
    """
    owner = "expand()"
    factor = check_integer(factor, "factor", owner, minimum=1)
    seed = check_seed(seed, owner, allow_none=False)
    batch_size = check_integer(batch_size, "batch_size", owner, minimum=1)
    shard_size = check_integer(shard_size, "shard_size", owner, minimum=1)
    runner = check_choice(runner, "runner", owner, RUNNERS)
    if synthetic_fraction is not None:
        synthetic_fraction = check_unit_interval(synthetic_fraction, "synthetic_fraction", owner)
    if factor > 1 and augmenter is None and generator is None:
        raise ValueError("expand() with factor > 1 needs an augmenter or a generator.")
    if synthetic_fraction is None:
        synthetic_fraction = 0.0 if generator is None else (1.0 if augmenter is None else 0.5)
    synthetic_rounds = int(math.floor((factor - 1) * synthetic_fraction + 0.5))
    rounds = ["synthetic"] * synthetic_rounds + ["augmented"] * (factor - 1 - synthetic_rounds)
    if "augmented" in rounds and augmenter is None:
        raise ValueError("expand(): synthetic_fraction < 1 needs an augmenter.")
    if "synthetic" in rounds and generator is None:
        raise ValueError("expand(): synthetic_fraction > 0 needs a generator.")
    if beam_options is not None and runner != "beam":
        raise ValueError(f"expand(): `beam_options` apply to runner='beam' only; received runner={runner!r}.")
    if runner == "beam":
        from keras_augment.data import expand_beam

        expand_beam.check_beam_installed()
        expand_beam.pipeline_options(beam_options)  # a bad flag fails before any work
        if isinstance(ds, tf.data.Dataset):
            raise ValueError(
                "expand(runner='beam') needs a source every worker can load: a `load` "
                "source (folder, table, .npz file, TFDS name, arrays) or a function "
                "returning the dataset; received a tf.data.Dataset."
            )
    source = ds
    ds = source_dataset(source, load_options, verbose=verbose)
    kind, spec = data_kind(ds, owner)
    if augmenter is not None:
        check_augmenter_kind(augmenter, kind, owner)
    _prepare_folder(path, overwrite)
    expander_arguments = dict(kind=kind, spec=spec, rounds=rounds, seed=seed,
                              augmenter=augmenter, generator=generator)
    if runner == "beam":
        from keras_augment.data.processing import count_elements

        total = count_elements(ds)
        names = expand_beam.run(source, load_options, path, total, shard_size, batch_size,
                                expander_arguments, beam_options)
        counts = {"original": total, **{k: total * rounds.count(k) for k in ("augmented", "synthetic")}}
    else:
        names, counts = _expand_locally(ds, path, shard_size, batch_size, expander_arguments, verbose)
    write_info(path, kind, spec, names, counts, ds)
    return {**counts, "shards": len(names)}


def source_dataset(source, load_options=None, verbose=False):
    """The dataset of an `expand` source: a dataset, a function giving one, or a `load` source."""
    given = isinstance(source, tf.data.Dataset) or callable(source)
    if load_options is not None and (given or not isinstance(load_options, dict)):
        raise ValueError(
            "expand(): `load_options` must be a dict of `load` arguments, for a source `load` "
            f"reads (not a dataset or a function); received load_options={load_options!r} "
            f"for a {type(source).__name__}."
        )
    if isinstance(source, tf.data.Dataset):
        return source
    if callable(source):
        ds = source()
        if not isinstance(ds, tf.data.Dataset):
            raise ValueError(
                f"expand(): the source function must return a tf.data.Dataset; it returned "
                f"{type(ds).__name__}."
            )
        return ds
    from keras_augment.data.sources import load

    return load(source, **{"verbose": verbose, **(load_options or {})})


def _expand_locally(ds, path, shard_size, batch_size, arguments, verbose):
    import keras

    total = int(ds.cardinality())
    factor = len(arguments["rounds"]) + 1
    progress = keras.utils.Progbar(
        total * factor if total >= 0 else None, unit_name="sample", verbose=1 if verbose else 0
    )
    expander = ShardExpander(**arguments)
    counts = dict.fromkeys(("original", "augmented", "synthetic"), 0)
    finished, temp, writer, current = [], None, None, None
    try:
        for shard, batch_index, batch in batches_by_shard(ds, shard_size, batch_size):
            if shard != current:
                if writer is not None:
                    writer.close()
                    finished.append(temp)
                temp, current = temporary_name(path, shard), shard
                writer = tf.io.TFRecordWriter(temp)
            records, made = expander.expand_batch(shard, batch_index, batch)
            for record in records:
                writer.write(record)
            for kind, count in made.items():
                counts[kind] += count
            progress.add(len(records))
        if writer is not None:
            writer.close()
            finished.append(temp)
            writer = None
    except BaseException:
        if writer is not None:
            writer.close()
            finished.append(temp)
        for name in finished:
            if os.path.exists(name):
                os.remove(name)
        raise
    names = shard_names(len(finished))
    for name, final in zip(finished, names):
        os.replace(name, os.path.join(path, final))
    return names, counts


def write_info(path, kind, spec, names, counts, ds):
    """Write `dataset_info.json` last, once every shard in `names` is in `path`."""
    missing = [name for name in names if not os.path.isfile(os.path.join(path, name))]
    if missing:
        raise RuntimeError(f"expand(): shards {missing} were not written to {path}.")
    info = {
        "format": FORMAT,
        "kind": kind,
        "shards": names,
        "count": sum(counts.values()),
        "counts": counts,
        f"{kind}_shape": spec.shape.as_list(),
        f"{kind}_dtype": spec.dtype.name,
        # Lets a reader tell a complete shard from one cut short by a copy.
        "shard_bytes": [os.path.getsize(os.path.join(path, name)) for name in names],
    }
    for name in ("class_names", "sampling_rate"):
        if getattr(ds, name, None) is not None:
            info[name] = getattr(ds, name)
    temp_info = os.path.join(path, f".{INFO_FILE}.partial")
    with open(temp_info, "w") as handle:
        json.dump(info, handle, indent=1)
    os.replace(temp_info, os.path.join(path, INFO_FILE))


def _prepare_folder(path, overwrite):
    os.makedirs(path, exist_ok=True)
    existing = [name for name in os.listdir(path) if not name.endswith(".partial")]
    if existing and not overwrite:
        raise ValueError(
            f"expand(): output folder {path} is not empty; pass overwrite=True "
            "(--overwrite on the command line) to replace it."
        )
    info = os.path.join(path, INFO_FILE)
    if os.path.exists(info):  # first, so a failed overwrite never looks finished
        os.remove(info)
    for name in os.listdir(path):
        if name.startswith("data-") and name.endswith(".tfrecord") or name.endswith(".partial"):
            os.remove(os.path.join(path, name))
