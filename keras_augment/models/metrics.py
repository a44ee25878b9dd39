"""Quality metrics for generated images, built on a small domain classifier.

`frechet_classifier_distance` is the Frechet distance between Gaussians
fitted to the classifier's penultimate features (FID with a domain
classifier instead of Inception). `classification_accuracy_score` (CAS)
trains a fresh classifier on synthetic samples only and tests it on real
images: high when samples are both realistic and of the right class.
"""

import keras
import numpy as np

FEATURES_LAYER = "features"


def build_domain_classifier(image_shape, num_classes, width=32, seed=None):
    """A small CNN: two 3x3 conv blocks, a 128-unit `features` layer, softmax.

    Args:
        image_shape: `(H, W, C)` of images scaled to [0, 1].
        num_classes: number of classes.
        width: filters of the first conv layer.
        seed: optional integer seed of the initializers (and dropout).
    """
    def kernel(index):
        return keras.initializers.GlorotUniform(None if seed is None else seed * 100 + index)

    layers = keras.layers
    return keras.Sequential(
        [
            keras.Input(shape=tuple(image_shape)),
            layers.Conv2D(width, 3, padding="same", activation="relu", kernel_initializer=kernel(1)),
            layers.Conv2D(width, 3, padding="same", activation="relu", kernel_initializer=kernel(2)),
            layers.MaxPooling2D(2),
            layers.Conv2D(2 * width, 3, padding="same", activation="relu", kernel_initializer=kernel(3)),
            layers.GlobalAveragePooling2D(),
            layers.Dense(128, activation="relu", kernel_initializer=kernel(4), name=FEATURES_LAYER),
            layers.Dropout(0.3, seed=seed),
            layers.Dense(num_classes, activation="softmax", kernel_initializer=kernel(5)),
        ],
        name="domain_classifier",
    )


def _unit_range(images, value_range):
    low, high = value_range
    return (np.asarray(images, np.float32) - low) / (high - low)


def train_domain_classifier(
    images, labels, num_classes, value_range=(0.0, 1.0), epochs=30, batch_size=64, seed=0, verbose=0
):
    """Build and train `build_domain_classifier` on `images` with int `labels`.

    Images are scaled from `value_range` to [0, 1]; the returned model
    expects [0, 1] images (use `classifier_predict` / `classifier_features`,
    which take a `value_range`).
    """
    keras.utils.set_random_seed(seed)
    model = build_domain_classifier(np.shape(images)[1:], num_classes, seed=seed)
    model.compile(
        keras.optimizers.Adam(1e-3), "sparse_categorical_crossentropy", metrics=["accuracy"]
    )
    model.fit(
        _unit_range(images, value_range), np.asarray(labels), epochs=epochs,
        batch_size=batch_size, verbose=verbose,
    )
    return model


def classifier_features(classifier, images, value_range=(0.0, 1.0)):
    """Penultimate (`features` layer) activations, `[N, 128]` float64."""
    extractor = keras.Model(classifier.inputs, classifier.get_layer(FEATURES_LAYER).output)
    features = extractor.predict(_unit_range(images, value_range), batch_size=256, verbose=0)
    return features.astype(np.float64)


def classifier_accuracy(classifier, images, labels, value_range=(0.0, 1.0)):
    probabilities = classifier.predict(_unit_range(images, value_range), batch_size=256, verbose=0)
    return float(np.mean(np.argmax(probabilities, -1) == np.asarray(labels)))


def _sqrt_psd(matrix):
    values, vectors = np.linalg.eigh((matrix + matrix.T) / 2.0)
    return (vectors * np.sqrt(np.clip(values, 0.0, None))) @ vectors.T


def frechet_distance(features_a, features_b):
    """Frechet distance between Gaussians fitted to two `[N, D]` feature sets:
    `|mu_a - mu_b|^2 + tr(S_a + S_b - 2 (S_a^1/2 S_b S_a^1/2)^1/2)`."""
    mean_a, mean_b = features_a.mean(0), features_b.mean(0)
    cov_a = np.cov(features_a, rowvar=False)
    cov_b = np.cov(features_b, rowvar=False)
    root_a = _sqrt_psd(cov_a)
    cross = _sqrt_psd(root_a @ cov_b @ root_a)
    distance = np.sum((mean_a - mean_b) ** 2) + np.trace(cov_a + cov_b - 2.0 * cross)
    return float(max(distance, 0.0))


def frechet_classifier_distance(classifier, images_a, images_b, value_range=(0.0, 1.0)):
    """Frechet distance of the classifier's penultimate features of two image sets.

    Args:
        classifier: a model from `train_domain_classifier` (trained on real data).
        images_a, images_b: `[N, H, W, C]` images in `value_range`.
        value_range: `(low, high)` of both image sets.
    """
    return frechet_distance(
        classifier_features(classifier, images_a, value_range),
        classifier_features(classifier, images_b, value_range),
    )


def classification_accuracy_score(
    train_images, train_labels, test_images, test_labels, num_classes,
    value_range=(0.0, 1.0), epochs=30, seed=0,
):
    """Accuracy on (real) test images of a classifier trained only on
    `train_images` (synthetic samples for CAS; real ones for the reference)."""
    classifier = train_domain_classifier(
        train_images, train_labels, num_classes, value_range, epochs=epochs, seed=seed
    )
    return classifier_accuracy(classifier, test_images, test_labels, value_range)
