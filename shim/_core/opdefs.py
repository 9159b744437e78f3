"""TF's op definitions, as far as the shim needs them: allowed dtypes and the error summary.

The data in opdefs.json is extracted from TensorFlow's op registry by
tools/extract_opdefs.py; it is what TF checks and prints, not our choice.
"""

from __future__ import annotations

import json
import pathlib

from . import dtypes

_TABLE = json.loads((pathlib.Path(__file__).with_name("opdefs.json")).read_text())
_BY_C_NAME = {d.c_name: d for d in dtypes._BY_NAME.values()}


def allowed_dtypes(op_type: str, attr: str = "T"):
    """The names of the dtypes TF allows for `op_type`'s type attribute, or None if it allows any."""
    entry = _TABLE.get(op_type)
    if entry is None or attr not in entry["allowed"]:
        return None
    return frozenset(_BY_C_NAME[n].name for n in entry["allowed"][attr] if n in _BY_C_NAME)


def describe(op_type: str, attr: str = "T") -> tuple[str, str]:
    """(allowed names as TF lists them, TF's one-line summary of the op definition)."""
    entry = _TABLE[op_type]
    return ", ".join(entry["allowed"].get(attr, [])), entry["summary"]
