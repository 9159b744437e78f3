"""A failing case as a snippet a user can paste: runs under `import tensorflow as tf`
and under `import shim as tf`, with the concrete inputs, and prints the result."""

from __future__ import annotations

import dis
import inspect
import textwrap

from . import casekit, codec


def source_of(case) -> str:
    """The case function's source without its decorator."""
    lines = textwrap.dedent(inspect.getsource(case.fn)).splitlines()
    start = next(i for i, line in enumerate(lines) if line.lstrip().startswith("def "))
    return "\n".join(lines[start:])


def helpers_of(case) -> list[str]:
    """Sources of the functions (of the case's module, or casekit's) that the case calls,
    directly or through each other: what the snippet needs to run on its own, callees first."""
    module = inspect.getmodule(case.fn)
    found: dict[str, str] = {}
    pending = _globals_used(case.fn)
    while pending:
        name = pending.pop()
        obj = getattr(module, name, None)
        own = inspect.isfunction(obj) and obj.__module__ in (module.__name__, casekit.__name__)
        if name in found or not own or obj is case.fn:
            continue
        found[name] = textwrap.dedent(inspect.getsource(obj))
        pending.extend(_globals_used(obj))
    return list(reversed(found.values()))


def _globals_used(fn) -> list[str]:
    """Global names a function loads (not attribute names such as `tf.where`)."""
    return [i.argval for i in dis.get_instructions(fn) if i.opname == "LOAD_GLOBAL"]


def snippet(case, inputs: dict) -> str:
    arguments = ", ".join(f"{name}={codec.literal(value)}" for name, value in inputs.items())
    needs_ml_dtypes = "ml_dtypes." in arguments
    parts = [
        "import numpy as np" + ("\nimport ml_dtypes" if needs_ml_dtypes else ""),
        "import tensorflow as tf  # and then: import shim as tf",
        *helpers_of(case),
        source_of(case),
        "try:\n"
        f"    print(repr({case.fn.__name__}(tf{', ' if arguments else ''}{arguments})))\n"
        "except Exception as e:\n"
        "    print(f'{type(e).__name__}: {e}')",
    ]
    return "\n\n".join(part.strip("\n") for part in parts) + "\n"
