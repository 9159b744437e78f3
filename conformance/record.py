"""The recorder: the only writer of reference_cases/. Runs every case on real TensorFlow.

Inputs are drawn by each case's Hypothesis strategy with a seed fixed per case id and
a set number of examples, after the case's explicit examples; with one Hypothesis
version, recording twice writes identical files. `inputs_from` takes the inputs of
earlier recordings instead (the first folder that has the case; cases none has are
drawn), so two TF versions are recorded on the same inputs, and re-recording keeps them
(draws change with the Hypothesis version and with constants mined from the source). The manifest's date changes only when the recorded data do.

The reference may crash (TF aborts on some inputs), so nothing runs in the recorder's
own process. Child processes (`jobs` at a time, each with a fixed share of the
families, so a case's process history does not depend on timing) draw the inputs,
then run the examples in order, writing one JSON line per example. When a child dies
on an example, that example runs again alone in a fresh child: if that dies too, the
crash is the observation, `{"$": "crashed", "signal", "message"}` as the result (the
message is the last meaningful line the child wrote on stderr); the rest of the share
goes on in another fresh child.
"""

from __future__ import annotations

import concurrent.futures
import datetime
import json
import os
import pathlib
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from typing import Any, Callable

from . import backend, catalogue, codec, observe, reference
from .cases import Case

EXAMPLES_PER_CASE = 6


class RecorderError(RuntimeError):
    """The recording could not be made (not a crash of the reference: a bug or a bad setup)."""


def draw_inputs(case: Case, count: int = EXAMPLES_PER_CASE) -> list[dict]:
    """The case's explicit examples, then up to `count` distinct Hypothesis draws (seeded by id)."""
    from hypothesis import HealthCheck, Phase, given, seed, settings

    drawn = [dict(e) for e in case.all_examples()]
    if case.inputs is None:
        return drawn or [{}]
    seen = {json.dumps(codec.encode(d), sort_keys=True) for d in drawn}
    wanted = min(count, case.max_examples or count)
    fresh: list[dict] = []

    @seed(zlib.crc32(case.id.encode()))
    @settings(
        max_examples=wanted * 4,
        database=None,
        derandomize=False,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
        deadline=None,
    )
    @given(case.strategy())
    def collect(inputs):
        key = json.dumps(codec.encode(inputs), sort_keys=True)
        if key not in seen and len(fresh) < wanted:
            seen.add(key)
            fresh.append(inputs)

    collect()
    return drawn + fresh


def crashed(signal_name: str, message: str) -> dict:
    """The observation of an example on which the reference process died."""
    return {"result": {"$": "crashed", "signal": signal_name, "message": message}, "logs": []}


def crash_of(observation: dict) -> dict | None:
    """The crash record if the reference crashed on this example, else None."""
    result = observation.get("result")
    return result if isinstance(result, dict) and result.get("$") == "crashed" else None


