"""How an op is declared and run: forward on numpy, recording on tapes, the gradient registry.

An op is declared once, with the name TF gives it (`AddV2`, `MatMul`, ...), its
forward as a numpy function, and the dtypes TF's op definition allows. Its
gradient is registered under the same name, as in TF, and written with shim ops
so that an outer tape records it (higher-order gradients come for free).
"""

from __future__ import annotations

import sys
import warnings

import numpy as np

from . import errors, tape
from .opdefs import allowed_dtypes, describe
from .tensor import EagerTensor, make

__all__ = [
    "Op",
    "RegisterGradient",
    "NotDifferentiable",
    "no_gradient",
    "gradient_function",
    "batchable",
    "batch_dims",
    "takes_indexed_slices",
]

# numpy's RuntimeWarnings (overflow, divide by zero, invalid value) have no TF
# counterpart: TF returns inf/nan silently. Silence them only where our own ops
# call numpy; np.errstate per op would cost more than the op itself.
warnings.filterwarnings("ignore", category=RuntimeWarning, module=r"shim(\.|$)")


class Op:
    """A primitive op: TF's name, a numpy forward, TF's allowed dtypes, the output dtype.

    The dtypes allowed for its type attribute 'T' (carried by input `typed_input`)
    come from TF's op definition. `out_dtype` is a DType, or None for "T".
    """

    __slots__ = (
        "type",
        "forward",
        "allowed",
        "out_dtype",
        "num_outputs",
        "typed_input",
        "broadcasts",
        "scoped",
        "uniform",
    )

    def __init__(
        self,
        type_name,
        forward,
        out_dtype=None,
        num_outputs=1,
        typed_input=0,
        broadcasts=False,
        scoped=True,
        uniform=None,
    ):
        self.type = type_name
        self.forward = forward
        self.allowed = allowed_dtypes(type_name)
        self.out_dtype = out_dtype
        self.num_outputs = num_outputs
        self.typed_input = typed_input  # the input whose dtype is TF's type attribute 'T'
        self.broadcasts = broadcasts  # numpy's broadcast ValueError becomes TF's "Incompatible shapes"
        self.scoped = scoped  # TF runs it in a name scope: its errors end in "name: ..."
        # the last input has type 'T' as well (binary ops, matmuls, select): the kernel checks they agree;
        # public functions check first, so only gradients given another dtype fail here
        self.uniform = broadcasts if uniform is None else uniform

    def __call__(self, *inputs, name=None, out_dtype=None, unscoped=False, **attrs):
        """Runs on Tensors whose dtypes already agree; records on every tape that watches an input.

        `out_dtype` overrides the output dtype for ops whose attrs choose it (Cast's DstT).
        `unscoped`: TF ran it through its slow path (a list or numpy scalar input), whose errors have no "name: ".
        """
        dtype = inputs[self.typed_input]._dtype
        if unscoped:
            name = None  # even a given name: the slow path's errors carry none
        elif self.scoped and name is None:
            name = ""
        if self.allowed is not None and dtype.name not in self.allowed:
            raise unsupported_dtype(self, dtype, name)
        if (self.type, dtype.name) in _NO_CPU_KERNEL:
            raise no_cpu_kernel(self.type, dtype, name)
        if self.uniform and inputs[-1]._dtype is not dtype:  # gradients given another dtype reach this
            raise errors.dtype_mismatch(self.type, len(inputs) - 1, dtype, inputs[-1]._dtype, name or "")
        try:
            if len(inputs) == 2:
                value = self.forward(inputs[0]._value, inputs[1]._value, **attrs)
            elif len(inputs) == 1:
                value = self.forward(inputs[0]._value, **attrs)
            else:
                value = self.forward(*[t._value for t in inputs], **attrs)
        except errors.KernelError as exc:
            raise errors.kernel_error(self.type, exc.text, name, exc.cls) from None
        except ValueError:
            if not self.broadcasts:
                raise
            shapes = " vs. ".join(errors.shape_text(np.shape(t._value)) for t in inputs)
            raise errors.kernel_error(self.type, f"Incompatible shapes: {shapes}", name) from None
        if self.num_outputs == 1:
            if type(value) is np.ndarray and value.ndim == 0 and value.dtype != object:
                value = value[()]  # what `make` does, inlined on the hottest path
            out = EagerTensor(value, out_dtype or self.out_dtype or dtype)
            if tape.state.tapes:
                tape.record(self.type, inputs, (out,), attrs)
            return out
        dtypes = self.out_dtype or (dtype,) * self.num_outputs
        outs = tuple(make(v, d) for v, d in zip(value, dtypes))
        if tape.state.tapes:
            tape.record(self.type, inputs, outs, attrs)
        return outs


