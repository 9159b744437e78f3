"""`tf.einsum`: TF's equation checks (Python's, then the Einsum kernel's), TF's order of pairwise
contractions for three or more operands (opt_einsum's path, as TF's `_einsum_v2` asks for it), the
Einsum kernel's way of computing each one, and TF's gradient (`_EinsumGrad`), made of einsums,
reshapes, broadcasts and sums, so gradients of gradients are TF's too.

The op runs on an explicit equation of one or two operands: an ellipsis is spelled out with unused
letters (the `broadcast` attr names them; inputs broadcast to a common shape first, so the
broadcast's gradient sums back), and the output labels are always written.

The kernel (tensorflow/core/kernels/linalg/einsum_op_impl.h) numbers the labels in order of first
appearance, sorts each operand's axes by (kind, number) with kinds broadcast, batch, free, contract,
reduce; takes diagonals; sums the reduce labels (one at a time in half precision, in float32 for
bfloat16); then runs one batch matmul over the flattened contract labels, in that order. In half
precision and bfloat16 the matmul adds one product at a time, rounding the sum each step; products
are rounded to the dtype first in Eigen's packet path (whole packets of 8 output columns), in
matrix-vector products and batches of matrices under 8 columns, and past the last whole packet in vector-matrix ones; exact in float32
otherwise. Checked bit for bit against TF 2.21 on [M, K] x [K, N] products with N < 8 (K up to
200), N >= 8 with M <= 3 or K < 8, vector-matrix products with K < 33 and matrix-vector ones with
M, K <= 9; larger ones take Eigen's blocked paths and may differ by an ulp. Other dtypes use
numpy's matmul (float32 and float64 within an ulp or so of Eigen's; integers exact).
"""

from __future__ import annotations

import collections
import functools
import re
import string

import numpy as np
import opt_einsum

from .._core import errors
from .._core.errors import shape_text
from .._core.ops import Op, RegisterGradient, batch_dims, batchable
from ._args import same_dtype
from .array_ops import _broadcast_to, _reshape, broadcast_to

_LETTERS = string.ascii_letters
_ELLIPSIS = "0"  # TF's stand-in for '...' while it parses

# the kinds of label, in the kernel's order (einsum_op_impl.h: EinsumHelper::DimensionType)
_BROADCAST, _BATCH, _FREE, _CONTRACT, _REDUCE = range(5)


def _diagonal(x, spec, labels):
    """x (axes labelled by `spec`, labels maybe repeated) as axes `labels` (each once): a transpose
    and the generalized diagonal of repeated labels, no arithmetic."""
    if spec == "".join(labels):
        return x
    sizes = {c: x.shape[spec.index(c)] for c in labels}
    index = tuple(np.arange(sizes[c]).reshape([-1 if c == d else 1 for d in labels]) for c in spec)
    return x[index] if index else x


def _rounds_each_step(dtype) -> bool:
    return dtype == np.float16 or dtype.name == "bfloat16"


def _matmul(a, b):
    """Each batch of a [..., M, K] times each batch of b [..., N, K] transposed: [..., M, N]."""
    if not _rounds_each_step(a.dtype):
        return np.matmul(a, np.swapaxes(b, -1, -2))
    m, k, n = a.shape[-2], a.shape[-1], b.shape[-2]
    # the columns whose products round first: whole packets of 8 in a matrix product, all of a
    # matrix-vector product and of a batch of narrow (< 8 columns) matrices, the columns past the
    # last whole packet in a vector-matrix product
    shape = np.broadcast_shapes(a.shape[:-2], b.shape[:-2]) + (m, n)
    packets = np.arange(n) < n // 8 * 8
    if m == 1:
        rounded = ~packets
    elif n == 1 or (n < 8 and np.prod(shape[:-2]) > 1):  # matrix-vector; small batched matrices
        rounded = np.ones(n, bool)
    else:
        rounded = packets
    out = np.zeros(shape, a.dtype)
    for t in range(k):
        product = a[..., :, None, t].astype(np.float32) * b[..., None, :, t].astype(np.float32)
        product[..., rounded] = product[..., rounded].astype(a.dtype).astype(np.float32)
        out = (out.astype(np.float32) + product).astype(a.dtype)
    return out


def _reduce_rows(x):
    """The kernel's sum of a [rows, R] array along R: in half precision one element at a time, each
    sum rounded (not TF's Sum op's packets); bfloat16 sums in float32 and rounds once."""
    if x.dtype == np.float16:
        total = np.zeros(x.shape[0], x.dtype)
        for t in range(x.shape[1]):
            total = (total.astype(np.float32) + x[:, t].astype(np.float32)).astype(x.dtype)
        return total
    if x.dtype.name == "bfloat16":
        return np.sum(x.astype(np.float32), axis=1).astype(x.dtype)
    return np.sum(x, axis=1, dtype=x.dtype)


