"""Record or compare a fingerprint of every registered layer case's outputs.

    python tests/scripts/golden_outputs.py record golden.json
    python tests/scripts/golden_outputs.py compare golden.json

For each harness case (`tests/cases/`): every supported dtype, plain and dict
input, three call seeds, plus the `training=False` output, each reduced to a
SHA-256 of its bytes. Used to show that a restructuring changed no output bit
for bit. XLA's CPU code depends on the processor, so compare on the machine
that recorded the file.
"""

import hashlib
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from cases import all_cases  # noqa: E402


def fingerprint(value):
    digest = hashlib.sha256()
    for leaf in _leaves(value):
        array = np.asarray(leaf)
        digest.update(str((array.shape, array.dtype.str)).encode())
        digest.update(array.tobytes() if array.dtype.kind != "O" else repr(array.tolist()).encode())
    return digest.hexdigest()[:24]


def _leaves(value):
    if isinstance(value, dict):
        for key in sorted(value):
            yield from _leaves(value[key])
    else:
        yield value


def record():
    results = {}
    for case in all_cases():
        layer = case.build()
        key = getattr(layer, "input_key", "images")
        for dtype in case.dtypes:
            x = case.inputs(dtype, seed=1)
            for seed in (0, 7, 123456):
                results[f"{case.id}|{dtype}|plain|{seed}"] = fingerprint(layer(x, training=True, seed=seed))
            results[f"{case.id}|{dtype}|dict|7"] = fingerprint(layer({key: x}, training=True, seed=7))
            results[f"{case.id}|{dtype}|inference"] = fingerprint(layer(x, training=False))
    return results


def main(argv):
    if len(argv) != 3 or argv[1] not in ("record", "compare"):
        print(__doc__)
        return 2
    results = record()
    if argv[1] == "record":
        with open(argv[2], "w") as handle:
            json.dump(results, handle, indent=0, sort_keys=True)
        print(f"recorded {len(results)} outputs")
        return 0
    with open(argv[2]) as handle:
        expected = json.load(handle)
    changed = sorted(k for k in expected if k in results and results[k] != expected[k])
    missing = sorted(set(expected) - set(results))
    added = sorted(set(results) - set(expected))
    for name in changed:
        print("changed:", name)
    for name in missing:
        print("missing:", name)
    print(f"{len(expected) - len(changed) - len(missing)} identical, {len(changed)} changed, "
          f"{len(missing)} missing, {len(added)} new")
    return 1 if changed or missing else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
