"""How a tf.function binds its arguments: TF 2.21's FunctionType rules, in TF's words.

Every call is bound to the Python function's signature (`inspect.Signature.bind`, so
Python's own messages). With an `input_signature` each parameter also has a type
constraint, which converts the argument or rejects it:

    TensorSpec      converts non-tensors to its dtype; a tensor must have that dtype
                    and a shape that fits (no casting between dtypes)
    List/Tuple/Dict the same kind of container, same length or keys, item by item
    Literal[v]      a parameter with a default but no spec: only a value equal to v

Any failure becomes TF's TypeError "Binding inputs to tf.function failed due to ...",
which names the arguments received and the signature (constraints as annotations,
defaults shown as <captured_default_value>).
See tensorflow/core/function/polymorphism/function_type.py and trace_type/default_types.py.
"""

from __future__ import annotations

import inspect
import math

import numpy as np

from . import nest
from .tensor import Tensor, convert_to_tensor
from .tensor_spec import TensorSpec

__all__ = ["Binding"]


class _CapturedDefault:
    """Stands for a default value in the printed signature (TF's CAPTURED_DEFAULT_VALUE)."""

    def __repr__(self) -> str:
        return "<captured_default_value>"


CAPTURED_DEFAULT = _CapturedDefault()


# -- type constraints ---------------------------------------------------------------------------


class Literal:
    """A parameter with a default and no spec accepts only a value equal to the default."""

    def __init__(self, value):
        self.value = value

    def cast(self, value):
        both_nan = isinstance(self.value, float) and math.isnan(self.value) and _is_nan(value)
        if both_nan or value == self.value:
            return value
        raise ValueError(f"Can not cast {value!r} to {self!r}")

    def placeholder(self):
        return self.value

    def __repr__(self) -> str:
        return f"Literal[{self.value!r}]"


class TupleType:
    def __init__(self, components):
        self.components = tuple(components)

    def cast(self, value):
        if not isinstance(value, tuple):
            raise AssertionError(f"Can not cast {value!r} to tuple type.")
        if len(value) != len(self.components):
            raise AssertionError(f"Expected {value} to have length of {len(self.components)}")
        return tuple(cast(c, v) for c, v in zip(self.components, value))

    def placeholder(self):
        return tuple(placeholder(c) for c in self.components)

    def __repr__(self) -> str:
        return f"Tuple[{', '.join(map(repr, self.components))}]"


class ListType:
    def __init__(self, components):
        self.components = tuple(components)

    def cast(self, value):
        if not isinstance(value, list):
            raise AssertionError(f"Can not cast {value!r} to list type.")
        if len(value) != len(self.components):
            # sic: TF's message for a wrong length fails to format (len() of its Tuple type)
            raise TypeError("object of type 'Tuple' has no len()")
        return [cast(c, v) for c, v in zip(self.components, value)]

    def placeholder(self):
        return [placeholder(c) for c in self.components]

    def __repr__(self) -> str:
        return f"List[{', '.join(map(repr, self.components))}]"


class DictType:
    def __init__(self, mapping, mapping_type=dict):
        self.mapping = dict(mapping)
        self.mapping_type = mapping_type

    def cast(self, value):
        if not isinstance(value, dict):
            raise AssertionError(f"Can not cast {value!r} to a Dict type.")
        if set(value) != set(self.mapping):
            raise AssertionError(f"{value!r} has different keys with the TraceType {self!r}.")
        return self.mapping_type(**{k: cast(c, value[k]) for k, c in self.mapping.items()})

    def placeholder(self):
        return self.mapping_type(**{k: placeholder(c) for k, c in self.mapping.items()})

    def __repr__(self) -> str:
        paired = [f"[{k!r}, {c!r}]" for k, c in self.mapping.items()]
        return f"Dict[{', '.join(paired)}]"


def cast(constraint, value):
    """`value` converted to satisfy `constraint`, or TF's error."""
    if isinstance(constraint, TensorSpec):
        return _cast_to_spec(constraint, value)
    return constraint.cast(value)


def placeholder(constraint):
    """The constraint as an input_signature entry (TensorSpecs in their containers)."""
    return constraint if isinstance(constraint, TensorSpec) else constraint.placeholder()


def _cast_to_spec(spec: TensorSpec, value):
    """TensorSpec.cast: non-tensors converted to the spec's dtype; no casting between dtypes."""
    if isinstance(value, TensorSpec):  # TF accepts a spec for a spec (it traces with it)
        raise ValueError(
            f"Attempt to convert a value ({value!r}) with an unsupported type ({type(value)}) to a Tensor."
        )
    if not isinstance(value, Tensor):
        value = convert_to_tensor(value, dtype=spec.dtype)  # reads a variable, checking its dtype
    value_spec = TensorSpec(value.shape, value.dtype, spec.name)
    if not value_spec.is_subtype_of(spec):
        raise TypeError(f"Can not cast {value_spec!r} to {spec!r}")
    return value


def constraint_of(entry, from_default: bool = False):
    """The type constraint for an input_signature entry, or for a default value (None when
    TF would constrain it by identity only, for objects that are not values)."""
    if isinstance(entry, TensorSpec):
        return entry
    if isinstance(entry, (list, tuple)):
        components = [constraint_of(e, from_default) for e in entry]
        return ListType(components) if isinstance(entry, list) else TupleType(components)
    if isinstance(entry, dict):
        return DictType({k: constraint_of(v, from_default) for k, v in entry.items()}, type(entry))
    if from_default:
        if isinstance(entry, Tensor):
            return TensorSpec(entry.shape, entry.dtype)
        if isinstance(entry, (np.ndarray, np.generic)):
            return TensorSpec(np.shape(entry), np.asarray(entry).dtype)
        if entry is None or isinstance(entry, (bool, int, float, str)):
            return Literal(entry)
    return None


