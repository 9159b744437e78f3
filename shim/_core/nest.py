"""`tf.nest`: lists, tuples, namedtuples, mappings (flattened by sorted key), mapping views,
other `collections.abc.Sequence`s (not strings/bytes) and attrs classes as structures.

Messages follow TF 2.21 (tensorflow/python/util/nest_util.py and the C++ helpers in
tensorflow/python/util/util.cc, e.g. AssertSameStructureHelper).
"""

from __future__ import annotations

import collections
import collections.abc

__all__ = ["is_nested", "flatten", "pack_sequence_as", "map_structure", "assert_same_structure"]

# type -> "is a structure"; like TF's CachedTypeCheck (keyed by type, at most 1024 entries).
_NESTED_BY_TYPE = {
    list: True,
    tuple: True,
    dict: True,
    str: False,
    bytes: False,
    int: False,
    float: False,
    bool: False,
    type(None): False,
}


def _classify(structure) -> bool:
    kind = type(structure)
    result = bool(
        isinstance(structure, (collections.abc.Mapping, collections.abc.MappingView))
        or hasattr(kind, "__attrs_attrs__")
        or (isinstance(structure, collections.abc.Sequence) and not isinstance(structure, (str, bytes)))
    )
    if len(_NESTED_BY_TYPE) < 1024:
        _NESTED_BY_TYPE[kind] = result
    return result


def is_nested(structure) -> bool:
    result = _NESTED_BY_TYPE.get(type(structure))
    return _classify(structure) if result is None else result


def _is_namedtuple(instance) -> bool:
    if not isinstance(instance, tuple):
        return False
    fields = getattr(instance, "_fields", None)
    if fields is None or not is_nested(fields) or isinstance(fields, collections.abc.Mapping):
        return False
    return all(isinstance(f, str) for f in fields)


def _children(structure):
    """Children in flatten order (C++ Flatten: a failing key sort raises Python's own error)."""
    kind = type(structure)
    if kind is list or kind is tuple:
        return structure
    if isinstance(structure, collections.abc.Mapping):
        return [structure[k] for k in sorted(structure.keys())]
    if hasattr(kind, "__attrs_attrs__"):
        return [getattr(structure, a.name) for a in kind.__attrs_attrs__]
    return list(structure)


def _sorted_keys(mapping):
    try:
        return sorted(mapping)
    except TypeError:
        raise TypeError("nest only supports dicts with sortable keys.")  # noqa: B904 (TF chains implicitly)


def _pack_children(structure):
    """Children in pack order (nest_util._tf_core_yield_value)."""
    kind = type(structure)
    if kind is list or kind is tuple or isinstance(structure, list):
        return structure
    if isinstance(structure, collections.abc.Mapping):
        return [structure[k] for k in _sorted_keys(structure)]
    if hasattr(kind, "__attrs_attrs__"):
        return [getattr(structure, a.name) for a in kind.__attrs_attrs__]
    return list(structure)


def flatten(structure, expand_composites=False) -> list:
    """The leaves of `structure`, depth first (iteratively: deep nests are fine)."""
    cache = _NESTED_BY_TYPE
    nested = cache.get(type(structure))
    if not (_classify(structure) if nested is None else nested):
        return [structure]
    out: list = []
    append = out.append
    stack = [iter(_children(structure))]
    while stack:
        for item in stack[-1]:
            nested = cache.get(type(item))
            if _classify(item) if nested is None else nested:
                stack.append(iter(_children(item)))
                break
            append(item)
        else:
            stack.pop()
    return out


_MAPPING_WARNED: list[bool] = []


def _sequence_like(instance, args):
    """`args` rebuilt with the type of `instance` (nest_util.sequence_like)."""
    kind = type(instance)
    if kind is list:
        return args if type(args) is list else list(args)
    if kind is tuple:
        return tuple(args)
    if isinstance(instance, collections.abc.MutableMapping):
        result = dict(zip(_sorted_keys(instance), args))
        if kind is dict:
            return {key: result[key] for key in instance}
        if kind is collections.defaultdict:
            rebuilt: collections.abc.MutableMapping = collections.defaultdict(instance.default_factory)  # type: ignore[attr-defined]
        else:
            rebuilt = kind()
        for key in instance:
            rebuilt[key] = result[key]
        return rebuilt
    if isinstance(instance, collections.abc.Mapping):
        result = dict(zip(_sorted_keys(instance), args))
        if not getattr(kind, "__supported_by_tf_nest__", False) and not _MAPPING_WARNED:
            _MAPPING_WARNED.append(True)
            from .logging import get_logger

            get_logger().warning(
                "Mapping types may not work well with tf.nest. Prefer using MutableMapping for {}".format(kind)
            )
        try:
            return kind((key, result[key]) for key in instance)
        except TypeError as err:
            raise TypeError(  # noqa: B904
                "Error creating an object of type {} like {}. Note that it must accept a single positional "
                "argument representing an iterable of key-value pairs, in addition to self. Cause: {}".format(
                    kind, instance, err
                )
            )
    if isinstance(instance, collections.abc.MappingView):
        return list(args)
    if _is_namedtuple(instance) or hasattr(kind, "__attrs_attrs__"):
        return kind(*args)
    if isinstance(instance, range):
        return list(args)
    return kind(args)


def _packed_with_indices(structure, flat, index):
    packed = []
    cache = _NESTED_BY_TYPE
    for child in _pack_children(structure):
        nested = cache.get(type(child))
        if _classify(child) if nested is None else nested:
            index, sub = _packed_with_indices(child, flat, index)
            packed.append(_sequence_like(child, sub))
        else:
            packed.append(flat[index])
            index += 1
    return index, packed


def _truncate(value, length):
    text = str(value)
    return text[:length] + (text[length:] and "...")


