"""tf.nest: flattening, packing and mapping nested structures, and TF's errors for mismatches.

Doc: https://www.tensorflow.org/api_docs/python/tf/nest (and the guide's use of nested
sources and targets). Leaves here are numbers and strings; dicts flatten by sorted key.
"""

from __future__ import annotations

from hypothesis import strategies as st

from conformance import strategies
from conformance.cases import case


def test_nest(case, check):
    check(case)


_leaf = st.integers(-9, 9) | st.sampled_from(["a", "bc"]) | st.none()
_structure = strategies.structures(_leaf, max_leaves=6)


def with_namedtuples(structure):
    """Tuples of two become a namedtuple `Pair(first, second)` (TF treats namedtuples as structures)."""
    import collections  # local: repro snippets copy helpers but not module imports

    pair = collections.namedtuple("Pair", ["first", "second"])
    if isinstance(structure, dict):
        return {k: with_namedtuples(v) for k, v in structure.items()}
    if isinstance(structure, list):
        return [with_namedtuples(v) for v in structure]
    if isinstance(structure, tuple):
        items = tuple(with_namedtuples(v) for v in structure)
        return pair(*items) if len(items) == 2 else items
    return structure


@case(["nest.flatten-and-pack"], inputs={"structure": _structure, "named": st.booleans()})
def flatten_then_pack(tf, structure, named):
    structure = with_namedtuples(structure) if named else structure
    flat = tf.nest.flatten(structure)
    packed = tf.nest.pack_sequence_as(structure, [f"<{x}>" for x in flat])
    return flat, repr(packed), tf.nest.is_nested(structure)


@case(["nest.map-structure"], inputs={"structure": _structure, "count": st.integers(1, 3)})
def map_over_several(tf, structure, count):
    copies = [structure] * count
    return repr(tf.nest.map_structure(lambda *xs: str(len(xs)) + str(xs[0]), *copies))


@case(["nest.errors"], inputs={"first": _structure, "second": _structure, "check_types": st.booleans()})
def assert_same_structure_errors(tf, first, second, check_types):
    tf.nest.assert_same_structure(first, second, check_types=check_types)
    return "same"


@case(["nest.errors"], inputs={"structure": _structure, "extra": st.integers(-2, 2)})
def pack_with_wrong_count(tf, structure, extra):
    flat = tf.nest.flatten(structure)
    values = list(range(max(0, len(flat) + extra)))
    return repr(tf.nest.pack_sequence_as(structure, values))


@case(["nest.errors", "nest.map-structure"], inputs={"first": _structure, "second": _structure})
def map_over_different_structures(tf, first, second):
    return repr(tf.nest.map_structure(lambda a, b: (a, b), first, second))


@case(["nest.flatten-and-pack"], inputs={"value": _leaf | st.just([]) | st.just({}) | st.just(())})
def leaves_and_empty_structures(tf, value):
    return (
        tf.nest.flatten(value),
        tf.nest.is_nested(value),
        repr(tf.nest.pack_sequence_as(value, tf.nest.flatten(value))),
    )


@case(
    ["nest.errors"],
    inputs={
        "first": _structure,
        "second": _structure,
        "named": st.sampled_from(["first", "second", "both"]),
        "check_types": st.booleans(),
    },
)
def assert_same_structure_with_namedtuples(tf, first, second, named, check_types):
    first = with_namedtuples(first) if named in ("first", "both") else first
    second = with_namedtuples(second) if named in ("second", "both") else second
    tf.nest.assert_same_structure(first, second, check_types=check_types)
    return repr(tf.nest.map_structure(lambda a, b: (a, b), first, second, check_types=check_types))


@case(["nest.errors", "nest.map-structure"], inputs={"structure": _structure, "check_types": st.booleans()})
def map_across_sequence_types(tf, structure, check_types):
    """The same shape with every list turned into a tuple (and back): a type error unless check_types=False."""
    swapped = swap_lists_and_tuples(structure)
    return repr(tf.nest.map_structure(lambda a, b: f"{a}{b}", structure, swapped, check_types=check_types))


def swap_lists_and_tuples(structure):
    if isinstance(structure, dict):
        return {k: swap_lists_and_tuples(v) for k, v in structure.items()}
    if isinstance(structure, list):
        return tuple(swap_lists_and_tuples(v) for v in structure)
    if isinstance(structure, tuple):
        return [swap_lists_and_tuples(v) for v in structure]
    return structure


