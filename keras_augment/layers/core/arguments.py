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


def check_zoom_factor(factor, name, owner):
    """A zoom factor as `standardize_factor` reads it, above -1 (a zoom to a point)."""
    low, high = standardize_factor(factor, owner, name=name)
    if low <= -1.0:
        raise ValueError(
            f"{owner}: `{name}` must lie in (-1, 1] (a factor of -1 would zoom "
            f"to a point); received {name}={factor!r}."
        )
    return (low, high)


def check_shear_factor(factor, name, owner):
    """A shear factor: a number or a pair of numbers, each in [0, 1] when given as numbers."""
    if isinstance(factor, (tuple, list)):
        values = factor
    else:
        values = [factor]
    if any(isinstance(v, (int, float)) and not 0.0 <= v <= 1.0 for v in values):
        raise ValueError(
            f"{owner}: `{name}` must be a number or a pair of numbers in [0, 1]; "
            f"received {name}={factor!r}."
        )
    return standardize_factor(factor, owner, bounds=(-1.0, 1.0), name=name)


def check_multiplier_range(value, name, owner):
    """A number `f` in [0, 1) means `(1 - f, 1 + f)`; a pair of positive numbers is taken as is."""
    if is_number(value):
        if not 0 <= value < 1:
            raise ValueError(
                f"{owner}: `{name}` as a number must be in [0, 1); received {name}={value!r}."
            )
        return (1.0 - value, 1.0 + value)
    if (
        isinstance(value, (tuple, list))
        and len(value) == 2
        and all(is_number(v) and v > 0 for v in value)
    ):
        return tuple(sorted(float(v) for v in value))
    raise ValueError(
        f"{owner}: `{name}` must be a number in [0, 1) or a pair of positive numbers; "
        f"received {name}={value!r}."
    )


def check_positive_pair(value, name, owner, upper=None):
    """A pair of positive numbers (at most `upper`), sorted."""
    message = (
        f"{owner}: `{name}` must be a pair (low, high) of positive numbers"
        + (f" up to {upper}" if upper else "")
        + f"; received {name}={value!r}."
    )
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        raise ValueError(message)
    low, high = sorted(float(v) for v in value)
    if low <= 0 or (upper is not None and high > upper):
        raise ValueError(message)
    return (low, high)


def check_kernel_size(value, name, owner):
    """An odd positive integer or a pair of them, as a `(height, width)` pair."""
    sizes = value if isinstance(value, (tuple, list)) else (value, value)
    if len(sizes) != 2 or not all(
        isinstance(s, numbers.Integral) and not isinstance(s, bool) and s > 0 and s % 2 == 1
        for s in sizes
    ):
        raise ValueError(
            f"{owner}: `{name}` must be an odd positive integer or a pair of "
            f"them; received {name}={value!r}."
        )
    return tuple(int(s) for s in sizes)


def check_count_range(value, name, owner):
    """A positive integer or a pair of them, as a sorted `(low, high)` pair."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = (value, value)
    if (
        isinstance(value, (tuple, list))
        and len(value) == 2
        and all(isinstance(n, int) and not isinstance(n, bool) for n in value)
        and 1 <= min(value)
    ):
        return tuple(sorted(value))
    raise ValueError(
        f"{owner}: `{name}` must be a positive integer or a pair of them; "
        f"received {name}={value!r}."
    )


def check_output_size(value, name, owner):
    """None, or a pair of positive integers `(height, width)`."""
    if value is None:
        return None
    if (
        not isinstance(value, (tuple, list))
        or len(value) != 2
        or not all(isinstance(v, numbers.Integral) and not isinstance(v, bool) and v > 0 for v in value)
    ):
        raise ValueError(
            f"{owner}: `{name}` must be None or a pair of positive integers "
            f"(height, width); received {name}={value!r}."
        )
    return tuple(int(v) for v in value)


def check_unit_pair(value, name, owner):
    """A pair of numbers in [0, 1], sorted."""
    if (
        not isinstance(value, (tuple, list))
        or len(value) != 2
        or not all(isinstance(v, numbers.Real) and 0 <= v <= 1 for v in value)
    ):
        raise ValueError(
            f"{owner}: `{name}` must be a pair of numbers in [0, 1]; received "
            f"{name}={value!r}."
        )
    return tuple(sorted(float(v) for v in value))


def check_contrast_factor(factor, name, owner):
    """The one contrast rule: Keras `RandomContrast`'s documented meaning.

    `f` or `(lower, upper)`, each in [0, 1], gives factors drawn from
    `[1 - lower, 1 + upper]`. A pair is read by position, never sorted:
    `(0.3, 0.1)` means `[0.7, 1.1]`.
    """
    values = factor if isinstance(factor, (tuple, list)) else (factor, factor)
    if len(values) != 2 or not all(is_number(v) and 0.0 <= v <= 1.0 for v in values):
        raise ValueError(
            f"{owner}: `{name}` must be a number or a pair (lower, upper) of "
            f"numbers in [0, 1]; received {name}={factor!r}."
        )
    return (1.0 - float(values[0]), 1.0 + float(values[1]))


def check_positive_range(value, name, owner):
    """A positive number `v` (meaning `(v, v)`) or a pair of them, sorted."""
    if is_number(value) and value > 0:
        return (float(value), float(value))
    if isinstance(value, (tuple, list)) and len(value) == 2 and all(is_number(v) and v > 0 for v in value):
        return tuple(sorted(float(v) for v in value))
    raise ValueError(
        f"{owner}: `{name}` must be a positive number or a pair of them; received {name}={value!r}."
    )


def check_integer_pair(value, name, owner, minimum=1):
    """A pair of integers, each at least `minimum`, as a tuple of ints."""
    if isinstance(value, (tuple, list)) and len(value) == 2 and all(is_integer(v) and v >= minimum for v in value):
        return (int(value[0]), int(value[1]))
    raise ValueError(
        f"{owner}: `{name}` must be a pair of integers >= {minimum}; received {name}={value!r}."
    )


def check_quarter_turns(value, name, owner):
    """A non-empty collection of distinct quarter-turn counts in 0..3, sorted."""
    values = tuple(value) if isinstance(value, (tuple, list)) else (value,)
    if not values or not all(is_integer(v) and 0 <= v <= 3 for v in values) or len(set(values)) != len(values):
        raise ValueError(
            f"{owner}: `{name}` must be an integer in 0..3 or distinct ones "
            f"(quarter turns); received {name}={value!r}."
        )
    return tuple(sorted(int(v) for v in values))
