"""`tf.IndexedSlices`: some rows of a larger tensor, as their values and row indices.

It is TF's sparse gradient: `tf.gather`'s gradient for its params is one, and it stays
one through the gradients that pass it on (a variable's read, identity, cast, ...).
Like TF's, it holds what it is given, unconverted. Converting it to a tensor (what
every op does with it) sums its rows into a tensor of `dense_shape[0]` rows, as TF's
registered conversion does with UnsortedSegmentSum: repeated indices add up.
"""

from __future__ import annotations

from .shape import TensorShape

__all__ = ["IndexedSlices", "is_indexed_slices", "to_dense", "aggregate", "TF_CLASS"]

TF_CLASS = "tensorflow.python.framework.indexed_slices.IndexedSlices"  # how TF's reprs name the class


class IndexedSlices:
    """`tf.IndexedSlices(values, indices, dense_shape=None)`:
    `dense[indices[i], ...] = values[i, ...]` for a dense tensor of shape `dense_shape`."""

    __slots__ = ("_values", "_indices", "_dense_shape", "__weakref__")
    _is_indexed_slices = True  # what tensor.py looks for (it cannot import this module)

    def __init__(self, values, indices, dense_shape=None):
        self._values = values
        self._indices = indices
        self._dense_shape = dense_shape

    @property
    def values(self):
        return self._values

    @property
    def indices(self):
        return self._indices

    @property
    def dense_shape(self):
        return self._dense_shape

    @property
    def dtype(self):
        return self._values.dtype

    @property
    def shape(self) -> TensorShape:
        """The dense shape as a TensorShape (unknown rank without a dense_shape)."""
        if self._dense_shape is None:
            return TensorShape(None)
        if not hasattr(self._dense_shape, "_dtype"):  # TF reads it with get_shape(), which lists lack
            raise AttributeError(f"{type(self._dense_shape).__name__!r} object has no attribute 'get_shape'")
        return TensorShape([int(d) for d in self._dense_shape.numpy()])

    @property
    def name(self):
        return self._values.name

    @property
    def device(self):
        return self._values.device

    @property
    def op(self):
        return self._values.op

    @property
    def graph(self):
        return self._values.graph

    def __neg__(self):
        return IndexedSlices(-self._values, self._indices, self._dense_shape)

    def __str__(self) -> str:
        shape = f", dense_shape={self._dense_shape!s}" if self._dense_shape is not None else ""
        return f"IndexedSlices(indices={self._indices!s}, values={self._values!s}{shape})"

    def __repr__(self) -> str:  # TF's class has no repr of its own: Python's default, with TF's module
        return f"<{TF_CLASS} object at {id(self):#x}>"


def is_indexed_slices(value) -> bool:
    return type(value) is IndexedSlices


def to_dense(slices: IndexedSlices, dtype=None, name=None):
    """TF's conversion function: its checks, then the rows summed (UnsortedSegmentSum)."""
    from ..ops.array_ops import unsorted_segment_sum  # the ops need the engine loaded first

    if dtype is not None and not dtype.is_compatible_with(slices.dtype):
        raise ValueError(
            f"Incompatible tensor conversion requested to `dtype` {dtype.name} for IndexedSlices ({slices}) "
            f"with dtype {slices.dtype.name}"
        )
    if slices.dense_shape is None:
        raise ValueError(
            f"Tensor conversion requested for IndexedSlices for argument `value` without dense_shape: {slices!s}"
        )
    return unsorted_segment_sum(slices.values, slices.indices, slices.dense_shape[0], name=name)


def aggregate(pieces: list) -> IndexedSlices:
    """Several IndexedSlices gradients of one tensor as one, as TF's tape aggregates them: values
    and indices concatenated in the given order (int32 indices become int64 if any is int64),
    with the first one's dense_shape."""
    from . import dtypes
    from ..ops.array_ops import cast, concat

    if len(pieces) == 1:
        return pieces[0]
    if len({p.indices.dtype for p in pieces}) > 1:  # only int32 ones are cast, as in TF
        pieces = [
            IndexedSlices(p.values, cast(p.indices, dtypes.int64), p.dense_shape)
            if p.indices.dtype == dtypes.int32
            else p
            for p in pieces
        ]
    values = concat([p.values for p in pieces], 0)
    indices = concat([p.indices for p in pieces], 0)
    return IndexedSlices(values, indices, pieces[0].dense_shape)
