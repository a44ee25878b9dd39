"""Policies: per-sample draws, op frequencies, targets following geometric ops."""

import numpy as np
import pytest
import tensorflow as tf
from scipy import stats

from keras_augment import layers
from keras_augment.layers.policies.auto_augment import policy_arrays
from keras_augment.layers.policies.auto_augment_policies import POLICIES


def _identical_batch(batch_size, size=12, seed=0):
    image = np.random.default_rng(seed).integers(0, 256, (1, size, size, 3)).astype("uint8")
    return np.repeat(image, batch_size, axis=0)


@pytest.mark.parametrize(
    "layer",
    [
        layers.RandAugment(seed=0),
        layers.TrivialAugmentWide(seed=0),
        layers.AutoAugment("cifar10", seed=0),
        layers.AugMix(seed=0),
    ],
    ids=lambda layer: type(layer).__name__,
)
def test_identical_images_get_different_outputs(layer):
    images = _identical_batch(16)
    output = np.asarray(layer(images, seed=7))
    distinct = {output[i].tobytes() for i in range(len(output))}
    assert len(distinct) >= 8, f"{type(layer).__name__}: only {len(distinct)} distinct outputs of 16"


def _op_counts(layer, batch_size, seed=5):
    transformation = layer.get_random_transformation(_identical_batch(batch_size, size=4), seed=seed)
    op_ids = np.asarray(transformation["op_ids"]).ravel()
    return np.bincount(op_ids, minlength=len(layer.table))


@pytest.mark.parametrize(
    "layer",
    [layers.RandAugment(num_ops=2, seed=0), layers.TrivialAugmentWide(seed=0), layers.AugMix(seed=0)],
    ids=lambda layer: type(layer).__name__,
)
def test_uniform_op_frequencies_chi_square(layer):
    counts = _op_counts(layer, 2000)
    expected = np.full(len(counts), counts.sum() / len(counts))
    assert stats.chisquare(counts, expected).pvalue > 0.001, counts


@pytest.mark.parametrize("policy", sorted(POLICIES))
def test_auto_augment_op_frequencies_match_the_policy(policy):
    layer = layers.AutoAugment(policy, seed=0)
    counts = _op_counts(layer, 4000)
    table, op_ids, probabilities, _ = policy_arrays(POLICIES[policy])
    # Expected share of each op per step: sub-policies are equally likely,
    # a step not applied counts as identity (index 0).
    expected = np.zeros(len(table))
    for sub_ids, sub_probabilities in zip(op_ids, probabilities):
        for op_id, probability in zip(sub_ids, sub_probabilities):
            expected[op_id] += probability
            expected[0] += 1.0 - probability
    expected *= counts.sum() / expected.sum()
    assert stats.chisquare(counts, expected).pvalue > 0.001, (counts, expected.round())


def test_levels_are_per_sample_and_within_factor():
    layer = layers.RandAugment(factor=(0.2, 0.4), seed=0)
    levels = np.abs(np.asarray(layer.get_random_transformation(_identical_batch(256, 4), seed=1)["levels"]))
    assert levels.min() >= 0.2 and levels.max() <= 0.4
    assert len(np.unique(levels)) > 500


def test_identity_op_leaves_the_image_unchanged():
    layer = layers.TrivialAugmentWide(seed=0)
    images = _identical_batch(64)
    transformation = layer.get_random_transformation(images, seed=3)
    output = np.asarray(layer.apply_transformation(images, transformation))
    identity = np.asarray(transformation["op_ids"])[:, 0] == 0
    assert identity.any() and not identity.all()
    np.testing.assert_array_equal(output[identity], images[identity].astype("float32"))
    assert not np.array_equal(output[~identity], images[~identity].astype("float32"))


def test_batched_equals_each_image_alone():
    layer = layers.RandAugment(num_ops=3, seed=0)
    images = np.random.default_rng(1).integers(0, 256, (8, 12, 12, 3)).astype("uint8")
    transformation = layer.get_random_transformation(images, seed=2)
    batched = np.asarray(layer.apply_transformation(images, transformation))
    for i in range(8):
        single = {key: value[i : i + 1] for key, value in transformation.items()}
        alone = np.asarray(layer.apply_transformation(images[i : i + 1], single))
        np.testing.assert_array_equal(batched[i : i + 1], alone)


def _square_batch(batch_size, size=24):
    masks = np.zeros((batch_size, size, size), "int32")
    masks[:, 6:14, 8:18] = 1
    images = np.repeat(masks[..., None] * 255, 3, axis=-1).astype("float32")
    boxes = np.tile(np.array([[[8.0, 6.0, 18.0, 14.0]]], "float32"), (batch_size, 1, 1))
    keypoints = np.tile(np.array([[[8.0, 6.0], [18.0, 14.0]]], "float32"), (batch_size, 1, 1))
    return {
        "images": images,
        "segmentation_masks": masks,
        "bounding_boxes": {"boxes": boxes, "classes": np.zeros((batch_size, 1), "int32")},
        "keypoints": keypoints,
    }


