"""Few-shot topic classification of real quotes, with and without EDA.

Where the text comes from: Debian's `fortunes` package (`apt-get install
fortunes`; files under /usr/share/games/fortunes, or give `--fortunes DIR`,
or set `$FORTUNES_DIR`). Each topic file holds human-written quotes
separated by lines holding `%`. Eight topic files become eight classes;
the script writes them as one JSON-lines table, reads it back with
`keras_augment.data.load`, and cleans it with `data.clean_text`: quotes
repeat across files, so exact and near duplicates are dropped before any
split. Without the package the script says so and skips (exit status 0).

The task: 16 training quotes per topic, an embedding-bag classifier
(`TextVectorization -> Embedding -> mean -> Dense`). A fixed share of the
quotes is held out as the test split once (`data.split`); each seed draws
its own 16 training and 32 validation quotes per topic from the rest.
Augmentation settings (which EDA operations, `alpha`, the
character-noise rate) are chosen on the validation quotes only, by mean accuracy over the seeds; the test split is read once,
for the chosen settings, and reported per seed with mean and spread.

EDA's synonym replacement and insertion use WordNet (Debian's
`wordnet-base`, read by `keras_augment.layers.text.wordnet_synonyms`);
without it only the variants without synonyms are tried.

    python examples/text_topics.py [--fast] [--fortunes DIR]
"""

import os
import re

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

import keras_augment as ka  # noqa: E402
from keras_augment import data  # noqa: E402

TOPICS = ("computers", "education", "food", "law", "politics", "science", "sports", "work")
DEFAULT_FORTUNES = "/usr/share/games/fortunes"
TEST_SEED, TEST_FRACTION = 17, 0.4
SEEDS = (0, 1, 2)
BATCH = 32
# Backspace overstriking (underlining, bold for old terminals) and punctuation.
_OVERSTRIKE = re.compile(".\x08")
_NOT_WORD = re.compile(r"[^\w\s']+")


def find_fortunes(folder):
    """The fortunes folder, or None when one of the topic files is missing."""
    folder = folder or os.environ.get("FORTUNES_DIR") or DEFAULT_FORTUNES
    present = all(os.path.isfile(os.path.join(folder, topic)) for topic in TOPICS)
    return folder if present else None


def write_corpus(folder, path, limit=None):
    """Writes the quotes of the topic files (the first `limit` of each) as a JSON-lines table."""
    import json

    with open(path, "w", encoding="utf-8") as table:
        for topic in TOPICS:
            with open(os.path.join(folder, topic), encoding="utf-8", errors="replace") as handle:
                quotes = _OVERSTRIKE.sub("", handle.read()).split("\n%\n")
            for quote in quotes[:limit]:
                if quote.strip(" \t\n%"):
                    table.write(json.dumps({"text": quote.strip(), "label": topic}) + "\n")


def words_only(text):
    """Lower-cased words and apostrophes: what the classifier and EDA see."""
    return " ".join(_NOT_WORD.sub(" ", text.lower()).split())


def load_quotes(path):
    """Loads and cleans the table: `(texts, labels, class_names)` as arrays, and a split."""
    ds = data.load(path)
    cleaned, report = data.clean_text(ds, min_length=4, max_length=80, threshold=0.8)
    print(f"quotes kept: {report.kept}; duplicates removed: {report.removed}; "
          f"outside 4..80 words: {len(report.skipped)}")
    pool, test = data.split(cleaned, TEST_FRACTION, seed=TEST_SEED)

    def arrays(part):
        rows = list(part.as_numpy_iterator())
        return (np.array([words_only(r["text"].decode()) for r in rows]),
                np.array([r["labels"] for r in rows], np.int64))

    return arrays(pool), arrays(test), ds.class_names


def few_shot(pool, seed, shots, validation_shots):
    """Each topic's `shots` training and `validation_shots` validation quotes for `seed`."""
    texts, labels = pool
    rng = np.random.default_rng(seed)
    train, validation = [], []
    for label in np.unique(labels):
        chosen = rng.permutation(np.flatnonzero(labels == label))
        train.extend(chosen[:shots])
        validation.extend(chosen[shots:shots + validation_shots])
    train, validation = np.array(train), np.array(validation)
    return (texts[train], labels[train]), (texts[validation], labels[validation])


