"""`keras-augment train vae|cvae|gan|cgan|diffusion|cdiffusion`: train a generator and export it."""

import json
import os

from keras_augment.commands.options import int64_seed, integer

KINDS = {
    "vae": "VAE", "cvae": "ConditionalVAE", "gan": "GAN", "cgan": "ConditionalGAN",
    "diffusion": "Diffusion", "cdiffusion": "ConditionalDiffusion",
}
INFO_FILE = "generator_info.json"


def add_parser(commands, default_spec):
    del default_spec
    parser = commands.add_parser(
        "train",
        help="train a generator (vae, cvae, gan, cgan, diffusion, cdiffusion) and export it to saved_models/",
        description=(
            "Train a generative model on a dataset, write a sample grid after "
            "epochs, and export the generator as a SavedModel with the signature "
            "generate(z, labels) to SAVED_MODELS/KIND."
        ),
    )
    parser.add_argument("kind", choices=sorted(KINDS), help="model family")
    parser.add_argument("--data", default="digits", help="dataset: 'digits', a folder, .npz or TFDS name")
    parser.add_argument("--image-size", type=integer("--image-size", minimum=1), nargs=2, metavar=("H", "W"),
                        help="resize (multiples of 4)")
    parser.add_argument("--epochs", type=integer("--epochs", minimum=1), default=20,
                        help="training epochs (%(default)s)")
    parser.add_argument("--batch-size", type=integer("--batch-size", minimum=1), default=64,
                        help="batch size (%(default)s)")
    parser.add_argument("--latent-dim", type=integer("--latent-dim", minimum=1), default=16,
                        help="latent code size (%(default)s; diffusion: unused, its code is the image-sized noise)")
    parser.add_argument("--width", type=integer("--width", minimum=1), default=32,
                        help="base filter count (%(default)s)")
    parser.add_argument("--output-dir", default="outputs", help="sample grids go to OUTPUT_DIR/KIND")
    parser.add_argument("--saved-models", default="saved_models", help="export folder (%(default)s)")
    parser.add_argument("--seed", type=int64_seed(), default=0, help="seed of every random draw (%(default)s)")
    parser.add_argument("--xla", choices=("auto", "on", "off"), default="auto",
                        help="XLA-compile the train step; auto: only with a GPU (%(default)s)")
    parser.add_argument("--quiet", action="store_true", help="no per-epoch progress")
    parser.set_defaults(handler=run)
    return parser


def build_model(kind, image_shape, num_classes, latent_dim=16, width=32, seed=0, jit_compile=True):
    """A compiled generative model of `kind` for uint8-range images."""
    import keras

    from keras_augment import models

    if kind not in KINDS:
        raise ValueError(f"unknown model kind {kind!r}; choose one of {sorted(KINDS)}.")
    options = dict(latent_dim=latent_dim, width=width, value_range=(0, 255), seed=seed)
    if kind.endswith("diffusion"):
        del options["latent_dim"]  # its latent code is the starting noise, H * W * C
    cls = getattr(models, KINDS[kind])
    model = cls(image_shape, num_classes, **options) if kind.startswith("c") else cls(image_shape, **options)
    if kind.endswith("vae"):
        model.compile(keras.optimizers.Adam(2e-3), jit_compile=jit_compile)
    elif kind.endswith("diffusion"):
        model.compile(keras.optimizers.Adam(1e-3), jit_compile=jit_compile)
    else:
        model.compile(
            d_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
            g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
            jit_compile=jit_compile,
        )
    return model


def train_generator(kind, ds, num_classes, epochs, batch_size=64, latent_dim=16, width=32, seed=0,
                    sample_dir=None, verbose=1, jit_compile="auto", callbacks=()):
    """Train `kind` on an unbatched uint8 `{"images", "labels"}` dataset.

    `jit_compile="auto"` uses XLA only with a GPU: on a CPU its compilation
    takes about 20 s and its convolutions were measured slower (see
    `benchmarks/train_step.py`). `callbacks` are Keras callbacks added to the
    NaN guard and the sample grids.
    """
    import tensorflow as tf

    if jit_compile == "auto":
        jit_compile = bool(tf.config.list_physical_devices("GPU"))
    import keras

    from keras_augment.models import NaNGuard, SampleGrid

    if epochs < 1 or batch_size < 1:
        raise ValueError("--epochs and --batch-size must be at least 1.")
    keras.utils.set_random_seed(seed)
    image_shape = tuple(ds.element_spec["images"].shape)
    model = build_model(kind, image_shape, num_classes, latent_dim, width, seed, jit_compile)
    callbacks = [NaNGuard(), *callbacks]
    if sample_dir:
        callbacks.append(SampleGrid(sample_dir, every_n_epochs=max(1, epochs // 4), columns=10, seed=seed))
    batches = ds.shuffle(4096, seed=seed).batch(batch_size, drop_remainder=True).prefetch(2)
    model.fit(batches, epochs=epochs, callbacks=callbacks, verbose=verbose, shuffle=False)
    return model


def export(model, kind, path, num_classes):
    """Export the generator plus a small JSON of what `generate` needs to know."""
    from keras_augment.export import export_generator

    export_generator(model, path)
    info = {
        "kind": kind,
        "num_classes": num_classes if model.conditional else None,
        "latent_dim": model.latent_dim,
        "image_shape": list(model.image_shape),
        "value_range": list(model.value_range),
    }
    with open(os.path.join(path, INFO_FILE), "w") as handle:
        json.dump(info, handle, indent=1)
    return path


def run(args):
    from keras_augment.commands.common import check_output, load_uint8

    check_output(args.output_dir, "--output-dir", folder=True)
    check_output(args.saved_models, "--saved-models", folder=True)
    ds, num_classes = load_uint8(args.data, tuple(args.image_size) if args.image_size else None)
    sample_dir = os.path.join(args.output_dir, args.kind)
    model = train_generator(
        args.kind, ds, num_classes, args.epochs, args.batch_size, args.latent_dim, args.width,
        args.seed, sample_dir, verbose=0 if args.quiet else 2, jit_compile={"auto": "auto", "on": True, "off": False}[args.xla],
    )
    path = export(model, args.kind, os.path.join(args.saved_models, args.kind), num_classes)
    print(f"sample grids: {os.path.abspath(sample_dir)}")
    print(f"exported generator: {os.path.abspath(path)} (signature generate(z, labels))")
    return 0
