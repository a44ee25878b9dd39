"""Parse augmenter specs such as "RandomFlip('horizontal'), RandomBrightness(0.2)".

The spec is read with `ast` and only layer names exported by
`keras_augment.layers` with literal arguments are accepted: nothing is
evaluated, so a spec from the command line cannot run code.
"""

import ast


def parse_spec(spec):
    """Return a list of `(layer_name, args, kwargs)` from a spec string."""
    from keras_augment import layers

    try:
        tree = ast.parse(spec.strip(), mode="eval").body
    except SyntaxError as error:
        raise ValueError(f"augmenter spec {spec!r} is not valid: {error.msg}") from None
    calls = tree.elts if isinstance(tree, ast.Tuple) else [tree]
    parsed = []
    for call in calls:
        if not isinstance(call, ast.Call) or not isinstance(call.func, ast.Name):
            raise ValueError(
                f"augmenter spec {spec!r}: each item must look like "
                f"LayerName(arguments); got {ast.unparse(call)!r}."
            )
        name = call.func.id
        if name not in layers.__all__ or name == "BaseAugmentation":
            raise ValueError(
                f"augmenter spec {spec!r}: unknown layer {name!r}; known layers: "
                f"{', '.join(n for n in layers.__all__ if n != 'BaseAugmentation')}."
            )
        # ast accepts a keyword given twice (only compiling refuses it); a dict would keep the last.
        names = [k.arg for k in call.keywords if k.arg is not None]
        repeated = sorted({n for n in names if names.count(n) > 1})
        if repeated:
            raise ValueError(
                f"augmenter spec {spec!r}: {name} is given the keyword "
                f"{', '.join(map(repr, repeated))} more than once."
            )
        try:
            args = [ast.literal_eval(a) for a in call.args]
            kwargs = {k.arg: ast.literal_eval(k.value) for k in call.keywords}
        except ValueError:
            raise ValueError(
                f"augmenter spec {spec!r}: arguments of {name} must be literals "
                "(numbers, strings, tuples, lists)."
            ) from None
        if None in kwargs:
            raise ValueError(f"augmenter spec {spec!r}: ** arguments are not allowed.")
        parsed.append((name, args, kwargs))
    return parsed


def build_layers(spec, seed=None):
    """Instantiate the layers of a spec; `seed` seeds every layer not given one."""
    from keras_augment import layers

    built = []
    for index, (name, args, kwargs) in enumerate(parse_spec(spec)):
        if seed is not None:
            kwargs.setdefault("seed", seed + index)
        try:
            built.append(getattr(layers, name)(*args, **kwargs))
        except TypeError as error:
            raise ValueError(f"augmenter spec: {name}: {error}") from None
    return built
