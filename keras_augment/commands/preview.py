"""`keras-augment preview`: a PNG grid of originals beside augmented copies."""

import os

import numpy as np

from keras_augment.commands.options import add_audio_options, audio_load_options, int64_seed, integer

PHOTO = os.path.join(os.path.dirname(os.path.dirname(__file__)), "data", "bundled", "astronaut.jpg")


def read_image_files(paths, image_size=None):
    """Decode image files to one uint8 `[N, H, W, 3]` array.

    Every image is resized (bilinear) to `image_size`, or to the first image's
    size when sizes differ. Unreadable files are a ValueError naming them.
    """
    import tensorflow as tf

    from keras_augment.data.cleaning import check_image_file

    images = []
    for path in paths:
        if not os.path.isfile(path):
            raise FileNotFoundError(f"no such image file: {path}")
        reason, _ = check_image_file(path)
        if reason:
            raise ValueError(f"cannot read image {path}: {reason}")
        images.append(tf.io.decode_image(tf.io.read_file(path), channels=3, expand_animations=False))
    size = image_size or tuple(images[0].shape[:2])
    return np.stack(
        [
            image.numpy()
            if tuple(image.shape[:2]) == tuple(size)
            else np.clip(np.round(tf.image.resize(image, size).numpy()), 0, 255).astype(np.uint8)
            for image in images
        ]
    )


def dataset_samples(source, count, seed, image_size=None, load_options=None):
    """`(kind, samples, ds)`: `count` samples of a `load` source (or a dataset), in a seeded order.

    Images come back as uint8 0..255, text as bytes, audio as float32 clips.
    """
    import tensorflow as tf

    from keras_augment.data import load
    from keras_augment.data.expand_shards import KINDS

    if isinstance(source, tf.data.Dataset):
        if image_size is not None or load_options:
            raise ValueError("preview: `image_size` and `load_options` apply to a source `load` reads, "
                             "not to a dataset.")
        ds = source
    else:  # verbose: name skipped files, as expand does
        ds = load(source, image_size=image_size, verbose=True, **(load_options or {}))
    kind = next((key for key in KINDS if key in ds.element_spec), None)
    if kind is None:
        raise ValueError(f"preview: {source!r} holds none of {', '.join(KINDS)}.")
    samples = [element[kind] for element in ds.shuffle(4096, seed=seed).take(count).as_numpy_iterator()]
    if not samples:
        raise ValueError(f"preview: {source!r} gave no samples.")
    if kind != "images":
        return kind, samples, ds
    images = np.stack(samples)
    if source == "digits":  # pixel counts 0..16 shown as 0..255
        images = np.round(images.astype(np.float32) * (255.0 / 16.0)).astype(np.uint8)
    elif images.dtype != np.uint8:
        images = np.clip(np.round(images), 0, 255).astype(np.uint8)
    return kind, images, ds


def row_seed(seed, row):
    """The seed of preview row `row`'s augmented copies."""
    from keras_augment.data.processing import wrap_int64

    return wrap_int64(seed * 1000 + row)


def preview(spec, output, source=None, files=None, count=6, variants=5, seed=0, scale=None, image_size=None,
            load_options=None):
    """`preview_data`'s work, returning `(output, grid_shape)`, or `(None, pairs)` for text."""
    result = preview_data(spec, output, source, files, count, variants, seed, scale, image_size, load_options)
    return (None, result["pairs"]) if result["kind"] == "text" else (output, result["shape"])


