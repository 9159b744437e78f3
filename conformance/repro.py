"""A failing case as a snippet a user can paste: runs under `import tensorflow as tf`
and under `import shim as tf`, with the concrete inputs, and prints the result."""

from __future__ import annotations

import inspect
import textwrap

from . import codec


def source_of(case) -> str:
    """The case function's source without its decorator."""
    lines = textwrap.dedent(inspect.getsource(case.fn)).splitlines()
    start = next(i for i, line in enumerate(lines) if line.lstrip().startswith("def "))
    return "\n".join(lines[start:])


def helpers_of(case) -> list[str]:
    """Sources of the module-level helpers the case calls (functions of its own module)."""
    module = inspect.getmodule(case.fn)
    names = case.fn.__code__.co_names
    found = []
    for name in names:
        obj = getattr(module, name, None)
        if inspect.isfunction(obj) and obj.__module__ == module.__name__ and not hasattr(obj, "conformance_case"):
            found.append(textwrap.dedent(inspect.getsource(obj)))
    return found


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
