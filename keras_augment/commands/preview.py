"""`keras-augment preview`: a PNG grid of originals beside augmented copies."""

import os

import numpy as np

from keras_augment.commands.options import int64_seed, integer

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


def dataset_images(source, count, seed, image_size=None):
    """`count` uint8 images 0..255 from a `load` source, taken in a seeded order."""
    from keras_augment.data import load

    ds = load(source, image_size=image_size, verbose=True)  # name skipped files, as expand does
    images = [element["images"] for element in ds.shuffle(4096, seed=seed).take(count).as_numpy_iterator()]
    if not images:
        raise ValueError(f"preview: {source!r} gave no images.")
    images = np.stack(images)
    if source == "digits":  # pixel counts 0..16 shown as 0..255
        images = np.round(images.astype(np.float32) * (255.0 / 16.0)).astype(np.uint8)
    elif images.dtype != np.uint8:
        images = np.clip(np.round(images), 0, 255).astype(np.uint8)
    return images


def preview(spec, output, source=None, files=None, count=6, variants=5, seed=0, scale=None, image_size=None):
    """Write a PNG grid: each row one original image then `variants` augmentations.

    Args:
        spec: augmenter spec such as `"RandomFlip('horizontal'), RandomBrightness(0.3)"`;
            layers see uint8-range images 0..255.
        output: PNG path.
        source: a `keras_augment.data.load` source (e.g. `"digits"`, a folder,
            a TFDS name); ignored when `files` are given.
        files: image files to preview; with neither `files` nor `source` the
            bundled public-domain photograph is used.
        count: rows taken from a dataset source.
        variants: augmented copies per row.
        seed: seed of the augmentations (and of the dataset sample).
        scale: integer tile upscaling; by default so small images reach ~64 px.
        image_size: `(height, width)` to resize inputs to.

    Returns:
        `(output, grid_shape)`.
    """
    import keras_augment  # noqa: F401  (checks the Keras backend)
    from keras_augment.layers import Pipeline
    from keras_augment.spec import build_layers
    from keras_augment.visualize import make_grid, save_png, to_uint8
    import tensorflow as tf

    augmenter = Pipeline(build_layers(spec, seed=seed))
    if files:
        images = read_image_files(files, image_size)
    elif source is not None:
        images = dataset_images(source, count, seed, image_size)
    else:
        images = read_image_files([PHOTO], image_size)
    if scale is None:
        scale = max(1, 64 // max(images.shape[1:3]))
    tiles = []
    for row, image in enumerate(images):
        batch = np.repeat(image[None], variants, axis=0)
        # A tensor seed: a new Python int would retrace tf.functions inside layers.
        augmented = augmenter(batch, seed=tf.constant(seed * 1000 + row, tf.int64))
        tiles.append(image[None])
        tiles.append(to_uint8(augmented))
    grid = make_grid(np.concatenate(tiles), columns=variants + 1, scale=scale)
    os.makedirs(os.path.dirname(os.path.abspath(output)), exist_ok=True)
    save_png(output, grid)
    return output, grid.shape


def add_parser(commands, default_spec):
    parser = commands.add_parser(
        "preview",
        help="write a PNG grid of originals and augmentations",
        description=(
            "Apply an augmenter spec to images and write a PNG grid, each row an "
            "original followed by augmented copies. With no --data and no files, "
            "uses the bundled public-domain photograph."
        ),
    )
    parser.add_argument("files", nargs="*", help="image files (JPEG, PNG, BMP, GIF)")
    parser.add_argument("--data", default=None, help="dataset: 'digits', a folder, .npz or TFDS name")
    parser.add_argument("--spec", default=default_spec, help="augmenter spec, e.g. %(default)r")
    parser.add_argument("--output", default="outputs/preview.png", help="PNG path (%(default)s)")
    parser.add_argument("--count", type=integer("--count", minimum=1), default=6,
                        help="dataset images, one per row (%(default)s)")
    parser.add_argument("--variants", type=integer("--variants", minimum=1), default=5,
                        help="augmented copies per image (%(default)s)")
    parser.add_argument("--scale", type=integer("--scale", minimum=1), default=None,
                        help="tile upscaling (auto)")
    parser.add_argument("--image-size", type=integer("--image-size", minimum=1), nargs=2, metavar=("H", "W"),
                        help="resize inputs")
    parser.add_argument("--seed", type=int64_seed(), default=0, help="seed of every random draw (%(default)s)")
    parser.set_defaults(handler=run)
    return parser


def run(args):
    from keras_augment.commands.common import check_output

    check_output(args.output, "--output", folder=False)
    path, shape = preview(
        args.spec, args.output, args.data, args.files, args.count, args.variants, args.seed,
        args.scale, tuple(args.image_size) if args.image_size else None,
    )
    print(f"wrote {path} ({shape[1]}x{shape[0]} pixels): originals in the first column")
    return 0
