"""Pipeline fuses consecutive geometric layers into one matrix and one resample."""

import keras
import numpy as np
import tensorflow as tf

from keras_augment import layers
from keras_augment.layers.compose.pipeline import fusion_groups
from keras_augment.ops import geometry
from keras_augment.ops.resample import resample


def _checkerboard(batch=4, size=48, square=2):
    rows = (np.arange(size) // square) % 2
    board = (rows[:, None] ^ rows[None, :]).astype("float32")
    return np.repeat(board[None, :, :, None], batch, axis=0).repeat(3, axis=-1)


def test_fused_rotate_zoom_equals_one_warp_with_the_product_matrix():
    x = _checkerboard()
    pipeline = layers.Pipeline(
        [layers.RandomRotation(0.1, fill_mode="constant"), layers.RandomZoom(0.2, fill_mode="constant")]
    )
    transformation = pipeline.get_random_transformation(x, seed=3)
    product = transformation[0]["matrix"] @ transformation[1]["matrix"]
    expected = resample(x, product, fill_mode="constant")
    np.testing.assert_allclose(pipeline.apply_transformation(x, transformation), expected, atol=1e-5)


def _sharpness(images):
    # Mean distance from mid-grey: 0.5 for a crisp board, 0 for a fully blurred one.
    return float(np.abs(np.asarray(images)[:, 12:-12, 12:-12] - 0.5).mean())


def test_fused_chain_is_less_blurred_than_keras_two_step():
    x = _checkerboard()
    angle, zoom = (0.03, 0.03), (-0.15, -0.15)
    ours = layers.Pipeline([layers.RandomRotation(angle), layers.RandomZoom(zoom)])(x, seed=0)
    keras_two_step = keras.layers.RandomZoom(zoom)(keras.layers.RandomRotation(angle)(x))
    # Both sample the same geometry: one warp with the product matrix.
    one_warp = resample(
        x,
        geometry.compose(
            geometry.rotation(tf.fill([4], 0.03 * 2 * np.pi), 24.0, 24.0),
            geometry.scaling(tf.fill([4], 0.85), tf.fill([4], 0.85), 24.0, 24.0),
        ),
        fill_mode="reflect",
    )
    np.testing.assert_allclose(ours, one_warp, atol=1e-4)
    assert _sharpness(ours) > _sharpness(keras_two_step) + 0.02


def test_fusion_groups_break_at_other_layers_and_other_fill_settings():
    chain = [
        layers.RandomFlip(),
        layers.RandomRotation(0.1),
        layers.RandomZoom(0.1),
        layers.RandomContrast(0.1),
        layers.RandomTranslation(0.1, 0.1, fill_mode="constant"),
        layers.CenterCrop(8, 8),
        layers.RandomShear(0.1),
        layers.Resizing(6, 6, interpolation="bicubic"),
    ]
    assert fusion_groups(chain) == [[0, 1, 2], [3], [4, 5], [6], [7]]


def test_pipeline_resamples_once_for_a_geometric_run():
    calls = []
    import keras_augment.layers.geometric.warp_batch as geometric_base

    original = geometric_base.resample

    def counting(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    geometric_base.resample = counting
    try:
        layers.Pipeline(
            [layers.RandomFlip(), layers.RandomRotation(0.1), layers.RandomTranslation(0.1, 0.1),
             layers.RandomZoom(0.1), layers.RandomCrop(10, 10), layers.Resizing(12, 14)]
        )(_checkerboard(size=16), seed=1)
    finally:
        geometric_base.resample = original
    assert len(calls) == 1


def test_size_changing_layers_see_the_intermediate_size():
    pipeline = layers.Pipeline([layers.Resizing(30, 40), layers.RandomCrop(20, 20), layers.RandomRotation(0.1)])
    out = pipeline(_checkerboard(size=16), seed=2)
    assert out.shape == (4, 20, 20, 3)
    symbolic = pipeline(keras.Input((16, 16, 3)))
    assert tuple(symbolic.shape) == (None, 20, 20, 3)


def test_inference_runs_only_the_layers_keras_runs_at_inference():
    pipeline = layers.Pipeline([layers.RandomRotation(0.3), layers.Resizing(8, 6)])
    x = _checkerboard(size=16)
    out = pipeline(x, training=False)
    np.testing.assert_allclose(out, layers.Resizing(8, 6)(x), atol=1e-6)


def test_pipeline_matches_keras_pipeline_interface():
    import inspect

    assert list(inspect.signature(keras.layers.Pipeline.__init__).parameters)[:2] == ["self", "layers"]
    pipeline = layers.Pipeline([layers.RandomFlip(), layers.RandomZoom(0.1)], name="augment")
    clone = layers.Pipeline.from_config(pipeline.get_config())
    assert clone.name == "augment" and [type(l) for l in clone.layers] == [type(l) for l in pipeline.layers]
