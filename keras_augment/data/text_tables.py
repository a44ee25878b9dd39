"""Text tables for `load`: `.csv`, `.tsv` and `.jsonl` files, one sample per row.

The whole table is read and checked row by row: a row with the wrong number
of fields, invalid JSON, invalid UTF-8, no label, or an empty or too short
text is skipped and named (`"reviews.csv:line 7"`) in the `CleaningReport`.
Label values become integers through `class_names`: sorted as numbers when
every label is an integer, else as strings.
"""

import csv
import io
import json
import os
import re

import tensorflow as tf

from keras_augment.data.cleaning import check_report
from keras_augment.layers.core.arguments import check_integer, is_integer

TABLE_EXTENSIONS = (".csv", ".tsv", ".jsonl")
_INTEGER = re.compile(r"^-?[0-9]+$")
# Bytes that are not UTF-8 survive decoding as these lone surrogates.
_UNDECODABLE = re.compile("[\udc80-\udcff]")


def is_table(path):
    """True when `path` names a text table `load` reads."""
    return os.path.splitext(os.fspath(path))[1].lower() in TABLE_EXTENSIONS


def _row_reason(text, label, text_column, label_column, min_length):
    for name, value in ((text_column, text), (label_column, label)):
        if isinstance(value, str) and _UNDECODABLE.search(value):
            return f"invalid UTF-8 in column {name!r}"
    if not isinstance(text, str):
        return f"column {text_column!r} is {type(text).__name__}, not text"
    if is_integer(label):
        label = str(label)
    if not isinstance(label, str):
        return f"label {label!r} is neither a string nor an integer"
    if not label.strip():
        return f"no label (column {label_column!r} is empty)"
    if not text.strip():
        return f"empty text (column {text_column!r})"
    if len(text.strip()) < min_length:
        return f"too short: {len(text.strip())} characters, under min_length={min_length}"
    return None


def _csv_rows(text, delimiter, name, text_column, label_column):
    """`(line, text, label, reason)` of each row of a CSV or TSV table."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise ValueError(f"load(): table {name} has no header row.") from None
    for column in (text_column, label_column):
        if column not in header:
            raise ValueError(
                f"load(): table {name} has no column {column!r}; its columns are "
                f"{header} (choose with text_column= and label_column=)."
            )
    text_at, label_at = header.index(text_column), header.index(label_column)
    first_line = reader.line_num + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:  # e.g. a NUL byte or an unclosed quote
            yield first_line, None, None, f"unreadable row: {error}"
            first_line = reader.line_num + 1
            continue
        line, first_line = first_line, reader.line_num + 1
        if not row:
            continue  # a blank line holds no row at all
        if len(row) != len(header):
            yield line, None, None, f"{len(row)} fields, the header has {len(header)}"
            continue
        yield line, row[text_at], row[label_at], None


def _jsonl_rows(text, text_column, label_column):
    """`(line, text, label, reason)` of each line of a JSON Lines table."""
    for line, content in enumerate(text.split("\n"), start=1):
        if not content.strip():
            continue  # a blank line holds no row at all
        if _UNDECODABLE.search(content):
            yield line, None, None, "invalid UTF-8"
            continue
        try:
            row = json.loads(content)
        except json.JSONDecodeError as error:
            yield line, None, None, f"invalid JSON ({error.msg} at column {error.colno})"
            continue
        if not isinstance(row, dict):
            yield line, None, None, f"a JSON {type(row).__name__}, not an object"
            continue
        missing = [column for column in (text_column, label_column) if column not in row]
        if missing:
            yield line, None, None, f"no field {missing[0]!r}"
            continue
        yield line, row[text_column], row[label_column], None


def read_table(path, text_column="text", label_column="label", report=None, min_length=1):
    """Read a `.csv`, `.tsv` or `.jsonl` table of texts and labels.

    Args:
        path: the table file.
        text_column: column (or JSON field) holding the text.
        label_column: column (or JSON field) holding the label.
        report: optional `CleaningReport` to fill with skipped rows.
        min_length: fewest non-blank characters a text must hold.

    Returns:
        `(texts, labels, class_names, rows, report)`; `rows` names each kept
        row as `"path:line N"`.
    """
    for name, column in (("text_column", text_column), ("label_column", label_column)):
        if not isinstance(column, str) or not column:
            raise ValueError(
                f"load(): `{name}` must be a column name (a non-empty string); "
                f"received {name}={column!r}."
            )
    if text_column == label_column:
        raise ValueError(
            f"load(): `text_column` and `label_column` must differ; both are {text_column!r}."
        )
    min_length = check_integer(min_length, "min_length", "load()", minimum=1)
    report = check_report(report, "read_table()")
    report.unit = "rows"
    path = os.fspath(path)
    with open(path, "rb") as handle:
        raw = handle.read()
    if not raw.strip():
        raise ValueError(f"load(): table {path} is empty.")
    # Undecodable bytes stay as lone surrogates, so only their rows are lost.
    text = raw.decode("utf-8", errors="surrogateescape").removeprefix("\ufeff")
    extension = os.path.splitext(path)[1].lower()
    if extension == ".jsonl":
        rows = _jsonl_rows(text, text_column, label_column)
    else:
        delimiter = "\t" if extension == ".tsv" else ","
        rows = _csv_rows(text, delimiter, path, text_column, label_column)
    texts, raw_labels, names = [], [], []
    for line, sample, label, reason in rows:
        reason = reason or _row_reason(sample, label, text_column, label_column, min_length)
        if reason:
            report.skipped.append((f"{path}:line {line}", reason))
            continue
        texts.append(sample)
        raw_labels.append(str(label).strip())
        names.append(f"{path}:line {line}")
    numeric = all(_INTEGER.match(label) for label in raw_labels)
    if numeric:  # "01" and "1" are the same class: name it once, as the number
        raw_labels = [str(int(label)) for label in raw_labels]
    class_names = sorted(set(raw_labels), key=int if numeric else None)
    position = {name: index for index, name in enumerate(class_names)}
    report.kept = len(texts)
    return texts, [position[label] for label in raw_labels], class_names, names, report


def load_table(path, text_column, label_column, report, verbose=False, min_length=1):
    """A text table as `{"text", "labels"}` with `class_names` and `paths` (rows)."""
    report = check_report(report, "load()")
    texts, labels, class_names, rows, report = read_table(
        path, text_column, label_column, report, min_length
    )
    if verbose and report.skipped:
        print(report.summary())
    if not texts:
        raise ValueError(f"load(): table {path} holds no usable rows.\n{report.summary()}")
    ds = tf.data.Dataset.from_tensor_slices(
        {"text": tf.constant(texts), "labels": tf.constant(labels, tf.int64)}
    )
    ds.class_names = class_names
    ds.paths = rows
    return ds
