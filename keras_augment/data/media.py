"""Text and audio for `load`: which reader a source goes to, and which arguments fit it.

`load` takes the arguments of every kind; each applies to one kind only, and
one given for a source of another kind is refused rather than ignored.
"""

import os

from keras_augment.data import audio_sources, text_sources, text_tables
from keras_augment.data.class_files import check_single_split

# The arguments of each kind and the element key that marks that kind.
_AUDIO_ARGUMENTS = ("sampling_rate", "duration", "min_duration")
_TEXT_ARGUMENTS = ("text_column", "label_column")


def check_channels(source, channels):
    """`channels` checked before loading: any count >= 1 may suit audio, 1 or 3 images.

    Sources that can only hold images (arrays, `.npz` files, `"digits"`) get
    the image rule at once; folders and TFDS names are checked once their
    kind is known.
    """
    if channels is None:
        return
    from keras_augment.data import image_files
    from keras_augment.layers.core.arguments import check_integer

    may_be_audio = isinstance(source, (str, os.PathLike)) and not (
        str(source) == "digits" or str(source).endswith(".npz") or text_tables.is_table(source)
    )
    if may_be_audio:
        check_integer(channels, "channels", "load()", minimum=1)
    else:
        image_files.check_channels(channels, "load()")


def load_folder(source, kind, split, report, verbose, channels, options):
    """A folder of class subfolders of `kind` (`"text"` or `"audio"`) files."""
    check_single_split(split, source)
    if kind == "text":
        if channels is not None:
            raise ValueError(
                f"load(): `channels` applies to images and audio; folder {source} holds "
                f"text files (received channels={channels!r})."
            )
        return text_sources.load_text_folder(source, report, verbose)
    return audio_sources.load_audio_folder(
        source, report, verbose, options.get("sampling_rate"), options.get("duration"),
        options.get("min_duration"), channels,
    )


def load_table(source, split, report, verbose, channels, options):
    """A `.csv`, `.tsv` or `.jsonl` table of texts and labels."""
    check_single_split(split, source)
    if channels is not None:
        raise ValueError(
            f"load(): `channels` applies to images and audio; table {source} holds text "
            f"(received channels={channels!r})."
        )
    text_column = options.get("text_column")
    label_column = options.get("label_column")
    return text_tables.load_table(
        source, "text" if text_column is None else text_column,
        "label" if label_column is None else label_column, report, verbose,
    )


def check_fits(ds, source, image_size, options):
    """Refuse arguments that do not apply to the kind `source` turned out to be.

    Args:
        ds: the loaded dataset.
        source: what `load` was given, for the message.
        image_size: `load`'s `image_size`.
        options: `{name: value}` of the text and audio arguments.
    """
    spec = ds.element_spec
    keys = set(spec) if isinstance(spec, dict) else set()
    kind = "audio" if "audio" in keys else "text" if "text" in keys else "images"
    given = [name for name, value in options.items() if value is not None]
    wrong = [name for name in given if (name in _AUDIO_ARGUMENTS) != (kind == "audio")]
    wrong += [name for name in given if name in _TEXT_ARGUMENTS and not text_tables.is_table(source)]
    if image_size is not None and kind != "images":
        wrong.append("image_size")
    if wrong:
        wrong = sorted(set(wrong))
        raise ValueError(
            f"load(): {', '.join(f'`{name}`' for name in wrong)} "
            f"{'does' if len(wrong) == 1 else 'do'} not apply to {str(source)!r}, which holds {kind}."
            " (`sampling_rate`, `duration` and `min_duration` are for audio, `text_column` "
            "and `label_column` for text tables, `image_size` for images.)"
        )
