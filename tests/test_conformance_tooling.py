"""The suite's own tooling: data round trips, reference checks, comparison order, xfails, repro."""

from __future__ import annotations

import json
import math
import pathlib
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import shim
from conformance import cases, catalogue, checks, codec, compare, observe, record, reference, repro, xfails
from conformance.cases import Case

ROOT = pathlib.Path(__file__).resolve().parents[1]
ALL_CASES = cases.load_all()

# -- codec: exact both ways ---------------------------------------------------------------

_DTYPES = [
    "float16",
    "float32",
    "float64",
    "int8",
    "int16",
    "int32",
    "int64",
    "uint8",
    "bool",
    "complex64",
    "complex128",
]


@given(hnp.arrays(st.sampled_from(_DTYPES).map(np.dtype), hnp.array_shapes(min_dims=0, max_side=3)))
def test_arrays_round_trip_bit_exact_through_json(array):
    back = codec.decode(json.loads(reference.dumps(codec.encode(array))))
    assert back.dtype == array.dtype and back.shape == array.shape
    assert back.tobytes() == array.tobytes() or (np.isnan(back) == np.isnan(array)).all()


def test_bfloat16_and_non_finite_values_round_trip():
    import ml_dtypes

    array = np.array([1.5, -0.0, np.inf, -np.inf, 3.0e38], dtype=ml_dtypes.bfloat16)
    back = codec.decode(json.loads(reference.dumps(codec.encode(array))))
    assert back.dtype == array.dtype and back.tobytes() == array.tobytes()
    nan = codec.decode(json.loads(reference.dumps(codec.encode(float("nan")))))
    assert math.isnan(nan)


def test_structures_keep_their_kind():
    value = {"a": (1, [2.5, None]), "b": np.float32(1.25), "c": "text", "d": True}
    back = codec.decode(json.loads(reference.dumps(codec.encode(value))))
    assert back == value and type(back["a"]) is tuple and type(back["b"]) is np.float32


@pytest.mark.parametrize(
    "data",
    [
        {"$": "pickle", "data": "..."},
        {"no": "tag"},
        {"$": "ndarray", "dtype": "float32", "shape": [2], "values": [1.0]},
        {"$": "ndarray", "dtype": "object()", "shape": [], "values": [0]},
        {"$": "float", "value": "1e5"},
    ],
)
def test_unknown_or_inconsistent_data_is_refused(data):
    with pytest.raises(codec.FormatError):
        codec.decode(data)


def test_literals_rebuild_the_inputs():
    value = {"x": np.array([[1.5, float("nan")]], dtype=np.float32), "n": np.int64(3), "t": (1.0, float("-inf"))}
    rebuilt = eval(codec.literal(value), {"np": np})  # our own literal, in a test
    assert rebuilt["x"].dtype == np.float32 and np.isnan(rebuilt["x"][0, 1])
    assert rebuilt["n"].dtype == np.int64 and rebuilt["t"][1] == -math.inf


# -- reference files: any damage is a clear error naming the file -----------------------------


def _copy_recording(tmp_path) -> pathlib.Path:
    source = reference.default_folder()
    target = tmp_path / source.name
    target.mkdir()
    for path in source.iterdir():
        (target / path.name).write_bytes(path.read_bytes())
    return target


def test_a_recording_loads_and_knows_its_version():
    recording = reference.Recording(reference.default_folder())
    assert recording.tensorflow_version == "2.21.0"
    assert set(ALL_CASES) <= set(recording.examples)


@pytest.mark.parametrize("damage", ["missing", "truncated", "altered", "manifest"])
def test_damaged_reference_files_are_named(tmp_path, damage):
    folder = _copy_recording(tmp_path)
    victim = folder / "notebooks.json"
    if damage == "missing":
        victim.unlink()
    elif damage == "truncated":
        victim.write_text(victim.read_text()[:500])
    elif damage == "altered":
        victim.write_text(victim.read_text().replace("-4.0", "-4.5", 1))
    else:
        victim = folder / "manifest.json"
        victim.write_text("{}")
    with pytest.raises(reference.ReferenceDataError, match=str(victim).replace("\\", "\\\\")):
        reference.Recording(folder)


def _run_recorded_suite(folder, *args):
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            str(ROOT / "conformance"),
            "-q",
            "-p",
            "no:cacheprovider",
            "--reference=recorded",
            f"--reference-dir={folder}",
            *args,
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )


