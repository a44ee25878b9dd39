"""`keras-augment expand`: materialise original + augmented + synthetic samples."""

import os

from keras_augment.commands.options import (
    add_audio_options,
    audio_load_options,
    fraction,
    int64_seed,
    integer,
)


class GeneratorAt:
    """An exported generator that loads itself where it is used.

    Beam sends the generator to its workers by pickling; a loaded SavedModel
    does not pickle, so only the path travels and each process loads it.
    """

    def __init__(self, path):
        from keras_augment.commands.generate import load_generator

        self.path = path
        self._generator = load_generator(path)  # a bad path fails here, before any work

    def __getstate__(self):
        return {"path": self.path}

    def __setstate__(self, state):
        self.path, self._generator = state["path"], None

    def generate(self, n, labels=None, seed=0):
        if self._generator is None:
            from keras_augment.commands.generate import load_generator

            self._generator = load_generator(self.path)
        return self._generator.generate(n, labels=labels, seed=seed)


def add_parser(commands, default_spec):
    from keras_augment.commands.preview_media import spec_help

    parser = commands.add_parser(
        "expand",
        help="write an expanded dataset (original + augmented + synthetic) as TFRecords",
        description=(
            "Write FACTOR times the dataset (images, text or audio) to TFRecord shards: "
            "the originals, augmented copies (--spec) and, with --generator, samples from "
            "an exported conditional generator. Read it back with "
            "keras_augment.data.load(OUTPUT). --runner beam runs the same expansion as an "
            "Apache Beam pipeline, with the same records for the same seed."
        ),
    )
    parser.add_argument("--data", default="digits",
                        help="dataset: 'digits', a folder (images, text, audio), a table, .npz or TFDS name")
    parser.add_argument("--output", default="outputs/expanded", help="output folder (%(default)s)")
    parser.add_argument("--factor", type=integer("--factor", minimum=1), default=2,
                        help="total / original samples (%(default)s)")
    parser.add_argument("--spec", default=None, help=spec_help(default_spec))
    parser.add_argument("--generator", default=None, help="exported generator (see `train`)")
    parser.add_argument("--synthetic-fraction", type=fraction("--synthetic-fraction"), default=None,
                        help="share of synthetic rounds")
    parser.add_argument("--image-size", type=integer("--image-size", minimum=1), nargs=2, metavar=("H", "W"),
                        help="resize images")
    add_audio_options(parser)
    parser.add_argument("--batch-size", type=integer("--batch-size", minimum=1), default=256,
                        help="samples at once (%(default)s)")
    parser.add_argument("--shard-size", type=integer("--shard-size", minimum=1), default=1024,
                        help="source samples per shard; a shard holds FACTOR times as many (%(default)s)")
    parser.add_argument("--runner", choices=("local", "beam"), default="local",
                        help="run here, or as an Apache Beam pipeline (%(default)s)")
    parser.add_argument("--beam-options", default=None,
                        help="Beam pipeline flags, given after '=' since they start with '--', e.g. "
                             "--beam-options='--direct_running_mode=multi_processing "
                             "--direct_num_workers=2' (DirectRunner by default)")
    parser.add_argument("--overwrite", action="store_true", help="replace an existing output")
    parser.add_argument("--seed", type=int64_seed(), default=0, help="seed of every random draw (%(default)s)")
    parser.set_defaults(handler=run, image_spec=default_spec)
    return parser


def run(args):
    from keras_augment.commands.common import check_output

    check_output(args.output, "--output", folder=True)
    from keras_augment.commands.preview_media import default_spec
    from keras_augment.data import expand, load
    from keras_augment.data.expand_shards import data_kind
    from keras_augment.layers import Pipeline
    from keras_augment.spec import build_layers

    load_options = audio_load_options(args)
    if args.image_size:
        load_options["image_size"] = tuple(args.image_size)
    ds = load(args.data, verbose=True, **load_options)
    kind, _ = data_kind(ds, "keras-augment expand")
    spec = args.spec if args.spec is not None else default_spec(kind, args.image_spec)
    augmenter = Pipeline(build_layers(spec, seed=args.seed)) if spec else None
    generator = GeneratorAt(args.generator) if args.generator else None
    beam_options = args.beam_options
    if args.runner == "beam":  # every worker loads the source itself; the summary is printed
        source, load_options = args.data, {**load_options, "verbose": False}
        beam_options = _quiet_beam(beam_options)
    else:
        source, load_options = ds, None
    counts = expand(
        source, args.output, args.factor, augmenter=augmenter, generator=generator,
        synthetic_fraction=args.synthetic_fraction, seed=args.seed, batch_size=args.batch_size,
        shard_size=args.shard_size, overwrite=args.overwrite, runner=args.runner,
        beam_options=beam_options, load_options=load_options,
    )
    print(
        f"wrote {os.path.abspath(args.output)}: {counts['original']} original, "
        f"{counts['augmented']} augmented, {counts['synthetic']} synthetic samples "
        f"in {counts['shards']} shards"
    )
    return 0


def _quiet_beam(beam_options):
    """Beam's options, its INFO and WARNING logs kept off the terminal unless --debug or asked for."""
    import logging

    from keras_augment.commands import options

    if options.DEBUG or "sdk_harness_log_level" in (beam_options or ""):
        return beam_options
    logging.getLogger("apache_beam").setLevel(logging.ERROR)
    return f"{beam_options or ''} --default_sdk_harness_log_level=ERROR".strip()
