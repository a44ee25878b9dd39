"""EDA: one of the four Easy Data Augmentation operations per sentence."""

import keras
import tensorflow as tf

from keras_augment.layers.core.arguments import check_unit_interval
from keras_augment.layers.text.base import TextAugmentation
from keras_augment.layers.text.synonym_layers import RandomWordInsertion, SynonymReplacement
from keras_augment.layers.text.words import RandomWordDeletion, RandomWordSwap


@keras.saving.register_keras_serializable(package="keras_augment")
class EDA(TextAugmentation):
    """Easy Data Augmentation (Wei and Zou, 2019) as one layer.

    Each sentence undergoes one operation drawn uniformly from synonym
    replacement, random insertion, random swap and random deletion, with the
    paper's recommended `alpha = 0.1` for every operation. Synonym
    replacement and insertion need `synonyms` (insertion may use
    `vocabulary` instead); without them only swap and deletion are drawn.
    The batch is partitioned by operation, so each sentence runs one
    operation only.

    Args:
        synonyms: a dict `{word: [synonyms]}` or a file path; or None.
        vocabulary: words for insertion when `synonyms` is None; or None.
        alpha_sr: rate of synonym replacement.
        alpha_ri: rate of random insertion.
        alpha_rs: rate of random swap.
        p_rd: probability of deleting each word.
        stop_words: words replacement and insertion never use: "english"
            (the default), a list of strings, or None.
        seed: integer seed of the layer's own random draws.
        **kwargs: base layer arguments such as `name`.

    Input shape:
        `(B,)` or `(B, 1)` tf.string, a single string, or a dict with a
        "text" key.

    Output shape:
        Same as the input.

    Example:

    >>> layer = keras_augment.layers.EDA(synonyms={"good": ["fine", "nice"]})
    >>> layer(tf.constant(["a good film", "a bad film"]), seed=0).shape
    TensorShape([2])
    """

    def __init__(
        self,
        synonyms=None,
        vocabulary=None,
        alpha_sr=0.1,
        alpha_ri=0.1,
        alpha_rs=0.1,
        p_rd=0.1,
        stop_words="english",
        seed=None,
        **kwargs,
    ):
        super().__init__(seed=seed, **kwargs)
        for name, value in (("alpha_sr", alpha_sr), ("alpha_ri", alpha_ri),
                            ("alpha_rs", alpha_rs), ("p_rd", p_rd)):
            check_unit_interval(value, name, self._owner)
        self.synonyms, self.vocabulary, self.stop_words = synonyms, vocabulary, stop_words
        self.alpha_sr, self.alpha_ri, self.alpha_rs, self.p_rd = alpha_sr, alpha_ri, alpha_rs, p_rd
        self.operations = []
        if synonyms is not None:
            self.operations.append(SynonymReplacement(synonyms, alpha_sr, stop_words))
        if synonyms is not None or vocabulary is not None:
            self.operations.append(
                RandomWordInsertion(synonyms, None if synonyms else vocabulary, alpha_ri, stop_words)
            )
        self.operations.append(RandomWordSwap(alpha_rs))
        self.operations.append(RandomWordDeletion(p_rd))

    def sample_parameters(self, sampler, images_shape):
        parameters = super().sample_parameters(sampler, images_shape)
        parameters["operation"] = sampler.integers(images_shape[:1], 0, len(self.operations))
        return parameters

    def transform_text(self, texts, transformation):
        count = len(self.operations)
        operation = transformation["operation"]
        indices = tf.dynamic_partition(tf.range(tf.shape(texts)[0]), operation, count)
        texts_parts = tf.dynamic_partition(texts, operation, count)
        keys_parts = tf.dynamic_partition(transformation["keys"], operation, count)
        outputs = [
            layer.transform_text(part, {"keys": keys})
            for layer, part, keys in zip(self.operations, texts_parts, keys_parts)
        ]
        return tf.dynamic_stitch(indices, outputs)
