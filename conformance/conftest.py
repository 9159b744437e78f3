"""pytest wiring: which module is tested, against what, and one test per case.

pytest conformance [--backend NAME] [--reference live|recorded] [--reference-dir DIR]
                   [--hypothesis-profile ci|dev|thorough] [-n auto]
"""

from __future__ import annotations

import pathlib

import pytest
from hypothesis import HealthCheck, settings

from conformance import backend, cases, checks, reference, tally, xfails

_SLOW_BACKENDS = [HealthCheck.too_slow, HealthCheck.data_too_large]
settings.register_profile(
    "ci", max_examples=8, derandomize=True, database=None, deadline=None, suppress_health_check=_SLOW_BACKENDS
)
settings.register_profile("dev", max_examples=25, deadline=None, suppress_health_check=_SLOW_BACKENDS)
settings.register_profile("thorough", max_examples=300, deadline=None, suppress_health_check=_SLOW_BACKENDS)
settings.load_profile("ci")  # --hypothesis-profile, handled by Hypothesis' plugin, loads after this


def pytest_addoption(parser):
    group = parser.getgroup("conformance")
    group.addoption("--backend", default=None, help="module to test (default: $CONFORMANCE_BACKEND or shim)")
    group.addoption(
        "--reference",
        choices=("live", "recorded"),
        default=None,
        help="compare with TensorFlow run now, or with reference_cases/ (default: live if TensorFlow imports)",
    )
    group.addoption(
        "--reference-dir", default=None, help="a recorded folder (default: the newest reference_cases/tf-*)"
    )


class Conformance:
    """The session's backend and reference; `check(case)` runs one case the chosen way."""

    def __init__(self, config):
        name = backend.name_from_env(config.getoption("--backend"))
        try:
            self.tf = backend.load(name)
        except Exception as exc:
            raise pytest.UsageError(f"--backend={name}: cannot import it: {type(exc).__name__}: {exc}") from None
        mode = config.getoption("--reference")
        self.reference_tf = backend.load_reference() if mode in (None, "live") else None
        if mode == "live" and self.reference_tf is None:
            raise pytest.UsageError("--reference=live needs TensorFlow (pip install 'tfcompat[tensorflow]')")
        self.mode = "live" if self.reference_tf is not None else "recorded"
        self.recording = None
        if self.mode == "recorded":
            folder = config.getoption("--reference-dir")
            try:
                self.recording = reference.Recording(
                    pathlib.Path(folder) if folder else reference.default_folder(), strict=False
                )
            except reference.ReferenceDataError as exc:
                raise pytest.UsageError(str(exc)) from None
        self.known = xfails.load(name)

    @property
    def reference_text(self) -> str:
        if self.reference_tf is not None:
            return f"TensorFlow {self.reference_tf.__version__} (live)"
        assert self.recording is not None  # recorded mode always has its folder
        folder = self.recording.folder
        shown = folder.relative_to(pathlib.Path.cwd()) if folder.is_relative_to(pathlib.Path.cwd()) else folder
        return f"TensorFlow {self.recording.tensorflow_version} (recorded in {shown})"

    def check(self, case) -> None:
        if self.mode == "live":
            checks.check_live(case, self.tf, self.reference_tf)
        else:
            checks.check_recorded(case, self.tf, self.recording)


def pytest_configure(config):
    config._conformance = Conformance(config)


def pytest_report_header(config):
    state = config._conformance
    lines = [f"conformance: backend {backend.describe(state.tf)}, reference {state.reference_text}"]
    damaged = state.recording.damaged if state.recording is not None else {}
    lines += [f"conformance: DAMAGED reference file, its family's cases fail: {text}" for text in damaged.values()]
    return lines


def pytest_generate_tests(metafunc):
    if "case" not in metafunc.fixturenames:
        return
    known = metafunc.config._conformance.known
    params = []
    for case in cases.in_module(metafunc.module.__name__):
        marks = []
        if case.id in known:
            marks.append(pytest.mark.xfail(reason=known[case.id], strict=True, raises=checks.Mismatch))
        params.append(pytest.param(case, id=case.id.split(".", 1)[1], marks=marks))
    metafunc.parametrize("case", params)


def pytest_collection_modifyitems(items):
    for item in items:
        case = getattr(item, "callspec", None) and item.callspec.params.get("case")
        if case is not None:
            item.user_properties.append(("case", case.id))


@pytest.fixture
def check(request):
    """`check(case)`: runs the case on the backend the session chose; a mismatch's text
    is kept on the test report too, for the main job's summary."""
    state = request.config._conformance

    def run(case):
        request.node.user_properties.append(("family", case.family))
        counts = tally.new()

        def listen(listened, got, want, found):
            if listened.family == "fuzz":
                tally.count(counts, listened, got, want, found)

        checks.listeners.append(listen)
        try:
            state.check(case)
        except checks.Mismatch as failure:
            request.node.user_properties.append(("mismatch", str(failure)))
            raise
        finally:
            checks.listeners.remove(listen)
            if counts["draws"]:
                request.node.user_properties.append((tally.PROPERTY, counts))

    return run


def pytest_terminal_summary(terminalreporter):
    """The fuzz figure (tally.py), when fuzz cases ran."""
    found = [
        value
        for reports in terminalreporter.stats.values()
        for report in reports
        if getattr(report, "when", None) == "call"
        for key, value in getattr(report, "user_properties", ())
        if key == tally.PROPERTY
    ]
    if found:
        terminalreporter.write_line(tally.figure(tally.total(found)))
