"""WordNet synonyms read from the database files: a tiny database written here,
and Debian's `wordnet-base` under /usr/share/wordnet where it is installed."""

import os
import sys

import pytest
import tensorflow as tf

from keras_augment import layers
from keras_augment.layers import text as text_layers
from keras_augment.layers.text import wordnet

INSTALLED = "/usr/share/wordnet"
needs_installed = pytest.mark.skipif(
    not os.path.isfile(os.path.join(INSTALLED, "index.noun")),
    reason="WordNet database not installed (apt-get install wordnet-base puts it in /usr/share/wordnet)",
)

# Synsets of the tiny database: part of speech -> [[(word, lex_id), ...], ...].
SYNSETS = {
    "noun": [
        ["car", "auto", "automobile", "motorcar"],
        ["car", "railcar", "railway_car"],
        ["motor_vehicle", "automotive_vehicle"],
        ["mouse", "computer_mouse"],
    ],
    "adj": [["glad(a)", "happy"], ["happy", "felicitous"]],
}
HEADER = "  1 This software and database is being provided to you, the LICENSEE, by\n  2 Princeton.\n"


def write_database(directory, synsets_by_pos=SYNSETS, shift=0):
    """WordNet database files for `synsets_by_pos` (index offsets moved by `shift`)."""
    os.makedirs(directory, exist_ok=True)
    for pos, synsets in synsets_by_pos.items():
        data, offsets, lemmas = HEADER, [], {}
        for words in synsets:
            offset = len(data.encode("utf-8"))
            offsets.append(offset)
            listed = " ".join(f"{word} 0" for word in words)
            data += f"{offset:08d} 05 {pos[0]} {len(words):02x} {listed} 000 | a gloss  \n"
            for word in words:
                lemmas.setdefault(word.split("(")[0].lower(), []).append(offset + shift)
        with open(os.path.join(directory, f"data.{pos}"), "w", encoding="utf-8") as handle:
            handle.write(data)
        with open(os.path.join(directory, f"index.{pos}"), "w", encoding="utf-8") as handle:
            handle.write(HEADER)
            for lemma in sorted(lemmas):
                found = lemmas[lemma]
                listed = " ".join(f"{o:08d}" for o in found)
                handle.write(f"{lemma} {pos[0]} {len(found)} 1 @ {len(found)} 0 {listed}  \n")
    with open(os.path.join(directory, "noun.exc"), "w", encoding="utf-8") as handle:
        handle.write("mice mouse\n")
    return str(directory)


def test_reads_a_database_written_here(tmp_path, monkeypatch):
    monkeypatch.delenv("WORDNET_DIR", raising=False)
    directory = write_database(tmp_path / "dict")
    mapping = text_layers.wordnet_synonyms(
        ["car", "Cars", "mice", "motor vehicle", "happy", "unknown"], wordnet_dir=directory
    )
    assert mapping == {
        "car": ["auto", "automobile", "motorcar", "railcar", "railway car"],
        "cars": ["car", "auto", "automobile", "motorcar", "railcar", "railway car"],
        "mice": ["mouse", "computer mouse"],
        "motor vehicle": ["automotive vehicle"],
        "happy": ["glad", "felicitous"],
    }
    every = text_layers.wordnet_synonyms(wordnet_dir=directory)
    assert every["railway car"] == ["car", "railcar"]
    assert every["glad"] == ["happy"]
    assert len(every) == 13


def test_directory_comes_from_argument_then_environment_then_default(tmp_path, monkeypatch):
    first = write_database(tmp_path / "first")
    second = write_database(tmp_path / "second", {"noun": [["car", "jalopy"]]})
    monkeypatch.setenv("WORDNET_DIR", second)
    assert text_layers.wordnet_synonyms(["car"]) == {"car": ["jalopy"]}
    assert text_layers.wordnet_synonyms(["car"], wordnet_dir=first)["car"][0] == "auto"
    monkeypatch.delenv("WORDNET_DIR")
    monkeypatch.setattr(wordnet, "DEFAULT_DIRECTORY", first)
    assert text_layers.wordnet_synonyms(["car"])["car"][0] == "auto"


def test_wrong_directories_and_files_are_named(tmp_path, monkeypatch):
    monkeypatch.delenv("WORDNET_DIR", raising=False)
    with pytest.raises(FileNotFoundError, match=r"wordnet_synonyms: wordnet_dir=.*empty.*index.noun"):
        text_layers.wordnet_synonyms(["car"], wordnet_dir=str(tmp_path / "empty"))
    monkeypatch.setenv("WORDNET_DIR", str(tmp_path / "empty"))
    with pytest.raises(FileNotFoundError, match="wordnet_synonyms: WORDNET_DIR="):
        text_layers.wordnet_synonyms(["car"])
    shifted = write_database(tmp_path / "shifted", shift=1)
    with pytest.raises(ValueError, match=r"wordnet_synonyms: data.noun .* no synset at byte offset"):
        text_layers.wordnet_synonyms(["car"], wordnet_dir=shifted)
    broken = write_database(tmp_path / "broken")
    os.remove(os.path.join(broken, "data.adj"))
    with pytest.raises(FileNotFoundError, match="index.adj but no data.adj"):
        text_layers.wordnet_synonyms(["car"], wordnet_dir=broken)
    with pytest.raises(ValueError, match="wordnet_synonyms: `words` must be a list of strings"):
        text_layers.wordnet_synonyms("car", wordnet_dir=write_database(tmp_path / "ok"))


def test_without_database_or_nltk_the_error_says_what_to_install(tmp_path, monkeypatch):
    monkeypatch.delenv("WORDNET_DIR", raising=False)
    monkeypatch.setattr(wordnet, "DEFAULT_DIRECTORY", str(tmp_path / "none"))
    monkeypatch.setitem(sys.modules, "nltk", None)  # import nltk fails
    with pytest.raises(ImportError, match="wordnet_synonyms found no WordNet database.*wordnet-base"):
        text_layers.wordnet_synonyms(["good"])


@needs_installed
def test_installed_database_gives_real_synonyms(monkeypatch):
    monkeypatch.delenv("WORDNET_DIR", raising=False)
    mapping = text_layers.wordnet_synonyms(["car", "happy", "cars", "running"])
    assert {"automobile", "auto", "motorcar"} <= set(mapping["car"])
    assert "glad" in mapping["happy"]
    assert "automobile" in mapping["cars"]
    assert "run" in mapping["running"]
    layer = layers.SynonymReplacement(mapping, alpha=1.0, seed=0)
    replaced = layer(tf.constant("car"), seed=1).numpy().decode()
    assert replaced in mapping["car"]


@pytest.mark.slow  # about 7 s: every lemma of WordNet
@needs_installed
def test_installed_database_reads_every_lemma(monkeypatch):
    monkeypatch.delenv("WORDNET_DIR", raising=False)
    mapping = text_layers.wordnet_synonyms()
    assert len(mapping) > 50_000  # WordNet 3.0: 147,306 lemmas, many with synonyms
    assert "automobile" in mapping["car"] and "glad" in mapping["happy"]
