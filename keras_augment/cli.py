"""The `keras-augment` command line (also `python -m keras_augment`)."""

import argparse
import os
import sys

DEFAULT_SPEC = "RandomFlip('horizontal'), RandomBrightness(0.3)"


def _quiet_tensorflow():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def _digits_uint8(count, seed):
    """`count` bundled digits scaled from 0..16 to 0..255, one per class first."""
    import numpy as np

    from keras_augment.data import load_digits_arrays

    images, labels = load_digits_arrays()
    order = np.random.default_rng(seed).permutation(len(labels))
    chosen = order[:count]
    scaled = np.round(images[chosen].astype(np.float32) * (255.0 / 16.0)).astype(np.uint8)
    return scaled, labels[chosen]


def preview(spec, output, count=6, variants=5, seed=0, scale=8):
    """Write a PNG grid: each row one original image then `variants` augmentations."""
    import numpy as np

    import keras_augment  # noqa: F401  (checks the Keras backend)
    from keras_augment.layers import Pipeline
    from keras_augment.spec import build_layers
    from keras_augment.visualize import make_grid, save_png, to_uint8

    augmenter = Pipeline(build_layers(spec, seed=seed))
    images, _ = _digits_uint8(count, seed)
    tiles = []
    for row, image in enumerate(images):
        batch = np.repeat(image[None], variants, axis=0)
        augmented = augmenter(batch, seed=seed * 1000 + row)
        tiles.append(image[None])
        tiles.append(to_uint8(augmented))
    grid = make_grid(np.concatenate(tiles), columns=variants + 1, scale=scale)
    os.makedirs(os.path.dirname(os.path.abspath(output)), exist_ok=True)
    save_png(output, grid)
    return output, grid.shape


def _cmd_preview(args):
    path, shape = preview(args.spec, args.output, args.count, args.variants, args.seed)
    print(f"wrote {path} ({shape[1]}x{shape[0]} pixels): originals in the first column")
    return 0


def _cmd_run(args):
    """The main job on the bundled digits (extended as the project grows)."""
    from keras_augment.export import export_augmenter
    from keras_augment.spec import build_layers

    os.makedirs(args.output_dir, exist_ok=True)
    preview_path = os.path.join(args.output_dir, "preview.png")
    path, shape = preview(args.spec, preview_path, seed=args.seed)
    print(f"[1/2] augmentation preview: {path} ({shape[1]}x{shape[0]} pixels)")
    from keras_augment.layers import Pipeline

    augmenter = Pipeline(build_layers(args.spec, seed=args.seed))
    saved = os.path.join(args.saved_models, "augmenter")
    export_augmenter(augmenter, saved, (8, 8, 1), "uint8")
    print(f"[2/2] augmenter exported as a SavedModel: {saved}")
    return 0


def build_parser():
    parser = argparse.ArgumentParser(
        prog="keras-augment",
        description="Data augmentation for Keras: preview augmenters and run the main job.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser("run", help="run the main job on the bundled digits data")
    run.add_argument("--spec", default=DEFAULT_SPEC, help="augmenter spec, e.g. %(default)r")
    run.add_argument("--output-dir", default="outputs", help="where previews go (%(default)s)")
    run.add_argument("--saved-models", default="saved_models", help="export folder (%(default)s)")
    run.add_argument("--seed", type=int, default=0, help="seed of every random draw (%(default)s)")
    run.set_defaults(handler=_cmd_run)

    prev = commands.add_parser("preview", help="write a PNG grid of originals and augmentations")
    prev.add_argument("--spec", default=DEFAULT_SPEC, help="augmenter spec, e.g. %(default)r")
    prev.add_argument("--output", default="outputs/preview.png", help="PNG path (%(default)s)")
    prev.add_argument("--count", type=int, default=6, help="original images, one per row")
    prev.add_argument("--variants", type=int, default=5, help="augmented copies per image")
    prev.add_argument("--seed", type=int, default=0, help="seed of every random draw (%(default)s)")
    prev.set_defaults(handler=_cmd_preview)
    return parser


def main(argv=None):
    _quiet_tensorflow()
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except (ValueError, FileNotFoundError) as error:
        print(f"keras-augment {args.command}: error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
