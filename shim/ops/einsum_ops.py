"""`tf.einsum`: TF's equation checks (Python's, then the Einsum kernel's), and a gradient that is
itself one einsum per input (so gradients of gradients are einsums too).

The op runs on an explicit equation: an ellipsis is spelled out with unused letters (inputs
broadcast to a common shape first, so the broadcast's gradient sums back), and the output
labels are always written.
"""

from __future__ import annotations

import collections
import re
import string

import numpy as np

from .._core import errors
from .._core.errors import shape_text
from .._core.ops import Op, RegisterGradient, batch_dims, batchable
from .._core.tensor import make
from ._args import same_dtype
from .array_ops import broadcast_to

_LETTERS = string.ascii_letters
_ELLIPSIS = "0"  # TF's stand-in for '...' while it parses

_einsum = Op("Einsum", lambda *values, equation: np.asarray(np.einsum(equation, *values)))

# Einsum has no CPU kernel for the types its op definition allows beyond these.
_KERNELS = ("INT64", "INT32", "HALF", "FLOAT", "DOUBLE", "COMPLEX64", "COMPLEX128", "BFLOAT16")
_XLA = "DT_FLOAT, DT_DOUBLE, DT_INT32, DT_COMPLEX64, DT_INT64, DT_BFLOAT16, DT_COMPLEX128, DT_HALF, DT_UINT64"


def _parse(equation: str, count: int):
    """TF's Python checks of the equation: (input labels, output labels), '0' for an ellipsis."""
    resolved = equation.replace(" ", "")
    ellipsis = None
    if "..." in equation:
        ellipsis = _ELLIPSIS
        if ellipsis in resolved:
            raise ValueError(f'Invalid character "{ellipsis}" in equation: {equation}.')
        resolved = resolved.replace("...", ellipsis)
    allowed = "a-zA-Z" + (ellipsis or "")
    match = re.match(f"^([{allowed},]*)(->[{allowed}]*)?$", resolved)
    if not match:
        raise ValueError(f"Subscripts have incorrect format: {resolved}")
    inputs = match.group(1).split(",")
    output = match.group(2)[2:] if match.group(2) else None
    if count != len(inputs):
        raise ValueError(f'Got {count} inputs for equation "{equation}", expecting {len(inputs)}')
    if "->" not in resolved:  # implicit output: the labels seen once, sorted
        counts = collections.Counter(match.group(1))
        output = "".join(x for x in sorted(counts) if x != "," and counts[x] == 1)
    if output and len(set(output)) != len(output):
        raise ValueError(f"Output subscripts contain a label appearing more than once: {equation}")
    for label in output:
        if label != ellipsis and label not in set(match.group(1)):
            raise ValueError(f"Output subscripts contain the label {label} not present in the input subscripts.")
    if ellipsis and output.count(ellipsis) > 1:
        raise ValueError(f"Output subscripts contain multiple ellipsis: {equation}")
    return inputs, output


def _kernel_checks(labels, shapes):
    """The Einsum kernel's checks, in its order: ranks, then each label's dimension."""
    for i, (spec, shape) in enumerate(zip(labels, shapes)):
        named = len(spec.replace(_ELLIPSIS, ""))
        if _ELLIPSIS not in spec and len(shape) != named:
            raise errors.KernelError(f"Expected input {i} to have rank {named} but got: {len(shape)}")
        if _ELLIPSIS in spec and len(shape) < named:
            raise errors.KernelError(f"Expected input {i} to have rank at least {named} but got: {len(shape)}")
    sizes = {}
    for spec, shape in zip(labels, shapes):
        before, _, after = spec.partition(_ELLIPSIS)
        axes = list(range(len(before))) + list(range(len(shape) - len(after), len(shape)))
        for axis, label in zip(axes, before + after):
            if label in sizes and sizes[label] != shape[axis]:
                raise errors.KernelError(
                    f"Expected dimension {sizes[label]} at axis {axis} of the input shaped {shape_text(shape)} "
                    f"but got dimension {shape[axis]}"
                )
            sizes.setdefault(label, shape[axis])
    spans = [
        shape[len(spec.partition(_ELLIPSIS)[0]) : len(shape) - len(spec.partition(_ELLIPSIS)[2])]
        for spec, shape in zip(labels, shapes)
        if _ELLIPSIS in spec
    ]
    try:
        return tuple(np.broadcast_shapes(*spans)) if spans else ()
    except ValueError:
        raise errors.KernelError(
            "Invalid broadcasting dimensions: " + " vs. ".join(shape_text(s) for s in shapes)
        ) from None


