"""`python -m conformance`: the conformance report for a backend; `record` writes TF's reference cases.

python -m conformance [--backend NAME] [--reference live|recorded] [--markdown FILE] [--json FILE]
                      [-- PYTEST-ARGS...]
python -m conformance record [--inputs-from DIR] [--output DIR] [--jobs N]   (TensorFlow must be installed)
python -m conformance drift DIR_A DIR_B     (where two recordings, two TF releases, differ)
python -m conformance fuzz [--profile ci|dev|thorough] [--backend NAME] [--reference live|recorded]
                           [-- PYTEST-ARGS...]   (the bad-input fuzzer's figure: draws, classes, messages)
"""

from __future__ import annotations

import argparse
import os
import pathlib
import sys
import time

from . import backend


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["record"]:
        return _record(argv[1:])
    if argv[:1] == ["drift"]:
        from . import drift

        return drift.main(argv[1:])
    if argv[:1] == ["fuzz"]:
        return _fuzz(argv[1:])
    return _report(argv)


def _fuzz(argv) -> int:
    """The fuzz family under pytest (the suite's own comparison); conftest prints the figure."""
    parser = argparse.ArgumentParser(
        prog="python -m conformance fuzz", description="the bad-input fuzzer: draws tried, classes and messages matched"
    )
    parser.add_argument("--profile", default="ci", choices=("ci", "dev", "thorough"), help="Hypothesis profile")
    parser.add_argument("--backend", default=None, help="module to test (default: $CONFORMANCE_BACKEND or shim)")
    parser.add_argument("--reference", choices=("live", "recorded"), default=None, help="default: live if TF imports")
    parser.add_argument("pytest_args", nargs="*", help="passed to pytest (after --), e.g. -n 2")
    args = parser.parse_args(argv)
    import pytest

    folder = pathlib.Path(__file__).parent
    options = [f"--hypothesis-profile={args.profile}", "-p", "no:cacheprovider", "-q"]
    options += [f"--backend={args.backend}"] if args.backend else []
    options += [f"--reference={args.reference}"] if args.reference else []
    started = time.monotonic()
    code = int(pytest.main([str(folder / "test_fuzz.py"), *options, *args.pytest_args]))
    print(f"python -m conformance fuzz --profile {args.profile}: {time.monotonic() - started:.0f} s")
    return code


def _report(argv) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m conformance", description="conformance report for a tf-like module"
    )
    parser.add_argument("--backend", default=None, help="module to test (default: $CONFORMANCE_BACKEND or shim)")
    parser.add_argument(
        "--reference",
        choices=("live", "recorded"),
        default=None,
        help="compare with TensorFlow now, or with reference_cases/ (default: live if TF imports)",
    )
    parser.add_argument("--markdown", metavar="FILE", help="also write the table as markdown")
    parser.add_argument("--json", metavar="FILE", help="also write the whole report as JSON")
    parser.add_argument("pytest_args", nargs="*", help="passed to pytest (after --), e.g. -n auto")
    args = parser.parse_args(argv)

    from . import report

    name = backend.name_from_env(args.backend)
    summary = report.run(name, args.reference, args.pytest_args)
    for case_id, text in sorted(summary["failures"].items()):
        print(f"\nFAILED {case_id}\n{text}")
    for error in summary["errors"]:
        print(f"\nERROR {error}")
    print()
    print(report.table(summary), end="")
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(report.table(summary, markdown=True))
    if args.json:
        report.write_json(summary, args.json)
    return summary["exit_code"]


def _record(argv) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m conformance record",
        description="run every case on TensorFlow and write reference_cases/tf-<version>/",
    )
    parser.add_argument(
        "--inputs-from",
        metavar="DIR",
        type=pathlib.Path,
        action="append",
        help="take each case's inputs from this recording (repeatable: the first that has the case; cases "
        "none has are drawn): two TF releases on one set of inputs, for `drift`; re-recording keeps its inputs",
    )
    parser.add_argument(
        "--output", metavar="DIR", type=pathlib.Path, help="write here (default reference_cases/tf-<version>/)"
    )
    parser.add_argument(
        "--jobs", type=int, default=min(2, os.cpu_count() or 1), help="child processes at a time (default: up to 2)"
    )
    parser.add_argument(
        "--families",
        metavar="NAME",
        nargs="+",
        help="record only these families, into the version's existing folder (the rest is kept as recorded)",
    )
    parser.add_argument("--backend", default=backend.REFERENCE, help=argparse.SUPPRESS)  # the recorder's own tests
    args = parser.parse_args(argv)
    from . import cases, record, reference

    started = time.monotonic()
    try:
        folder = record.record(
            args.backend,
            cases.load_all(),
            inputs_from=args.inputs_from,
            output=args.output,
            jobs=args.jobs,
            families=args.families,
        )
    except (record.RecorderError, reference.ReferenceDataError) as exc:
        print(f"python -m conformance record: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {folder} in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
