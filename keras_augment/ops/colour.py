"""Batched colour and pixel kernels.

Every function takes float images `[B, H, W, C]` (channels last) and
per-sample magnitudes of shape `[B]`, so a policy can give each image its own
strength. `value_range` is a Python `(low, high)` pair; the PIL-derived ops
work internally on the 0..255 scale PIL uses and map back. Nothing here draws
random numbers.
"""

import tensorflow as tf

from keras_augment.ops.compiled import compiled

# Luma weights of `tf.image.rgb_to_grayscale` and Keras's `rgb_to_grayscale`.
GRAYSCALE_WEIGHTS = (0.2989, 0.5870, 0.1140)


def per_sample(values, images):
    """Reshape `[B]` magnitudes to `[B, 1, 1, 1]` in the images' dtype."""
    return tf.reshape(tf.cast(values, images.dtype), [-1, 1, 1, 1])


def rows_of(images, rows=None):
    """`images[rows]`, or `images` when `rows` is None. Inside a compiled
    kernel the gather fuses into the first pass that reads it."""
    return images if rows is None else tf.gather(images, rows)


def to_unit_scale(images, value_range, scale=255.0):
    """Map `value_range` linearly onto `(0, scale)`."""
    low, high = value_range
    if (low, high) == (0.0, scale):
        return images
    return (images - low) * (scale / (high - low))


def from_unit_scale(images, value_range, scale=255.0):
    """Inverse of `to_unit_scale`."""
    low, high = value_range
    if (low, high) == (0.0, scale):
        return images
    return images * ((high - low) / scale) + low