def pack_sequence_as(structure, flat_sequence, expand_composites=False):
    if not is_nested(flat_sequence):
        raise TypeError(
            "Attempted to pack value:\n  {}\ninto a structure, but found incompatible type `{}` instead.".format(
                _truncate(flat_sequence, 100), type(flat_sequence)
            )
        )
    if not is_nested(structure):
        if len(flat_sequence) != 1:
            raise ValueError(
                "The target structure is of type `{}`\n  {}\nHowever the input is a sequence ({}) of length {}.\n"
                "  {}\nnest cannot guarantee that it is safe to map one to the other.".format(
                    type(structure),
                    _truncate(structure, 100),
                    type(flat_sequence),
                    len(flat_sequence),
                    _truncate(flat_sequence, 100),
                )
            )
        return flat_sequence[0]
    try:
        final_index, packed = _packed_with_indices(structure, flat_sequence, 0)
        if final_index < len(flat_sequence):
            raise IndexError
    except IndexError:
        flat_structure = flatten(structure)
        if len(flat_structure) != len(flat_sequence):
            raise ValueError(  # noqa: B904
                "Could not pack sequence. Structure had %d atoms, but flat_sequence had %d items.  "
                "Structure: %s, flat_sequence: %s."
                % (len(flat_structure), len(flat_sequence), structure, flat_sequence)
            )
        raise
    return _sequence_like(structure, packed)


def map_structure(func, *structures, **kwargs):
    if not callable(func):
        raise TypeError("func must be callable, got: %s" % func)
    if not structures:
        raise ValueError("Must provide at least one structure")
    check_types = kwargs.pop("check_types", True)
    kwargs.pop("expand_composites", False)
    if kwargs:
        raise ValueError(
            "Only valid keyword arguments are `check_types` and `expand_composites`, not: `%s`"
            % "`, `".join(kwargs.keys())
        )
    for other in structures[1:]:
        assert_same_structure(structures[0], other, check_types=check_types)
    if len(structures) == 1:
        results = [func(leaf) for leaf in flatten(structures[0])]
    else:
        results = [func(*leaves) for leaves in zip(*(flatten(s) for s in structures))]
    return pack_sequence_as(structures[0], results)


def _type_name(obj) -> str:
    """C `tp_name` of type(obj): the bare name for classes defined in Python and builtins."""
    kind = type(obj)
    if kind.__flags__ & (1 << 9) or kind.__module__ == "builtins":  # Py_TPFLAGS_HEAPTYPE
        return kind.__name__
    return f"{kind.__module__}.{kind.__name__}"


def _describe(obj) -> str:
    """util.cc PyObjectToString: `type=<class name> str=<str(obj)>`."""
    try:
        text = str(obj)
    except Exception:  # noqa: BLE001
        return "<failed to execute str() on object>"
    return f"type={_type_name(obj).rsplit('.', 1)[-1]} str={text}"


def _different_keys(o1, o2):
    return ValueError, (
        "The two dictionaries don't have the same set of keys. First structure has keys "
        f"{_describe(list(o1.keys()))}, while second structure has keys {_describe(list(o2.keys()))}"
    )


def _structure_mismatch(o1, o2, check_types):
    """(exception class, message) for the first difference (util.cc AssertSameStructureHelper), or None."""
    seq1, seq2 = is_nested(o1), is_nested(o2)
    if seq1 != seq2:
        seq, non_seq = (o1, o2) if seq1 else (o2, o1)
        return ValueError, (
            f'Substructure "{_describe(seq)}" is a sequence, while substructure "{_describe(non_seq)}" is not'
        )
    if not seq1:
        return None
    if check_types:
        type1, type2 = type(o1), type(o2)
        both_namedtuples = _is_namedtuple(o1) and _is_namedtuple(o2)
        if both_namedtuples:
            differ = o1._fields != o2._fields or type1.__name__ != type2.__name__
        else:
            differ = (
                type1 is not type2
                and not (isinstance(o1, list) and isinstance(o2, list))
                and not (isinstance(o1, collections.abc.Mapping) and isinstance(o2, collections.abc.Mapping))
            )
        if differ:
            return TypeError, (
                "The two namedtuples don't have the same sequence type. First structure "
                f"{_describe(o1)} has type {_type_name(o1)}, while second structure {_describe(o2)} has type "
                f"{_type_name(o2)}"
            )
        if isinstance(o1, collections.abc.Mapping):
            if len(o1) != len(o2) or any(key not in o2 for key in o1):
                return _different_keys(o1, o2)
    children1, children2 = _children(o1), _children(o2)
    for child1, child2 in zip(children1, children2):
        mismatch = _structure_mismatch(child1, child2, check_types)
        if mismatch is not None:
            return mismatch
    if len(children1) != len(children2):
        return ValueError, (
            "The two structures don't have the same number of elements. "
            f"First structure: {_describe(o1)}. Second structure: {_describe(o2)}"
        )
    return None


class _DotString:
    __slots__ = ()

    def __str__(self):
        return "."

    __repr__ = __str__


_DOT = _DotString()


def assert_same_structure(nest1, nest2, check_types=True, expand_composites=False) -> None:
    mismatch = _structure_mismatch(nest1, nest2, bool(check_types))
    if mismatch is None:
        return
    error, detail = mismatch
    message = (
        "The two structures don't have the same nested structure.\n\n"
        f"First structure: {_describe(nest1)}\n\nSecond structure: {_describe(nest2)}\n\n"
        f"More specifically: {detail}"
    )
    str1 = str(map_structure(lambda _: _DOT, nest1))
    str2 = str(map_structure(lambda _: _DOT, nest2))
    raise error("%s\nEntire first structure:\n%s\nEntire second structure:\n%s" % (message, str1, str2))
