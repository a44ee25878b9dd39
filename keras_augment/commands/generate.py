"""`keras-augment generate`: sample an exported generator into a grid or files."""

import json
import os

import numpy as np

from keras_augment.commands.options import int64_seed, integer


class ExportedGenerator:
    """A generator SavedModel (from `train` / `export_generator`) with `generate`.

    Args:
        path: folder of the SavedModel; its `generator_info.json`, when there,
            gives the class count and value range.
    """

    def __init__(self, path):
        import tensorflow as tf

        if not os.path.isdir(path):
            raise FileNotFoundError(f"no exported generator at {path}")
        if not os.path.isfile(os.path.join(path, "saved_model.pb")):
            raise FileNotFoundError(
                f"no exported generator at {path}: the folder has no saved_model.pb "
                "(export one with `keras-augment train`)."
            )
        loaded = tf.saved_model.load(path)
        if "generate" not in loaded.signatures:
            raise ValueError(f"{path} is not an exported generator (no `generate` signature).")
        self._loaded = loaded  # keeps the variables alive
        self.function = loaded.signatures["generate"]
        inputs = self.function.structured_input_signature[1]
        self.latent_dim = int(inputs["z"].shape[-1])
        self.conditional = "labels" in inputs
        info_path = os.path.join(path, "generator_info.json")
        info = {}
        if os.path.isfile(info_path):
            with open(info_path) as handle:
                info = json.load(handle)
        self.num_classes = info.get("num_classes")
        self.value_range = tuple(info.get("value_range", (0, 255)))

    def generate(self, n, labels=None, seed=0):
        """`n` images `[n, H, W, C]` float32 in the training value range."""
        import tensorflow as tf

        seed = tf.cast(tf.reshape(tf.convert_to_tensor(seed), [-1]), tf.int64)
        seed = tf.concat([seed, tf.zeros([2 - tf.size(seed)], tf.int64)], 0)
        z = tf.random.stateless_normal([n, self.latent_dim], seed=seed)
        if not self.conditional:
            return self.function(z=z)["images"]
        if labels is None:
            if self.num_classes is None:
                raise ValueError("this conditional generator needs labels.")
            labels = np.arange(n) % self.num_classes
        labels = tf.cast(tf.reshape(tf.convert_to_tensor(labels), [-1]), tf.int64)
        return self.function(z=z, labels=labels)["images"]


def load_generator(path):
    return ExportedGenerator(path)


def add_parser(commands, default_spec):
    del default_spec
    parser = commands.add_parser(
        "generate",
        help="sample an exported generator into a PNG grid or image files",
        description="Draw samples from a generator exported by `keras-augment train`.",
    )
    parser.add_argument("--model", default="saved_models/cvae", help="exported generator (%(default)s)")
    parser.add_argument("--count", type=integer("--count", minimum=1), default=40,
                        help="number of samples (%(default)s)")
    parser.add_argument("--labels", type=integer("--labels", minimum=0), nargs="*",
                        help="classes, used in turn (default: all)")
    parser.add_argument("--output", default="outputs/generated.png", help="PNG grid (%(default)s)")
    parser.add_argument("--output-dir", default=None, help="write one PNG per sample here instead")
    parser.add_argument("--columns", type=integer("--columns", minimum=1), default=10,
                        help="grid columns (%(default)s)")
    parser.add_argument("--scale", type=integer("--scale", minimum=1), default=None,
                        help="tile upscaling (auto)")
    parser.add_argument("--seed", type=int64_seed(), default=0, help="seed of the noise (%(default)s)")
    parser.set_defaults(handler=run)
    return parser


def run(args):
    from keras_augment.commands.common import check_output, parse_labels

    if args.output_dir:
        check_output(args.output_dir, "--output-dir", folder=True)
    else:
        check_output(args.output, "--output", folder=False)
    from keras_augment.visualize import make_grid, save_png, to_uint8

    generator = ExportedGenerator(args.model)
    labels = None
    if generator.conditional:
        if generator.num_classes is None and not args.labels:
            raise ValueError("this generator is conditional: pass --labels.")
        labels = parse_labels(args.labels, args.count, generator.num_classes or max(args.labels) + 1)
    images = to_uint8(generator.generate(args.count, labels, args.seed), generator.value_range)
    if args.output_dir:
        os.makedirs(args.output_dir, exist_ok=True)
        for index, image in enumerate(images):
            suffix = f"_class{labels[index]}" if labels is not None else ""
            save_png(os.path.join(args.output_dir, f"sample_{index:05d}{suffix}.png"), image)
        print(f"wrote {len(images)} PNG files to {os.path.abspath(args.output_dir)}")
        return 0
    scale = args.scale or max(1, 64 // max(images.shape[1:3]))
    grid = make_grid(images, columns=args.columns, scale=scale)
    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    save_png(args.output, grid)
    print(f"wrote {args.output} ({grid.shape[1]}x{grid.shape[0]} pixels, {len(images)} samples)")
    return 0
