"""XLA-compiled versions of the kernels, made once per kernel.

On CPU, XLA fuses the chains of element-wise ops these kernels are made of
into single passes over the pixels, which is several times faster than
running them op by op (see benchmarks/colour.py). A compiled kernel also
gives bit-identical results in eager mode, in `tf.function`, in `tf.data` and
in a SavedModel, because all of them run the same compiled program; without
it, graph optimizers may regroup additions and constant products and change
the last bit. Python arguments (value ranges, kernel sizes) are static and
traced once per value.
"""

import tensorflow as tf

_COMPILED = {}


def compiled(kernel):
    """`kernel` wrapped in `tf.function(jit_compile=True)`, cached by identity."""
    function = _COMPILED.get(kernel)
    if function is None:
        # The kernels have no tensor-dependent Python control flow: no autograph.
        function = tf.function(kernel, jit_compile=True, autograph=False)
        _COMPILED[kernel] = function
    return function