def _kernel(*values, equation, broadcast=""):
    """TF's Einsum kernel on one or two operands and an explicit equation without an ellipsis;
    the labels in `broadcast` stand for one (they batch, as the kernel's broadcasting labels)."""
    inputs, output = equation.split("->")
    specs = inputs.split(",")
    number = {}
    for c in "".join(specs) + output:
        number.setdefault(c, len(number))

    def kind(c):
        if c in broadcast:
            return _BROADCAST
        unique = len(specs) == 1 or sum(c in s for s in specs) == 1
        if c in output:
            return _FREE if unique else _BATCH
        return _REDUCE if unique else _CONTRACT

    sizes, reduced, frees = {}, [], []
    for spec, x in zip(specs, values):
        x = np.asarray(x)
        labels = sorted(set(spec), key=lambda c: (kind(c), number[c]))
        x = _diagonal(x, spec, labels)
        sizes.update(zip(labels, x.shape))
        groups = [[c for c in labels if kind(c) == k] for k in range(5)]
        batch = [sizes[c] for c in groups[_BROADCAST] + groups[_BATCH]]
        free, contract, reduce = (int(np.prod([sizes[c] for c in groups[k]])) for k in (_FREE, _CONTRACT, _REDUCE))
        if reduce != 1:
            x = _reduce_rows(x.reshape(-1, reduce))
        reduced.append(x.reshape(batch + [free, contract]))
        frees.append(groups[_FREE])
    if len(reduced) == 1:
        result = reduced[0]
    else:
        result = _matmul(*reduced)
    kept = sorted((c for c in number if kind(c) in (_BROADCAST, _BATCH)), key=lambda c: (kind(c), number[c]))
    labels = kept + [c for f in frees for c in f]
    result = result.reshape(result.shape[:-2] + tuple(sizes[c] for f in frees for c in f))
    if len(set(output)) == len(output):
        return np.transpose(result, [labels.index(c) for c in output]) if labels else result
    # the output repeats a label (a gradient's 'i->ii'): zeros off the diagonal
    out = np.zeros(tuple(sizes[c] for c in output), result.dtype)
    index = tuple(np.arange(sizes[c]).reshape([-1 if c == d else 1 for d in labels]) for c in output)
    out[index] = result
    return out


_einsum = Op("Einsum", _kernel)

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


def _resolve_shapes(equation, labels, shapes):
    """TF's shapes for opt_einsum (three or more operands): an ellipsis becomes one label whose size
    is its dimensions' product; each label takes its largest size."""
    sizes = collections.defaultdict(lambda: 1)
    for i, (spec, shape) in enumerate(zip(labels, shapes)):
        if shape is None:
            continue
        start = spec.find(_ELLIPSIS)
        if start != -1:
            if start != spec.rfind(_ELLIPSIS):
                raise ValueError(f"Too many ellipses in input label {spec.replace(_ELLIPSIS, '...')}.")
            if len(spec) > len(shape) + 1:
                raise ValueError(
                    f"Too many named labels in {i}th subscript string of equation {equation} for input shape {shape} "
                )
            end = start + len(shape) + 1 - len(spec)
            shape[start:end] = [np.prod(list(filter(None, shape[start:end])), dtype=np.int64)]
        elif len(spec) != len(shape):
            raise ValueError(
                f"Number of named labels in input #{i} of equation {equation} must be equal to the number of "
                f"dimensions in shape {shape}"
            )
        for dim, label in zip(shape, spec):
            if dim is not None:
                sizes[label] = max(sizes[label], dim)
    return tuple(tuple(sizes[c] for c in spec) for spec in labels)


_Shaped = collections.namedtuple("shaped", ["shape"])


@functools.lru_cache(maxsize=128)
def _contract_path(equation, shapes, optimize):
    """TF's pairwise contractions: (operand positions, binary equation), opt_einsum's path."""
    _, contractions = opt_einsum.contract_path(
        equation, *(_Shaped(s) for s in shapes), optimize=optimize, einsum_call=True, use_blas=True
    )
    return tuple((c[0], c[2]) for c in contractions)


def einsum(equation, *inputs, **kwargs):
    """`tf.einsum(equation, *inputs)`: a sum of products over the labels the output leaves out."""
    kwargs.pop("name", None)
    optimize = kwargs.pop("optimize", "greedy")
    if kwargs:
        raise TypeError(
            f"Invalid keyword arguments for einsum: {', '.join(kwargs)}. Valid arguments: name, optimize, greedy."
        )
    shapes = []
    for operand in inputs:
        if not hasattr(operand, "shape"):  # TF reads each operand's shape before converting it
            raise AttributeError(f"'{type(operand).__name__}' object has no attribute 'shape'")
        shape = list(operand.shape)
        shapes.append(shape if shape or not hasattr(operand, "_dtype") else None)  # TF: a scalar tensor's is None
    labels, output = _parse(equation, len(inputs))
    if len(inputs) <= 2:
        resolved = (",".join(labels) + "->" + output).replace(_ELLIPSIS, "...")  # as TF passes it to the op
        return _contract(resolved, same_dtype("Einsum", list(inputs), ""))
    resolved_shapes = _resolve_shapes(equation, labels, shapes)
    steps = _contract_path(",".join(labels) + "->" + output, resolved_shapes, optimize)
    operands = list(inputs)
    for positions, binary in steps:
        pair = [operands.pop(i) for i in positions]
        operands.append(_contract(binary.replace(_ELLIPSIS, "..."), same_dtype("Einsum", pair, "")))
    return operands[0]