@pytest.mark.parametrize("policy", ["cifar10", "svhn"])
def test_boxes_masks_keypoints_follow_geometric_ops(policy):
    layer = layers.AutoAugment(
        policy, interpolation="nearest", fill_value=0.0, bounding_box_format="xyxy", seed=0
    )
    batch = _square_batch(32)
    transformation = layer.get_random_transformation(batch, seed=4)
    # Keep only the geometric steps so the image stays a picture of the mask.
    geometric = np.asarray(layer._is_geometric(transformation["op_ids"]))
    assert geometric.any()
    op_ids = np.where(geometric, np.asarray(transformation["op_ids"]), 0)
    transformation = layer.complete_parameters(op_ids, transformation["levels"], tf.constant([32, 24, 24, 3]))
    output = layer.apply_transformation(batch, transformation)
    images, masks = np.asarray(output["images"]), np.asarray(output["segmentation_masks"])
    np.testing.assert_array_equal(images[..., 0], masks * 255.0)
    moved = geometric.any(axis=1)
    assert not np.array_equal(masks[moved], batch["segmentation_masks"][moved])
    boxes = np.asarray(output["bounding_boxes"]["boxes"])[:, 0]
    keypoints = np.asarray(output["keypoints"])
    for i in range(32):
        ys, xs = np.nonzero(masks[i])
        if len(xs) == 0:
            continue
        # The box encloses the warped mask (pixel centres + 0.5) up to a pixel.
        assert boxes[i, 0] <= xs.min() + 1.5 and boxes[i, 2] >= xs.max() - 0.5, (i, boxes[i], xs)
        assert boxes[i, 1] <= ys.min() + 1.5 and boxes[i, 3] >= ys.max() - 0.5, (i, boxes[i], ys)
        if not moved[i]:
            np.testing.assert_allclose(keypoints[i], batch["keypoints"][i], atol=1e-4)


def test_aug_mix_weights_are_per_sample_distributions():
    layer = layers.AugMix(num_chains=3, alpha=1.0, seed=0)
    transformation = layer.get_random_transformation(_identical_batch(500, 4), seed=0)
    chain_weights = np.asarray(transformation["chain_weights"])
    np.testing.assert_allclose(chain_weights.sum(-1), 1.0, atol=1e-5)
    mix = np.asarray(transformation["mix_weights"])
    assert 0 <= mix.min() and mix.max() <= 1 and len(np.unique(mix)) == 500
    # Beta(1, 1) is uniform.
    assert stats.kstest(mix, "uniform").pvalue > 0.001


def test_aug_mix_refuses_boxes():
    layer = layers.AugMix(seed=0, bounding_box_format="xyxy")
    with pytest.raises(ValueError, match="AugMix"):
        layer(_square_batch(2))


@pytest.mark.parametrize(
    "build, message",
    [
        (lambda: layers.RandAugment(num_ops=-1), "num_ops"),
        (lambda: layers.RandAugment(factor=1.5), "factor"),
        (lambda: layers.RandAugment(interpolation="cubic"), "interpolation"),
        (lambda: layers.AutoAugment("mnist"), "policy"),
        (lambda: layers.TrivialAugmentWide(num_magnitude_bins=1), "num_magnitude_bins"),
        (lambda: layers.AugMix(num_chains=0), "num_chains"),
        (lambda: layers.AugMix(alpha=0.0), "alpha"),
    ],
)
def test_bad_arguments_raise(build, message):
    with pytest.raises(ValueError, match=message):
        build()


def test_eight_bit_lookup_tables_match_the_float_kernels():
    from keras_augment.ops import colour, eight_bit

    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, (6, 9, 11, 3)).astype("uint8")
    images[1] = images[1] // 4 + 60  # narrow range: autocontrast stretches
    images[2, ..., 1] = 7  # constant channel: left as it is
    floats = tf.cast(images, tf.float32)
    for fast, reference in (
        (eight_bit.equalize, colour.equalize),
        (eight_bit.autocontrast, colour.autocontrast),
    ):
        expected = np.round(np.clip(np.asarray(reference(floats, (0.0, 255.0))), 0, 255))
        np.testing.assert_array_equal(np.asarray(fast(images)), expected.astype("uint8"))


def test_float_inputs_on_other_ranges_are_not_quantized():
    layer = layers.RandAugment(value_range=(0, 1), seed=0)
    images = np.random.default_rng(2).uniform(0, 1, (8, 12, 12, 3)).astype("float32")
    output = np.asarray(layer(images, seed=1))
    assert output.min() >= 0 and output.max() <= 1
    assert not np.allclose(output * 255, np.round(output * 255))


