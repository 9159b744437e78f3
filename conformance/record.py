"""The recorder: runs cases on real TensorFlow and writes reference_cases/tf-<version>/.

Only this module writes reference cases. Files are JSON (data only) with the
TensorFlow, numpy and Python versions that produced them.
"""

from __future__ import annotations

import json
import pathlib

from . import backend, observe, seed_cases

ROOT = pathlib.Path(__file__).resolve().parents[1] / "reference_cases"


def record_seeds(tf, root: pathlib.Path = ROOT) -> pathlib.Path:
    folder = root / f"tf-{tf.__version__}"
    folder.mkdir(parents=True, exist_ok=True)
    cases = {name: observe.printed(fn, tf) for name, fn in sorted(seed_cases.CASES.items())}
    document = {"versions": backend.versions(tf), "cases": cases}
    path = folder / "seed_notebooks.json"
    path.write_text(json.dumps(document, indent=1, sort_keys=True, ensure_ascii=False) + "\n")
    return path