def einsum(equation, *inputs, **kwargs):
    """`tf.einsum(equation, *inputs)`: a sum of products over the labels the output leaves out."""
    kwargs.pop("name", None)
    kwargs.pop("optimize", None)
    if kwargs:
        raise TypeError(
            f"Invalid keyword arguments for einsum: {', '.join(kwargs)}. Valid arguments: name, optimize, greedy."
        )
    for operand in inputs:
        if not hasattr(operand, "shape"):  # TF reads each operand's shape before converting it
            raise AttributeError(f"'{type(operand).__name__}' object has no attribute 'shape'")
    labels, output = _parse(equation, len(inputs))
    tensors = same_dtype("Einsum", list(inputs), "")
    function = f"Einsum_N_{len(tensors)}"
    dtype = tensors[0]._dtype
    resolved = (",".join(labels) + "->" + output).replace(_ELLIPSIS, "...")  # as TF passes it to the op
    if dtype.c_name.upper() not in _KERNELS:
        kernels = f"  device='XLA_CPU_JIT'; T in [{_XLA}]\n" + "".join(
            f"  device='CPU'; T in [DT_{t}]\n" for t in _KERNELS
        )
        text = (
            f"Could not find device for node: {{{{node Einsum}}}} = Einsum[N={len(tensors)}, T=DT_{dtype.c_name.upper()}, "
            f'equation="{resolved}"]\nAll kernels registered for op Einsum:\n{kernels}'
        )
        raise errors.op_error("Einsum", text, "", errors.NotFoundError)
    shapes = [np.shape(t._value) for t in tensors]
    try:
        span = _kernel_checks(labels, shapes)
        if span and _ELLIPSIS not in output:
            raise errors.KernelError(
                f"Output contains {len(span)} broadcasting dimension(s) but no ellipsis (...) was found in the output subscripts."
            )
    except errors.KernelError as exc:
        raise errors.kernel_error("Einsum", exc.text, "", function=function) from None
    used = set("".join(labels) + output)
    spelled = "".join(c for c in _LETTERS if c not in used)[: len(span)]
    explicit, operands = [], []
    for spec, tensor, shape in zip(labels, tensors, shapes):
        if _ELLIPSIS in spec:
            before, _, after = spec.partition(_ELLIPSIS)
            full = shape[: len(before)] + span + shape[len(shape) - len(after) :]
            if full != shape:
                tensor = broadcast_to(tensor, full)
            spec = before + spelled + after
        explicit.append(spec)
        operands.append(tensor)
    out = output.replace(_ELLIPSIS, spelled)
    return _einsum(*operands, name="", equation=",".join(explicit) + "->" + out)


@RegisterGradient("Einsum")
@batchable
def _einsum_grad(op, grad):
    """Each input's gradient is one einsum of the upstream gradient with the other inputs: a label
    repeated in the input (a diagonal) goes through an identity matrix, a label only that input
    has (summed away) through a vector of ones."""
    specs, out = op.attrs["equation"].split("->")
    specs = specs.split(",")
    used = set(op.attrs["equation"])
    pool = iter(c for c in _LETTERS if c not in used)
    batch = "".join(next(pool) for _ in batch_dims(grad, op.outputs[0]))
    grads = []
    for i, spec in enumerate(specs):
        x = op.inputs[i]
        shape = np.shape(x._value)
        operands, terms = [grad], [batch + out]
        for j, other in enumerate(specs):
            if j != i:
                operands.append(op.inputs[j])
                terms.append(other)
        target, seen = "", set()
        for axis, label in enumerate(spec):
            if label in seen:
                fresh = next(pool)
                operands.append(make(np.eye(shape[axis], dtype=x._dtype.np_dtype), x._dtype))
                terms.append(label + fresh)
                target += fresh
            else:
                seen.add(label)
                target += label
        present = set("".join(terms))
        for axis, label in enumerate(spec):
            if label not in present:
                operands.append(make(np.ones(shape[axis], dtype=x._dtype.np_dtype), x._dtype))
                terms.append(label)
                present.add(label)
        grads.append(_einsum(*operands, equation=",".join(terms) + "->" + batch + target))
    return grads
