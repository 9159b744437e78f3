"""The recorded suite catches each deliberately broken backend, in the right family.

Each module of tests/broken_backends wraps the shim and breaks one documented
behaviour; replaying the recorded reference cases on it must fail that behaviour's
family. The unbroken shim must pass everything (else these tests prove nothing).
"""

from __future__ import annotations

import importlib
import json
import os
import pathlib
import subprocess
import sys

import pytest

from broken_backends import BROKEN
from conformance import cases, checks, reference, xfails

ALL_CASES = cases.load_all()
RECORDING = reference.Recording(reference.default_folder())
ROOT = pathlib.Path(__file__).resolve().parents[1]


def failing_families(module) -> set[str]:
    results = checks.replay_all(module, ALL_CASES, RECORDING)
    return {ALL_CASES[case_id].family for case_id, failure in results.items() if failure is not None}


def test_the_real_shim_fails_only_its_known_differences():
    results = checks.replay_all(importlib.import_module("shim"), ALL_CASES, RECORDING)
    failing = {case_id for case_id, failure in results.items() if failure is not None}
    assert failing == set(xfails.load("shim"))  # each known difference still fails, and nothing else


def test_there_is_a_broken_backend_per_major_family():
    assert len(BROKEN) >= 12
    assert set(BROKEN.values()) <= {case.family for case in ALL_CASES.values()}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_recorded_suite_catches(name):
    module = importlib.import_module(f"broken_backends.{name}")
    assert BROKEN[name] in failing_families(module)


def test_pytest_run_names_the_family_and_prints_a_repro():
    """End to end, as a user runs it: `pytest conformance --backend=...` fails, naming the family."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "tests"), str(ROOT)])}
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            str(ROOT / "conformance"),
            "-q",
            "-p",
            "no:cacheprovider",
            "--backend=broken_backends.zero_as_none",
            "--reference=recorded",
            "-k",
            "unconnected",
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
    )
    assert run.returncode == 1, run.stdout[-3000:]
    assert "test_unconnected.py" in run.stdout
    assert "import tensorflow as tf  # and then: import shim as tf" in run.stdout


def test_main_job_tables_the_failure_under_its_family(tmp_path):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "tests"), str(ROOT)])}
    out = tmp_path / "report.json"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "conformance",
            "--backend",
            "broken_backends.always_persistent",
            "--reference",
            "recorded",
            "--json",
            str(out),
            "--",
            "-k",
            "persistence or printing",
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
    )
    assert run.returncode == 1, run.stdout[-3000:]
    report = json.loads(out.read_text())
    assert report["families"]["persistence"]["failed"] >= 1
    assert report["families"]["printing"]["failed"] == 0
    assert all("repro:" in text for text in report["failures"].values())
    assert "persistence" in run.stdout and "FAILED persistence." in run.stdout