def record(
    tf,
    cases: dict[str, Case],
    root: pathlib.Path = reference.ROOT,
    progress: Callable[[str], Any] = print,
    *,
    inputs_from: pathlib.Path | list[pathlib.Path] | None = None,
    output: pathlib.Path | None = None,
    jobs: int = 2,
    families: list[str] | None = None,
) -> pathlib.Path:
    """Writes `output` (default root/tf-<version>/) from the backend `tf` (a module or its
    importable name; real TensorFlow for reference_cases/), in `jobs` child processes.

    With `families`, only those are recorded, into a folder recorded before by the same
    TF version: its other family files are checked and kept, and the manifest merged."""
    name = tf if isinstance(tf, str) else tf.__name__
    only = set(families) if families is not None else None
    if only is not None:
        unknown = sorted(only - {case.family for case in cases.values()})
        if unknown:
            raise RecorderError(f"no such families: {', '.join(unknown)}")
        cases = {case_id: case for case_id, case in cases.items() if case.family in only}
    locators = {case_id: _locator(case) for case_id, case in cases.items()}
    sources = (
        [] if inputs_from is None else [inputs_from] if isinstance(inputs_from, (str, pathlib.Path)) else inputs_from
    )
    given, taken_from = _inputs_from([pathlib.Path(f) for f in sources], cases)
    to_draw = sorted(case_id for case_id in cases if case_id not in given)
    started = time.monotonic()

    inputs: dict[str, list] = dict(given)
    draw_shares = [to_draw[i :: max(1, jobs)] for i in range(max(1, jobs))]
    with concurrent.futures.ThreadPoolExecutor(max(1, jobs)) as pool:
        for drawn in pool.map(lambda share: _run_child({"mode": "draw", "cases": share}, locators)[0], draw_shares):
            for line in drawn:
                inputs[line["case"]] = line["inputs"]
    taken = f", {len(given)} taken from {', '.join(map(str, sources))}" if sources else ""
    progress(f"inputs: {len(to_draw)} cases drawn{taken} ({_since(started)})")

    items_by_family: dict[str, list[dict]] = {}
    for case_id in sorted(cases):
        for index, encoded in enumerate(inputs[case_id]):
            items_by_family.setdefault(cases[case_id].family, []).append(
                {"case": case_id, "index": index, "inputs": encoded}
            )
    shares = _shares(items_by_family, max(1, jobs))
    observations: dict[tuple[str, int], dict] = {}
    versions: list[dict] = []
    lock = threading.Lock()

    def run_share(items: list[dict]) -> None:
        for line in _run_items(name, items, locators, progress, lock):
            with lock:
                if "versions" in line:
                    versions.append(line["versions"])
                else:
                    observations[line["case"], line["index"]] = line["observation"]

    with concurrent.futures.ThreadPoolExecutor(len(shares) or 1) as pool:
        list(pool.map(run_share, shares))
    if not versions:
        raise RecorderError(f"no child process could run {name}")
    progress(f"ran {len(observations)} examples in {len(shares)} processes ({_since(started)})")

    by_family: dict[str, dict] = {}
    for case_id, case in sorted(cases.items()):
        examples = [
            {"inputs": encoded, "observation": observations[case_id, index]}
            for index, encoded in enumerate(inputs[case_id])
        ]
        by_family.setdefault(case.family, {})[case_id] = {"covers": list(case.covers), "examples": examples}

    folder = pathlib.Path(output) if output is not None else root / f"tf-{versions[0]['tensorflow']}"
    kept = _kept_families(folder, versions[0], only) if only is not None else None
    folder.mkdir(parents=True, exist_ok=True)
    files = dict(kept.files) if kept is not None else {}
    for family, recorded in sorted(by_family.items()):
        text = reference.dumps({"format": reference.FORMAT, "family": family, "cases": recorded})
        file_name = f"{family}.json"
        files[file_name] = reference.sha256(text)
        _write_if_changed(folder / file_name, text)
    for stale in folder.glob("*.json"):
        if stale.name != "manifest.json" and stale.name not in files:
            stale.unlink()

    covered = {b for c in cases.values() for b in c.covers} | (kept.covered if kept is not None else set())
    manifest: dict[str, Any] = {
        "format": reference.FORMAT,
        "versions": {**versions[0], "hypothesis": _hypothesis_version()},
        "examples_per_case": EXAMPLES_PER_CASE,
        "catalogue": sorted(covered & set(catalogue.load())),
        "files": files,
    }
    if kept is not None and kept.inputs_from:
        manifest["inputs_from"] = kept.inputs_from  # the kept families' inputs came from there
    elif taken_from:
        manifest["inputs_from"] = taken_from
    manifest["recorded"] = _date_unless_unchanged(folder / "manifest.json", manifest)
    _write_if_changed(folder / "manifest.json", reference.dumps(manifest))
    return folder


class _Kept:
    """What a partial recording keeps of the folder it adds to."""

    def __init__(self, files: dict[str, str], covered: set[str], inputs_from: list | None):
        self.files, self.covered, self.inputs_from = files, covered, inputs_from


def _kept_families(folder: pathlib.Path, versions: dict, recorded: set[str]) -> _Kept:
    """The other families of an earlier recording of the same TF, checked against its manifest."""
    try:
        earlier = reference.Recording(folder, skip=frozenset(recorded))
    except reference.ReferenceDataError as exc:
        raise RecorderError(f"--families adds to a complete earlier recording: {exc}") from None
    if earlier.tensorflow_version != versions["tensorflow"]:
        raise RecorderError(
            f"{folder} holds TensorFlow {earlier.tensorflow_version}, not {versions['tensorflow']}: record it whole"
        )
    files = {f: d for f, d in earlier.manifest["files"].items() if f.removesuffix(".json") not in recorded}
    covered = {b for case_id, covers in earlier.covers.items() if case_id.split(".")[0] not in recorded for b in covers}
    return _Kept(files, covered, earlier.manifest.get("inputs_from"))


