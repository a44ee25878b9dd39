"""Synonym tables: a dict or a file turned into `tf.lookup` tables.

`load_synonyms` reads a dict or a file into `{word: [synonyms]}`;
`SynonymTable` holds that mapping as a `tf.lookup.StaticHashTable` (word ->
row) and a ragged list of synonyms, so lookups are graph ops that work in
`tf.data` and in SavedModels. `wordnet_synonyms` builds the mapping from
the WordNet database files (or from NLTK's WordNet where those are absent).
"""

import json

import tensorflow as tf

from keras_augment.layers.text.wordnet import (
    DEFAULT_DIRECTORY,
    ENVIRONMENT_VARIABLE,
    WordNetDatabase,
    find_database,
)


def load_synonyms(source, owner="load_synonyms"):
    """Read a synonym mapping from a dict or a file.

    Args:
        source: a dict `{word: [synonym, ...]}`, a path to a `.json` file
            holding such a dict, or a path to a text file with one word per
            line followed by its synonyms, separated by tabs
            (`happy<TAB>glad<TAB>cheerful`). Lines starting with `#` are
            comments. Keys are matched lowercase.
        owner: name used in error messages.

    Returns:
        A dict `{lowercase word: [synonyms]}` without the word itself and
        without empty or duplicate synonyms.
    """
    if isinstance(source, dict):
        mapping = source
    elif isinstance(source, str):
        try:
            with open(source, encoding="utf-8") as handle:
                if source.endswith(".json"):
                    mapping = json.load(handle)
                else:
                    mapping = {}
                    for line in handle:
                        fields = [f.strip() for f in line.rstrip("\n").split("\t")]
                        if fields[0] and not fields[0].startswith("#"):
                            mapping.setdefault(fields[0], []).extend(fields[1:])
        except OSError as error:
            raise ValueError(f"{owner}: cannot read synonyms from {source!r}: {error}") from None
    else:
        raise ValueError(
            f"{owner}: `synonyms` must be a dict {{word: [synonyms]}} or a file "
            f"path; received {type(source).__name__}."
        )
    cleaned = {}
    for word, synonyms in mapping.items():
        if not isinstance(word, str) or isinstance(synonyms, str) or not all(
            isinstance(s, str) for s in synonyms
        ):
            raise ValueError(
                f"{owner}: synonyms must map strings to lists of strings; "
                f"received {word!r}: {synonyms!r}."
            )
        key = word.strip().lower()
        kept = cleaned.setdefault(key, [])
        for synonym in synonyms:
            synonym = " ".join(synonym.split())
            if synonym and synonym.lower() != key and synonym not in kept:
                kept.append(synonym)
    return {word: synonyms for word, synonyms in cleaned.items() if synonyms}


def wordnet_synonyms(words=None, lang="eng", wordnet_dir=None):
    """Build `{word: [synonyms]}` from WordNet.

    English synonyms come from the WordNet database files, read directly
    (`keras_augment.layers.text.wordnet`), found in `wordnet_dir`, else the
    `WORDNET_DIR` environment variable, else `/usr/share/wordnet` (Debian's
    `wordnet-base` package). Where none of them exists, or for another
    language, NLTK's WordNet is used when NLTK and its data are installed.
    Nothing is downloaded here. Inflected words are reduced to their lemmas
    ("cars" finds the synsets of "car"); multi-word lemmas keep their words,
    joined by spaces.

    Args:
        words: words to look up; None for every lemma in WordNet.
        lang: WordNet language code; other than `"eng"` needs NLTK and its
            `"omw-1.4"` data.
        wordnet_dir: directory of the WordNet database files (`index.noun`,
            `data.noun`, ...).

    Raises:
        FileNotFoundError: `wordnet_dir` or `WORDNET_DIR` names a directory
            without the database files.
        ImportError: no database files were found and NLTK is not installed.
        LookupError: NLTK is installed without the WordNet data it needs.
        ValueError: the database files are not in the WordNet format.
    """
    if words is not None:
        listed = None if isinstance(words, str) else list(words)
        if listed is None or not all(isinstance(word, str) for word in listed):
            raise ValueError(f"wordnet_synonyms: `words` must be a list of strings or None; received {words!r}.")
        words = listed
    directory = find_database(wordnet_dir) if lang == "eng" else None
    if directory is not None:
        mapping = WordNetDatabase(directory).synonyms(words)
    else:
        mapping = _nltk_synonyms(words, lang, wordnet_dir)
    return load_synonyms(mapping, "wordnet_synonyms")