def vocabulary_of(texts, synonyms):
    """The training words, plus every word of their WordNet synonyms."""
    words = {word for text in texts for word in text.split()}
    words |= {part for values in synonyms.values() for value in values for part in value.split()}
    return sorted(words)


def build_model(vocabulary, classes):
    """Embedding bag: words, their mean embedding, a softmax over topics."""
    inputs = keras.Input(shape=(), dtype="string")
    x = keras.layers.TextVectorization(vocabulary=vocabulary, standardize=None)(inputs)
    # Zero embeddings: words never trained on (test words, unused synonyms)
    # add nothing to the mean instead of random noise.
    x = keras.layers.Embedding(len(vocabulary) + 2, 64, embeddings_initializer="zeros", mask_zero=True)(x)
    x = keras.layers.GlobalAveragePooling1D()(x)
    outputs = keras.layers.Dense(classes, activation="softmax")(x)
    model = keras.Model(inputs, outputs)
    model.compile(keras.optimizers.Adam(0.01), "sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def training_stream(train, augmenter, seed):
    """Endless shuffled batches, augmented by `data.augment` when `augmenter` is given."""
    texts, labels = train
    stream = tf.data.Dataset.from_tensor_slices({"text": texts, "labels": labels})
    stream = stream.shuffle(len(texts), seed=seed).repeat().batch(BATCH)
    if augmenter is not None:
        stream = data.augment(stream, augmenter, seed=seed)
    return stream.map(lambda b: (b["text"], b["labels"])).prefetch(2)


def fit(train, resources, setting, seed, steps, classes):
    """Trains one model; `resources` are the seed's vocabulary, words and synonyms."""
    keras.utils.set_random_seed(seed)
    model = build_model(resources["vocabulary"], classes)
    augmenter = setting["make"](seed, resources) if setting["make"] else None
    stream = training_stream(train, augmenter, seed)
    model.fit(stream, steps_per_epoch=steps, epochs=1, verbose=0)
    return model


def accuracy(model, split):
    batches = tf.data.Dataset.from_tensor_slices(split).batch(256)
    return float(model.evaluate(batches, verbose=0)[1])


def candidate_settings(wordnet, alphas):
    """The augmentations tried on validation, each built per seed from its own training words.

    EDA without synonyms draws swap, deletion or insertion of a training
    word; with WordNet it also draws synonym replacement and insertion.
    `SynonymReplacement` alone is EDA's one operation that brings in words
    the training quotes lack.
    """
    settings = {}
    for alpha in alphas:
        def plain(seed, resources, alpha=alpha):
            return ka.layers.EDA(vocabulary=resources["words"], alpha_ri=alpha, alpha_rs=alpha,
                                 p_rd=alpha, stop_words=None, seed=seed)

        def eda(seed, resources, alpha=alpha):
            return ka.layers.EDA(synonyms=resources["synonyms"], alpha_sr=alpha, alpha_ri=alpha,
                                 alpha_rs=alpha, p_rd=alpha, seed=seed)

        def replace(seed, resources, alpha=alpha):
            return ka.layers.SynonymReplacement(resources["synonyms"], alpha=2 * alpha, seed=seed)

        settings[f"EDA alpha={alpha}"] = {"make": plain, "family": "EDA"}
        if wordnet:
            settings[f"EDA+WordNet alpha={alpha}"] = {"make": eda, "family": "WordNet"}
            settings[f"SynonymReplacement alpha={2 * alpha}"] = {"make": replace, "family": "WordNet"}
    return settings


def with_noise(setting, rate):
    """`setting` followed by keyboard typos, swaps, deletions and insertions at `rate`."""
    def make(seed, resources):
        noise = ka.layers.RandomCharacterNoise(rate=rate, seed=seed + 1000)
        return ka.layers.Pipeline([setting["make"](seed, resources), noise], seed=seed)
    return {"make": make, "family": "EDA+noise"}


def seed_resources(train_texts, use_wordnet):
    """A seed's training words, their WordNet synonyms and the model's vocabulary.

    The vocabulary is the training words plus every word of their synonyms,
    never words seen only in validation or test quotes.
    """
    words = sorted({word for text in train_texts for word in text.split()})
    synonyms = {}
    if use_wordnet:
        from keras_augment.layers.text import wordnet_synonyms

        synonyms = {key: value for key, value in wordnet_synonyms(words=words).items() if value}
    return {"words": words, "synonyms": synonyms, "vocabulary": vocabulary_of(train_texts, synonyms)}


def main(argv=None):
    import sys

    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from _common import best, parse_args, print_results, print_table, skip, summarise, train_settings

    def extra(parser):
        parser.add_argument("--fortunes", help="folder of the fortunes topic files")

    args = parse_args("Few-shot topic classification of quotes, with and without EDA.", argv, extra)
    folder = find_fortunes(args.fortunes)
    if folder is None:
        return skip("no fortunes topic files (apt-get install fortunes, or --fortunes DIR): "
                    + ", ".join(TOPICS))
    if args.fast:
        seeds, shots, validation_shots, steps, alphas, rates = (0,), 4, 4, 20, (0.1,), (0.05,)
    else:
        seeds, shots, validation_shots, steps, alphas, rates = SEEDS, 16, 32, 150, (0.1, 0.3), (0.02, 0.05)
    path = os.path.join(args.output_dir, "fortunes_topics.jsonl")
    write_corpus(folder, path, limit=120 if args.fast else None)
    pool, test, class_names = load_quotes(path)
    print(f"test split: {len(test[0])} quotes; each seed: {shots} training and "
          f"{validation_shots} validation quotes per topic; {steps} steps of {BATCH}")
    splits = {seed: few_shot(pool, seed, shots, validation_shots) for seed in seeds}
    try:
        resources = {seed: seed_resources(train[0], True) for seed, (train, _) in splits.items()}
    except (ImportError, LookupError, FileNotFoundError) as error:
        print(f"no WordNet ({error}): only the augmentations without synonyms are tried")
        resources = {seed: seed_resources(train[0], False) for seed, (train, _) in splits.items()}
    wordnet = bool(resources[seeds[0]]["synonyms"])
    settings = {"no augmentation": {"make": None}}
    settings.update(candidate_settings(wordnet, alphas))
    if args.fast:  # one setting of each kind
        settings = {name: s for name, s in settings.items() if not name.startswith("SynonymReplacement")}
    example = splits[seeds[0]][0][0][0]
    print("a training quote:", example)
    for name, setting in list(settings.items())[1:]:
        augmented = setting["make"](0, resources[seeds[0]])(tf.constant([example]), seed=3)
        print(f"  {name}: {augmented.numpy()[0].decode()}")

    def train_one(setting, seed):
        model = fit(splits[seed][0], resources[seed], setting, seed, steps, len(class_names))
        return model, accuracy(model, splits[seed][1])

    print("choosing settings on the validation quotes:")
    scores, models = train_settings(settings, seeds, train_one)
    families = {}
    for name, setting in settings.items():
        families.setdefault(setting.get("family", "none"), []).append(name)
    eda_best = best(scores, families["EDA"] + families.get("WordNet", []))
    noisy = {f"{eda_best} + noise rate={rate}": with_noise(settings[eda_best], rate) for rate in rates}
    noise_scores, noise_models = train_settings(noisy, seeds, train_one)
    scores.update(noise_scores)
    models.update(noise_models)
    rows = {"no augmentation": "no augmentation",
            "EDA (swap, deletion, insertion)": best(scores, families["EDA"])}
    if "WordNet" in families:
        rows["with WordNet synonyms"] = best(scores, families["WordNet"])
    rows["EDA + RandomCharacterNoise"] = best(scores, list(noisy))
    rows["chosen on validation"] = best(scores, list(scores))
    table = {row: summarise([accuracy(models[name, seed], test) for seed in seeds])
             for row, name in rows.items()}
    print_table(table, f"test accuracy on {len(test[0])} quotes ({len(class_names)} topics), read once:")
    gain = table["chosen on validation"]["mean"] - table["no augmentation"]["mean"]
    print(f"the setting chosen on validation ({rows['chosen on validation']}) changes test accuracy "
          f"by {100 * gain:+.1f} points")
    return print_results({"test": table, "settings": rows, "validation": scores, "test_size": len(test[0]),
                          "seeds": list(seeds), "shots": shots, "wordnet": wordnet})


if __name__ == "__main__":
    main()
