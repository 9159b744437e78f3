"""The seed notebooks' examples on a backend, checked against TensorFlow's recorded output."""

from __future__ import annotations

import json
import math
import pathlib

from . import observe, seed_cases

RECORDING = pathlib.Path(__file__).resolve().parents[1] / "reference_cases" / "tf-2.21.0" / "seed_notebooks.json"


def matches(case, got: dict, want: dict) -> bool:
    if got["logs"] != want["logs"]:
        return False
    if case.random or case.approx:
        if observe.layout(got["stdout"]) != observe.layout(want["stdout"]):
            return False
        if case.random:
            return True
        pairs = zip(observe.numbers(got["stdout"]), observe.numbers(want["stdout"]))
        return all(math.isclose(a, b, rel_tol=1e-5, abs_tol=1e-12) for a, b in pairs)
    return got["stdout"] == want["stdout"]


def run_seeds(tf) -> int:
    recorded = json.loads(RECORDING.read_text())
    reference = recorded["cases"]
    print(f"seed notebook examples on {tf.__name__}, against TensorFlow {recorded['versions']['tensorflow']}")
    failed = 0
    for name, case in sorted(seed_cases.CASES.items()):
        try:
            got = observe.printed(case, tf)
            ok = matches(case, got, reference[name])
        except Exception as exc:  # a crash is a failure to report, not to hide
            ok, got = False, {"stdout": f"raised {type(exc).__name__}: {exc}", "logs": []}
        failed += not ok
        print(f"  {'ok  ' if ok else 'FAIL'} {name}")
        if not ok:
            print("    TensorFlow printed:\n      " + reference[name]["stdout"].replace("\n", "\n      "))
            print("    this backend printed:\n      " + got["stdout"].replace("\n", "\n      "))
    total = len(seed_cases.CASES)
    print(f"{total - failed}/{total} examples match")
    return 1 if failed else 0
