"""`keras-augment expand`: materialise original + augmented + synthetic samples."""

import os

from keras_augment.commands.options import fraction, int64_seed, integer


def add_parser(commands, default_spec):
    parser = commands.add_parser(
        "expand",
        help="write an expanded dataset (original + augmented + synthetic) as TFRecords",
        description=(
            "Write FACTOR times the dataset to TFRecord shards: the originals, "
            "augmented copies (--spec) and, with --generator, samples from an "
            "exported conditional generator. Read it back with "
            "keras_augment.data.load(OUTPUT)."
        ),
    )
    parser.add_argument("--data", default="digits", help="dataset: 'digits', a folder, .npz or TFDS name")
    parser.add_argument("--output", default="outputs/expanded", help="output folder (%(default)s)")
    parser.add_argument("--factor", type=integer("--factor", minimum=1), default=2,
                        help="total / original samples (%(default)s)")
    parser.add_argument("--spec", default=default_spec, help="augmenter spec, e.g. %(default)r")
    parser.add_argument("--generator", default=None, help="exported generator (see `train`)")
    parser.add_argument("--synthetic-fraction", type=fraction("--synthetic-fraction"), default=None,
                        help="share of synthetic rounds")
    parser.add_argument("--image-size", type=integer("--image-size", minimum=1), nargs=2, metavar=("H", "W"),
                        help="resize images")
    parser.add_argument("--batch-size", type=integer("--batch-size", minimum=1), default=256,
                        help="samples at once (%(default)s)")
    parser.add_argument("--shard-size", type=integer("--shard-size", minimum=1), default=4096,
                        help="examples per shard (%(default)s)")
    parser.add_argument("--overwrite", action="store_true", help="replace an existing output")
    parser.add_argument("--seed", type=int64_seed(), default=0, help="seed of every random draw (%(default)s)")
    parser.set_defaults(handler=run)
    return parser


def run(args):
    from keras_augment.commands.common import check_output
    from keras_augment.data import expand, load

    check_output(args.output, "--output", folder=True)
    from keras_augment.layers import Pipeline
    from keras_augment.spec import build_layers

    ds = load(args.data, image_size=tuple(args.image_size) if args.image_size else None, verbose=True)
    augmenter = Pipeline(build_layers(args.spec, seed=args.seed)) if args.spec else None
    generator = None
    if args.generator:
        from keras_augment.commands.generate import load_generator

        generator = load_generator(args.generator)
    counts = expand(
        ds, args.output, args.factor, augmenter=augmenter, generator=generator,
        synthetic_fraction=args.synthetic_fraction, seed=args.seed, batch_size=args.batch_size,
        shard_size=args.shard_size, overwrite=args.overwrite,
    )
    print(
        f"wrote {os.path.abspath(args.output)}: {counts['original']} original, "
        f"{counts['augmented']} augmented, {counts['synthetic']} synthetic samples "
        f"in {counts['shards']} shards"
    )
    return 0