def _since(started: float) -> str:
    return f"{time.monotonic() - started:.0f} s"


def _inputs_from(folders: list[pathlib.Path], cases: dict[str, Case]) -> tuple[dict[str, list], list[dict]]:
    """The encoded inputs of each case (still existing) from the first of `folders` that recorded
    it, and per folder what was taken (for the manifest)."""
    given: dict[str, list] = {}
    taken_from = []
    for folder in folders:
        source = reference.Recording(folder)
        taken = 0
        for case_id, examples in source.examples.items():
            if case_id in cases and case_id not in given:
                given[case_id] = [codec.encode(example["inputs"]) for example in examples]
                taken += 1
        taken_from.append({"folder": source.folder.name, "tensorflow": source.tensorflow_version, "cases": taken})
    return given, taken_from


def _shares(items_by_family: dict[str, list[dict]], jobs: int) -> list[list[dict]]:
    """Families split among `jobs` children, fixed by the data alone (largest first, onto the
    lightest share), each share in family order."""
    weights = [0] * jobs
    assigned: list[list[str]] = [[] for _ in range(jobs)]
    for family in sorted(items_by_family, key=lambda f: (-len(items_by_family[f]), f)):
        lightest = weights.index(min(weights))
        assigned[lightest].append(family)
        weights[lightest] += len(items_by_family[family])
    return [[item for f in sorted(share) for item in items_by_family[f]] for share in assigned if share]


def _run_items(name: str, items: list[dict], locators: dict, progress, lock) -> list[dict]:
    """Runs `items` in order in fresh children until each has an observation (crashes included)."""
    last = {item["case"]: item["index"] for item in items}

    def report(line: dict) -> None:
        if "observation" in line and last.get(line["case"]) == line["index"]:
            with lock:
                progress(f"  {line['case']}: {line['index'] + 1} examples")

    out: list[dict] = []
    pending = list(items)
    while pending:
        lines, returncode, stderr = _run_child({"mode": "run", "backend": name, "items": pending}, locators, report)
        out += lines
        pending = pending[sum(1 for line in lines if "observation" in line) :]
        if not pending:
            break
        if returncode >= 0:
            raise RecorderError(f"a recorder child for {name} stopped with exit code {returncode}:\n{stderr[-3000:]}")
        first = pending.pop(0)
        where = f"{first['case']} example {first['index']}"
        alone, returncode, stderr = _run_child({"mode": "run", "backend": name, "items": [first]}, locators)
        result = [line for line in alone if "observation" in line]
        if result:
            progress(f"  {where}: the child died ({_signal_name(returncode)}) but not when run alone")
        elif returncode < 0:
            message = crash_message(stderr)
            progress(f"  {where}: {name} crashed ({_signal_name(returncode)}: {message})")
            result = [{**first, "observation": crashed(_signal_name(returncode), message)}]
            del result[0]["inputs"]
        else:
            raise RecorderError(f"a recorder child for {name} stopped with exit code {returncode}:\n{stderr[-3000:]}")
        out += result
        report(result[0])
    return out


def _signal_name(returncode: int) -> str:
    try:
        return signal.Signals(-returncode).name
    except ValueError:
        return f"signal {-returncode}"


_TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+: ")
_GLOG = re.compile(r"^[FEWI]\d{4} [\d:.]+\s+\d+ ")  # absl's prefix: F0000 00:00:1700000000.123456   1234
_NOISE = (
    "Fatal Python error",
    "Current thread",
    "Thread 0x",
    "Extension modules:",
    "  File ",
    "*** ",
    "Aborted",
    "WARNING: All log messages before absl::InitializeLog()",
)


def crash_message(stderr: str) -> str:
    """The stderr line that says why the process died (TF's fatal check), without its time and pid."""
    lines = [_GLOG.sub("", _TIMESTAMP.sub("", line.rstrip())) for line in stderr.splitlines()]
    lines = [line for line in lines if line.strip() and not line.startswith(_NOISE)]
    for line in reversed(lines):
        if line.startswith("F ") or "Check failed" in line:
            return line[2:] if line.startswith("F ") else line
    return lines[-1] if lines else "(nothing on stderr)"