def _contract(equation, tensors):
    """One Einsum op of one or two operands (an ellipsis maybe), as TF's kernel checks and runs it."""
    function = f"Einsum_N_{len(tensors)}"
    dtype = tensors[0]._dtype
    if dtype.c_name.upper() not in _KERNELS:
        kernels = f"  device='XLA_CPU_JIT'; T in [{_XLA}]\n" + "".join(
            f"  device='CPU'; T in [DT_{t}]\n" for t in _KERNELS
        )
        text = (
            f"Could not find device for node: {{{{node Einsum}}}} = Einsum[N={len(tensors)}, T=DT_{dtype.c_name.upper()}, "
            f'equation="{equation}"]\nAll kernels registered for op Einsum:\n{kernels}'
        )
        raise errors.op_error("Einsum", text, "", errors.NotFoundError)
    inputs, output = equation.replace("...", _ELLIPSIS).split("->")
    labels = inputs.split(",")
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
    return _einsum(*operands, name="", equation=",".join(explicit) + "->" + out, broadcast=spelled)


# -- the gradient: TF's _EinsumGrad (tensorflow/python/ops/linalg_grad.py) ---------------------------


def _grad_reduced(grad, jb, output_subs, input_subs, input_shape, reduced, broadcast):
    """The gradient of the unary `input_subs -> output_subs` that sums the labels `reduced` away:
    the upstream gradient broadcast along them, then (for diagonals or a transpose) one einsum."""
    lead = np.shape(grad._value)[: len(jb)]
    reduced_subs = "".join(c for c in input_subs if c in reduced and c not in input_subs[: input_subs.index(c)])
    dims = tuple(input_shape[input_subs.index(c)] for c in reduced_subs)
    repeated = len(set(input_subs)) + len(set(output_subs)) < len(input_subs) + len(output_subs)
    without = "".join(c for c in input_subs if c not in reduced)
    if not repeated and without == output_subs:
        kept = tuple(1 if c in reduced else d for c, d in zip(input_subs, input_shape))
        return _broadcast_to(_reshape(grad, shape=lead + kept), shape=lead + tuple(input_shape))
    out_dims = np.shape(grad._value)[len(jb) :]
    spread = _broadcast_to(_reshape(grad, shape=lead + (1,) * len(dims) + out_dims), shape=lead + dims + out_dims)
    return _einsum(spread, equation=f"{jb + reduced_subs + output_subs}->{jb + input_subs}", broadcast=broadcast)


def _grad_wrt(grad, jb, other, input_shape, input_subs, other_subs, output_subs, broadcast):
    """The gradient of one operand of a binary einsum: einsum(upstream, other) onto the operand's labels
    that the other operand or the output has, then the sum over the rest as a unary einsum's gradient."""
    reduced = set(input_subs) - set(output_subs + other_subs)
    left = "".join(c for c in input_subs if c not in reduced)
    partial = _einsum(grad, other, equation=f"{jb + output_subs},{other_subs}->{jb + left}", broadcast=broadcast)
    if not reduced:
        return partial
    return _grad_reduced(partial, jb, left, input_subs, input_shape, reduced, broadcast)


@RegisterGradient("Einsum")
@batchable
def _einsum_grad(op, grad):
    from .math_ops import _conj, _sum  # math_ops imports this family's namespace

    equation, broadcast = op.attrs["equation"], op.attrs.get("broadcast", "")
    inputs, output = equation.split("->")
    specs = inputs.split(",")
    pool = iter(c for c in _LETTERS if c not in set(equation))
    jb = "".join(next(pool) for _ in batch_dims(grad, op.outputs[0]))  # a jacobian's rows
    shapes = [np.shape(x._value) for x in op.inputs]
    if len(specs) == 1:
        reduced = set(specs[0]) - set(output)
        if not reduced:
            return [_einsum(grad, equation=f"{jb + output}->{jb + specs[0]}", broadcast=broadcast)]
        return [_grad_reduced(grad, jb, output, specs[0], shapes[0], reduced, broadcast)]
    x, y = op.inputs
    if grad._dtype.is_complex:
        x, y = _conj(x), _conj(y)
    grads = []
    for i, (subs, other, other_subs) in enumerate(((specs[0], y, specs[1]), (specs[1], x, specs[0]))):
        # TF appends the ellipsis to an operand without one when the output has it, then sums it away
        missing = "".join(c for c in broadcast if c in output and c not in subs)
        shape = shapes[i] + tuple(np.shape(op.outputs[0]._value)[output.index(c)] for c in missing)
        g = _grad_wrt(grad, jb, other, shape, subs + missing, other_subs, output, broadcast)
        if missing:
            g = _sum(g, axis=tuple(range(len(jb) + len(subs), len(jb) + len(subs) + len(missing))), keepdims=False)
        grads.append(g)
    return grads
