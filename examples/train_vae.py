"""Train a (conditional) VAE on the bundled digits (or MNIST from TFDS), write
sample grids, export the generator to saved_models/ and report CAS and FCD.

    python examples/train_vae.py                 # ConditionalVAE, 5-minute budget
    python examples/train_vae.py --unconditional --minutes 2
    python examples/train_vae.py --fast          # a few seconds, for tests
"""

import os
import sys

import keras

sys.path.insert(0, os.path.dirname(__file__))
import digits_common  # noqa: E402

from keras_augment import models  # noqa: E402


def main(argv=None):
    parser = digits_common.example_parser(__doc__.splitlines()[0], latent_dim=16)
    args = parser.parse_args(argv)
    if args.fast:
        args.epochs, args.minutes = 2, 0.5
    train_x, train_y, test_x, test_y, value_range = digits_common.load_dataset(args.dataset)
    keras.utils.set_random_seed(0)
    kwargs = {"latent_dim": args.latent_dim, "value_range": value_range, "seed": 0}
    if args.unconditional:
        model = models.VAE(train_x.shape[1:], **kwargs)
    else:
        model = models.ConditionalVAE(train_x.shape[1:], int(train_y.max()) + 1, **kwargs)
    model.compile(keras.optimizers.Adam(2e-3), jit_compile=digits_common.use_jit(args.jit))
    return digits_common.train_and_report(model, args, train_x, train_y, test_x, test_y, value_range)


if __name__ == "__main__":
    main()