def _locator(case: Case) -> list[str] | None:
    """How a child finds `case`: None for a registered case (cases.load_all), else
    [module, attribute] of a module-level Case object (tests' fake cases)."""
    from . import cases as registry

    if registry._registry.get(case.id) is case:
        return None
    module = sys.modules.get(case.fn.__module__)
    for attribute, value in vars(module or object()).items():
        if value is case:
            return [case.fn.__module__, attribute]
    raise RecorderError(f"{case.id}: a child process cannot find this case (register it or make it a module global)")


def _run_child(job: dict, locators: dict, on_line: Callable[[dict], Any] | None = None) -> tuple[list[dict], int, str]:
    """Runs one child on `job`; its output lines (each passed to `on_line` as it comes), its exit
    code (negative: killed by that signal) and its stderr."""
    job = {**job, "locators": locators}
    with tempfile.TemporaryDirectory(prefix="conformance-record-") as tmp:
        job_path, out_path, err_path = (pathlib.Path(tmp) / n for n in ("job.json", "out.jsonl", "stderr.txt"))
        job_path.write_text(json.dumps(job), encoding="utf-8")
        out_path.touch()
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
        env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
        command = [sys.executable, "-c", "from conformance import record; record.child()", str(job_path), str(out_path)]
        lines: list[dict] = []
        with open(err_path, "wb") as err, open(out_path, encoding="utf-8") as out:
            process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=err, stderr=err, env=env)
            pending = ""
            while True:
                finished = process.poll() is not None
                pending += out.read()
                *complete, pending = pending.split("\n")
                for text in complete:
                    lines.append(json.loads(text))
                    if on_line is not None:
                        on_line(lines[-1])
                if finished:
                    break  # `pending` is a line the crash cut short, if anything
                time.sleep(0.2)
            returncode = process.returncode
        stderr = err_path.read_text(encoding="utf-8", errors="replace")
    if job["mode"] == "draw" and returncode != 0:
        raise RecorderError(f"drawing inputs failed (exit code {returncode}):\n{stderr[-3000:]}")
    return lines, returncode, stderr


def child() -> None:
    """A child process: `python -c '...record.child()' JOB OUT`. Draws inputs (before any backend
    is imported, so draws do not depend on it) or runs examples, one JSON line each to OUT."""
    job_path, out_path = sys.argv[1], sys.argv[2]
    job = json.loads(pathlib.Path(job_path).read_text(encoding="utf-8"))
    found = _find_cases(job["locators"])
    with open(out_path, "w", encoding="utf-8") as out:

        def write(line: dict) -> None:
            out.write(json.dumps(line, sort_keys=True, allow_nan=False) + "\n")
            out.flush()

        if job["mode"] == "draw":
            for case_id in job["cases"]:
                write({"case": case_id, "inputs": [codec.encode(d) for d in draw_inputs(found[case_id])]})
        else:
            tf = backend.load(job["backend"])
            write({"versions": backend.versions(tf)})
            for item in job["items"]:
                observation = observe.run(found[item["case"]], tf, codec.decode(item["inputs"]))
                write({"case": item["case"], "index": item["index"], "observation": observation})
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)  # no interpreter teardown: some backends crash at exit, after the work is done


def _find_cases(locators: dict) -> dict[str, Case]:
    import importlib

    from . import cases as registry

    found = registry.load_all() if None in locators.values() else {}
    for case_id, locator in locators.items():
        if locator is not None:
            found[case_id] = getattr(importlib.import_module(locator[0]), locator[1])
    return found


def _hypothesis_version() -> str:
    import hypothesis

    return hypothesis.__version__


def _date_unless_unchanged(path: pathlib.Path, manifest: dict) -> str:
    """Keeps the previous date if nothing else in the manifest changed (so re-recording is a no-op)."""
    try:
        previous = json.loads(path.read_text())
    except (OSError, ValueError):
        previous = None
    if isinstance(previous, dict) and {k: v for k, v in previous.items() if k != "recorded"} == manifest:
        return previous["recorded"]
    return datetime.date.today().isoformat()


def _write_if_changed(path: pathlib.Path, text: str) -> None:
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