def spatial_reduce(reduce, images):
    """`reduce(images, axis=[1, 2], keepdims=True)` for `reduce_sum`,
    `reduce_mean`, `reduce_min` or `reduce_max`, computed in two steps.

    XLA's CPU reduction over H and W with only C (e.g. 3) values per pixel
    runs about four times slower than summing rows of a few dozen contiguous
    values, so pixels are first grouped in runs that divide H * W.
    """
    _, height, width, channels = images.shape
    pixels = height * width if height and width else None
    group = next((g for g in range(64, 1, -1) if pixels and pixels % g == 0), None)
    if channels is None or group is None:
        return reduce(images, axis=[1, 2], keepdims=True)
    partial = reduce(tf.reshape(images, [-1, pixels // group, group * channels]), axis=1)
    whole = reduce(tf.reshape(partial, [-1, group, channels]), axis=1)
    return tf.reshape(whole, [-1, 1, 1, channels])


def clip(images, value_range):
    return tf.clip_by_value(images, value_range[0], value_range[1])


def grayscale(images):
    """Luma `[B, H, W, 1]` of RGB images (1-channel images pass through)."""
    if images.shape[-1] == 1:
        return images
    red, green, blue = tf.unstack(images, 3, axis=-1)
    red_weight, green_weight, blue_weight = GRAYSCALE_WEIGHTS
    return (red_weight * red + green_weight * green + blue_weight * blue)[..., None]


def blend(degenerate, images, factors):
    """PIL's `Image.blend`: factor 0 gives `degenerate`, 1 the images, >1 extrapolates."""
    return degenerate + per_sample(factors, images) * (images - degenerate)


def enhance_color(images, factors, value_range):
    """`ImageEnhance.Color`: blend towards the image's grayscale (0 = gray)."""
    return clip(blend(grayscale(images), images, factors), value_range)


def degenerate_color(images, factors, value_range):
    """Keras `RandomColorDegeneration`: `enhance_color` with factor `1 - factors`."""
    return clip(blend(images, grayscale(images), factors), value_range)


def enhance_brightness(images, factors, value_range):
    """`ImageEnhance.Brightness`: blend towards black (the range's low end)."""
    low = value_range[0]
    return clip(blend(tf.constant(low, images.dtype), images, factors), value_range)


def enhance_contrast(images, factors, value_range):
    """`ImageEnhance.Contrast`: blend towards the mean of the image's grayscale."""
    mean = spatial_reduce(tf.reduce_mean, grayscale(images))
    return clip(blend(mean, images, factors), value_range)


def contrast(images, factors, value_range):
    """Keras `RandomContrast`: scale each channel about its own mean."""
    mean = spatial_reduce(tf.reduce_mean, images)
    return clip(blend(mean, images, factors), value_range)


def brightness(images, deltas, value_range):
    """Keras `RandomBrightness`: add `deltas` (in pixel units) and clip."""
    return clip(images + per_sample(deltas, images), value_range)


def saturation(images, factors, value_range):
    """Multiply the HSV saturation of RGB images by `factors` (clipped to 1).

    Hue and value are unchanged, so every channel moves linearly between the
    pixel's maximum and itself; computing that directly in RGB gives the same
    result as an HSV round trip at a fraction of the cost.
    """
    low = value_range[0]
    shifted = images - low if low else images
    value = tf.reduce_max(shifted, axis=-1, keepdims=True)
    chroma = value - tf.reduce_min(shifted, axis=-1, keepdims=True)
    # New saturation / old saturation, capped where saturation would pass 1.
    limit = tf.math.divide_no_nan(value, chroma)
    ratio = tf.minimum(per_sample(factors, images), limit)
    output = value - (value - shifted) * ratio
    output = output + low if low else output
    return clip(output, value_range)


def hue(images, deltas, value_range):
    """Rotate the HSV hue of RGB images by `deltas` (fractions of a turn in [-1, 1])."""
    unit = to_unit_scale(images, value_range, 1.0)
    hsv = tf.image.rgb_to_hsv(unit)
    shifted = hsv[..., 0] + tf.reshape(tf.cast(deltas, images.dtype), [-1, 1, 1])
    shifted = tf.where(shifted > 1.0, shifted - 1.0, shifted)
    shifted = tf.where(shifted < 0.0, shifted + 1.0, shifted)
    rgb = tf.image.hsv_to_rgb(tf.stack([shifted, hsv[..., 1], hsv[..., 2]], -1))
    return from_unit_scale(tf.clip_by_value(rgb, 0.0, 1.0), value_range, 1.0)


def invert(images, value_range):
    """Mirror every pixel inside `value_range` (`255 - x` for 0..255)."""
    low, high = value_range
    return (low + high) - images


def posterize(images, bits, value_range):
    """`ImageOps.posterize`: keep the `bits` [B] most significant bits of 8."""
    pixels = tf.floor(tf.clip_by_value(to_unit_scale(images, value_range), 0.0, 255.0))
    step = tf.pow(2.0, 8.0 - per_sample(bits, images))
    return from_unit_scale(tf.floor(pixels / step) * step, value_range)


def solarize(images, thresholds, value_range, additions=None):
    """`ImageOps.solarize` after an optional brightening, as Keras `Solarization`.

    Args:
        images: float images in `value_range`.
        thresholds: `[B]` thresholds on the 0..255 scale: pixels at or above
            are inverted.
        value_range: `(low, high)` of the images.
        additions: optional `[B]` offsets on the 0..255 scale added (and
            clipped) before thresholding.
    """
    pixels = to_unit_scale(images, value_range)
    if additions is not None:
        pixels = tf.clip_by_value(pixels + per_sample(additions, images), 0.0, 255.0)
    solarized = tf.where(pixels < per_sample(thresholds, images), pixels, 255.0 - pixels)
    return from_unit_scale(solarized, value_range)


def solarize_add(images, additions, value_range, threshold=128.0):
    """AutoAugment's SolarizeAdd: add `additions` [B] (0..255 scale) to the
    pixels below `threshold` and clip; brighter pixels are kept."""
    pixels = to_unit_scale(images, value_range)
    added = tf.clip_by_value(pixels + per_sample(additions, images), 0.0, 255.0)
    return from_unit_scale(tf.where(pixels < threshold, added, pixels), value_range)


def autocontrast(images, value_range):
    """Stretch each channel of each image to the full range (no cutoff).

    Matches Keras `AutoContrast` exactly and `ImageOps.autocontrast` up to
    PIL's truncation to integers. Constant channels are left as they are.
    """
    low = spatial_reduce(tf.reduce_min, images)
    high = spatial_reduce(tf.reduce_max, images)
    span = high - low
    scale = tf.math.divide_no_nan(value_range[1] - value_range[0], span)
    stretched = clip((images - low) * scale + value_range[0], value_range)
    return tf.where(span > 0, stretched, images)


def equalize(images, value_range, bins=256):
    """`ImageOps.equalize` on each channel of each image.

    With `bins=256` this is PIL's lookup table exactly; fewer bins group
    neighbouring levels the way Keras `Equalization` does. It runs in three
    parts, each compiled on its own (`equalization_indices`, the histogram
    `channel_histograms` and `equalization_tables`) and a plain gather;
    fused into one XLA program they run several times slower on CPU, so
    call it as it is, not inside `compiled`.
    """
    indices = compiled(equalization_indices)(images, value_range, bins)
    histograms = channel_histograms(indices, bins)
    tables = compiled(equalization_tables)(histograms, value_range, bins)
    return tf.gather(tables, indices)


def equalization_indices(images, value_range, bins=256):
    """Each pixel's bin, offset so that every (image, channel) pair owns its
    own `bins` consecutive slots: int32 `[B, H, W, C]`."""
    shape = tf.shape(images)
    pixels = tf.clip_by_value(to_unit_scale(images, value_range), 0.0, 255.0)
    indices = tf.cast(pixels * ((bins - 1) / 255.0), tf.int32)
    offsets = (
        tf.range(shape[0])[:, None, None, None] * shape[3]
        + tf.range(shape[3])[None, None, None, :]
    ) * bins
    return indices + offsets


def count_channel_values(indices, bins=256):
    """Histograms `[B * C, bins]` of `equalization_indices`, as one scatter-add
    (XLA-compilable; shapes are static once the batch size is)."""
    shape = tf.shape(indices)
    ones = tf.ones([tf.size(indices)], tf.int32)
    counts = tf.scatter_nd(tf.reshape(indices, [-1, 1]), ones, [shape[0] * shape[3] * bins])
    return tf.reshape(counts, [-1, bins])


def channel_histograms(indices, bins=256):
    """`count_channel_values`, compiled on its own: given indices already in
    memory, XLA's scatter-add costs less CPU than `tf.math.bincount` (half
    for a few images, the same for 64), where fused with the index maths it
    was several times slower."""
    return compiled(count_channel_values)(indices, bins)


def equalization_tables(histograms, value_range, bins=256):
    """PIL's equalization lookup tables, flattened to `[B * C * bins]` values in `value_range`."""
    total = tf.reduce_sum(histograms, axis=-1, keepdims=True)
    # PIL drops the count of the last non-empty bin from the step.
    positions = tf.range(bins)[None, :]
    last_bin = tf.reduce_max(tf.where(histograms > 0, positions, -1), axis=-1, keepdims=True)
    last_count = tf.reduce_sum(tf.where(positions == last_bin, histograms, 0), -1, keepdims=True)
    step = (total - last_count) // (bins - 1)
    before = tf.cumsum(histograms, axis=-1, exclusive=True)
    table = tf.minimum((step // 2 + before) // tf.maximum(step, 1), bins - 1)
    table = tf.where(step > 0, table, positions)
    table = tf.cast(table, tf.float32) * (255.0 / (bins - 1))
    return tf.reshape(from_unit_scale(table, value_range), [-1])


def gamma(images, gammas, value_range, gains=None):
    """`gain * x ** gamma` on the range mapped to [0, 1], clipped back."""
    unit = tf.clip_by_value(to_unit_scale(images, value_range, 1.0), 0.0, 1.0)
    output = tf.pow(unit, per_sample(gammas, images))
    if gains is not None:
        output = output * per_sample(gains, images)
    return from_unit_scale(tf.clip_by_value(output, 0.0, 1.0), value_range, 1.0)


def channel_shuffle(images, permutations):
    """Reorder channels per image; `permutations` is `[B, C]` int."""
    return tf.gather(images, permutations, axis=-1, batch_dims=1)
