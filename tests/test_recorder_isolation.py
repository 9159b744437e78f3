"""The recorder survives its reference crashing: each crash is a recorded observation.

The fake releases in tests/fake_releases run in the recorder's child processes; crashy's op
calls os.abort() on negative inputs, as TensorFlow's C++ checks do.
"""

from __future__ import annotations

import importlib
import json
import types

import pytest

import recorder_fakes as fakes
from conformance import checks, record, reference
from fake_releases import crashy

CASES = {case.id: case for case in (fakes.SQUARE, fakes.SAME, fakes.WARN)}


def _quiet(_line):
    pass


@pytest.fixture(scope="module")
def crashed_recording(tmp_path_factory):
    folder = tmp_path_factory.mktemp("rec") / "crashy"
    lines: list[str] = []
    record.record("fake_releases.crashy", CASES, progress=lines.append, output=folder, jobs=2)
    return folder, lines


def test_a_crash_is_recorded_and_the_recording_carries_on(crashed_recording):
    folder, progress = crashed_recording
    examples = reference.Recording(folder).examples
    squares = {example["inputs"]["x"]: example["observation"]["result"] for example in examples["fake.square"]}
    assert len(squares) == 3 + record.EXAMPLES_PER_CASE  # the explicit examples, then the draws
    negative = [x for x in squares if x < 0]
    assert negative == [-1] and all(
        squares[x]
        == {"$": "crashed", "signal": "SIGABRT", "message": f"fake/square.cc:12] Check failed: x >= 0 ({x} vs. 0)"}
        for x in negative
    )
    for x in set(squares) - set(negative):  # examples after a crash still ran, in a fresh child
        assert squares[x]["$"] == "tensor" and squares[x]["values"] == [x * x]
    assert len(examples["fake.same"]) == record.EXAMPLES_PER_CASE
    assert all(e["observation"]["result"]["$"] == "tensor" for e in examples["fake.same"])
    warned = [len(e["observation"]["logs"]) for e in examples["fake_logs.warn_per_source"]]  # the other family
    assert warned == [1, 0]
    assert any(
        "fake.square example 1: fake_releases.crashy crashed (SIGABRT: fake/square.cc:12]" in line for line in progress
    )


def test_recording_with_crashes_twice_writes_identical_files(crashed_recording, tmp_path):
    folder, _ = crashed_recording
    again = record.record("fake_releases.crashy", CASES, progress=_quiet, output=tmp_path / "again", jobs=1)
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == {p.name: p.read_bytes() for p in again.iterdir()}
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["format"] == reference.FORMAT and manifest["versions"]["tensorflow"] == "0.9.0"


def test_a_recorded_crash_fails_another_backend_with_a_clear_message(crashed_recording):
    recording = reference.Recording(crashed_recording[0])
    with pytest.raises(
        checks.Mismatch,
        match=r"TensorFlow 0.9.0 crashed on these inputs \(SIGABRT: fake/square.cc:12\] Check failed: x >= 0 \(-1 vs. 0\)\); got tensor int32\(\) \[1\]",
    ):
        checks.check_recorded(fakes.SQUARE, fakes_release("fake_releases.release_a"), recording)


def test_a_recorded_crash_is_skipped_on_the_release_that_crashed(crashed_recording):
    recording = reference.Recording(crashed_recording[0])
    same_release = types.ModuleType("tensorflow")
    vars(same_release).update({k: v for k, v in vars(crashy).items() if not k.startswith("__")})
    same_release.__version__ = "0.9.0"

    def guarded(x):  # the non-negative examples run; the crashing ones must not
        return crashy.fake_square_said_to_crash(x) if x < 0 else crashy.fake_square(x)

    same_release.fake_square = guarded
    with pytest.raises(
        pytest.skip.Exception, match=r"TensorFlow 0.9.0 crashed on \d recorded example\(s\) of fake.square \(SIGABRT"
    ):
        checks.check_recorded(fakes.SQUARE, same_release, recording)
    assert checks.replay_all(same_release, {"fake.square": fakes.SQUARE}, recording) == {"fake.square": None}


def test_a_child_that_fails_without_crashing_stops_the_recording(tmp_path):
    with pytest.raises(record.RecorderError, match="ModuleNotFoundError"):
        record.record("fake_releases.no_such_release", CASES, progress=_quiet, output=tmp_path / "x", jobs=1)


def test_the_crash_message_is_the_fatal_line_without_time_or_pid():
    stderr = (
        "2026-11-23 15:00:00.1: I tensorflow/core/util/port.cc:113] oneDNN custom operations are on.\n"
        "F0000 00:00:1700000000.123456   12345 tensor_shape.cc:356] Check failed: d >= 0 (-1 vs. 0)\n"
        "*** Check failure stack trace: ***\n"
        'Fatal Python error: Aborted\n\nCurrent thread 0x00007f (most recent call first):\n  File "x.py", line 1\n'
    )
    assert record.crash_message(stderr) == "tensor_shape.cc:356] Check failed: d >= 0 (-1 vs. 0)"
    assert record.crash_message("") == "(nothing on stderr)"
    assert record.crash_message("Segmentation fault in something\n") == "Segmentation fault in something"


def fakes_release(name):
    return importlib.import_module(name)


def test_the_report_counts_skipped_cases_only_when_there_are_some():
    from conformance import report

    row = {"cases": 2, "passed": 1, "failed": 0, "xfailed": 0, "skipped": 1}
    summary = {
        "backend": "tensorflow",
        "reference": "TensorFlow 0.9.0 (recorded)",
        "families": {"fake": row},
        "catalogue": {"covered": 1, "entries": 1, "uncovered": []},
        "not_run": 0,
        "known_differences": {},
    }
    assert "| family | cases | passed | failed | xfailed | skipped |" in report.table(summary, markdown=True)
    assert "| fake | 2 | 1 | 0 | 0 | 1 |" in report.table(summary, markdown=True)
    summary["families"] = {"fake": {**row, "passed": 2, "skipped": 0}}
    assert "skipped" not in report.table(summary, markdown=True)


def test_recording_some_families_keeps_the_others_as_recorded(crashed_recording, tmp_path):
    folder, _ = crashed_recording
    whole = tmp_path / "whole"
    record.record("fake_releases.crashy", CASES, progress=_quiet, output=whole, jobs=1)
    before = {p.name: p.read_bytes() for p in whole.iterdir()}
    (whole / "fake_logs.json").write_text("{}")  # damaged: it must be re-recorded, not kept
    with pytest.raises(record.RecorderError, match="fake_logs.json"):
        record.record("fake_releases.crashy", CASES, progress=_quiet, output=whole, jobs=1, families=["fake"])
    (whole / "fake_logs.json").write_bytes(before["fake_logs.json"])
    (whole / "fake.json").unlink()
    lines: list[str] = []
    record.record("fake_releases.crashy", CASES, progress=lines.append, output=whole, jobs=1, families=["fake"])
    assert {p.name: p.read_bytes() for p in whole.iterdir()} == before  # as if recorded whole
    assert not any("fake_logs" in line for line in lines)  # the other family did not run
    with pytest.raises(record.RecorderError, match="no such families: nope"):
        record.record("fake_releases.crashy", CASES, progress=_quiet, output=whole, jobs=1, families=["nope"])