def preview_data(spec, output, source=None, files=None, count=6, variants=5, seed=0, scale=None,
                 image_size=None, load_options=None):
    """Write a PNG grid: each row one original then `variants` augmentations.

    Images are shown as they are, audio as mel spectrograms (with WAV files
    of every clip beside the PNG); text is returned as before/after pairs.

    Args:
        spec: augmenter spec such as `"RandomFlip('horizontal'), RandomBrightness(0.3)"`;
            layers see uint8-range images 0..255. None: the default of the
            data's kind (see `preview_media.DEFAULT_SPECS`).
        output: PNG path.
        source: a `keras_augment.data.load` source (e.g. `"digits"`, a folder,
            a table, a TFDS name) or an unbatched `tf.data.Dataset`; ignored
            when `files` are given.
        files: image files to preview; with neither `files` nor `source` the
            bundled public-domain photograph is used.
        count: rows taken from a dataset source.
        variants: augmented copies per row.
        seed: seed of the augmentations (and of the dataset sample).
        scale: integer tile upscaling; by default so small tiles reach ~64 px
            (spectrograms ~128 px).
        image_size: `(height, width)` to resize inputs to.
        load_options: more keyword arguments of `load` (e.g. `sampling_rate`).

    Returns:
        dict: `kind`; `shape` of the grid (images, audio); `pairs`
        `[(original, [augmented, ...]), ...]` (text); `wav_folder` (audio).
    """
    import keras_augment  # noqa: F401  (checks the Keras backend)
    from keras_augment.commands import preview_media
    from keras_augment.data.expand_shards import check_augmenter_kind
    from keras_augment.layers import Pipeline
    from keras_augment.spec import build_layers
    from keras_augment.visualize import make_grid, save_png, to_uint8
    import tensorflow as tf

    kind = "images"
    if files:
        images = read_image_files(files, image_size)
    elif source is not None:
        kind, images, ds = dataset_samples(source, count, seed, image_size, load_options)
    else:
        images = read_image_files([PHOTO], image_size)
    if spec is None:
        from keras_augment.cli import DEFAULT_SPEC

        spec = preview_media.default_spec(kind, DEFAULT_SPEC)
    augmenter = Pipeline(build_layers(spec, seed=seed))
    check_augmenter_kind(augmenter, kind, "preview")
    if kind == "text":
        pairs = preview_media.preview_text(augmenter, images, variants, lambda row: row_seed(seed, row))
        return {"kind": kind, "pairs": pairs}
    if kind == "audio":
        rate = preview_media.sampling_rate_of(ds, source, load_options)
        shape, folder = preview_media.preview_audio(
            augmenter, images, variants, lambda row: row_seed(seed, row), output, rate, scale
        )
        return {"kind": kind, "shape": shape, "wav_folder": folder}
    if scale is None:
        scale = max(1, 64 // max(images.shape[1:3]))
    tiles = []
    for row, image in enumerate(images):
        batch = np.repeat(image[None], variants, axis=0)
        # A tensor seed: a new Python int would retrace tf.functions inside layers.
        augmented = augmenter(batch, seed=tf.constant(row_seed(seed, row), tf.int64))
        tiles.append(image[None])
        tiles.append(to_uint8(augmented))
    grid = make_grid(np.concatenate(tiles), columns=variants + 1, scale=scale)
    os.makedirs(os.path.dirname(os.path.abspath(output)), exist_ok=True)
    save_png(output, grid)
    return {"kind": kind, "shape": grid.shape}


def add_parser(commands, default_spec):
    from keras_augment.commands.preview_media import spec_help

    parser = commands.add_parser(
        "preview",
        help="write a PNG grid of originals and augmentations",
        description=(
            "Apply an augmenter spec to images and write a PNG grid, each row an "
            "original followed by augmented copies. With no --data and no files, "
            "uses the bundled public-domain photograph. Audio data gives a grid of "
            "mel spectrograms and WAV files in OUTPUT-audio/; text data prints each "
            "text followed by its augmented copies."
        ),
    )
    parser.add_argument("files", nargs="*", help="image files (JPEG, PNG, BMP, GIF)")
    parser.add_argument("--data", default=None,
                        help="dataset: 'digits', a folder (images, text, audio), a table, .npz or TFDS name")
    parser.add_argument("--spec", default=None, help=spec_help(default_spec))
    parser.add_argument("--output", default="outputs/preview.png", help="PNG path (%(default)s)")
    parser.add_argument("--count", type=integer("--count", minimum=1), default=6,
                        help="dataset images, one per row (%(default)s)")
    parser.add_argument("--variants", type=integer("--variants", minimum=1), default=5,
                        help="augmented copies per image (%(default)s)")
    parser.add_argument("--scale", type=integer("--scale", minimum=1), default=None,
                        help="tile upscaling (auto)")
    parser.add_argument("--image-size", type=integer("--image-size", minimum=1), nargs=2, metavar=("H", "W"),
                        help="resize inputs")
    add_audio_options(parser)
    parser.add_argument("--seed", type=int64_seed(), default=0, help="seed of every random draw (%(default)s)")
    parser.set_defaults(handler=run)
    return parser


def run(args):
    from keras_augment.commands.common import check_output

    check_output(args.output, "--output", folder=False)
    result = preview_data(
        args.spec, args.output, args.data, args.files, args.count, args.variants, args.seed,
        args.scale, tuple(args.image_size) if args.image_size else None, audio_load_options(args),
    )
    if result["kind"] == "text":
        from keras_augment.commands.preview_media import print_text_pairs

        print_text_pairs(result["pairs"])
        return 0
    shape = result["shape"]
    what = "mel spectrograms, " if result["kind"] == "audio" else ""
    print(f"wrote {args.output} ({shape[1]}x{shape[0]} pixels): {what}originals in the first column")
    if result["kind"] == "audio":
        print(f"wrote every clip as a WAV file to {result['wav_folder']}")
    return 0
