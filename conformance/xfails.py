"""Known differences: `xfails.txt`, one line per case a backend is known to fail.

    <backend> <case id>: <reason a user would accept>

Listed cases run as strict expected failures (a pass fails the run, so the list
cannot go stale); the report prints them. Nothing else is skipped.
"""

from __future__ import annotations

import pathlib

PATH = pathlib.Path(__file__).with_name("xfails.txt")


def load(backend_name: str, path: pathlib.Path = PATH) -> dict[str, str]:
    """Case id -> reason, for `backend_name`."""
    known: dict[str, str] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        head, sep, reason = line.partition(":")
        words = head.split()
        if not sep or len(words) != 2 or not reason.strip():
            raise ValueError(f"{path}:{number}: expected '<backend> <case id>: <reason>', got {line!r}")
        if words[0] == backend_name:
            known[words[1]] = reason.strip()
    return known