@pytest.mark.parametrize("damage", ["truncated", "bit-flipped", "edited"])
def test_a_damaged_family_file_fails_its_family_only(tmp_path, damage):
    folder = _copy_recording(tmp_path)
    victim = folder / "nest.json"
    data = bytearray(victim.read_bytes())
    if damage == "truncated":
        data = data[: len(data) // 2]
    elif damage == "bit-flipped":
        data[len(data) // 3] ^= 0x04
    else:
        data = data.replace(b'"format": 2', b'"format": 2, "extra": 1', 1)
    victim.write_bytes(bytes(data))
    run = _run_recorded_suite(folder, "-v", "--tb=line", "-k", "test_nest or test_watch")
    assert run.returncode == 1, run.stdout[-2000:]
    assert f"DAMAGED reference file, its family's cases fail: {victim}" in run.stdout  # in the header
    failed = [line for line in run.stdout.splitlines() if line.startswith("FAILED")]
    assert len(failed) == 14 and all("test_nest.py" in line for line in failed)
    assert f"ReferenceDataError: {victim}" in run.stdout
    assert "11 passed" in run.stdout  # the watch family still ran


def test_a_damaged_manifest_stops_the_run_naming_it(tmp_path):
    folder = _copy_recording(tmp_path)
    (folder / "manifest.json").write_text('{"format": 2, "files": {')
    run = _run_recorded_suite(folder)
    assert run.returncode == 4  # pytest's usage error, before any case runs: nothing can be checked
    assert "manifest.json: not valid JSON" in run.stderr


# -- the recorder: deterministic, data only -----------------------------------------------------


def test_recording_twice_writes_identical_files(tmp_path):
    names = ("notebooks.nb000_vector_parameters", "notebooks.nb000_square_at_point", "ops_math.sin", "ops_math.add")
    chosen = {k: ALL_CASES[k] for k in names}  # a random case, a printing one, drawn ones
    first = record.record(shim, chosen, root=tmp_path, progress=lambda _: None)
    texts = {p.name: p.read_bytes() for p in first.iterdir()}
    record.record(shim, chosen, root=tmp_path, progress=lambda _: None)
    assert texts == {p.name: p.read_bytes() for p in first.iterdir()}
    manifest = json.loads((first / "manifest.json").read_text())
    assert {"tensorflow", "numpy", "python", "hypothesis"} <= set(manifest["versions"])
    assert reference.Recording(first).examples.keys() == chosen.keys()


def test_drawn_inputs_follow_explicit_examples_and_are_distinct():
    with_inputs = next(c for c in ALL_CASES.values() if c.inputs)
    drawn = record.draw_inputs(with_inputs, count=5)
    assert drawn[: len(with_inputs.examples)] == with_inputs.all_examples()
    keys = [json.dumps(codec.encode(d), sort_keys=True) for d in drawn]
    assert len(set(keys)) == len(keys) and len(keys) <= len(with_inputs.examples) + 5


# -- comparison: structure, shape, dtype, values, exceptions, logs ----------------------------


def _case(**options) -> Case:
    return Case(id="t.t", family="t", fn=lambda tf: None, covers=(), **options)


def _tensor(dtype, shape, values):
    return {"$": "tensor", "dtype": dtype, "shape": shape, "values": values}


@pytest.mark.parametrize(
    "got, want, expected",
    [
        ([1, 2], {"$": "tuple", "items": [1, 2]}, "got [1, 2]"),
        (_tensor("float32", [2], [1.0, 2.0]), _tensor("float64", [3], [1.0, 2.0, 3.0]), "shape=(2,)"),
        (_tensor("float32", [2], [1.0, 2.0]), _tensor("float64", [2], [1.0, 2.0]), "dtype=float32"),
        (_tensor("float32", [1], [1.0]), _tensor("float32", [1], [1.001]), "values"),
        (_tensor("int32", [1], [1]), _tensor("int32", [1], [2]), "values"),
        (
            {"$": "raised", "type": "ValueError", "message": "m"},
            {"$": "raised", "type": "TypeError", "message": "m"},
            "raised",
        ),
        (
            {"$": "raised", "type": "ValueError", "message": "a"},
            {"$": "raised", "type": "ValueError", "message": "b"},
            "message",
        ),
        (None, _tensor("float32", [], [0.0]), "got None"),
    ],
)
def test_first_difference_is_reported_in_order(got, want, expected):
    found = compare.differences({"result": got, "logs": []}, {"result": want, "logs": []}, _case())
    assert len(found) == 1 and expected in found[0]


def test_tolerance_by_dtype_and_nan():
    case = _case()
    near32 = _tensor("float32", [2], [1.0, "nan"]), _tensor("float32", [2], [1.0 + 1e-6, "nan"])
    assert compare.differences({"result": near32[0], "logs": []}, {"result": near32[1], "logs": []}, case) == []
    far64 = _tensor("float64", [1], [1.0]), _tensor("float64", [1], [1.0 + 1e-6])
    assert compare.differences({"result": far64[0], "logs": []}, {"result": far64[1], "logs": []}, case)
    random = _tensor("float32", [1], None), _tensor("float32", [1], [5.0])
    assert compare.differences({"result": random[0], "logs": []}, {"result": random[1], "logs": []}, case) == []


def test_logs_and_printed_text_are_compared():
    case = _case()
    assert compare.differences({"result": None, "logs": []}, {"result": None, "logs": [["WARNING", "w"]]}, case)
    got, want = {"result": None, "logs": [], "stdout": "1.0\n"}, {"result": None, "logs": [], "stdout": "1.5\n"}
    assert compare.differences(got, want, case)
    assert compare.differences(got, want, _case(random=True)) == []


def test_observations_capture_logs_and_exceptions_and_blank_addresses():
    def logs_and_raises(tf):
        tf.get_logger().warning("careful")
        raise ValueError(f"object at {hex(id(tf))}")

    observation = observe.run(Case("t.t", "t", logs_and_raises, ()), shim, {})
    assert observation["logs"] == [["WARNING", "careful"]]
    assert observation["result"] == {"$": "raised", "type": "ValueError", "message": "object at 0x?"}


def test_observed_text_spells_extension_dtypes_one_way():
    # numpy's spelling of an ml_dtypes array's dtype follows the numpy and ml_dtypes installed
    def prints_and_returns(tf):
        print("array([1.5], dtype=dtype(bfloat16))")
        return "array([1.5], dtype=dtype(float8_e4m3fn))", "dtype(bfloat16)"

    observation = observe.run(Case("t.t", "t", prints_and_returns, ()), shim, {})
    assert observation["stdout"] == "array([1.5], dtype=bfloat16)\n"
    assert observation["result"]["items"] == ["array([1.5], dtype=float8_e4m3fn)", "dtype(bfloat16)"]


# -- xfails, catalogue, repro ---------------------------------------------------------------------


def test_xfails_lines_are_parsed_per_backend(tmp_path):
    path = tmp_path / "xfails.txt"
    path.write_text("# comment\n\nshim ops_math.sin: libm differs\nother ops.x: reason\n")
    assert xfails.load("shim", path) == {"ops_math.sin": "libm differs"}
    path.write_text("shim ops_math.sin\n")
    with pytest.raises(ValueError, match="xfails.txt:1"):
        xfails.load("shim", path)


def test_every_listed_xfail_names_an_existing_case():
    for backend_name in ("shim",):
        assert set(xfails.load(backend_name)) <= set(ALL_CASES)


def test_every_catalogue_entry_is_covered_and_every_case_names_known_behaviours():
    covered, unknown = catalogue.coverage(ALL_CASES.values())
    assert unknown == []
    assert [b for b, ids in covered.items() if not ids] == []
    for entry in catalogue.load().values():
        assert entry["statement"].strip() and entry["source"].strip()


def test_repro_snippet_runs_on_the_shim_and_shows_the_result():
    case = ALL_CASES["notebooks.nb000_square_at_point"]
    text = repro.snippet(case, {})
    assert "import tensorflow as tf" in text
    run = subprocess.run(
        [sys.executable, "-c", text.replace("import tensorflow as tf", "import shim as tf")],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert run.returncode == 0, run.stderr
    assert "<tf.Tensor: shape=(), dtype=float32, numpy=-4.0>" in run.stdout


# -- live mode: Hypothesis draws, both modules run each draw -------------------------------------


def test_live_mode_passes_a_module_against_itself_and_catches_a_broken_one():
    from broken_backends import zero_as_none

    case = ALL_CASES["notebooks.nb003_zeros_instead_of_none"]
    checks.check_live(case, shim, shim)
    with pytest.raises(checks.Mismatch, match="repro"):
        checks.check_live(case, zero_as_none, shim)


def test_live_mode_draws_inputs_with_hypothesis():
    drawn = []

    def square_gradient(tf, x):
        drawn.append(x)
        v = tf.Variable(x)
        with tf.GradientTape() as tape:
            y = v * v
        return tape.gradient(y, v)

    from conformance import strategies

    case = Case("t.square", "t", square_gradient, (), inputs={"x": strategies.scalars("float32")})
    checks.check_live(case, shim, shim)
    assert len(drawn) >= 4 and len({float(x) for x in drawn}) > 1


FIRST_OF_EACH_FAMILY = sorted(
    {case.family: case_id for case_id, case in sorted(ALL_CASES.items(), reverse=True)}.values()
)


@pytest.mark.parametrize("case_id", FIRST_OF_EACH_FAMILY)
def test_repro_snippets_run_on_their_own(case_id):
    """A snippet carries the case's helpers and imports: it runs with nothing but the backend."""
    case = ALL_CASES[case_id]
    inputs = record.draw_inputs(case, 1)[-1]
    text = repro.snippet(case, inputs).replace("import tensorflow as tf", "import shim as tf")
    run = subprocess.run([sys.executable, "-c", text], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0 and "NameError" not in run.stdout, run.stdout + run.stderr
