"""`python -m conformance drift A B`: where two recordings (two TensorFlow releases) differ.

For each catalogue behaviour: `agree`, `differ`, or recorded in one folder only. Examples
are paired by their inputs (record B with `record --inputs-from A` so they share them);
whether two observations differ is compare.py's decision, with the case's tolerance. For
each differing example, the two observations are shown side by side where they differ:
exception class and message, log lines (count and text), warnings, printed text,
variable names, values with dtype and shape. Then one summary line.

Drift is information: the exit code is 0 unless a folder cannot be read (2).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import pathlib
import sys
from typing import Any

from . import catalogue, codec, compare, reference

_WIDTH = 150  # characters of one shown value or message
_LINES = 4  # log lines, warnings or printed lines shown per side


@dataclasses.dataclass
class CaseDrift:
    case_id: str
    covers: list[str]
    shared: int = 0  # examples with the same inputs on both sides
    unshared: int = 0  # examples whose inputs only one side has
    differing: list[tuple[int, dict, list[str]]] = dataclasses.field(default_factory=list)  # index, inputs, lines


@dataclasses.dataclass
class Drift:
    a: reference.Recording
    b: reference.Recording
    labels: tuple[str, str]
    cases: dict[str, CaseDrift]  # cases recorded on both sides
    only: dict[str, list[str]]  # label -> case ids recorded on that side only
    behaviours: dict[str, tuple[str, list[str]]]  # behaviour -> (status, differing case ids)


class _Plain:
    """Comparison options for a case the current source no longer has: the defaults."""

    random = False
    approx = False
    tolerance = None


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m conformance drift",
        description="per catalogue behaviour, where two recorded TensorFlow releases agree and differ",
    )
    parser.add_argument("a", type=pathlib.Path, help="a recorded folder, e.g. reference_cases/tf-2.15.1")
    parser.add_argument("b", type=pathlib.Path, help="another, e.g. reference_cases/tf-2.21.0")
    parser.add_argument(
        "--examples",
        type=int,
        default=0,
        metavar="N",
        help="show the first N differing examples of each case (default: all)",
    )
    parser.add_argument("--output", metavar="FILE", type=pathlib.Path, help="also write the report to FILE")
    args = parser.parse_args(argv)
    try:
        found = drift(reference.Recording(args.a), reference.Recording(args.b))
    except reference.ReferenceDataError as exc:
        print(f"python -m conformance drift: cannot read the recording: {exc}", file=sys.stderr)
        return 2
    text = render(found, args.examples)
    sys.stdout.write(text)
    if args.output is not None:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text, encoding="utf-8")
    return 0


def drift(a: reference.Recording, b: reference.Recording, registry: dict | None = None) -> Drift:
    """The drift between two loaded recordings, as data. `registry` gives each case's comparison
    options (tolerance, random, approx); default: the current cases."""
    if registry is None:
        from . import cases

        registry = cases.load_all()
    labels = (a.tensorflow_version, b.tensorflow_version)
    if labels[0] == labels[1]:
        labels = (a.folder.name, b.folder.name) if a.folder.name != b.folder.name else (str(a.folder), str(b.folder))
    shared_ids = sorted(set(a.examples) & set(b.examples))
    found = {case_id: _case_drift(case_id, a, b, registry.get(case_id) or _Plain()) for case_id in shared_ids}
    only = {labels[0]: sorted(set(a.examples) - set(b.examples)), labels[1]: sorted(set(b.examples) - set(a.examples))}

    names = set(catalogue.load())
    for recording in (a, b):
        names |= {behaviour for covers in recording.covers.values() for behaviour in covers}
    behaviours = {}
    for name in sorted(names):
        in_a = {c for c, covers in a.covers.items() if name in covers}
        in_b = {c for c, covers in b.covers.items() if name in covers}
        both = sorted(in_a & in_b)
        differing = [c for c in both if found[c].differing]
        if not in_a and not in_b:
            status = "not recorded"
        elif not both:
            status = f"only {labels[0]}" if in_a else f"only {labels[1]}"
        elif differing:
            status = "differ"
        elif not any(found[c].shared for c in both):
            status = "no shared inputs"
        else:
            status = "agree"
        behaviours[name] = (status, differing)
    return Drift(a, b, labels, found, only, behaviours)


def _key(inputs) -> str:
    return json.dumps(codec.encode(inputs), sort_keys=True)


def _case_drift(case_id: str, a: reference.Recording, b: reference.Recording, case) -> CaseDrift:
    result = CaseDrift(case_id, sorted(set(a.covers.get(case_id, [])) | set(b.covers.get(case_id, []))))
    theirs = {_key(example["inputs"]): example["observation"] for example in b.examples[case_id]}
    ours = set()
    for index, example in enumerate(a.examples[case_id]):
        key = _key(example["inputs"])
        ours.add(key)
        if key not in theirs:
            result.unshared += 1
            continue
        result.shared += 1
        lines = side_by_side(example["observation"], theirs[key], case)
        if lines:
            result.differing.append((index, example["inputs"], lines))
    result.unshared += len(set(theirs) - ours)
    return result


# -- showing two observations where they differ --------------------------------------------------


def side_by_side(got: dict, want: dict, case, labels: tuple[str, str] = ("A", "B")) -> list[str]:
    """Lines showing where two observations differ (empty if compare finds them alike).
    Each place is a heading line, then one line per side starting with its label's slot (`{0}`/`{1}`)."""
    lines: list[str] = []
    if _differ({"result": got["result"]}, {"result": want["result"]}, case):
        lines += _walk("result", got["result"], want["result"], case)
    for facet in ("logs", "warnings"):
        mine, theirs = got.get(facet, []), want.get(facet, [])
        if _differ({facet: mine}, {facet: theirs}, case):
            lines += [f"{facet}", "{0}" + _records(mine), "{1}" + _records(theirs)]
    mine_out, theirs_out = got.get("stdout", ""), want.get("stdout", "")
    if _differ({"stdout": mine_out}, {"stdout": theirs_out}, case):
        lines += ["printed", "{0}" + _printed(mine_out), "{1}" + _printed(theirs_out)]
    return lines


