"""Checking a case on a backend: live against TensorFlow, or against a recording.

Every failure is a `Mismatch` whose message says what differs, in compare's order,
and ends with a repro snippet.
"""

from __future__ import annotations

import textwrap
from typing import Any, Callable

import pytest

from . import compare, observe, reference, repro


class Mismatch(AssertionError):
    """The backend does not behave as TensorFlow on one case."""

    def __init__(self, case, inputs: dict, found: list[str], reference_name: str):
        self.case = case
        self.inputs = inputs
        self.found = found
        text = "\n".join(f"  {line}" for line in found)
        super().__init__(
            f"{case.id} differs from {reference_name}\n{text}\n\nrepro:\n"
            + textwrap.indent(repro.snippet(case, inputs), "    ")
        )


# Called with (case, got, want, found) after every comparison: the fuzz figure's tally (conftest).
listeners: list[Callable[[Any, dict, dict, list[str]], None]] = []


def check_example(case, tf, inputs: dict, want: dict, reference_name: str) -> None:
    got = observe.run(case, tf, inputs)
    found = compare.differences(got, want, case)
    for listen in listeners:
        listen(case, got, want, found)
    if found:
        raise Mismatch(case, inputs, found, reference_name)


def check_recorded(case, tf, recording) -> None:
    """Replays every recorded example of `case` on `tf`; raises on the first that differs.

    An example on which the recorded TensorFlow crashed fails on any other backend; on that
    very TensorFlow it is not run (it would kill the test process), and the case is skipped
    once its other examples pass."""
    damaged = recording.damaged.get(case.family)
    if damaged is not None:
        raise reference.ReferenceDataError(damaged)
    examples = recording.examples.get(case.id)
    name = f"TensorFlow {recording.tensorflow_version} (recorded)"
    if not examples:
        raise Mismatch(case, {}, [f"no recorded examples in {recording.folder}: re-record"], name)
    skipped = []
    for example in examples:
        crash = _crash(example["observation"])
        if crash is None:
            check_example(case, tf, example["inputs"], example["observation"], name)
        elif _is_reference(tf, recording.tensorflow_version):
            skipped.append(crash)
        else:
            got = observe.run(case, tf, example["inputs"])
            found = [
                f"TensorFlow {recording.tensorflow_version} crashed on these inputs ({crash}); "
                f"got {compare._show(got['result'])}"
            ]
            raise Mismatch(case, example["inputs"], found, name)
    if skipped:
        pytest.skip(
            f"TensorFlow {recording.tensorflow_version} crashed on {len(skipped)} recorded example(s) of {case.id} "
            f"({skipped[0]}); not run again on it"
        )


def _crash(observation: dict) -> str | None:
    """'SIGABRT: <message>' if the recorded TensorFlow crashed on this example (record.crashed)."""
    result = observation.get("result")
    if isinstance(result, dict) and result.get("$") == "crashed":
        return f"{result.get('signal')}: {result.get('message')}"
    return None


def _is_reference(tf, version: str) -> bool:
    """`tf` is the TensorFlow release that was recorded (the one that crashed)."""
    return tf.__name__.split(".")[0] == "tensorflow" and getattr(tf, "__version__", None) == version


def check_live(case, tf, reference_tf) -> None:
    """Runs Hypothesis-drawn inputs (explicit examples first) on `tf` and on real TensorFlow."""
    name = f"TensorFlow {reference_tf.__version__} (live)"

    def compare_once(inputs):
        check_example(case, tf, inputs, observe.run(case, reference_tf, inputs), name)

    if case.inputs is None:
        for inputs in case.all_examples() or [{}]:
            compare_once(inputs)
        return
    from hypothesis import example, given, settings

    def test(inputs):
        compare_once(inputs)

    test.__name__ = test.__qualname__ = case.id.replace(".", "__")  # derandomized draws differ per case
    wrapped = given(case.strategy())(test)
    if case.max_examples:
        wrapped = settings(max_examples=min(case.max_examples, settings().max_examples))(wrapped)
    for explicit in case.all_examples():
        wrapped = example(explicit)(wrapped)
    wrapped()


def replay_all(tf, cases, recording) -> dict[str, Mismatch | None]:
    """Every case replayed in-process: case id -> its Mismatch, or None if it passed."""
    results: dict[str, Mismatch | None] = {}
    for case_id, case in sorted(cases.items()):
        try:
            check_recorded(case, tf, recording)
            results[case_id] = None
        except Mismatch as failure:
            results[case_id] = failure
        except pytest.skip.Exception:  # a crash of the recorded TF itself, not run again: not a failure
            results[case_id] = None
    return results
