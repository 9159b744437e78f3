"""A failing case as a snippet a user can paste: runs under `import tensorflow as tf`
and under `import shim as tf`, with the concrete inputs, and prints the result."""

from __future__ import annotations

import ast
import dis
import inspect
import textwrap
import types

from . import casekit, codec


def source_of(case) -> str:
    """The case function's source without its decorator."""
    lines = textwrap.dedent(inspect.getsource(case.fn)).splitlines()
    start = next(i for i, line in enumerate(lines) if line.lstrip().startswith("def "))
    return "\n".join(lines[start:])


def helpers_of(case) -> list[str]:
    """Sources of the functions (of the case's module, or casekit's) that the case calls,
    directly or through each other: what the snippet needs to run on its own, callees first."""
    module = _module_of(case.fn)
    found: dict[str, str] = {}
    pending = _globals_used(case.fn)
    while pending:
        name = pending.pop()
        obj = getattr(module, name, None)
        own = inspect.isfunction(obj) and obj.__module__ in (module.__name__, casekit.__name__)
        if name in found or not own or obj is case.fn or obj is None:
            continue
        found[name] = textwrap.dedent(inspect.getsource(obj))
        pending.extend(_globals_used(obj))
    return list(reversed(found.values()))


def _module_of(fn) -> types.ModuleType:
    module = inspect.getmodule(fn)
    if module is None:  # cases are module-level functions, so this is a caller's mistake
        raise ValueError(f"{fn!r} is not defined in a module")
    return module


def _globals_used(fn) -> list[str]:
    """Global names a function loads, nested functions and comprehensions included
    (not attribute names such as `tf.where`)."""
    names, codes = [], [fn.__code__]
    while codes:
        code = codes.pop()
        names += [i.argval for i in dis.get_instructions(code) if i.opname == "LOAD_GLOBAL"]
        codes += [c for c in code.co_consts if isinstance(c, types.CodeType)]
    return names


def imports_of(case) -> list[str]:
    """The module-level imports of the case's module that a snippet can use (not the suite's own)."""
    tree = ast.parse(inspect.getsource(_module_of(case.fn)))
    found = []
    for node in tree.body:
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""]
        else:
            continue
        if not any(n.split(".")[0] in _SUITE_ONLY for n in names):
            found.append(ast.unparse(node))
    return found


_SUITE_ONLY = {"__future__", "conformance", "hypothesis", "numpy", "pytest"}


def snippet(case, inputs: dict) -> str:
    arguments = ", ".join(f"{name}={codec.literal(value)}" for name, value in inputs.items())
    needs_ml_dtypes = "ml_dtypes." in arguments
    parts = [
        "\n".join(["import numpy as np", *(["import ml_dtypes"] if needs_ml_dtypes else []), *imports_of(case)]),
        "import tensorflow as tf  # and then: import shim as tf",
        *helpers_of(case),
        source_of(case),
        "try:\n"
        f"    print(repr({case.fn.__name__}(tf{', ' if arguments else ''}{arguments})))\n"
        "except Exception as e:\n"
        "    print(f'{type(e).__name__}: {e}')",
    ]
    return "\n\n".join(part.strip("\n") for part in parts) + "\n"
