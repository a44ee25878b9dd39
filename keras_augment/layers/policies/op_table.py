"""The operations the policies choose from, with per-sample magnitudes.

Every op reads a `[B, 2]` tensor of signed levels in `[-1, 1]` (one or two
independent magnitudes per sample, e.g. x and y shear) and a static maximum
that maps level 1 to its strongest setting. Colour ops are thin wrappers
around `keras_augment.ops.colour` and `ops.filters`; geometric ops only build
`[B, 3, 3]` output-to-input matrices, so a policy warps with the shared
resampler. Nothing here draws random numbers.
"""

import functools
import math

import tensorflow as tf

from keras_augment.ops import colour, eight_bit, filters, geometry
from keras_augment.ops.compiled import compiled

IDENTITY = "identity"

# Ops whose level sign matters (a random sign is drawn for them).
SIGNED = frozenset(
    {
        "shear", "shear_x", "shear_y", "translate", "translate_x", "translate_y",
        "rotate", "brightness", "color", "contrast", "sharpness",
    }
)
GEOMETRIC = frozenset({"shear", "shear_x", "shear_y", "translate", "translate_x", "translate_y", "rotate"})


def _enhance(kernel):
    def apply(images, levels, maximum, value_range):
        return kernel(images, 1.0 + levels[:, 0] * maximum, value_range)

    return apply


def _sharpness(images, levels, maximum, value_range):
    # Compiles its own interior (see `kernel_for`).
    return filters.sharpness(images, 1.0 + levels[:, 0] * maximum, value_range)


def _posterize(images, levels, maximum, value_range):
    # Level 0 keeps all 8 bits; level 1 keeps `8 - maximum`.
    return colour.posterize(images, 8.0 - tf.round(tf.abs(levels[:, 0]) * maximum), value_range)


def _solarize(images, levels, maximum, value_range):
    # Level 0 inverts nothing (threshold 256), level 1 inverts from 256 - 256 * maximum.
    return colour.solarize(images, 256.0 - tf.abs(levels[:, 0]) * maximum * 256.0, value_range)


def _solarize_add(images, levels, maximum, value_range):
    return colour.solarize_add(images, tf.abs(levels[:, 0]) * maximum, value_range)


def _autocontrast(images, levels, maximum, value_range):
    return colour.autocontrast(images, value_range)


def _equalize(images, levels, maximum, value_range):
    return colour.equalize(images, value_range)


def _invert(images, levels, maximum, value_range):
    return colour.invert(images, value_range)


# name -> kernel(images, levels [B, 2], maximum, value_range); module-level
# functions, so the compiled cache holds one program per op and setting.
COLOUR_KERNELS = {
    "brightness": _enhance(colour.enhance_brightness),
    "color": _enhance(colour.enhance_color),
    "contrast": _enhance(colour.enhance_contrast),
    "sharpness": _sharpness,
    "posterize": _posterize,
    "solarize": _solarize,
    "solarize_add": _solarize_add,
    "autocontrast": _autocontrast,
    "equalize": _equalize,
    "invert": _invert,
}
OP_NAMES = frozenset(COLOUR_KERNELS) | GEOMETRIC | {IDENTITY}


def _eight_bit(kernel):
    def apply(images, levels, maximum, value_range):
        output = kernel(tf.cast(images, tf.float32), levels, maximum, value_range)
        return tf.cast(tf.round(tf.clip_by_value(output, 0.0, 255.0)), tf.uint8)

    return apply


# The same ops on uint8 pixels, rounded after the op as PIL does: a policy on
# 0..255 images moves a quarter of the bytes between ops.
EIGHT_BIT_KERNELS = {name: _eight_bit(kernel) for name, kernel in COLOUR_KERNELS.items()}
# uint8 kernels that compile their own parts (equalize and autocontrast as
# lookup tables, much faster on uint8; sharpness frames its compiled interior
# outside XLA), so a policy calls them as they are, on `source[rows]` read in
# place; SELF_COMPILED names the float kernels of that kind.
SELF_COMPILED_EIGHT_BIT_KERNELS = {
    "equalize": lambda source, rows, levels, maximum, value_range: eight_bit.equalize(source, rows),
    "autocontrast": lambda source, rows, levels, maximum, value_range: eight_bit.autocontrast(
        source, rows
    ),
    "sharpness": lambda source, rows, levels, maximum, value_range: filters.sharpness_eight_bit(
        source, 1.0 + levels[:, 0] * maximum, rows
    ),
}
SELF_COMPILED = frozenset({"sharpness", "equalize"})


