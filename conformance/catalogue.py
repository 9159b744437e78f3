"""The behaviour catalogue: every documented behaviour the suite proves, with its source.

`catalogue.toml` holds one table per behaviour, `[area.behaviour]`, whose dotted
name is its id:
    statement  one line, what TensorFlow does
    source     where it is documented (a seed notebook or a TensorFlow doc page)
Every entry must be covered by at least one case (`covers=`); the report shows coverage.
"""

from __future__ import annotations

import functools
import pathlib
import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .cases import Case

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

PATH = pathlib.Path(__file__).with_name("catalogue.toml")


@functools.lru_cache(maxsize=None)
def load(path: pathlib.Path = PATH) -> dict[str, dict[str, Any]]:
    with open(path, "rb") as f:
        tables = tomllib.load(f)
    entries: dict[str, dict[str, Any]] = {}
    pending = [(area, table) for area, table in tables.items()]
    while pending:
        name, table = pending.pop()
        if "statement" in table or "source" in table:
            missing = {"statement", "source"} - set(table)
            if missing:
                raise ValueError(f"{path}: behaviour {name!r} has no {', '.join(sorted(missing))}")
            entries[name] = table
        else:
            pending.extend((f"{name}.{key}", sub) for key, sub in table.items() if isinstance(sub, dict))
    return dict(sorted(entries.items()))


def coverage(cases: Iterable[Case]) -> tuple[dict[str, list[str]], list[str]]:
    """(case ids per catalogue entry, ids that cases name but the catalogue lacks)."""
    entries = load()
    covered: dict[str, list[str]] = {behaviour: [] for behaviour in entries}
    unknown = []
    for case in cases:
        for behaviour in case.covers:
            if behaviour in covered:
                covered[behaviour].append(case.id)
            else:
                unknown.append(f"{case.id} -> {behaviour}")
    return covered, unknown
