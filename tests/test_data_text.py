"""Text as data: `.txt` folders and tables through `load`, cleaning, statistics, grouped splits."""

import itertools
import os
import struct

import numpy as np
import pytest

from keras_augment import data
from keras_augment.data import text_cleaning

GOOD = {
    "neg": {
        "a.txt": "Dreadful film.\nI left early.\n".encode(),
        "b.txt": "BMW adverts were better than this.".encode(),  # starts like a BMP file
        "c.txt": "Caf\u00e9 scene: na\u00efve and slow.".encode(),
    },
    "pos": {
        "d.txt": "A gem of a film.".encode(),
        "nested/e.txt": "\ufeffLoved every minute.".encode(),
    },
}


def _write(path, content):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)


@pytest.fixture
def text_folder(tmp_path):
    root = tmp_path / "reviews"
    for name, files in GOOD.items():
        for file_name, content in files.items():
            _write(root / name / file_name, content)
    wav = b"RIFF" + struct.pack("<I", 36) + b"WAVEfmt " + bytes(24)
    bad = {
        "neg/latin1.txt": "Caf\u00e9".encode("latin-1"),
        "neg/empty.txt": b"",
        "neg/blank.txt": b" \n\t\n",
        "pos/sound.txt": wav,
        "pos/binary.txt": b"text\x00with nul",
        "pos/cover.png": b"\x89PNG\r\n\x1a\n" + bytes(20),
    }
    for file_name, content in bad.items():
        _write(root / file_name, content)
    (root / "stray.txt").write_text("outside any class")
    return root


def test_text_folder_loads_every_good_file_and_names_every_bad_one(text_folder):
    report = data.CleaningReport()
    ds = data.load(str(text_folder), report=report)
    assert ds.element_spec["text"].dtype.name == "string" and ds.element_spec["labels"].dtype.name == "int64"
    assert ds.class_names == ["neg", "pos"]
    samples = [(s["text"], int(s["labels"])) for s in ds.as_numpy_iterator()]
    expected = [(content, label) for label, name in enumerate(GOOD) for content in GOOD[name].values()]
    assert sorted(samples) == sorted(expected)  # bytes exactly as stored
    assert report.kept == 5 and [os.path.basename(p) for p in ds.paths].count("e.txt") == 1
    reasons = {os.path.basename(path): reason for path, reason in report.skipped}
    assert set(reasons) == {"latin1.txt", "empty.txt", "blank.txt", "sound.txt", "binary.txt",
                            "cover.png", "stray.txt"}
    assert reasons["latin1.txt"].startswith("invalid UTF-8 at byte 3")
    assert reasons["empty.txt"] == "empty file (0 bytes)"
    assert reasons["blank.txt"] == "empty text (whitespace only)"
    assert reasons["sound.txt"] == "wrongly named: the file holds WAV audio, not text"
    assert "NUL" in reasons["binary.txt"]
    assert "not a text file" in reasons["cover.png"]
    assert "kept 5 texts" in report.summary()


def test_text_arguments_that_do_not_fit_are_refused(text_folder):
    with pytest.raises(ValueError, match="`sampling_rate` does not apply.*holds text"):
        data.load(str(text_folder), sampling_rate=16000)
    with pytest.raises(ValueError, match="`text_column` does not apply"):
        data.load(str(text_folder), text_column="body")
    with pytest.raises(ValueError, match="`channels` applies to images and audio"):
        data.load(str(text_folder), channels=1)
    with pytest.raises(ValueError, match="`image_size` does not apply"):
        data.load(str(text_folder), image_size=8)
    with pytest.raises(ValueError, match="single split"):
        data.load(str(text_folder), split="test")


