"""SavedModels load and match where keras_augment cannot be imported."""

import importlib
import json
import os
import pkgutil
import subprocess
import sys

import keras
import numpy as np
import pytest
import tensorflow as tf

import cases
from keras_augment import layers
from keras_augment.export import export_augmenter

LOADER = os.path.join(os.path.dirname(__file__), "scripts", "load_without_package.py")


def load_in_fresh_process(tmp_path, entries):
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps(entries))
    result = subprocess.run(
        [sys.executable, LOADER, str(manifest)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3"),
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]


def entry(tmp_path, name, inputs, expected, signature="serving_default"):
    np.savez(tmp_path / f"{name}_in.npz", **inputs)
    np.savez(tmp_path / f"{name}_out.npz", **{k: np.asarray(v) for k, v in expected.items()})
    return {
        "model": str(tmp_path / name),
        "inputs": str(tmp_path / f"{name}_in.npz"),
        "expected": str(tmp_path / f"{name}_out.npz"),
        "signature": signature,
    }


def test_one_layer_of_every_family_reloads_bit_identical_without_the_package(tmp_path):
    entries = []
    for info in pkgutil.iter_modules(cases.__path__):
        family = importlib.import_module(f"cases.{info.name}")
        image_cases = [c for c in family.CASES]
        if not image_cases:
            continue
        case = image_cases[0]
        layer = case.build()
        dtype = case.dtypes[-1]
        x = case.inputs(dtype)
        name = f"family_{info.name}"
        export_augmenter(layer, tmp_path / name, case.shape[1:], dtype)
        entries.append(
            entry(tmp_path, name, {"images": x, "seed": np.int64(12)}, {"images": layer(x, seed=12)})
        )
    assert entries
    load_in_fresh_process(tmp_path, entries)


def test_dict_export_routes_labels_boxes_masks_and_keypoints(tmp_path):
    layer = layers.Pipeline(
        [layers.RandomFlip(bounding_box_format="xyxy"), layers.RandomBrightness(0.4)], seed=1
    )
    rng = np.random.default_rng(0)
    data = {
        "images": rng.integers(0, 256, (4, 10, 12, 3)).astype("uint8"),
        "labels": rng.integers(0, 5, (4,)).astype("int32"),
        "segmentation_masks": rng.integers(0, 3, (4, 10, 12, 1)).astype("int32"),
        "keypoints": rng.uniform(0, 10, (4, 3, 2)).astype("float32"),
        "bounding_boxes": {
            "boxes": np.tile(np.array([[[1, 2, 5, 6], [0, 0, 12, 10]]], "float32"), (4, 1, 1)),
            "classes": np.tile(np.array([[1, -1]], "int32"), (4, 1)),
        },
    }
    export_augmenter(
        layer,
        tmp_path / "routed",
        (10, 12, 3),
        "uint8",
        labels=tf.TensorSpec([None], tf.int32),
        segmentation_masks=tf.TensorSpec([None, 10, 12, 1], tf.int32),
        keypoints=tf.TensorSpec([None, None, 2], tf.float32),
        bounding_boxes={
            "boxes": tf.TensorSpec([None, None, 4], tf.float32),
            "classes": tf.TensorSpec([None, None], tf.int32),
        },
    )
    expected = layer(data, seed=5)
    flat_in = {k: v for k, v in data.items() if k != "bounding_boxes"}
    flat_in.update({"bounding_boxes_boxes": data["bounding_boxes"]["boxes"], "bounding_boxes_classes": data["bounding_boxes"]["classes"], "seed": np.int64(5)})
    flat_out = {k: v for k, v in expected.items() if k != "bounding_boxes"}
    flat_out.update({"bounding_boxes_boxes": expected["bounding_boxes"]["boxes"], "bounding_boxes_classes": expected["bounding_boxes"]["classes"]})
    # The flip must have moved something, or the test would prove nothing.
    assert not np.array_equal(flat_out["bounding_boxes_boxes"], data["bounding_boxes"]["boxes"])
    load_in_fresh_process(tmp_path, [entry(tmp_path, "routed", flat_in, flat_out)])


def test_unknown_routed_input_is_refused(tmp_path):
    with pytest.raises(ValueError, match="unknown routed inputs"):
        export_augmenter(layers.RandomFlip(), tmp_path / "x", (4, 4, 3), weights=tf.TensorSpec([None]))


def test_an_inference_endpoint_serves_without_augmentation(tmp_path):
    # `model.export()` (Keras 3.15) serves `__call__` without `training`, so
    # augmentation layers augment there, Keras core's as ours: an endpoint
    # that passes `training=False` serves plain inference.
    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [
            keras.Input((6, 6, 3), name="images"),
            layers.RandomFlip(),
            layers.RandomBrightness(0.5),
            keras.layers.Flatten(),
            keras.layers.Dense(3),
        ]
    )
    x = np.random.default_rng(1).uniform(0, 255, (5, 6, 6, 3)).astype("float32")
    archive = keras.export.ExportArchive()
    archive.track(model)
    archive.add_endpoint(
        "serve", lambda images: model(images, training=False),
        input_signature=[tf.TensorSpec([None, 6, 6, 3], tf.float32, name="images")],
    )
    archive.write_out(str(tmp_path / "classifier"), verbose=False)
    expected = model.predict(x, verbose=0)
    without_layers = keras.Sequential([keras.Input((6, 6, 3))] + model.layers[2:])
    np.testing.assert_allclose(expected, without_layers.predict(x, verbose=0), rtol=1e-6)
    load_in_fresh_process(tmp_path, [entry(tmp_path, "classifier", {"images": x}, {"output_0": expected}, signature="serve")])


def test_exports_are_inspectable_with_saved_model_cli(tmp_path):
    cli = os.path.join(os.path.dirname(sys.executable), "saved_model_cli")
    if not os.path.exists(cli):
        pytest.skip("saved_model_cli is not installed beside this Python")
    export_augmenter(layers.RandomFlip(), tmp_path / "flip", (6, 6, 3), "uint8")
    result = subprocess.run(
        [cli, "show", "--dir", str(tmp_path / "flip"), "--all"],
        capture_output=True,
        text=True,
        env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3"),
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "serving_default" in result.stdout
    assert "images" in result.stdout and "seed" in result.stdout