def _reading_rows(kernel):
    """`kernel` called on the images `source[rows]`."""

    def apply(source, rows, levels, maximum, value_range):
        return kernel(colour.rows_of(source, rows), levels, maximum, value_range)

    return apply


@functools.lru_cache(maxsize=None)
def _compiled_reading_rows(kernel):
    # Compiled, the gather fuses into the kernel's first pass instead of
    # making a copy of the rows.
    return compiled(_reading_rows(kernel))


def kernel_for(name, eight_bit_images):
    """The ready-to-call kernel of colour op `name`, for uint8 images on the
    0..255 range (`eight_bit_images=True`) or float images, called as
    `kernel(source, rows, levels, maximum, value_range)` on the images
    `source[rows]`."""
    if eight_bit_images:
        if name in SELF_COMPILED_EIGHT_BIT_KERNELS:
            return SELF_COMPILED_EIGHT_BIT_KERNELS[name]
        return _compiled_reading_rows(EIGHT_BIT_KERNELS[name])
    if name in SELF_COMPILED:
        return _reading_rows(COLOUR_KERNELS[name])
    return _compiled_reading_rows(COLOUR_KERNELS[name])


def op_matrices(name, levels, maximum, height, width):
    """`[B, 3, 3]` output-to-input matrices of a geometric op.

    Shears take the shear coefficient, translations a fraction of the image
    size and rotations degrees as `maximum`; all act about the image centre
    so that content stays in place on average.
    """
    first, second = levels[:, 0] * maximum, levels[:, 1] * maximum
    zero = tf.zeros_like(first)
    center_x, center_y = width / 2.0, height / 2.0
    if name == "shear":
        return geometry.shear(first, second, center_x, center_y)
    if name == "shear_x":
        return geometry.shear(first, zero, center_x, center_y)
    if name == "shear_y":
        return geometry.shear(zero, first, center_x, center_y)
    if name == "translate":
        return geometry.translation(first * width, second * height)
    if name == "translate_x":
        return geometry.translation(first * width, zero)
    if name == "translate_y":
        return geometry.translation(zero, first * height)
    if name == "rotate":
        return geometry.rotation(first * (math.pi / 180.0), center_x, center_y)
    raise ValueError(f"op_matrices: {name!r} is not a geometric op.")


def slot_matrices(op_ids, levels, height, width, table):
    """Per-sample matrices of one op slot: the drawn op's matrix for samples
    whose op is geometric, the identity for all others.

    Args:
        op_ids: `[B]` int indices into `table`.
        levels: `[B, 2]` signed levels.
        height, width: float scalars, the image size.
        table: tuple of `(name, maximum)` pairs (static).
    """
    matrices = geometry.identity(tf.shape(op_ids)[0])
    for index, (name, maximum) in enumerate(table):
        if name in GEOMETRIC:
            chosen = tf.reshape(tf.equal(op_ids, index), [-1, 1, 1])
            matrices = tf.where(chosen, op_matrices(name, levels, maximum, height, width), matrices)
    return matrices


def validate_table(table, owner):
    for name, maximum in table:
        if name not in OP_NAMES:
            raise ValueError(
                f"{owner}: unknown policy op {name!r}; known ops: {sorted(OP_NAMES)}."
            )
        if not isinstance(maximum, (int, float)):
            raise ValueError(f"{owner}: the maximum of op {name!r} must be a number; got {maximum!r}.")
    return tuple((name, float(maximum)) for name, maximum in table)