def _is_nan(value) -> bool:
    try:
        return math.isnan(value)
    except TypeError:
        return False


# -- the signature ------------------------------------------------------------------------------


def _validate(input_signature) -> None:
    """TF's checks of the input_signature itself (at decoration time)."""
    if input_signature is None:
        return
    if not isinstance(input_signature, (tuple, list)):
        raise TypeError(f"input_signature must be either a tuple or a list, got {type(input_signature)}.")
    bad = [x for x in nest.flatten(input_signature) if not isinstance(x, TensorSpec)]
    if bad:
        raise TypeError(
            "input_signature must be a possibly nested sequence of TensorSpec objects, "
            f"got invalid args {bad} with types {[type(x) for x in bad]}."
        )


def _parameters(python_function, input_signature) -> list[inspect.Parameter]:
    """The function's parameters as TF's FunctionType has them: defaults shown as captured,
    and with an input_signature, constraints as annotations (TF's add_type_constraints)."""
    own = inspect.signature(python_function).parameters.values()
    if input_signature is None:
        return [p.replace(default=CAPTURED_DEFAULT) if p.default is not p.empty else p for p in own]
    constraints = [constraint_of(entry) for entry in input_signature]
    has_var_positional = any(p.kind is p.VAR_POSITIONAL for p in own)
    found = []
    for p in own:
        kind = p.POSITIONAL_ONLY if has_var_positional and p.kind is p.POSITIONAL_OR_KEYWORD else p.kind
        default = CAPTURED_DEFAULT if p.default is not p.empty else p.empty
        if p.name == "self":  # never constrained
            found.append(inspect.Parameter("self", kind, default=default))
        elif p.kind is p.VAR_KEYWORD:  # dropped: no **kwargs with an input_signature
            continue
        elif p.kind is p.VAR_POSITIONAL:  # one positional-only parameter per remaining constraint
            for i in range(len(constraints)):
                found.append(inspect.Parameter(f"{p.name}_{i}", p.POSITIONAL_ONLY, annotation=constraints.pop(0)))
        else:
            if p.kind is p.KEYWORD_ONLY and p.default is p.empty:
                raise TypeError(
                    f"Since input_signature is defined, keyword-only parameter `{p.name}` must have a default value"
                )
            if constraints:
                annotation = constraints.pop(0)
            elif p.default is not p.empty:
                annotation = constraint_of(p.default, from_default=True)
            else:
                raise TypeError(f"input_signature missing type constraint for {p.name}")
            found.append(
                inspect.Parameter(
                    p.name, kind, default=default, annotation=p.empty if annotation is None else annotation
                )
            )
    if constraints:
        raise TypeError(f"input_signature contains {len(constraints)} extra type constraints.")
    return found


class Binding:
    """Binds calls of `python_function` as a tf.function does."""

    def __init__(self, python_function, input_signature=None):
        _validate(input_signature)
        self.signature = inspect.Signature(_parameters(python_function, input_signature))
        self.defaults = {
            name: p.default
            for name, p in inspect.signature(python_function).parameters.items()
            if p.default is not p.empty
        }

    @property
    def input_signature(self):
        """TF's `Function.input_signature`: the constraints of the parameters after `self`, up to
        the first that is not made of TensorSpecs; None when no parameter has one."""
        names = list(self.signature.parameters)
        if names and names[0] == "self":
            names.pop(0)
        if not names:
            return ()
        found, stopped = [], False
        for name in names:
            constraint = self.signature.parameters[name].annotation
            if constraint is inspect.Parameter.empty:
                continue
            entry = placeholder(constraint)
            if not all(isinstance(x, TensorSpec) for x in nest.flatten([entry])):
                stopped = True  # TF stops at the first constraint that is not made of specs
                break
            found.append(entry)
        if stopped and not found:
            return ()
        return tuple(found) if found else None

    def bind(self, args: tuple, kwargs: dict) -> tuple[tuple, dict]:
        """(args, kwargs) to call the Python function with: defaults filled in, each argument
        converted by its constraint; or TF's TypeError."""
        sanitized = {_sanitize(k): v for k, v in kwargs.items()}
        if len(sanitized) != len(kwargs):
            raise ValueError(
                "Name collision after sanitization. Please rename tf.function input parameters. "
                f"Original: {sorted(kwargs)}, Sanitized: {sorted(sanitized)}"
            )
        kwargs = sanitized
        try:
            bound = self.signature.bind(*args, **kwargs)
            bound.apply_defaults()
            for name, value in bound.arguments.items():
                if value is CAPTURED_DEFAULT:
                    value = bound.arguments[name] = self.defaults[name]
                constraint = self.signature.parameters[name].annotation
                if constraint is not inspect.Parameter.empty:
                    bound.arguments[name] = cast(constraint, value)
        except Exception as exc:
            raise TypeError(
                f"Binding inputs to tf.function failed due to `{exc}`. Received args: {args} and kwargs: "
                f"{kwargs} for signature: {self.signature}."
            ) from exc
        return bound.args, bound.kwargs


def _sanitize(name: str) -> str:
    """TF's sanitize_arg_name: a legal Python parameter name."""
    swapped = "".join(c if c.isalnum() else "_" for c in name)
    return swapped if swapped[:1].isalpha() else "arg_" + swapped
