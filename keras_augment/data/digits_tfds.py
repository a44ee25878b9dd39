"""The bundled UCI digits as a TensorFlow Datasets builder named "digits".

Importing this module registers the builder, after which
`tfds.load("digits")` works offline: `download_and_prepare` reads the copy
shipped in the package instead of downloading anything.

Example:

>>> import tensorflow_datasets as tfds
>>> import keras_augment.data.digits_tfds  # registers "digits"
>>> ds = tfds.load("digits", split="train", as_supervised=True)
"""

import tensorflow_datasets as tfds

from keras_augment.data.bundled import load_digits_arrays


class Digits(tfds.core.GeneratorBasedBuilder):
    """UCI optical handwritten digits: 1,797 8x8 grey images, 10 classes.

    Pixels are the original counts 0..16 (not rescaled) stored as uint8.
    CC BY 4.0, E. Alpaydin and C. Kaynak (1998); see
    `keras_augment/data/bundled/DIGITS_LICENSE.txt`.
    """

    VERSION = tfds.core.Version("1.0.0")
    RELEASE_NOTES = {"1.0.0": "The copy bundled with keras_augment."}
    # No checksums file or metadata folder beside this module; a None code
    # path also keeps TFDS from needing `importlib_resources` to find one.
    code_path = None

    def _info(self):
        return tfds.core.DatasetInfo(
            builder=self,
            description=(
                "UCI optical recognition of handwritten digits (test part): "
                "8x8 images with pixel counts 0..16, labels 0..9."
            ),
            features=tfds.features.FeaturesDict(
                {
                    "image": tfds.features.Image(shape=(8, 8, 1)),
                    "label": tfds.features.ClassLabel(num_classes=10),
                }
            ),
            supervised_keys=("image", "label"),
            homepage="https://doi.org/10.24432/C50P49",
            citation=(
                "@misc{alpaydin1998digits, author={Alpaydin, E. and Kaynak, C.},"
                " title={Optical Recognition of Handwritten Digits}, year={1998},"
                " publisher={UCI Machine Learning Repository}}"
            ),
        )

    def _split_generators(self, dl_manager):
        del dl_manager  # nothing to download: the data ships with the package
        return {"train": self._generate_examples()}

    def _generate_examples(self):
        images, labels = load_digits_arrays()
        for index, (image, label) in enumerate(zip(images, labels)):
            yield index, {"image": image, "label": int(label)}
