"""Every seed notebook example, run on the shim, prints and logs what TensorFlow 2.21 did.

TensorFlow's output comes from reference_cases/, written by the recorder.
"""

from __future__ import annotations

import pytest

import shim
from conformance import cases, checks, compare, reference

RECORDING = reference.Recording(reference.default_folder())
NOTEBOOK_CASES = {k: v for k, v in cases.load_all().items() if v.family == "notebooks"}


@pytest.mark.parametrize("case_id", sorted(NOTEBOOK_CASES))
def test_seed_example_matches_tensorflow(case_id):
    checks.check_recorded(NOTEBOOK_CASES[case_id], shim, RECORDING)


def test_every_seed_example_was_recorded():
    assert set(NOTEBOOK_CASES) <= set(RECORDING.examples)
    assert len(NOTEBOOK_CASES) == 46


def test_a_changed_printout_is_caught():
    case = NOTEBOOK_CASES["notebooks.nb000_square_at_point"]
    want = RECORDING.examples[case.id][0]["observation"]
    wrong = {**want, "stdout": want["stdout"].replace("-4.0", "-4.5")}
    assert compare.differences(wrong, want, case)
    assert not compare.differences(want, want, case)