def _nltk_synonyms(words, lang, wordnet_dir):
    if wordnet_dir is not None:
        raise ValueError(f"wordnet_synonyms: wordnet_dir= reads English WordNet only; received lang={lang!r}.")
    try:
        from nltk.corpus import wordnet
    except ImportError as error:
        where = (
            f"found no WordNet database (looked in wordnet_dir=, ${ENVIRONMENT_VARIABLE} and "
            f"{DEFAULT_DIRECTORY})" if lang == "eng" else f"reads lang={lang!r} through NLTK only"
        )
        raise ImportError(
            f"wordnet_synonyms {where} and NLTK is not installed: install Debian's "
            "wordnet-base (or point WORDNET_DIR at a WordNet `dict` directory), or "
            "`pip install nltk` and `python -m nltk.downloader wordnet omw-1.4`."
        ) from error
    words = wordnet.all_lemma_names(lang=lang) if words is None else words
    mapping = {}
    for word in words:
        synonyms = []
        for synset in wordnet.synsets(word, lang=lang):
            for lemma in synset.lemma_names(lang=lang):
                synonyms.append(lemma.replace("_", " "))
        mapping[word.replace("_", " ")] = synonyms
    return mapping


class SynonymTable(tf.Module):
    """`{word: [synonyms]}` as lookup tables usable in graphs.

    Args:
        synonyms: anything `load_synonyms` accepts.
        owner: name used in error messages.
    """

    def __init__(self, synonyms, owner="SynonymTable"):
        super().__init__(name="synonym_table")
        mapping = load_synonyms(synonyms, owner)
        words = sorted(mapping)
        flat = [synonym for word in words for synonym in mapping[word]]
        lengths = [len(mapping[word]) for word in words]
        self.size = len(words)
        self._table = tf.lookup.StaticHashTable(
            tf.lookup.KeyValueTensorInitializer(
                tf.constant(words or [""], tf.string),
                tf.range(max(len(words), 1), dtype=tf.int64),
            ),
            default_value=-1,
        )
        # One empty row at the end stands for "no synonyms".
        self._synonyms = tf.constant(flat + [""], tf.string)
        self._starts = tf.constant([0] + list(_cumulative(lengths)) + [len(flat)], tf.int64)
        self._counts = tf.constant(lengths + [0], tf.int32)

    def _rows(self, words):
        rows = self._table.lookup(tf.strings.lower(words, encoding="utf-8"))
        if not self.size:
            rows = tf.fill(tf.shape(rows), tf.constant(-1, tf.int64))
        return tf.where(rows < 0, tf.constant(self.size, tf.int64), rows)

    def counts(self, words):
        """Number of synonyms of each word (0 for unknown words)."""
        return tf.gather(self._counts, self._rows(words))

    def synonym(self, words, choices):
        """The `choices`-th synonym of each word (`words` returned where it has none)."""
        rows = self._rows(words)
        counts = tf.gather(self._counts, rows)
        index = tf.gather(self._starts, rows) + tf.cast(
            tf.clip_by_value(choices, 0, tf.maximum(counts - 1, 0)), tf.int64
        )
        return tf.where(counts > 0, tf.gather(self._synonyms, index), words)


def _cumulative(lengths):
    total = 0
    for length in lengths[:-1]:
        total += length
        yield total
