"""`tf.name_scope` (as it names variables in eager mode) and `tf.Module` (variable tracking).

A Module finds its variables and submodules by walking its attributes: sorted by
name, through nested lists, tuples and dicts, each object once; its own attributes
first, then each submodule's, as TF's `_flatten_module` does.
"""

from __future__ import annotations

import re
import threading

from . import nest

_VALID_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_CAMEL_TO_SNAKE = re.compile(r"((?<=[a-z0-9])[A-Z]|(?!^)[A-Z](?=[a-z]))")


class _Scopes(threading.local):
    def __init__(self):
        self.current = ""  # "outer/inner/" inside two scopes


_scopes = _Scopes()


def current_scope() -> str:
    return _scopes.current


class name_scope:  # noqa: N801 (TF's name)
    """`tf.name_scope(name)`: variables created inside are named "<scope>/<name>:0".
    A name ending in "/" is absolute (not nested in the current scope)."""

    def __init__(self, name):
        if not isinstance(name, str):
            raise ValueError("name for name_scope must be a string.")
        self._name = name

    @property
    def name(self) -> str:
        return self._name

    def __enter__(self) -> str:
        self._saved = _scopes.current
        if self._name.endswith("/"):
            _scopes.current = self._name
        elif self._name:
            _scopes.current = f"{_scopes.current}{self._name}/"
        return _scopes.current

    def __exit__(self, *exc):
        _scopes.current = self._saved


def _is_variable(obj) -> bool:
    return getattr(obj, "_is_variable", False)


class Module:
    """`tf.Module`: a named container whose variables and submodules are found by attribute."""

    def __init__(self, name=None):
        if name is None:
            name = _CAMEL_TO_SNAKE.sub(r"_\1", type(self).__name__).lower()
        elif not _VALID_NAME.match(name):
            raise ValueError(
                f"{name!r} is not a valid module name. Module names must be valid Python identifiers "
                "(e.g. a valid class name)."
            )
        self._name = name
        with name_scope(name) as scope:
            self._name_scope = name_scope(scope)

    @property
    def name(self) -> str:
        return self._name

    @property
    def name_scope(self) -> name_scope:
        return self._name_scope

    @property
    def variables(self) -> tuple:
        return tuple(self._flatten(_is_variable))

    @property
    def trainable_variables(self) -> tuple:
        return tuple(self._flatten(lambda x: _is_variable(x) and x.trainable))

    @property
    def non_trainable_variables(self) -> tuple:
        return tuple(self._flatten(lambda x: _is_variable(x) and not x.trainable))

    @property
    def submodules(self) -> tuple:
        return tuple(self._flatten(lambda x: isinstance(x, Module)))

    def _flatten(self, predicate, recursive=True):
        """Matching attributes of this module, then of each submodule (depth first), each once."""
        seen = {id(self)}
        found = []
        pending = [self]
        while pending:
            module = pending.pop(0)
            submodules = []
            for key in sorted(vars(module)):
                for leaf in nest.flatten(vars(module)[key]):
                    if id(leaf) in seen:
                        continue
                    seen.add(id(leaf))
                    if predicate(leaf):
                        found.append(leaf)
                    if recursive and isinstance(leaf, Module):
                        submodules.append(leaf)
            pending[:0] = submodules
        return found

    @classmethod
    def with_name_scope(cls, method):
        """Decorates a method so that it runs inside the module's name scope."""

        def scoped(self, *args, **kwargs):
            with self.name_scope:
                return method(self, *args, **kwargs)

        scoped.__name__ = method.__name__
        scoped.__doc__ = method.__doc__
        return scoped
