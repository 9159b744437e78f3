"""The recorder: the only writer of reference_cases/. Runs every case on real TensorFlow.

Inputs are drawn by each case's Hypothesis strategy with a seed fixed per case id and
a set number of examples, after the case's explicit examples; with one Hypothesis
version, recording twice writes identical files. The manifest's date changes only
when the recorded data do.
"""

from __future__ import annotations

import datetime
import json
import pathlib
import zlib

from . import backend, catalogue, codec, observe, reference
from .cases import Case

EXAMPLES_PER_CASE = 6


def draw_inputs(case: Case, count: int = EXAMPLES_PER_CASE) -> list[dict]:
    """The case's explicit examples, then up to `count` distinct Hypothesis draws (seeded by id)."""
    from hypothesis import HealthCheck, Phase, given, seed, settings

    drawn = [dict(e) for e in case.all_examples()]
    if case.inputs is None:
        return drawn or [{}]
    seen = {json.dumps(codec.encode(d), sort_keys=True) for d in drawn}
    wanted = min(count, case.max_examples or count)
    fresh: list[dict] = []

    @seed(zlib.crc32(case.id.encode()))
    @settings(
        max_examples=wanted * 4,
        database=None,
        derandomize=False,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
        deadline=None,
    )
    @given(case.strategy())
    def collect(inputs):
        key = json.dumps(codec.encode(inputs), sort_keys=True)
        if key not in seen and len(fresh) < wanted:
            seen.add(key)
            fresh.append(inputs)

    collect()
    return drawn + fresh


def record(tf, cases: dict[str, Case], root: pathlib.Path = reference.ROOT, progress=print) -> pathlib.Path:
    """Writes reference_cases/tf-<version>/ from `tf` (real TensorFlow)."""
    folder = root / f"tf-{tf.__version__}"
    folder.mkdir(parents=True, exist_ok=True)
    families: dict[str, dict] = {}
    for case_id, case in sorted(cases.items()):
        examples = []
        for inputs in draw_inputs(case):
            observation = observe.run(case, tf, inputs)
            examples.append({"inputs": codec.encode(inputs), "observation": observation})
        families.setdefault(case.family, {})[case_id] = {"covers": list(case.covers), "examples": examples}
        progress(f"  {case_id}: {len(examples)} examples")

    files = {}
    for family, recorded in sorted(families.items()):
        text = reference.dumps({"format": reference.FORMAT, "family": family, "cases": recorded})
        name = f"{family}.json"
        files[name] = reference.sha256(text)
        _write_if_changed(folder / name, text)
    for stale in folder.glob("*.json"):
        if stale.name != "manifest.json" and stale.name not in files:
            stale.unlink()

    manifest = {
        "format": reference.FORMAT,
        "versions": {**backend.versions(tf), "hypothesis": _hypothesis_version()},
        "examples_per_case": EXAMPLES_PER_CASE,
        "catalogue": sorted({b for c in cases.values() for b in c.covers} & set(catalogue.load())),
        "files": files,
    }
    manifest["recorded"] = _date_unless_unchanged(folder / "manifest.json", manifest)
    _write_if_changed(folder / "manifest.json", reference.dumps(manifest))
    return folder


def _hypothesis_version() -> str:
    import hypothesis

    return hypothesis.__version__


def _date_unless_unchanged(path: pathlib.Path, manifest: dict) -> str:
    """Keeps the previous date if nothing else in the manifest changed (so re-recording is a no-op)."""
    try:
        previous = json.loads(path.read_text())
    except (OSError, ValueError):
        previous = None
    if isinstance(previous, dict) and {k: v for k, v in previous.items() if k != "recorded"} == manifest:
        return previous["recorded"]
    return datetime.date.today().isoformat()


def _write_if_changed(path: pathlib.Path, text: str) -> None:
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