def test_csv_and_tsv_tables_skip_and_name_bad_rows(tmp_path):
    csv_path = tmp_path / "reviews.csv"
    csv_path.write_bytes(
        b"id,body,sentiment\n"
        b"1,Fine film,good\n"
        b'2,"Two lines,\nwith a comma",bad\n'
        b"3,too,many,fields\n"
        b"4,,good\n"
        b"5,No label,\n"
        b"6,Caf\xe9 latin-1,good\n"
        b"\n"
        b"7,Last one,bad\n"
    )
    report = data.CleaningReport()
    ds = data.load(str(csv_path), text_column="body", label_column="sentiment", report=report)
    samples = [(s["text"].decode(), int(s["labels"])) for s in ds.as_numpy_iterator()]
    assert ds.class_names == ["bad", "good"]
    assert samples == [("Fine film", 1), ("Two lines,\nwith a comma", 0), ("Last one", 0)]
    assert ds.paths == [f"{csv_path}:line {n}" for n in (2, 3, 10)]
    reasons = dict(report.skipped)
    assert set(reasons) == {f"{csv_path}:line {n}" for n in (5, 6, 7, 8)}
    assert reasons[f"{csv_path}:line 5"] == "4 fields, the header has 3"
    assert reasons[f"{csv_path}:line 6"] == "empty text (column 'body')"
    assert reasons[f"{csv_path}:line 7"].startswith("no label")
    assert reasons[f"{csv_path}:line 8"] == "invalid UTF-8 in column 'body'"
    with pytest.raises(ValueError, match=r"no column 'text'; its columns are \['id', 'body', 'sentiment'\]"):
        data.load(str(csv_path))
    with pytest.raises(ValueError, match="`channels` applies to images and audio; table"):
        data.load(str(csv_path), text_column="body", label_column="sentiment", channels=1)
    tsv_path = tmp_path / "t.tsv"
    tsv_path.write_text("text\tlabel\nhello, world\t10\nbye\t2\nagain\t02\n")
    ds = data.load(str(tsv_path))
    assert ds.class_names == ["2", "10"]  # integer labels sort as numbers; "02" is 2
    assert [int(s["labels"]) for s in ds.as_numpy_iterator()] == [1, 0, 0]


def test_jsonl_table_skips_and_names_bad_lines(tmp_path):
    path = tmp_path / "q.jsonl"
    path.write_bytes(
        b'{"text": "one", "label": "x"}\n'
        b'{"text": "two", "label": 3}\n'
        b"{not json}\n"
        b"[1, 2]\n"
        b'{"text": "no label"}\n'
        b'{"text": 5, "label": "x"}\n'
        b'{"text": "bad \xff byte", "label": "x"}\n'
        b'{"text": "float", "label": 1.5}\n'
    )
    report = data.CleaningReport()
    ds = data.load(str(path), report=report)
    assert ds.class_names == ["3", "x"]
    assert [(s["text"], int(s["labels"])) for s in ds.as_numpy_iterator()] == [(b"one", 1), (b"two", 0)]
    reasons = {name.rsplit(":", 1)[1]: reason for name, reason in report.skipped}
    assert reasons["line 3"].startswith("invalid JSON")
    assert reasons["line 4"] == "a JSON list, not an object"
    assert reasons["line 5"] == "no field 'label'"
    assert reasons["line 6"] == "column 'text' is int, not text"
    assert reasons["line 7"] == "invalid UTF-8"
    assert "neither a string nor an integer" in reasons["line 8"]
    (tmp_path / "empty.jsonl").write_bytes(b"")
    with pytest.raises(ValueError, match="is empty"):
        data.load(str(tmp_path / "empty.jsonl"))


def test_tfds_text_dataset_by_name_with_mock_data():
    import tensorflow_datasets as tfds

    with tfds.testing.mock_data(num_examples=3):
        ds = data.load("imdb_reviews", split="train")
        samples = list(ds.as_numpy_iterator())
    assert len(samples) == 3 and set(samples[0]) == {"text", "labels"}
    assert isinstance(samples[0]["text"], bytes) and samples[0]["labels"].dtype == np.int64
    assert ds.class_names == ["neg", "pos"]


def test_normalize_text_forms_whitespace_and_case():
    assert data.normalize_text("\uff21\uff22  c\n\td ") == "AB c d"  # NFKC folds full width
    assert data.normalize_text("e\u0301", form="NFC") == "\u00e9"
    assert data.normalize_text("\ufb01ne", form="NFC") == "\ufb01ne"  # NFC keeps the ligature
    assert data.normalize_text("\ufeffHi  There", lower=True) == "hi there"
    assert data.normalize_text(" a  b ", whitespace=False) == " a  b "
    with pytest.raises(ValueError, match="normalize_text\\(\\): `form` must be one of"):
        data.normalize_text("x", form="NFX")


def _jaccard(a, b, size=5):
    grams = [{t[i : i + size] for i in range(max(1, len(t) - size + 1))} for t in (a, b)]
    return len(grams[0] & grams[1]) / len(grams[0] | grams[1])