# Types an op's definition allows but no CPU kernel implements: TF fails to place the op.
_FLOOR_DIV_KERNELS = (
    "  device='XLA_CPU_JIT'; T in [DT_FLOAT, DT_DOUBLE, DT_INT32, DT_UINT8, DT_INT16, DT_INT8, DT_COMPLEX64, "
    "DT_INT64, DT_BFLOAT16, DT_UINT16, DT_COMPLEX128, DT_HALF, DT_UINT32, DT_UINT64]\n"
    "  device='DEFAULT'; T in [DT_INT32]\n"
    + "".join(
        f"  device='CPU'; T in [DT_{t}]\n"
        for t in (
            "DOUBLE",
            "BFLOAT16",
            "HALF",
            "FLOAT",
            "INT64",
            "INT32",
            "INT16",
            "INT8",
            "UINT64",
            "UINT32",
            "UINT16",
            "UINT8",
        )
    )
)
_REAL_DIV_KERNELS = (
    _FLOOR_DIV_KERNELS.split("\n")[0]
    + "\n"
    + "".join(
        f"  device='CPU'; T in [DT_{t}]\n" for t in ("COMPLEX128", "COMPLEX64", "BFLOAT16", "DOUBLE", "HALF", "FLOAT")
    )
)
_ROUND_KERNELS = (
    "  device='XLA_CPU_JIT'; T in [DT_FLOAT, DT_DOUBLE, DT_INT32, DT_INT16, DT_INT8, DT_COMPLEX64, DT_INT64, "
    "DT_BFLOAT16, DT_COMPLEX128, DT_HALF]\n"
    + "".join(f"  device='CPU'; T in [DT_{t}]\n" for t in ("INT64", "INT32", "BFLOAT16", "DOUBLE", "FLOAT", "HALF"))
)
_RECIPROCAL_KERNELS = (
    _ROUND_KERNELS.split("\n")[0]
    + "\n"
    + "".join(
        f"  device='CPU'; T in [DT_{t}]\n" for t in ("COMPLEX128", "COMPLEX64", "DOUBLE", "BFLOAT16", "HALF", "FLOAT")
    )
)
_NO_CPU_KERNEL = {
    # Reciprocal's op allows ints, but only XLA implements them (the bad-input fuzzer found the shim computing 1 // x)
    **{("Reciprocal", t): _RECIPROCAL_KERNELS for t in ("int8", "int16", "int32", "int64")},
    ("FloorDiv", "complex64"): _FLOOR_DIV_KERNELS,
    ("FloorDiv", "complex128"): _FLOOR_DIV_KERNELS,
    ("Round", "complex64"): _ROUND_KERNELS,  # the op allows complex, but only XLA implements it
    ("Round", "complex128"): _ROUND_KERNELS,
    # integer division goes through Cast first; only a gradient (an integer output_gradient) reaches these
    **{
        ("RealDiv", t): _REAL_DIV_KERNELS
        for t in ("int8", "uint8", "int16", "uint16", "int32", "int64", "uint32", "uint64")
    },
}


def no_cpu_kernel(op_type: str, dtype, name=None):
    """TF's NotFoundError for an op whose type has no CPU kernel."""
    kernels = _NO_CPU_KERNEL[(op_type, dtype.name)]
    text = (
        f"Could not find device for node: {{{{node {op_type}}}}} = {op_type}[T=DT_{dtype.name.upper()}]\n"
        f"All kernels registered for op {op_type}:\n{kernels}"
    )
    return errors.op_error(op_type, text, name, errors.NotFoundError)


def unsupported_dtype(op: Op, dtype, name=None, attr: str = "T") -> errors.OpError:
    allowed_names, summary = describe(op.type, attr)
    text = (
        f"Value for attr '{attr}' of {dtype.c_name} is not in the list of allowed values: {allowed_names}\n"
        f"\t; NodeDef: {{{{node {op.type}}}}}; {summary}"
    )
    return errors.op_error(op.type, text, name)


# -- the gradient registry ---------------------------------------------------------
_registry: dict[str, object] = {}
_where: dict[str, str] = {}


class RegisterGradient:
    """`@tf.RegisterGradient("OpName")`: registers `fn(op, *output_grads) -> input grads`."""

    def __init__(self, op_type):
        if not isinstance(op_type, str):
            raise TypeError("op_type must be a string")
        self._op_type = op_type

    def __call__(self, fn):
        _register(self._op_type, fn, sys._getframe(1))
        return fn


def NotDifferentiable(op_type):  # noqa: N802 (TF's name)
    """Declares that `op_type` has no gradient: tapes give None through it, not an error."""
    if not isinstance(op_type, str):
        raise TypeError("op_type must be a string")
    _register(op_type, None, sys._getframe(1))


no_gradient = NotDifferentiable


def _register(op_type, fn, frame) -> None:
    if op_type in _registry:
        raise KeyError(
            f"Registering two gradient with name '{op_type}'! (Previous registration was in {_where[op_type]})"
        )
    _registry[op_type] = fn
    _where[op_type] = f"{frame.f_code.co_name} {frame.f_code.co_filename}:{frame.f_lineno}"


def batchable(fn):
    """Marks a gradient function that also takes upstream gradients with extra leading (batch)
    dimensions and returns input gradients with the same leading dimensions.

    A jacobian then runs it once for all its rows, as TF's pfor vectorises an op; the
    backward pass runs an unmarked one (a user's, say) row by row, which is always right.
    """
    fn.batchable = True
    return fn


def takes_indexed_slices(fn):
    """Marks a gradient function that takes IndexedSlices upstream gradients as they come.

    TF hands them to every gradient function; the shim's own unmarked ones get them
    densified first (as TF's would, by converting them), users' ones as they are.
    """
    fn.takes_indexed_slices = True
    return fn


def batch_dims(grad, output) -> tuple:
    """The leading batch dimensions of `grad`, an upstream gradient for `output` (() outside jacobians)."""
    shape = np.shape(grad._value)
    return shape[: max(len(shape) - np.ndim(output._value), 0)]


def gradient_function(op_type):
    """The registered gradient of `op_type`, None if it is not differentiable."""
    try:
        return _registry[op_type]
    except KeyError:
        raise LookupError(f"gradient registry has no entry for: {op_type}") from None