def other_containers(kind, items):
    """Containers beyond list/tuple/dict that tf.nest treats as structures (or not)."""
    import collections  # local: repro snippets copy helpers but not module imports

    if kind == "ordered":
        return collections.OrderedDict(reversed(list(items.items())))
    if kind == "default":
        return collections.defaultdict(int, items)
    if kind == "keys":
        return items.keys()
    if kind == "values":
        return items.values()
    if kind == "items":
        return items.items()
    if kind == "range":
        return range(len(items))
    if kind == "set":  # of ints: a set of strings prints in a per-process (hash-seeded) order
        return set(items.values())
    return items


def shown(value):
    """repr(value), but an OrderedDict as its items: its repr changed in Python 3.12, TF's behaviour did not."""
    import collections  # local: repro snippets copy helpers but not module imports

    if type(value) is collections.OrderedDict:
        return "OrderedDict", list(value.items())
    return repr(value)


_kinds = st.sampled_from(["ordered", "default", "keys", "values", "items", "range", "set", "dict"])
_items = st.dictionaries(st.sampled_from("abcd"), st.integers(-9, 9), min_size=1, max_size=4)


@case(["nest.flatten-and-pack"], inputs={"kind": _kinds, "items": _items})
def other_container_types(tf, kind, items):
    structure = other_containers(kind, items)
    flat = tf.nest.flatten(structure)
    packed = tf.nest.pack_sequence_as(structure, [f"<{x}>" for x in flat])
    return flat, shown(packed), type(packed).__name__, tf.nest.is_nested(structure)


@case(["nest.errors"], inputs={"kind": _kinds, "items": _items, "other": _kinds, "check_types": st.booleans()})
def other_container_types_compared(tf, kind, items, other, check_types):
    tf.nest.assert_same_structure(
        other_containers(kind, items), other_containers(other, items), check_types=check_types
    )
    return "same"


@case(
    ["nest.errors"],
    inputs={"structure": _structure | _leaf, "flat": st.sampled_from(["int", "str", "tuple", "long", "empty"])},
)
def pack_into_scalars_and_from_non_sequences(tf, structure, flat):
    values = {"int": 5, "str": "ab", "tuple": (1,), "long": list(range(40)), "empty": []}[flat]
    return repr(tf.nest.pack_sequence_as(structure, values))


@case(["nest.errors"], inputs={"how": st.sampled_from(["not_callable", "no_structure", "bad_keyword", "unsortable"])})
def map_structure_argument_errors(tf, how):
    if how == "not_callable":
        return tf.nest.map_structure(3, [1])
    if how == "no_structure":
        return tf.nest.map_structure(lambda: 1)
    if how == "bad_keyword":
        return tf.nest.map_structure(lambda a: a, [1], check=True, other=1)
    return tf.nest.flatten({1: "x", "a": "y"})


@case(["nest.errors"], inputs={"mixed": st.booleans()})
def pack_unsortable_keys(tf, mixed):
    return repr(tf.nest.pack_sequence_as({1: "x", "a": "y"} if mixed else {1: "x", 2: "y"}, [3, 4]))


def namedtuple_variant(variant, a, b):
    """Two-field namedtuples that differ from `Pair(first, second)` by name, by fields, or not at all."""
    import collections  # local: repro snippets copy helpers but not module imports

    name, fields = {
        "same": ("Pair", ["first", "second"]),
        "renamed": ("Couple", ["first", "second"]),
        "refielded": ("Pair", ["x", "y"]),
    }[variant]
    return collections.namedtuple(name, fields)(a, b)


@case(
    ["nest.errors"],
    inputs={
        "variant": st.sampled_from(["same", "renamed", "refielded", "tuple"]),
        "check_types": st.booleans(),
        "inner": st.booleans(),
    },
)
def namedtuple_identity(tf, variant, check_types, inner):
    first = namedtuple_variant("same", 1, [2])
    second = (3, [4]) if variant == "tuple" else namedtuple_variant(variant, 3, [4])
    if inner:
        first, second = {"k": [first]}, {"k": [second]}
    return repr(tf.nest.map_structure(lambda a, b: a + b, first, second, check_types=check_types))
