"""Text augmentation layers on `tf.string` batches, all in TensorFlow graph ops."""

from keras_augment.layers.text.base import TextAugmentation
from keras_augment.layers.text.characters import RandomCharacterNoise
from keras_augment.layers.text.eda import EDA
from keras_augment.layers.text.synonym_layers import RandomWordInsertion, SynonymReplacement
from keras_augment.layers.text.synonyms import SynonymTable, load_synonyms, wordnet_synonyms
from keras_augment.layers.text.words import RandomWordDeletion, RandomWordSwap

__all__ = [
    "EDA",
    "RandomCharacterNoise",
    "RandomWordDeletion",
    "RandomWordInsertion",
    "RandomWordSwap",
    "SynonymReplacement",
    "SynonymTable",
    "TextAugmentation",
    "load_synonyms",
    "wordnet_synonyms",
]
