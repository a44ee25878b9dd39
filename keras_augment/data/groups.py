"""Grouped splits: every group (a speaker, a source file) wholly on one side.

Used by `keras_augment.data.split(..., group_by=...)`: whole groups, drawn in
a seeded order, go to validation until it is as close to the asked share of
elements as the group sizes allow, so no speaker or source leaks across.
"""

import numpy as np

_OWNER = "split()"


def _hashable(value, where):
    if isinstance(value, np.ndarray):
        if value.ndim:
            raise ValueError(
                f"{_OWNER}: `group_by` must give one scalar group per element; {where} "
                f"is an array of shape {value.shape}."
            )
        value = value.item()
    if isinstance(value, np.generic):
        value = value.item()
    try:
        hash(value)
    except TypeError:
        raise ValueError(
            f"{_OWNER}: `group_by` must give a hashable group (a string or number) per "
            f"element; {where} is a {type(value).__name__}."
        ) from None
    return value


def group_of_each(ds, group_by, count):
    """The group of every element of `ds`, in order.

    Args:
        ds: finite unbatched dataset of dicts.
        group_by: an element key (e.g. `"speaker"`), a sequence with one
            group per element (e.g. `[p.split("_")[0] for p in ds.paths]`),
            or a callable taking an element (a dict of NumPy values) and
            returning its group.
        count: the number of elements.

    Returns:
        A list of hashable groups.
    """
    spec = ds.element_spec
    if isinstance(group_by, str):
        if not isinstance(spec, dict) or group_by not in spec:
            keys = sorted(spec) if isinstance(spec, dict) else type(spec).__name__
            raise ValueError(
                f"{_OWNER}: `group_by` names a key the elements do not have; "
                f"received group_by={group_by!r}, the elements have {keys}."
            )
        values = ds.map(lambda element: element[group_by]).as_numpy_iterator()
        return [_hashable(value, f"element {i}'s {group_by!r}") for i, value in enumerate(values)]
    if callable(group_by):
        return [
            _hashable(group_by(element), f"group_by(element {i})")
            for i, element in enumerate(ds.as_numpy_iterator())
        ]
    if isinstance(group_by, (list, tuple, np.ndarray)):
        if len(group_by) != count:
            raise ValueError(
                f"{_OWNER}: `group_by` must hold one group per element; received "
                f"{len(group_by)} groups for {count} elements."
            )
        return [_hashable(value, f"group_by[{i}]") for i, value in enumerate(group_by)]
    raise ValueError(
        f"{_OWNER}: `group_by` must be None, an element key, a sequence of groups or a "
        f"callable; received {type(group_by).__name__}."
    )


def validation_mask(groups, validation_fraction, seed):
    """Which elements go to validation: whole groups, in a seeded order.

    Groups are drawn in an order fixed by `seed`; each is added when it
    brings the validation size nearer to `round(validation_fraction * N)`.

    Args:
        groups: the group of each element.
        validation_fraction: share of elements wanted for validation.
        seed: integer seed (checked by `split`).

    Returns:
        A bool NumPy array, True for validation elements.
    """
    names, inverse, sizes = np.unique(
        np.array([repr((type(g).__name__, g)) for g in groups], dtype=object).astype(str),
        return_inverse=True, return_counts=True,
    )
    target = int(round(validation_fraction * len(groups)))
    order = np.random.default_rng(seed % 2**64).permutation(len(names))
    chosen, total = np.zeros(len(names), bool), 0
    for group in order:
        if abs(total + sizes[group] - target) < abs(total - target):
            chosen[group] = True
            total += sizes[group]
    return chosen[inverse]
