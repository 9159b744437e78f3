"""Keras 3 variables: named 'kernel'/'bias' with a path 'dense/kernel', printed as Keras prints them."""

from __future__ import annotations

from .._core.variable import ResourceVariable


class Variable(ResourceVariable):
    __slots__ = ("_path",)

    def __init__(self, initializer, shape=None, dtype="float32", trainable=True, name=None, path=None):
        value = initializer(shape, dtype) if callable(initializer) else initializer
        super().__init__(value, trainable=trainable, name=name, dtype=dtype)
        self._state.name = name  # Keras 3 names carry no ':0'
        self._path = path or name

    @property
    def path(self) -> str:
        return self._path

    @property
    def value(self):
        return self._read()

    def __repr__(self) -> str:
        return f"<Variable path={self._path}, shape={self.shape}, dtype={self.dtype.name}, value={self.numpy()}>"
