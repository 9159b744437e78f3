"""The main job: runs the suite under pytest and prints a table per behaviour family.

The table comes from the same pytest run a developer gets with `pytest conformance`;
a plugin only tallies the test reports (it works under pytest-xdist too).
"""

from __future__ import annotations

import json
import pathlib
import sys

import pytest

from . import cases as case_registry
from . import catalogue, xfails

PACKAGE = pathlib.Path(__file__).resolve().parent


class Tally:
    """A pytest plugin: outcome per case, family, mismatch texts (pytest -q shows progress)."""

    def __init__(self):
        self.outcomes: dict[str, str] = {}
        self.families: dict[str, str] = {}
        self.mismatches: dict[str, str] = {}
        self.reference = ""
        self.backend = ""
        self.errors: list[str] = []

    def pytest_sessionstart(self, session):
        state = getattr(session.config, "_conformance", None)
        if state is not None:
            self.reference = state.reference_text
            self.backend = state.tf.__name__

    def pytest_runtest_logreport(self, report):
        case_id = _case_id(report)
        if case_id is None:
            if report.failed:
                self.errors.append(f"{report.nodeid}: {report.longreprtext[-2000:]}")
            return
        properties = dict(report.user_properties)
        if "family" in properties:
            self.families[case_id] = properties["family"]
        if "mismatch" in properties:
            self.mismatches[case_id] = properties["mismatch"]
        if report.when == "call" or report.outcome != "passed":
            outcome = "xfailed" if hasattr(report, "wasxfail") and report.skipped else report.outcome
            if report.failed and report.when != "call":
                self.mismatches.setdefault(case_id, report.longreprtext[-3000:])
            if self.outcomes.get(case_id) != "failed":
                self.outcomes[case_id] = outcome


def _case_id(report) -> str | None:
    return dict(getattr(report, "user_properties", ())).get("case")


def summarize(tally: Tally, backend_name: str) -> dict:
    """The report as data: per family counts, failures, known differences, catalogue coverage."""
    all_cases = case_registry.load_all()
    families: dict[str, dict] = {}
    for case_id, case in sorted(all_cases.items()):
        outcome = tally.outcomes.get(case_id)
        if outcome is None:  # deselected (-k) or not collected
            continue
        row = families.setdefault(case.family, {"cases": 0, "passed": 0, "failed": 0, "xfailed": 0, "skipped": 0})
        row["cases"] += 1
        row[outcome if outcome in row else "failed"] += 1
    covered, unknown = catalogue.coverage(all_cases.values())
    ran = {case_id for case_id in tally.outcomes}
    return {
        "backend": backend_name,
        "reference": tally.reference,
        "families": families,
        "failures": {
            case_id: tally.mismatches.get(case_id, "") for case_id, o in tally.outcomes.items() if o == "failed"
        },
        "known_differences": {k: v for k, v in xfails.load(backend_name).items() if k in ran},
        "catalogue": {
            "entries": len(covered),
            "covered": sum(1 for ids in covered.values() if ids),
            "uncovered": sorted(b for b, ids in covered.items() if not ids),
            "unknown": unknown,
        },
        "not_run": len(all_cases) - len(tally.outcomes),
        "errors": tally.errors,
    }


def table(summary: dict, markdown: bool = False) -> str:
    columns: tuple[str, ...] = ("family", "cases", "passed", "failed", "xfailed")
    if any(row.get("skipped") for row in summary["families"].values()):
        columns += ("skipped",)  # only a recorded TF crash skips a case (on that TF itself)
    rows = [(name, *(str(row[c]) for c in columns[1:])) for name, row in summary["families"].items()]
    totals = [sum(row[c] for row in summary["families"].values()) for c in columns[1:]]
    rows.append(("total", *map(str, totals)))
    cat = summary["catalogue"]
    title = f"conformance of {summary['backend']} against {summary['reference']}"
    coverage = f"catalogue: {cat['covered']}/{cat['entries']} behaviours covered"
    if summary["not_run"]:
        coverage += f"; {summary['not_run']} cases not selected"
    if markdown:
        lines = [f"**{title}**", "", "| " + " | ".join(columns) + " |", "|---" + "|---:" * (len(columns) - 1) + "|"]
        lines += ["| " + " | ".join(r) + " |" for r in rows]
        lines += ["", coverage]
    else:
        widths = [max(len(r[i]) for r in [columns, *rows]) for i in range(len(columns))]
        fmt = "  ".join("{:<%d}" % widths[0:1][0] if i == 0 else "{:>%d}" % widths[i] for i in range(len(columns)))
        lines = [title, fmt.format(*columns), *(fmt.format(*r) for r in rows), coverage]
    if cat["uncovered"]:
        lines.append("uncovered: " + ", ".join(cat["uncovered"]))
    if summary["known_differences"]:
        lines.append("known differences (conformance/xfails.txt):")
        lines += [f"  {k}: {v}" for k, v in sorted(summary["known_differences"].items())]
    return "\n".join(lines) + "\n"


def run(backend_name: str, reference: str | None, pytest_args: list[str], out=sys.stdout) -> dict:
    tally = Tally()
    args = [
        str(PACKAGE),
        "-q",
        "-p",
        "no:cacheprovider",
        "--no-header",
        "--tb=no",
        "-o",
        "console_output_style=classic",
    ]
    args += ["--backend", backend_name] + (["--reference", reference] if reference else []) + pytest_args
    out.write(f"running the conformance suite on {backend_name}\n")
    exit_code = pytest.main(args, plugins=[tally])
    summary = summarize(tally, backend_name)
    summary["exit_code"] = int(exit_code)
    return summary


def write_json(summary: dict, path: str) -> None:
    pathlib.Path(path).write_text(json.dumps(summary, indent=1, sort_keys=True) + "\n")
