"""The examples run on the shim and end where they ended on TensorFlow (figures recorded
once from TF in examples/tf_figures.json, with its versions and tolerance)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
FIGURES = json.loads((EXAMPLES / "tf_figures.json").read_text())


@pytest.mark.parametrize("name", ["custom_training_loop", "fit_classifier"])
def test_example_matches_tensorflow(name):
    env = {**os.environ, "TFCOMPAT_BACKEND": "shim"}
    run = subprocess.run(
        [sys.executable, str(EXAMPLES / f"{name}.py"), "--json"], capture_output=True, text=True, env=env, timeout=300
    )
    assert run.returncode == 0, run.stderr
    got = json.loads(run.stdout.strip().splitlines()[-1])
    want = FIGURES[name]
    tolerance = FIGURES["tolerance"]
    assert set(got) == set(want)
    for key, value in want.items():
        assert got[key] == pytest.approx(value, rel=tolerance["rtol"], abs=tolerance["atol"]), key


def test_example_prints_progress_on_the_shim():
    env = {**os.environ, "TFCOMPAT_BACKEND": "shim"}
    run = subprocess.run(
        [sys.executable, str(EXAMPLES / "fit_classifier.py"), "--epochs", "1"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    assert 'Model: "sequential"' in run.stdout and "15/15 - " in run.stdout and "val_accuracy:" in run.stdout
