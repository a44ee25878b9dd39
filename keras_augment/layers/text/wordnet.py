"""A reader of the WordNet database files (the `wndb(5WN)` format).

WordNet ships, per part of speech (`noun`, `verb`, `adj`, `adv`), an index
file `index.POS` and a data file `data.POS`. Each index line is

    lemma pos synset_cnt p_cnt [ptr_symbol...] sense_cnt tagsense_cnt offset...

and each offset is the byte position in `data.POS` of a synset line

    offset lex_filenum ss_type w_cnt word lex_id [word lex_id...] p_cnt ... | gloss

with `w_cnt` in hexadecimal. Lines of the licence header start with two
spaces. Lemmas are lowercase with `_` for spaces; adjective words may carry a
syntactic marker, `(a)`, `(p)` or `(ip)`. Inflected forms are reduced to
lemmas by the documented `morphy(7WN)` rules: the `POS.exc` exception lists,
then the suffix substitutions below.

Debian's `wordnet-base` package installs these files under
`/usr/share/wordnet`; nothing here needs NLTK or a download.
"""

import os
import re

PARTS_OF_SPEECH = ("noun", "verb", "adj", "adv")
DEFAULT_DIRECTORY = "/usr/share/wordnet"
ENVIRONMENT_VARIABLE = "WORDNET_DIR"

# morphy(7WN): detachment rules, tried in order, per part of speech.
_SUFFIXES = {
    "noun": [("s", ""), ("ses", "s"), ("xes", "x"), ("zes", "z"), ("ches", "ch"),
             ("shes", "sh"), ("men", "man"), ("ies", "y")],
    "verb": [("s", ""), ("ies", "y"), ("es", "e"), ("es", ""), ("ed", "e"),
             ("ed", ""), ("ing", "e"), ("ing", "")],
    "adj": [("er", ""), ("est", ""), ("er", "e"), ("est", "e")],
    "adv": [],
}
_MARKER = re.compile(r"\((a|p|ip)\)$")


def find_database(wordnet_dir=None, owner="wordnet_synonyms"):
    """The directory of the WordNet database files, or None where none is found.

    Searches `wordnet_dir`, then the `WORDNET_DIR` environment variable, then
    `/usr/share/wordnet`. A directory named by the argument or the variable
    must hold the files: a wrong setting is an error, not a silent fallback.

    Raises:
        FileNotFoundError: `wordnet_dir` or `WORDNET_DIR` names a directory
            without WordNet database files.
    """
    for directory, source in ((wordnet_dir, "wordnet_dir"),
                              (os.environ.get(ENVIRONMENT_VARIABLE), ENVIRONMENT_VARIABLE)):
        if directory:
            if not _holds_database(directory):
                raise FileNotFoundError(
                    f"{owner}: {source}={directory!r} holds no WordNet database "
                    f"(expected files such as index.noun and data.noun)."
                )
            return directory
    return DEFAULT_DIRECTORY if _holds_database(DEFAULT_DIRECTORY) else None


def _holds_database(directory):
    return any(os.path.isfile(os.path.join(directory, f"index.{pos}")) for pos in PARTS_OF_SPEECH)


