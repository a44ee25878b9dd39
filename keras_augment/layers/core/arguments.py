"""Validation of constructor arguments shared by many layers."""

import numbers


def is_number(value):
    """A real number (Python or NumPy), never a bool."""
    return isinstance(value, numbers.Real) and not isinstance(value, bool)



def standardize_value_range(value_range, owner):
    """Return `value_range` as a sorted `(low, high)` tuple of floats."""
    if (
        not isinstance(value_range, (tuple, list))
        or len(value_range) != 2
        or not all(is_number(v) for v in value_range)
    ):
        raise ValueError(
            f"{owner}: `value_range` must be a list or tuple of two numbers; "
            f"received value_range={value_range!r}."
        )
    low, high = sorted(float(v) for v in value_range)
    if low == high:
        raise ValueError(
            f"{owner}: `value_range` must have two different bounds; received "
            f"value_range={value_range!r}."
        )
    return (low, high)


def standardize_factor(factor, owner, bounds=(-1.0, 1.0), name="factor"):
    """Keras's rule for `factor`: a number `f` means `(-f, f)` clipped to bounds.

    A pair is sorted and must lie inside `bounds`.
    """
    low_bound, high_bound = bounds
    message = (
        f"{owner}: `{name}` must be a number or a list of two numbers in "
        f"[{low_bound}, {high_bound}]; received {name}={factor!r}."
    )
    if isinstance(factor, (tuple, list)):
        if len(factor) != 2 or not all(is_number(v) for v in factor):
            raise ValueError(message)
        low, high = sorted(float(v) for v in factor)
        if low < low_bound or high > high_bound:
            raise ValueError(message)
        return (low, high)
    if is_number(factor):
        if factor < low_bound or factor > high_bound:
            raise ValueError(message)
        magnitude = abs(float(factor))
        return (max(-magnitude, low_bound), min(magnitude, high_bound))
    raise ValueError(message)


def check_unit_interval(value, name, owner):
    """A number in [0, 1] (a rate, probability or fraction), as a float."""
    if not is_number(value) or not 0 <= value <= 1:
        raise ValueError(
            f"{owner}: `{name}` must be a number in [0, 1]; received {name}={value!r}."
        )
    return float(value)


def check_choice(value, name, owner, choices):
    """One of `choices`, returned as given."""
    if value not in choices:
        raise ValueError(
            f"{owner}: `{name}` must be one of {tuple(choices)}; received {name}={value!r}."
        )
    return value


def check_size(height, width, owner):
    """An output size: two integers >= 1."""
    return (
        check_integer(height, "height", owner, minimum=1),
        check_integer(width, "width", owner, minimum=1),
    )


def check_ordered_pair(low, high, names, owner):
    """Two numbers with `low <= high`, as floats; `names` are their argument names."""
    if not (is_number(low) and is_number(high)) or low > high:
        raise ValueError(
            f"{owner}: `{names[0]}` and `{names[1]}` must be numbers with "
            f"{names[0]} <= {names[1]}; received {names[0]}={low!r}, {names[1]}={high!r}."
        )
    return float(low), float(high)


def check_resample_arguments(interpolation, fill_mode, owner):
    """`interpolation` and `fill_mode` of layers that resample through `ops.resample`."""
    from keras_augment.ops.resample import FILL_MODES, INTERPOLATIONS

    check_choice(interpolation, "interpolation", owner, INTERPOLATIONS)
    check_choice(fill_mode, "fill_mode", owner, FILL_MODES)


def is_integer(value):
    """A Python or NumPy integer, never a bool."""
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def check_integer(value, name, owner, minimum=None, maximum=None):
    """An integer (Python or NumPy, not a bool or a float) within the bounds, as an int."""
    low = "" if minimum is None else f" >= {minimum}"
    high = "" if maximum is None else f" <= {maximum}"
    joined = " and".join(part for part in (low, high) if part)
    if (
        not is_integer(value)
        or (minimum is not None and value < minimum)
        or (maximum is not None and value > maximum)
    ):
        raise ValueError(
            f"{owner}: `{name}` must be an integer{joined}; received {name}={value!r}."
        )
    return int(value)


INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1


def check_seed(seed, owner, name="seed", allow_none=True):
    """A seed given as a Python or NumPy integer in the int64 range, as an int.

    Bools and floats are refused: `seed=True` or `seed=1.5` is almost always
    a mistake, and silently truncating it would hide that.
    """
    if seed is None and allow_none:
        return None
    if not is_integer(seed) or not INT64_MIN <= seed <= INT64_MAX:
        raise ValueError(
            f"{owner}: `{name}` must be an integer in the int64 range "
            f"[{INT64_MIN}, {INT64_MAX}]"
            + (" or None" if allow_none else "")
            + f"; received {name}={seed!r}."
        )
    return int(seed)
