"""`expand(..., runner="beam")`: the same expansion as an Apache Beam pipeline.

There is one work item per source shard. A worker loads the source once,
reads shard `i` (`skip(i * shard_size).take(shard_size)`), expands it with
the `ShardExpander` and seeds of the local runner, writes it under a hidden
`.partial` name of its own and renames it into place when complete; a
retried item writes the same bytes again. The driver writes
`dataset_info.json` once the pipeline has finished and every shard is there,
so a killed run leaves finished shards and hidden `.partial` files but no
info file: `read_records` and `load` refuse it as an unfinished expansion.

Skipping to a shard reads the samples before it: for sources decoded from
files that decoding is repeated, so Beam pays off when augmentation or
generation, not reading, takes the time.
"""

import math
import os
import shlex

from keras_augment.data.expand_shards import (
    ShardExpander,
    batches_by_shard,
    shard_names,
    temporary_name,
)

INSTALL = 'pip install "keras_augment[beam]"'


def check_beam_installed():
    """Raise an ImportError that says how to install Apache Beam when it is missing."""
    try:
        import apache_beam  # noqa: F401
    except ImportError as error:
        raise ImportError(
            f"expand(runner='beam') needs Apache Beam, which is not installed; install it with {INSTALL}"
        ) from error


def pipeline_options(beam_options):
    """`PipelineOptions` from a string of flags or a list of them; unknown flags are refused.

    Beam itself only logs a warning for a flag it does not know, which would
    let a mistyped option (a worker count, a runner) go unnoticed.
    """
    from apache_beam.options.pipeline_options import PipelineOptions

    if beam_options is None:
        flags = []
    elif isinstance(beam_options, str):
        flags = shlex.split(beam_options)
    elif isinstance(beam_options, (list, tuple)) and all(isinstance(f, str) for f in beam_options):
        flags = list(beam_options)
    else:
        raise ValueError(
            "expand(): `beam_options` must be a string of Beam flags or a list of them; "
            f"received {type(beam_options).__name__}."
        )
    options = PipelineOptions(flags)
    known = set(options.get_all_options())
    unknown = sorted(set(options.get_all_options(retain_unknown_options=True)) - known)
    stray = [flag for flag in flags if flag.startswith("-") and not flag.startswith("--")]  # Beam drops them
    if unknown or stray:
        names = [f"--{name}" for name in unknown] + stray
        raise ValueError(f"expand(): Apache Beam does not know the option(s) {', '.join(names)}.")
    return options


def _write_shard(ds, path, shard, total_shards, shard_size, batch_size, expander):
    """Expand source shard `shard` of `ds` into its final file; return the file name."""
    import tensorflow as tf

    part = ds.skip(shard * shard_size).take(shard_size)
    temp = temporary_name(path, shard)
    try:
        with tf.io.TFRecordWriter(temp) as writer:
            for index, batch_index, batch in batches_by_shard(part, shard_size, batch_size, shard):
                for record in expander.expand_batch(index, batch_index, batch)[0]:
                    writer.write(record)
        name = shard_names(total_shards)[shard]
        os.replace(temp, os.path.join(path, name))
    except BaseException:
        if os.path.exists(temp):
            os.remove(temp)
        raise
    return name


def _expand_shard_fn(beam, settings):
    class ExpandShard(beam.DoFn):
        """Writes the shards whose indices it is given."""

        def __init__(self, settings):
            self.settings = settings

        def setup(self):
            from keras_augment.data.expansion import source_dataset

            self.ds = source_dataset(self.settings["source"], self.settings["load_options"], verbose=False)
            self.expander = ShardExpander(**self.settings["expander"])

        def process(self, shard):
            s = self.settings
            yield _write_shard(self.ds, s["path"], shard, s["total_shards"], s["shard_size"],
                               s["batch_size"], self.expander)

    return ExpandShard(settings)


def run(source, load_options, path, total, shard_size, batch_size, expander_arguments, beam_options):
    """Expand `total` samples of `source` into `path` with Beam; return the shard names.

    Args:
        source: a `load` source or a function returning the dataset; every
            worker loads it.
        load_options: `load`'s keyword arguments for a source given by name.
        path: the prepared output folder.
        total: samples in the source.
        shard_size, batch_size: as in `expand`.
        expander_arguments: keyword arguments of `ShardExpander`.
        beam_options: see `pipeline_options`.
    """
    import apache_beam as beam

    options = pipeline_options(beam_options)
    total_shards = math.ceil(total / shard_size)
    if total_shards == 0:
        return []
    settings = {
        "source": source, "load_options": load_options, "path": path,
        "total_shards": total_shards, "shard_size": shard_size, "batch_size": batch_size,
        "expander": expander_arguments,
    }
    with beam.Pipeline(options=options) as pipeline:
        _ = (
            pipeline
            | "Shards" >> beam.Create(range(total_shards))
            | "Spread" >> beam.Reshuffle()
            | "Expand" >> beam.ParDo(_expand_shard_fn(beam, settings))
        )
    return shard_names(total_shards)
