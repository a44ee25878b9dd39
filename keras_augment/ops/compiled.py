"""The one way kernels are compiled with XLA in this package.

On CPU, XLA fuses the chains of element-wise ops these kernels are made of
into single passes over the pixels, which is several times faster than
running them op by op (see benchmarks/colour.py). A compiled kernel also
gives bit-identical results in eager mode, in `tf.function`, in `tf.data` and
in a SavedModel, because all of them run the same compiled program; without
it, graph optimizers may regroup additions and constant products and change
the last bit. Python arguments (value ranges, kernel sizes) are static and
traced once per value.

Where XLA cannot compile on the default device (probed once, at the first
call, not at import), kernels run as plain `tf.function`s instead.
"""

import functools

import tensorflow as tf

_FUNCTIONS = {}
_XLA_AVAILABLE = None


def xla_available():
    """True when XLA can compile on the default device (probed once)."""
    global _XLA_AVAILABLE
    if _XLA_AVAILABLE is None:
        try:
            with tf.init_scope():
                probe = tf.function(lambda x: x * 2.0 + 1.0, jit_compile=True)
                probe(tf.ones([2]))
            _XLA_AVAILABLE = True
        except Exception:  # noqa: BLE001 - any failure means "no XLA here".
            _XLA_AVAILABLE = False
    return _XLA_AVAILABLE


def cached_function(key, python_function, jit_compile=None, **options):
    """The one compile cache: the `tf.function` of `python_function` stored
    under `key`, made at the first call for that key.

    Args:
        key: hashable identity of the function (a kernel, or a kernel and
            its static settings).
        python_function: what to compile when `key` is new.
        jit_compile: whether to compile with XLA; None: where XLA is available.
        **options: further `tf.function` options (e.g. `autograph`).
    """
    function = _FUNCTIONS.get(key)
    if function is None:
        jit = xla_available() if jit_compile is None else jit_compile
        function = tf.function(python_function, jit_compile=jit, **options)
        _FUNCTIONS[key] = function
    return function


def instance_function(owner, name, python_function, **options):
    """The `tf.function` (XLA where available) of `python_function`, kept on
    `owner` under `name`: for programs that close over one layer's weights,
    which the module-wide cache would keep alive for ever. Stored in
    `owner.__dict__`, out of Keras's attribute tracking.
    """
    function = owner.__dict__.get(name)
    if function is None:
        function = tf.function(python_function, jit_compile=xla_available(), **options)
        owner.__dict__[name] = function
    return function


def _function_for(kernel):
    # The kernels have no tensor-dependent Python control flow: no autograph.
    return cached_function(kernel, kernel, autograph=False)


def compiled(kernel):
    """`kernel` compiled with XLA, one program cache per kernel.

    Call it as `compiled(kernel)(*args)` or use it as a decorator; either
    way the `tf.function` is made at the first call and shared.
    """

    @functools.wraps(kernel)
    def call(*args, **kwargs):
        return _function_for(kernel)(*args, **kwargs)

    return call


def compiled_with_size(kernel):
    """`kernel(*tensors, height, width)` compiled with XLA, for kernels whose
    shapes follow an image size that may be a tensor.

    The height and width (ints or int tensors) reach the kernel as the
    lengths of two vectors, so XLA sees them as compile-time constants and
    one program serves each size. The other arguments are converted to
    tensors. Use it as a decorator.
    """

    def body(tensors, rows, columns):
        return kernel(*tensors, tf.shape(rows)[0], tf.shape(columns)[0])

    @functools.wraps(kernel)
    def call(*args):
        *tensors, height, width = args
        rows = tf.zeros(tf.reshape(height, [1]))
        columns = tf.zeros(tf.reshape(width, [1]))
        tensors = tuple(tf.convert_to_tensor(t) for t in tensors)
        return _function_for(body)(tensors, rows, columns)

    return call


def compiled_on_tensors(kernel):
    """`kernel` compiled (see `compiled`), every argument converted to a tensor."""
    run = compiled(kernel)

    @functools.wraps(kernel)
    def call(*args):
        return run(*(tf.convert_to_tensor(a) for a in args))

    return call
