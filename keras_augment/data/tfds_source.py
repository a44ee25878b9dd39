"""TensorFlow Datasets names for `load`, failing within seconds when offline.

TFDS retries each download ten times with exponential back-off, which
offline means minutes of waiting before an error. Here a dataset that is not
yet prepared in `data_dir` first has its download hosts probed once with a
short timeout; when they cannot be reached (or are not known in advance) the
download runs without retries, so it either succeeds at once or fails fast.
"""

import contextlib
import socket
import urllib.parse

import tensorflow as tf

# Seconds allowed to connect to a download host before calling it unreachable.
PROBE_TIMEOUT = 3.0


def _download_hosts(builder):
    """`(host, port)` of every URL in the builder's checksums, or None if unknown."""
    try:
        url_infos = builder.url_infos
    except Exception:  # noqa: BLE001 - a builder without a checksums file
        return None
    if not url_infos:
        return None
    hosts = set()
    for url in url_infos:
        parts = urllib.parse.urlsplit(str(url))
        if parts.hostname:
            default = 21 if parts.scheme == "ftp" else 80 if parts.scheme == "http" else 443
            hosts.add((parts.hostname, parts.port or default))
    return sorted(hosts) or None


def unreachable_host(hosts, timeout=PROBE_TIMEOUT):
    """The first `(host, port)` that does not accept a connection, or None."""
    for host, port in hosts:
        try:
            with socket.create_connection((host, port), timeout=timeout):
                pass
        except OSError:
            return host, port
    return None


@contextlib.contextmanager
def _without_retries():
    """Make TFDS's downloader give up after the first failed attempt."""
    from tensorflow_datasets.core.download import downloader

    previous = getattr(downloader, "MAX_RETRIES", None)
    if previous is None:  # another TFDS version: nothing to shorten
        yield
        return
    downloader.MAX_RETRIES = 0
    try:
        yield
    finally:
        downloader.MAX_RETRIES = previous


def _first_line(error):
    text = str(error).strip()
    return f"{type(error).__name__}: {text.splitlines()[0] if text else ''}"


def _prepare(builder, name, data_dir):
    """Download and prepare `builder` unless already prepared in `data_dir`."""
    if builder.is_prepared():
        return
    hosts = _download_hosts(builder)
    down = unreachable_host(hosts) if hosts else None
    try:
        if hosts and not down:
            builder.download_and_prepare()
        else:
            with _without_retries():
                builder.download_and_prepare()
    except Exception as error:  # noqa: BLE001 - every download failure gets one message
        where = data_dir or "TFDS's default data folder"
        cause = f"{down[0]}:{down[1]} cannot be reached; " if down else ""
        raise ValueError(
            f"load({name!r}): the dataset is not prepared in {where} and TensorFlow "
            f"Datasets could not download it ({cause}{_first_line(error)}). Without "
            "internet use 'digits', a local folder or arrays, or prepare it on a "
            "connected machine and pass its data_dir."
        ) from error


def load_tfds(name, split, data_dir, convert=None):
    """A TFDS dataset as `{"images", "labels"}`, downloading it first if needed.

    Args:
        name: a TFDS name (e.g. `"mnist"` or `"mnist:3.0.1"`).
        split: TFDS split string.
        data_dir: TFDS data folder, or None for TFDS's default.
        convert: optional `convert(ds, info, input_key, label_key)` giving the
            elements of other kinds (text, audio; see `tfds_kinds`), or None
            to map to images.

    Returns:
        An unbatched `tf.data.Dataset`.
    """
    try:
        import tensorflow_datasets as tfds
    except ImportError:  # pragma: no cover - tfds is a dependency
        raise ValueError(f"load({name!r}) needs tensorflow-datasets installed.") from None
    import keras_augment.data.digits_tfds  # noqa: F401  (registers "digits")

    if name not in tfds.list_builders() and "/" not in name and ":" not in name:
        raise ValueError(
            f"load({name!r}): not a folder, file or TensorFlow Datasets name "
            "(see tfds.list_builders())."
        )
    try:
        builder = tfds.builder(name, data_dir=data_dir)
    except Exception as error:  # noqa: BLE001 - unknown names, versions or configs
        raise ValueError(
            f"load({name!r}): TensorFlow Datasets has no such dataset ({_first_line(error)})."
        ) from error
    _prepare(builder, name, data_dir)
    try:
        ds = builder.as_dataset(split=split)
    except (ValueError, KeyError, OSError, tf.errors.OpError) as error:
        raise ValueError(
            f"load({name!r}): TensorFlow Datasets could not provide split {split!r} "
            f"({_first_line(error)})."
        ) from error
    info = builder.info
    if not info.supervised_keys or len(info.supervised_keys) != 2:
        raise ValueError(f"load({name!r}): the dataset has no (image, label) supervised keys.")
    image_key, label_key = info.supervised_keys
    converted = convert(ds, info, image_key, label_key) if convert else None
    if converted is not None:
        return converted
    return ds.map(
        lambda e: {"images": e[image_key], "labels": tf.cast(e[label_key], tf.int64)},
        num_parallel_calls=tf.data.AUTOTUNE,
    )
