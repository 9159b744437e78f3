"""What a conformance case is, and the registry of them.

A case is a small function `fn(tf, **inputs)` written against TensorFlow's API. It
returns what it wants compared (tensors, None, strings, structures); exceptions, log
records, warnings and printed text are observed around it. Its inputs are drawn by
Hypothesis strategies (a dict of them, `inputs=`), with explicit `examples` (the seed
notebooks' numbers) tried first. `fixed` inputs are the same for every draw: they let
one function serve a table of ops, one case per op.

Each family is one test module, `conformance/test_<family>.py`; a case's id is
`<family>.<name>` and names the catalogue behaviours it shows (`covers`).
"""

from __future__ import annotations

import dataclasses
import importlib
import pkgutil
from typing import Callable

_registry: dict[str, Case] = {}


@dataclasses.dataclass(frozen=True)
class Case:
    id: str
    family: str
    fn: Callable
    covers: tuple[str, ...]
    inputs: dict | None = None  # name -> hypothesis strategy
    fixed: dict = dataclasses.field(default_factory=dict)
    examples: tuple[dict, ...] = ()
    random: bool = False  # returns random draws: compare dtypes and shapes only
    approx: bool = False  # prints results of transcendental kernels: compare printed numbers loosely
    tolerance: tuple[float, float] | None = None  # (rtol, atol) instead of the dtype's
    max_examples: int | None = None  # fewer draws for slow cases
    class_only: bool = False  # exceptions: compare the class only (TF's text holds internal details)

    def strategy(self):
        """One Hypothesis strategy for the whole input dict, `fixed` inputs included."""
        from hypothesis import strategies as st

        drawn = {name: s for name, s in (self.inputs or {}).items()}
        fixed = {name: st.just(v) for name, v in self.fixed.items()}
        return st.fixed_dictionaries({**fixed, **drawn})

    def all_examples(self) -> list[dict]:
        return [{**self.fixed, **example} for example in self.examples]


def family_of(module_name: str) -> str:
    name = module_name.rsplit(".", 1)[-1]
    if not name.startswith("test_"):
        raise ValueError(f"cases live in conformance/test_<family>.py, not in {module_name}")
    return name[len("test_") :]


def case(covers, inputs=None, examples=(), name=None, fixed=None, **options):
    """Declares `fn(tf, **inputs)` a case of the family of the module it is written in."""
    covers = (covers,) if isinstance(covers, str) else tuple(covers)

    def register(fn):
        add(fn, covers, inputs=inputs, examples=examples, name=name, fixed=fixed, **options)
        return fn

    return register


def add(fn, covers, inputs=None, examples=(), name=None, fixed=None, module=None, **options) -> Case:
    """Registers one case (`case` as a call: for tables of ops sharing one function)."""
    family = family_of(module or fn.__module__)
    case_id = f"{family}.{name or fn.__name__}"
    if case_id in _registry:
        raise ValueError(f"two conformance cases named {case_id}")
    new = Case(
        id=case_id,
        family=family,
        fn=fn,
        covers=(covers,) if isinstance(covers, str) else tuple(covers),
        inputs=inputs,
        fixed=dict(fixed or {}),
        examples=tuple(examples),
        **options,
    )
    _registry[case_id] = new
    return new


def load_all() -> dict[str, Case]:
    """Imports every family module and returns all cases by id."""
    import conformance

    for info in pkgutil.iter_modules(conformance.__path__):
        if info.name.startswith("test_"):
            importlib.import_module(f"conformance.{info.name}")
    return dict(_registry)


def in_module(module_name: str) -> list[Case]:
    family = family_of(module_name)
    return [c for c in _registry.values() if c.family == family]