def _differ(got: dict, want: dict, case) -> bool:
    """compare.py's verdict on one facet of two observations."""
    blank: dict = {"result": None, "logs": []}
    return bool(compare.differences({**blank, **got}, {**blank, **want}, case))


def _walk(where: str, got, want, case) -> list[str]:
    """Down both results while they have one structure, to the places that differ."""
    if not _differ({"result": got}, {"result": want}, case):
        return []
    kind, want_kind = compare._kind(got), compare._kind(want)
    if kind == want_kind and kind in ("list", "tuple"):
        items, want_items = (got, want) if kind == "list" else (got["items"], want["items"])
        if len(items) == len(want_items):
            return [
                line for i, (g, w) in enumerate(zip(items, want_items)) for line in _walk(f"{where}[{i}]", g, w, case)
            ]
    if kind == want_kind == "dict" and [k for k, _ in got["items"]] == [k for k, _ in want["items"]]:
        pairs = zip(got["items"], want["items"])
        return [line for (k, g), (_, w) in pairs for line in _walk(f"{where}[{_show(k)}]", g, w, case)]
    if kind == want_kind == "indexed_slices":
        return [
            line
            for part in ("values", "indices", "dense_shape")
            for line in _walk(f"{where}.{part}", got[part], want[part], case)
        ]
    mine, theirs = _pair(_show(got).replace("\n", "\\n"), _show(want).replace("\n", "\\n"))  # one line each
    return [where, "{0}" + mine, "{1}" + theirs]


def _show(value) -> str:
    """One value, short: exceptions as `Class: message`, arrays as `kind dtype(shape) 'name' [values]`."""
    kind = compare._kind(value)
    if kind == "raised":
        return f"raises {value['type']}: {value['message']}"
    if kind == "crashed":
        return f"CRASHED ({value.get('signal')}): {value.get('message')}"
    if kind in ("tensor", "variable", "ndarray"):
        name = f" {value['name']!r}" if "name" in value else ""
        trainable = " trainable" if value.get("trainable") else ""
        values = value["values"]
        shown = "(random)" if values is None else _values(values)
        return f"{kind} {value['dtype']}{tuple(value['shape'])}{name}{trainable} {shown}"
    if kind in ("list", "tuple"):
        items = value if kind == "list" else value["items"]
        inner = ", ".join(_show(v) for v in items)
        return f"[{inner}]" if kind == "list" else f"({inner})"
    if kind == "dict":
        return "{" + ", ".join(f"{_show(k)}: {_show(v)}" for k, v in value["items"]) + "}"
    if kind == "indexed_slices":
        return (
            "IndexedSlices(" + ", ".join(f"{p}={_show(value[p])}" for p in ("values", "indices", "dense_shape")) + ")"
        )
    if kind == "shape":
        return f"TensorShape({value['dims']})"
    if kind == "dtype":
        return f"tf.{value['name']}"
    if kind == "object":
        return f"<{value['type']}>"
    if kind == "float":
        return repr(codec.decode(value))
    return repr(value)


def _values(values: list) -> str:
    shown = ", ".join(json.dumps(v) for v in values[:6])
    return f"[{shown}{', ...' if len(values) > 6 else ''}]"


