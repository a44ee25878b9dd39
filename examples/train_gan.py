"""Train a (conditional) GAN on the bundled digits (or MNIST from TFDS), write
sample grids, export the EMA generator to saved_models/ and report CAS and FCD.

    python examples/train_gan.py                 # ConditionalGAN, 5-minute budget
    python examples/train_gan.py --loss wasserstein_gp --unconditional
    python examples/train_gan.py --fast          # a few seconds, for tests
"""

import os
import sys

import keras

sys.path.insert(0, os.path.dirname(__file__))
import digits_common  # noqa: E402

from keras_augment import models  # noqa: E402


def main(argv=None):
    parser = digits_common.example_parser(__doc__.splitlines()[0], latent_dim=32)
    parser.add_argument("--loss", default="non_saturating", help="GAN loss, see keras_augment.models.GAN")
    parser.add_argument("--discriminator-steps", type=int, default=1)
    parser.add_argument("--learning-rate", type=float, default=2e-4)
    parser.add_argument("--beta-2", type=float, default=0.999, help="Adam beta_2 (0.9 for WGAN-GP)")
    args = parser.parse_args(argv)
    if args.fast:
        args.epochs, args.minutes = 2, 0.5
    train_x, train_y, test_x, test_y, value_range = digits_common.load_dataset(args.dataset)
    keras.utils.set_random_seed(0)
    kwargs = {"latent_dim": args.latent_dim, "value_range": value_range, "loss": args.loss, "seed": 0,
              "discriminator_steps": args.discriminator_steps}
    if args.unconditional:
        model = models.GAN(train_x.shape[1:], **kwargs)
    else:
        model = models.ConditionalGAN(train_x.shape[1:], int(train_y.max()) + 1, **kwargs)
    model.compile(
        d_optimizer=keras.optimizers.Adam(args.learning_rate, beta_1=0.5, beta_2=args.beta_2),
        g_optimizer=keras.optimizers.Adam(args.learning_rate, beta_1=0.5, beta_2=args.beta_2),
        jit_compile=digits_common.use_jit(args.jit),
    )
    return digits_common.train_and_report(
        model, args, train_x, train_y, test_x, test_y, value_range, extra={"loss": args.loss, "discriminator_steps": args.discriminator_steps}
    )


if __name__ == "__main__":
    main()
