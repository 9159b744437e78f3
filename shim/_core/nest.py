"""`tf.nest`: lists, tuples, namedtuples and dicts (flattened by sorted key) as structures."""

from __future__ import annotations

import collections.abc

__all__ = ["is_nested", "flatten", "pack_sequence_as", "map_structure", "assert_same_structure"]


def is_nested(structure) -> bool:
    return isinstance(structure, (list, tuple, dict, collections.abc.Mapping)) and not isinstance(structure, str)


def _children(structure):
    if isinstance(structure, collections.abc.Mapping):
        return [structure[k] for k in _sorted_keys(structure)]
    return list(structure)


def _sorted_keys(mapping):
    try:
        return sorted(mapping)
    except TypeError as exc:
        raise TypeError("nest only supports dicts with sortable keys.") from exc


def flatten(structure, expand_composites=False) -> list:
    """The leaves of `structure`, depth first (iteratively: deep nests are fine)."""
    if not is_nested(structure):
        return [structure]
    out = []
    stack = [iter(_children(structure))]
    while stack:
        for item in stack[-1]:
            if is_nested(item):
                stack.append(iter(_children(item)))
                break
            out.append(item)
        else:
            stack.pop()
    return out


def _rebuild(template, children):
    if isinstance(template, collections.abc.Mapping):
        by_key = dict(zip(_sorted_keys(template), children))
        if isinstance(template, collections.defaultdict):
            result = collections.defaultdict(template.default_factory)
            result.update((k, by_key[k]) for k in template)
            return result
        return type(template)((k, by_key[k]) for k in template)
    if isinstance(template, tuple) and hasattr(template, "_fields"):
        return type(template)(*children)
    if isinstance(template, tuple):
        return tuple(children)
    return type(template)(children) if type(template) is not list else list(children)


def pack_sequence_as(structure, flat_sequence, expand_composites=False):
    flat_sequence = list(flat_sequence)
    if not is_nested(structure):
        if len(flat_sequence) != 1:
            raise ValueError(
                f"Structure is a scalar but len(flat_sequence) == {len(flat_sequence)} > 1"
            )
        return flat_sequence[0]
    leaves = iter(flat_sequence)
    count = len(flatten(structure))
    if count != len(flat_sequence):
        raise ValueError(
            f"Could not pack sequence. Structure had {count} atoms, but flat_sequence had "
            f"{len(flat_sequence)} items.  Structure: {structure}, flat_sequence: {flat_sequence}."
        )

    def build(node):
        if not is_nested(node):
            return next(leaves)
        return _rebuild(node, [build(child) for child in _children(node)])

    return build(structure)


def map_structure(func, *structures, check_types=True, expand_composites=False):
    if not structures:
        raise ValueError("Must provide at least one structure")
    for other in structures[1:]:
        assert_same_structure(structures[0], other, check_types=check_types)
    flats = [flatten(s) for s in structures]
    return pack_sequence_as(structures[0], [func(*leaves) for leaves in zip(*flats)])


def assert_same_structure(nest1, nest2, check_types=True, expand_composites=False) -> None:
    len1, len2 = len(flatten(nest1)), len(flatten(nest2))
    if len1 != len2 or is_nested(nest1) != is_nested(nest2):
        raise ValueError(
            "The two structures don't have the same nested structure.\n\n"
            f"First structure: {nest1}\n\nSecond structure: {nest2}\n\n"
            f"More specifically: The two structures don't have the same number of elements. "
            f"First structure: {nest1}. Second structure: {nest2}."
        )