def _pair(mine: str, theirs: str, width: int = _WIDTH) -> tuple[str, str]:
    """Two texts cut to `width`, both starting a little before their first difference."""
    if len(mine) <= width and len(theirs) <= width:
        return mine, theirs
    same = 0
    while same < min(len(mine), len(theirs)) and mine[same] == theirs[same]:
        same += 1
    start = max(0, same - width // 3)

    def cut(text: str) -> str:
        part = text[start : start + width]
        return ("..." if start else "") + part + ("..." if start + width < len(text) else "")

    return cut(mine), cut(theirs)


def _records(records: list) -> str:
    """Log records or warnings: how many, and each (a few)."""
    if not records:
        return "none"
    count = f"{len(records)} line{'s' if len(records) != 1 else ''}"
    shown = [f"{level}: {_one_line(message)}" for level, message in records[:_LINES]]
    more = [f"... {len(records) - _LINES} more"] if len(records) > _LINES else []
    return count + "".join(f"\n| {line}" for line in shown + more)


def _printed(text: str) -> str:
    if not text:
        return "nothing"
    lines = text.rstrip("\n").split("\n")
    shown = [line[:_WIDTH] for line in lines[: _LINES * 2]]
    more = [f"... {len(lines) - len(shown)} more lines"] if len(lines) > len(shown) else []
    return f"{len(lines)} lines" + "".join(f"\n| {line}" for line in shown + more)


def _one_line(text: str) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= _WIDTH else text[: _WIDTH - 3] + "..."


def _inputs(inputs: dict) -> str:
    parts = []
    for name, value in inputs.items():
        data: Any = codec.encode(value)
        if isinstance(data, dict) and data.get("$") in ("ndarray", "scalar") and len(data["values"]) > 4:
            parts.append(f"{name}={data['dtype']}{tuple(data['shape'])}")
        else:
            parts.append(f"{name}={_one_line(codec.literal(value))}")
    return _one_line(", ".join(parts))


def render(found: Drift, examples: int = 0) -> str:
    """The report: behaviours, then the differing examples (the first `examples` of each case; 0: all), then the summary."""
    la, lb = found.labels
    width = max(len(la), len(lb))
    out = [
        f"drift: {found.a.folder} (TensorFlow {found.a.tensorflow_version}) and {found.b.folder} "
        f"(TensorFlow {found.b.tensorflow_version})"
    ]
    for recording, label in ((found.a, la), (found.b, lb)):
        sources = recording.manifest.get("inputs_from")
        for source in sources if isinstance(sources, list) else []:
            if isinstance(source, dict):
                out.append(
                    f"  {label}: inputs of {source.get('cases')} cases taken from {source.get('folder')} "
                    f"(TensorFlow {source.get('tensorflow')})"
                )
    out += ["", "behaviours:"]
    status_width = max(len(status) for status, _ in found.behaviours.values())
    for name, (status, differing) in found.behaviours.items():
        detail = f"  ({', '.join(differing)})" if differing else ""
        out.append(f"  {status:<{status_width}}  {name}{detail}")

    differing_cases = [c for c in found.cases.values() if c.differing]
    if differing_cases:
        out += ["", "differences:"]
    for case in differing_cases:
        out.append(
            f"\n{case.case_id} [{', '.join(case.covers)}]: {len(case.differing)} of {case.shared} examples differ"
        )
        shown = case.differing[:examples] if examples else case.differing
        for index, inputs, lines in shown:
            out.append(f"  example {index}: {_inputs(inputs) or '(no inputs)'}")
            for line in lines:
                if line[:3] in ("{0}", "{1}"):
                    label = la if line[:3] == "{0}" else lb
                    out.append(f"      {label:>{width}}  " + line[3:].replace("\n| ", "\n" + " " * (width + 8) + "| "))
                else:
                    out.append(f"    {line}")
        if len(shown) < len(case.differing):
            out.append(f"  ... {len(case.differing) - len(shown)} more examples differ")
    for label, ids in found.only.items():
        if ids:
            out.append(f"\nonly in {label} ({len(ids)} cases): {', '.join(ids)}")
    out += ["", summary(found)]
    return "\n".join(out) + "\n"


def summary(found: Drift) -> str:
    statuses = [status for status, _ in found.behaviours.values()]
    counts = {s: statuses.count(s) for s in dict.fromkeys(statuses)}
    order = ["agree", "differ"] + sorted(s for s in counts if s not in ("agree", "differ"))
    behaviours = ", ".join(f"{counts[s]} {s}" for s in order if s in counts)
    cases = list(found.cases.values())
    examples = sum(c.shared for c in cases)
    differing = sum(len(c.differing) for c in cases)
    text = (
        f"drift {found.labels[0]} vs {found.labels[1]}: {len(statuses)} behaviours: {behaviours}; "
        f"{sum(1 for c in cases if c.differing)} of {len(cases)} cases differ, "
        f"on {differing} of {examples} shared examples"
    )
    unshared = sum(c.unshared for c in cases)
    if unshared:
        text += f"; {unshared} examples have inputs only one side recorded"
    only = {label: len(ids) for label, ids in found.only.items() if ids}
    if only:
        text += "; cases only in " + ", ".join(f"{label}: {n}" for label, n in only.items())
    return text