def test_near_duplicates_match_brute_force_jaccard():
    rng = np.random.default_rng(0)
    words = ["alpha", "beta", "gamma", "delta", "omega", "sigma", "kappa", "theta", "zeta", "rho"]
    texts = []
    for _ in range(30):
        base = list(rng.choice(words, 14))
        texts.append(" ".join(base))
        edited = list(base)
        edited[int(rng.integers(14))] = str(rng.choice(words))  # one word changed: near or equal
        texts.append(" ".join(edited))
    texts += ["The  Same text", "the same TEXT"]
    exact, near = data.find_text_duplicates(texts, threshold=0.8)
    keys = [text_cleaning.duplicate_key(t) for t in texts]
    expected_exact = sorted(
        sorted(i for i in range(len(texts)) if keys[i] == key)
        for key in set(keys) if keys.count(key) > 1
    )
    assert exact == expected_exact and [60, 61] in exact
    # Brute force over the first text of every exact group: every pair at or
    # over the threshold is joined, and every group is connected by such pairs.
    firsts = sorted({keys.index(key) for key in keys})
    pairs = {(i, j) for i, j in itertools.combinations(firsts, 2) if _jaccard(keys[i], keys[j]) >= 0.8}
    assert pairs, "the corpus must hold near duplicates"
    grouped = {i: tuple(group) for group in near for i in group}
    assert all(grouped.get(i) is not None and grouped.get(i) == grouped.get(j) for i, j in pairs)
    for group in near:
        linked = {group[0]}
        for _ in group:
            linked |= {b for a, b in pairs if a in linked} | {a for a, b in pairs if b in linked}
        assert linked == set(group)
    with pytest.raises(ValueError, match="find_text_duplicates\\(\\): `threshold` must be a number in \\[0, 1\\]"):
        data.find_text_duplicates(texts, threshold=1.5)


def test_clean_text_filters_lengths_and_duplicates_naming_files(text_folder):
    (text_folder / "pos" / "dup.txt").write_text("a  GEM of a film.")
    (text_folder / "pos" / "long.txt").write_text(" ".join(["word"] * 40))
    ds = data.load(str(text_folder))
    cleaned, report = data.clean_text(ds, lower=True, min_length=2, max_length=30)
    texts = [s["text"].decode() for s in cleaned.as_numpy_iterator()]
    assert "a gem of a film." in texts and len(texts) == 5 == report.kept
    assert cleaned.class_names == ["neg", "pos"] and len(cleaned.paths) == 5
    assert [os.path.basename(p) for p in report.exact_duplicates[0]] == ["d.txt", "dup.txt"]
    assert report.removed == 1
    (skipped, reason), = report.skipped
    assert os.path.basename(skipped) == "long.txt" and reason == "40 words, outside [2, 30]"
    kept_only, report = data.clean_text(ds, remove=False)
    assert report.removed == 0 and len(list(kept_only)) == 7
    with pytest.raises(ValueError, match="clean_text\\(\\): `unit` must be"):
        data.clean_text(ds, unit="lines")


def test_text_stats_counts_lengths_and_vocabulary(text_folder):
    stats = data.text_stats(data.load(str(text_folder)))
    assert stats["count"] == 5
    assert list(stats["classes"]) == ["neg", "pos"]
    neg, pos = stats["classes"]["neg"], stats["classes"]["pos"]
    assert neg["count"] == 3 and pos["count"] == 2
    # "A gem of a film." and "Loved every minute."
    assert pos["words"] == {"min": 3, "mean": 4.0, "median": 4.0, "max": 5}
    assert pos["characters"]["max"] == len("loved every minute.")  # BOM dropped
    assert pos["vocabulary_size"] == len({"a", "gem", "of", "film", "loved", "every", "minute"})
    assert ("film", 2) in stats["top_words"]


def test_split_by_group_keeps_each_group_on_one_side():
    import tensorflow as tf

    speakers = np.repeat(np.arange(12), np.arange(1, 13))  # groups of 1..12 elements
    ds = tf.data.Dataset.from_tensor_slices({"speaker": speakers, "labels": np.arange(len(speakers))})

    def sides(train, validation):
        return ([int(e["speaker"]) for e in train.as_numpy_iterator()],
                [int(e["speaker"]) for e in validation.as_numpy_iterator()])

    train, validation = sides(*data.split(ds, 0.25, seed=1, group_by="speaker"))
    assert not set(train) & set(validation)
    assert len(train) + len(validation) == len(speakers)
    assert abs(len(validation) - round(0.25 * len(speakers))) <= 6
    as_list = sides(*data.split(ds, 0.25, seed=1, group_by=[f"s{s}" for s in speakers]))
    as_call = sides(*data.split(ds, 0.25, seed=1, group_by=lambda e: int(e["speaker"])))
    assert sorted(set(as_list[1])) == sorted(set(as_call[1])) == sorted(set(validation))
    assert sides(*data.split(ds, 0.25, seed=2, group_by="speaker")) != (train, validation)
    with pytest.raises(ValueError, match="one group per element; received 3 groups for 78"):
        data.split(ds, group_by=["a", "b", "c"])
    with pytest.raises(ValueError, match="names a key the elements do not have"):
        data.split(ds, group_by="voice")