@pytest.mark.parametrize("name", ["RandAugment", "AugMix"])
def test_keras_arguments_and_defaults(name):
    import inspect

    import keras

    ours = inspect.signature(getattr(layers, name).__init__).parameters
    theirs = inspect.signature(getattr(keras.layers, name).__init__).parameters
    for argument, parameter in theirs.items():
        if argument in ("self", "kwargs"):
            continue
        assert argument in ours, f"{name} lacks Keras's argument {argument!r}"
        assert ours[argument].default == parameter.default, argument


def test_zero_ops_matches_keras():
    import keras

    images = np.random.default_rng(3).integers(0, 256, (2, 12, 12, 3)).astype("float32")
    ours = np.asarray(layers.RandAugment(num_ops=0, seed=0)(images))
    theirs = np.asarray(keras.layers.RandAugment(num_ops=0, seed=0)(images))
    np.testing.assert_array_equal(ours, theirs)


def test_partition_buckets_are_few_and_waste_at_most_a_quarter():
    from keras_augment.layers.policies.partitions import bucket_size

    sizes = [int(bucket_size(tf.constant(count), tf.constant(64))) for count in range(1, 65)]
    assert sizes[:8] == list(range(1, 9))
    assert all(count <= size <= 64 for count, size in zip(range(1, 65), sizes))
    assert all(size - count < max(count // 4, 1) for count, size in zip(range(1, 65), sizes))
    assert len(set(sizes)) == 20
    assert int(bucket_size(tf.constant(100), tf.constant(64))) == 64


@pytest.mark.parametrize("eager", [True, False])
def test_run_partitions_runs_each_kernel_on_its_images_only(eager):
    from keras_augment.layers.policies.partitions import run_partitions

    # source holds the batch in another order: image b is source[rows[b]].
    batch = np.arange(7, dtype=np.float32)[:, None, None, None] * np.ones([7, 2, 2, 1], np.float32)
    rows = np.array([6, 0, 5, 1, 4, 2, 3], np.int32)
    source = np.zeros_like(batch)
    source[rows] = batch
    partitions = tf.constant([2, 0, 2, 2, 0, 3, 2], tf.int32)
    seen = {}

    def kernel(offset):
        def apply(images, image_rows, positions):
            seen[offset] = positions  # batch positions of the images it got
            return tf.gather(images, image_rows) + offset

        return apply

    def run(source):
        kernels = {0: kernel(100.0), 2: kernel(200.0), 3: kernel(300.0)}
        return run_partitions(source, tf.constant(rows), partitions, kernels, 4)

    pieces, destination = run(tf.constant(source)) if eager else tf.function(run)(source)
    result = tf.gather(pieces, destination).numpy()[:, 0, 0, 0]
    offsets = np.array([200, 100, 200, 200, 100, 300, 200])
    np.testing.assert_array_equal(result, np.arange(7) + offsets)
    if eager:  # the kernels saw their own positions, padded by repeating the last
        np.testing.assert_array_equal(seen[100.0].numpy(), [1, 4])
        np.testing.assert_array_equal(seen[300.0].numpy(), [5])
        np.testing.assert_array_equal(seen[200.0].numpy(), [0, 2, 3, 6])


@pytest.mark.parametrize("dtype", ["uint8", "float32"])
def test_contrast_op_matches_pil_image_enhance(dtype):
    """A policy's `contrast` op is PIL's `ImageEnhance.Contrast`: a blend
    towards the mean of the image's grayscale (one grey for all channels),
    not towards each channel's own mean. Channels with very different means
    make the two rules differ by tens of levels."""
    from PIL import Image, ImageEnhance

    layer = layers.RandAugment(num_ops=1, seed=0)
    names = [name for name, _ in layer.table]
    rng = np.random.default_rng(5)
    images = rng.integers(0, 256, (4, 9, 13, 3))
    images[..., 0] = images[..., 0] // 4 + 180  # red bright, blue dark
    images[..., 2] = images[..., 2] // 4
    images = images.astype("uint8")
    levels = np.array([-1.0, -0.5, 0.3, 1.0], "float32")
    factors = 1.0 + levels * dict(layer.table)["contrast"]
    op_ids = np.full((4, 1), names.index("contrast"), "int32")
    transformation = layer.complete_parameters(
        op_ids, np.repeat(levels[:, None, None], 2, axis=2), tf.constant(images.shape)
    )
    ours = np.asarray(layer.apply_transformation(images.astype(dtype), transformation), np.float64)
    expected = np.stack(
        [
            np.asarray(ImageEnhance.Contrast(Image.fromarray(image)).enhance(float(f)), np.float64)
            for image, f in zip(images, factors)
        ]
    )
    # PIL rounds the grey mean to an integer (see tests/test_ops_colour.py).
    np.testing.assert_allclose(ours, expected, atol=2.5)
