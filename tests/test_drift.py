"""`python -m conformance drift A B` on two small recordings written by the recorder from two
fake releases (tests/fake_releases) that differ in known ways, and nothing else."""

from __future__ import annotations

import re

import pytest

import recorder_fakes as fakes
from conformance import drift, record, reference

OLD = {case.id: case for case in (fakes.SQUARE, fakes.NAME, fakes.WARN, fakes.FAILS, fakes.SAME)}
NEW = {**OLD, fakes.NEWER.id: fakes.NEWER}
REGISTRY = NEW


def _quiet(_line):
    pass


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    root = tmp_path_factory.mktemp("drift")
    a = record.record("fake_releases.release_a", OLD, progress=_quiet, output=root / "tf-1.0.0")
    b = record.record("fake_releases.release_b", NEW, progress=_quiet, output=root / "tf-2.0.0", inputs_from=a)
    return a, b


def test_inputs_from_records_the_same_inputs_and_draws_only_the_new_cases(folders):
    a, b = (reference.Recording(f) for f in folders)
    for case_id in OLD:
        assert [e["inputs"] for e in b.examples[case_id]] == [e["inputs"] for e in a.examples[case_id]]
    assert [e["inputs"] for e in b.examples["fake.newer"]] == [{"x": 1.5}]
    assert b.manifest["inputs_from"] == [{"folder": "tf-1.0.0", "tensorflow": "1.0.0", "cases": len(OLD)}]
    assert "inputs_from" not in a.manifest


def test_inputs_from_several_folders_takes_each_case_from_the_first_that_has_it(folders, tmp_path):
    c = record.record("fake_releases.release_a", NEW, progress=_quiet, output=tmp_path / "c", inputs_from=list(folders))
    manifest = reference.Recording(c).manifest
    assert manifest["inputs_from"] == [
        {"folder": "tf-1.0.0", "tensorflow": "1.0.0", "cases": len(OLD)},
        {"folder": "tf-2.0.0", "tensorflow": "2.0.0", "cases": 1},
    ]
    assert (c / "fake.json").read_text() != (folders[0] / "fake.json").read_text()  # it has fake.newer
    assert reference.Recording(c).examples["fake.square"] == reference.Recording(folders[0]).examples["fake.square"]


def test_drift_finds_exactly_the_differences(folders):
    found = drift.drift(*(reference.Recording(f) for f in folders), registry=REGISTRY)
    assert {case_id for case_id, c in found.cases.items() if c.differing} == {
        "fake.variable_name",
        "fake.fails",
        "fake_logs.warn_per_source",
    }
    statuses = {name: status for name, (status, _) in found.behaviours.items() if name.startswith("fake.")}
    assert statuses == {
        "fake.square": "agree",
        "fake.same": "agree",
        "fake.names": "differ",
        "fake.messages": "differ",
        "fake.warnings": "differ",
        "fake.newer": "only 2.0.0",
    }
    assert found.behaviours["fake.names"][1] == ["fake.fails", "fake.variable_name"]
    warn = found.cases["fake_logs.warn_per_source"]
    assert (warn.shared, warn.unshared, [index for index, _, _ in warn.differing]) == (2, 0, [0])  # 3 sources, not 0
    assert len(found.cases["fake.variable_name"].differing) == found.cases["fake.variable_name"].shared == 6
    assert all(
        status in ("not recorded",) for name, (status, _) in found.behaviours.items() if not name.startswith("fake.")
    )


def test_drift_shows_both_sides_and_a_summary(folders, capsys):
    assert drift.main([str(f) for f in folders]) == 0
    out = capsys.readouterr().out
    assert "  differ        fake.names  (fake.fails, fake.variable_name)" in out
    assert "  agree         fake.square" in out
    assert "  only 2.0.0    fake.newer" in out
    warn = out[out.index("fake_logs.warn_per_source [fake.warnings]: 1 of 2 examples differ") :]
    assert warn.splitlines()[1:6] == [
        "  example 0: sources=3",
        "    logs",
        "      1.0.0  3 lines",
        "             | WARNING: The dtype of the source tensor must be floating, got tf.int32",
        "             | WARNING: The dtype of the source tensor must be floating, got tf.int32",
    ]
    assert (
        "      2.0.0  1 line\n             | WARNING: The dtype of the source tensor must be floating, got tf.int32"
        in warn
    )
    assert re.search(
        r"1\.0\.0  variable float32\(\) 'dense/kernel:0' trainable \[[-\d.e]+\]\n\s+2\.0\.0  variable float32\(\) 'kernel:0' trainable",
        out,
    )
    assert "1.0.0  raises ValueError: Shapes (2,) and (3,) are incompatible" in out
    assert "2.0.0  raises ValueError: Dimensions must be equal, but are 2 and 3" in out
    assert "fake.square" not in out[out.index("differences:") :]  # agreeing cases are not shown
    summary = out.strip().splitlines()[-1]
    assert re.fullmatch(
        r"drift 1\.0\.0 vs 2\.0\.0: \d+ behaviours: 2 agree, 3 differ, \d+ not recorded, 1 only 2\.0\.0; "
        r"3 of 5 cases differ, on 8 of 24 shared examples; cases only in 2\.0\.0: 1",
        summary,
    ), summary


def test_a_recording_does_not_drift_from_itself(folders):
    found = drift.drift(reference.Recording(folders[0]), reference.Recording(folders[0]), registry=REGISTRY)
    assert not any(c.differing for c in found.cases.values())
    assert ": 5 agree, " in drift.summary(found) and "0 of 5 cases differ, on 0 of 24 shared examples" in drift.summary(
        found
    )


@pytest.mark.parametrize("damage", ["missing", "altered"])
def test_an_unreadable_folder_is_a_clear_error(folders, tmp_path, capsys, damage):
    target = tmp_path / "tf-2.0.0"
    target.mkdir()
    for path in folders[1].iterdir():
        (target / path.name).write_bytes(path.read_bytes())
    if damage == "missing":
        (target / "manifest.json").unlink()
        expected = f"{target / 'manifest.json'}: missing"
    else:
        (target / "fake.json").write_text((target / "fake.json").read_text().replace("kernel", "kernal"))
        expected = f"{target / 'fake.json'}: content differs from its manifest digest"
    assert drift.main([str(folders[0]), str(target)]) == 2
    err = capsys.readouterr().err
    assert "drift: cannot read the recording" in err and expected in err


def test_drift_writes_the_same_report_to_a_file(folders, capsys, tmp_path):
    target = tmp_path / "results" / "drift.txt"
    assert drift.main([*map(str, folders), "--output", str(target)]) == 0
    assert target.read_text(encoding="utf-8") == capsys.readouterr().out