class WordNetDatabase:
    """Synonyms read from a directory of WordNet database files.

    Args:
        directory: directory holding `index.POS` and `data.POS` files (at
            least one part of speech; every index needs its data file).
        owner: name used in error messages.
    """

    def __init__(self, directory, owner="wordnet_synonyms"):
        self.directory = directory
        self.owner = owner
        self.parts = [pos for pos in PARTS_OF_SPEECH if os.path.isfile(self._path("index", pos))]
        if not self.parts:
            raise FileNotFoundError(f"{owner}: no index.noun, index.verb, index.adj or index.adv in {directory!r}.")
        for pos in self.parts:
            if not os.path.isfile(self._path("data", pos)):
                raise FileNotFoundError(f"{owner}: {directory!r} has index.{pos} but no data.{pos}.")

    def _path(self, kind, pos):
        return os.path.join(self.directory, f"{kind}.{pos}")

    def _index(self, pos, lemmas=None):
        """`{lemma: [offsets]}` of one part of speech, for `lemmas` (None: all)."""
        index = {}
        with open(self._path("index", pos), encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                if line.startswith("  ") or not line.strip():
                    continue  # licence header
                if lemmas is not None and line.split(" ", 1)[0] not in lemmas:
                    continue
                fields = line.split()
                try:
                    synsets, pointers = int(fields[2]), int(fields[3])
                    offsets = [int(f) for f in fields[6 + pointers:]]
                except (IndexError, ValueError):
                    offsets = None
                if offsets is None or len(offsets) != synsets:
                    raise ValueError(f"{self.owner}: index.{pos} line {number} is not a WordNet index line: {line[:80]!r}.")
                index[fields[0]] = offsets
        return index

    def _exceptions(self, pos):
        """`{inflected form: [lemmas]}` from `POS.exc`, where present."""
        path = os.path.join(self.directory, f"{pos}.exc")
        if not os.path.isfile(path):
            return {}
        with open(path, encoding="utf-8") as handle:
            return {fields[0]: fields[1:] for fields in map(str.split, handle) if len(fields) > 1}

    def _words(self, handle, pos, offset):
        """The words of the synset at byte `offset` of `data.POS`."""
        handle.seek(offset)
        line = handle.readline().decode("utf-8")
        fields = line.split()
        if not fields or not fields[0].isdigit() or int(fields[0]) != offset:
            raise ValueError(
                f"{self.owner}: data.{pos} in {self.directory!r} has no synset at byte "
                f"offset {offset} (found {line[:40]!r}); index.{pos} and data.{pos} do not match."
            )
        try:
            count = int(fields[3], 16)
            words = fields[4:4 + 2 * count:2]
        except (IndexError, ValueError):
            count, words = 0, []
        if not count or len(words) != count:
            raise ValueError(f"{self.owner}: data.{pos} line at offset {offset} is not a synset line: {line[:80]!r}.")
        return [_MARKER.sub("", word).replace("_", " ") for word in words]

    @staticmethod
    def _candidates(form, pos, exceptions):
        """Lemmas `form` may stand for: itself, its exceptions, its detached suffixes."""
        return [form] + exceptions.get(form, []) + [
            form[: -len(suffix)] + ending
            for suffix, ending in _SUFFIXES[pos] if form.endswith(suffix) and len(form) > len(suffix)
        ]

    def synonyms(self, words=None):
        """`{word: [words of its synsets]}`, parts of speech in the order noun, verb, adj, adv.

        Args:
            words: words to look up (any case; spaces or `_` in multi-word
                lemmas; inflected forms reduced by morphy); None for every
                lemma in the database.

        Returns:
            A dict from each word (spaces for `_`) to the words of every
            synset it belongs to, itself included, duplicates removed.
        """
        mapping = {}
        for pos in self.parts:
            if words is None:
                index = self._index(pos)
                wanted = {lemma: [lemma] for lemma in index}
            else:
                exceptions = self._exceptions(pos)
                candidates = {word: self._candidates("_".join(word.lower().split()), pos, exceptions)
                              for word in words}
                index = self._index(pos, {c for found in candidates.values() for c in found})
                wanted = {word: list(dict.fromkeys(c for c in found if c in index))
                          for word, found in candidates.items()}
            cache = {}
            with open(self._path("data", pos), "rb") as handle:
                for word, lemmas in wanted.items():
                    kept = mapping.setdefault(word.replace("_", " "), [])
                    for offset in (o for lemma in lemmas for o in index[lemma]):
                        if offset not in cache:
                            cache[offset] = self._words(handle, pos, offset)
                        kept.extend(w for w in cache[offset] if w not in kept)
        return mapping
