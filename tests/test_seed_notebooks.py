"""Every seed notebook example, run on the shim, prints and logs what TensorFlow 2.21 did.

TensorFlow's output comes from reference_cases/, written by the recorder.
"""

from __future__ import annotations

import json

import pytest

import shim
from conformance import demo, observe, seed_cases

REFERENCE = json.loads(demo.RECORDING.read_text())["cases"]


@pytest.mark.parametrize("name", sorted(seed_cases.CASES))
def test_seed_example_matches_tensorflow(name):
    case = seed_cases.CASES[name]
    got = observe.printed(case, shim)
    want = REFERENCE[name]
    assert demo.matches(case, got, want), f"TensorFlow printed:\n{want}\nshim printed:\n{got}"


def test_every_case_was_recorded():
    assert sorted(REFERENCE) == sorted(seed_cases.CASES)


def test_a_changed_printout_is_caught():
    case = seed_cases.CASES["nb000_square_at_point"]
    want = REFERENCE["nb000_square_at_point"]
    wrong = {"stdout": want["stdout"].replace("-4.0", "-4.5"), "logs": want["logs"]}
    assert not demo.matches(case, wrong, want)
