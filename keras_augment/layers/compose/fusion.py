"""Which layers share one resample, and with which settings.

Consecutive geometric layers fuse into one matrix per sample while their
fill settings agree; a displacement-field warp may end such a run. The
composers (`Pipeline`, `RandomApply`, `RandomChoice`) read these rules here,
and the one way they save and restore the layers they hold.
"""

import keras

from keras_augment.layers.geometric.warp_batch import WarpSettings


def composer_config(composer, **held):
    """Keras's layer config, the box format, the seed and the held layers
    (serialized), as every composer saves them."""
    config = keras.layers.Layer.get_config(composer)
    if composer.bounding_box_format is not None:
        config["bounding_box_format"] = composer.bounding_box_format
    for key, value in held.items():
        config[key] = (
            [keras.saving.serialize_keras_object(layer) for layer in value]
            if isinstance(value, (list, tuple)) else keras.saving.serialize_keras_object(value)
        )
    config["seed"] = composer.seed
    return config


def composer_from_config(cls, config, *held_keys):
    """`cls` rebuilt from `composer_config`'s output."""
    config = dict(config)
    for key in held_keys:
        value = config[key]
        config[key] = (
            [keras.saving.deserialize_keras_object(c) for c in value]
            if isinstance(value, list) else keras.saving.deserialize_keras_object(value)
        )
    return cls(**config)


def is_fusable(layer):
    return getattr(layer, "fusable", False)


def is_warp(layer):
    """Displacement-field warps can end a fused run, but nothing fuses after them."""
    return getattr(layer, "warp", False)


def output_images_shape(layer, images_shape):
    """Dynamic output shape of `layer` for `[B, H, W, C]` input shape."""
    method = getattr(layer, "output_images_shape", None)
    return images_shape if method is None else method(images_shape)


def share_box_format(owner, layers):
    """Inner layers without a `bounding_box_format` use the owner's."""
    if owner.bounding_box_format is None:
        return
    for layer in layers:
        if layer.bounding_box_format is None:
            layer.bounding_box_format = owner.bounding_box_format
            share_box_format(layer, getattr(layer, "layers", None) or [getattr(layer, "layer", layer)])


def fill_settings(layer):
    if layer.fill_mode is None:
        return set()
    return {(layer.fill_mode, float(layer.fill_value))}


def fusion_groups(layers):
    """Split layer indices into runs that can share one resample.

    Geometric layers fuse while their fill settings agree (`fill_mode=None`
    agrees with any); a warp may end such a run; every other layer is a
    group of its own.
    """
    groups = []
    fills = set()
    for index, layer in enumerate(layers):
        current = groups[-1] if groups else None
        if (
            (is_fusable(layer) or is_warp(layer))
            and current is not None
            and is_fusable(layers[current[-1]])
            and len(fills | fill_settings(layer)) <= 1
        ):
            current.append(index)
            fills |= fill_settings(layer)
        else:
            groups.append([index])
            fills = fill_settings(layer) if is_fusable(layer) else set()
    return groups


def fused_settings(layers, owner, bounding_box_format=None, **changes):
    """`WarpSettings` of one resample standing for all of `layers`: bilinear
    if any of them is, their common fill, the first box format given (else
    `bounding_box_format`) and the strictest box filters."""
    output_size = None
    for layer in layers:
        output_size = layer.output_size() or output_size
    interpolations = {layer.interpolation for layer in layers}
    fills = set().union(*[fill_settings(layer) for layer in layers])
    fill_mode, fill_value = next(iter(fills)) if fills else (None, 0.0)
    formats = [layer.bounding_box_format for layer in layers if layer.bounding_box_format]
    settings = dict(
        output_size=output_size,
        interpolation="bilinear" if "bilinear" in interpolations else "nearest",
        fill_mode=fill_mode,
        fill_value=fill_value,
        bounding_box_format=formats[0] if formats else bounding_box_format,
        owner=owner,
        min_area=max(layer.min_area for layer in layers),
        min_visibility=max(layer.min_visibility for layer in layers),
    )
    settings.update(changes)
    return WarpSettings(**settings)
