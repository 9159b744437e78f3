"""2-D convolution and pooling from `tf.nn` (NHWC), each op with its gradient beside it.

Conv2D's gradients are TF's two backprop ops (which, on TF's CPU, refuse dilations > 1), and each of the three ops' gradients
is made of the other two, so gradients of any order exist. Kernels loop over the
filter's taps (few) and contract the rest with numpy; padding follows TF's rules
(SAME puts the odd pixel after, EXPLICIT takes [before, after] per dimension).
"""

from __future__ import annotations

import collections.abc

import numpy as np

from .._core import errors
from .._core.ops import Op, RegisterGradient
from .._core.opdefs import describe
from .._core.tensor import convert_to_tensor
from ._args import same_dtype

# -- arguments, as TF's Python wrappers read them ------------------------------------------------


def _sequence(value, name):
    """strides/dilations/ksize as 4 numbers (TF's _get_sequence for 2 spatial dims, NHWC)."""
    if value is None:
        return [1, 1, 1, 1]
    if isinstance(value, tuple):
        value = list(value)
    elif isinstance(value, int):
        value = [value]
    elif not isinstance(value, (list, collections.abc.Sized)):
        value = [value]
    elif not isinstance(value, list):
        value = list(value)
    if len(value) == 4:
        return [int(v) for v in value]
    if len(value) == 1:
        value = value * 2
    elif len(value) != 2:
        raise ValueError(f"{name} should be of length 1, 2 or 4. Received: {name}={value} of length {len(value)}")
    return [1, int(value[0]), int(value[1]), 1]


def _padding(padding):
    """(padding, explicit_paddings) as TF's convert_padding makes them from a string or a list."""
    explicit = []
    if isinstance(padding, str) and padding == "EXPLICIT":
        raise ValueError(
            "'EXPLICIT' is not a valid value for `padding`. To use explicit padding, `padding` must be a list."
        )
    if isinstance(padding, (list, tuple)):
        for i, pair in enumerate(padding):
            if not isinstance(pair, (list, tuple)):
                raise ValueError(
                    "When `padding` is a list, each element of `padding` must be a list/tuple of size 2. Received: "
                    f"padding={padding} with element at index {i} of type {type(pair)}"
                )
            if len(pair) != 2:
                raise ValueError(
                    "When `padding` is a list, each element of `padding` must be a list/tuple of size 2. Received: "
                    f"padding={padding} with element at index {i} of size {len(pair)}"
                )
            explicit.extend(int(p) for p in pair)
        if len(padding) != 4:
            raise ValueError(
                f"When padding is a list, it must be of size 4. Received: padding={padding} of size {len(padding)}"
            )
        return "EXPLICIT", explicit
    return padding, explicit


def _attr_error(op_type, attr, value, allowed, name):
    """TF's op-definition error for a string attribute outside its list."""
    listed = ", ".join(f'"{a}"' for a in allowed)
    _, summary = describe(op_type)
    text = (
        f"Value for attr '{attr}' of \"{value}\" is not in the list of allowed values: {listed}\n"
        f"\t; NodeDef: {{{{node {op_type}}}}}; {summary}"
    )
    return errors.op_error(op_type, text, name)


# -- geometry ------------------------------------------------------------------------------------


def _output_size(op_type, size, window, stride, dilation, padding, before_after):
    """(output size, pad before, pad after) along one spatial dimension, as TF computes them."""
    effective = (window - 1) * dilation + 1
    if padding == "SAME":
        out = -(-size // stride)
        needed = max((out - 1) * stride + effective - size, 0)
        return out, needed // 2, needed - needed // 2
    before, after = before_after if padding == "EXPLICIT" else (0, 0)
    out = int((size + before + after - effective + stride) / stride)  # C++ division truncates
    if size + before + after - effective + stride < 0 or out < 0:
        raise errors.KernelError(
            f"Computed output size would be negative: {out} [input_size: {size}, "
            f"effective_filter_size: {effective}, stride: {stride}]"
        )
    return out, before, after


def _geometry(op_type, in_shape, window, strides, dilations, padding, explicit):
    """Output height and width and the paddings ((top, bottom), (left, right))."""
    pairs = [explicit[2:4], explicit[4:6]] if padding == "EXPLICIT" else [(0, 0), (0, 0)]
    rows = _output_size(op_type, in_shape[1], window[0], strides[1], dilations[1], padding, pairs[0])
    cols = _output_size(op_type, in_shape[2], window[1], strides[2], dilations[2], padding, pairs[1])
    return (rows[0], cols[0]), ((rows[1], rows[2]), (cols[1], cols[2]))


def _taps(window, strides, dilations, out_hw):
    """For each filter tap (i, j): the slices of the padded input that it meets, one per output."""
    if 0 in out_hw:
        return
    for i in range(window[0]):
        for j in range(window[1]):
            rows = slice(i * dilations[1], i * dilations[1] + (out_hw[0] - 1) * strides[1] + 1, strides[1])
            cols = slice(j * dilations[2], j * dilations[2] + (out_hw[1] - 1) * strides[2] + 1, strides[2])
            yield i, j, (slice(None), rows, cols, slice(None))


def _working(dtype):
    """float16 is accumulated in float32 (as TF's CPU kernels do for half)."""
    return np.float32 if dtype == np.float16 else dtype


# -- Conv2D and its two backprop ops ---------------------------------------------------------------


def _conv_checks(x, w, strides, padding, explicit, dilations):
    if x.ndim != 4:
        raise errors.KernelError(f"convolution input must be 4-dimensional: {errors.shape_text(x.shape)}")
    if w.ndim != 4:
        raise errors.KernelError(f"convolution filter must be 4-dimensional: {errors.shape_text(w.shape)}")
    _stride_and_padding_checks(strides, padding, explicit, dilations)
    if x.shape[3] != w.shape[2]:
        if w.shape[2] and x.shape[3] % w.shape[2] == 0:
            raise NotImplementedError(
                "shim: grouped convolutions (input depth a multiple of the filter's) are not supported"
            )
        raise errors.KernelError(f"input depth must be evenly divisible by filter depth: {x.shape[3]} vs {w.shape[2]}")


def _stride_and_padding_checks(strides, padding, explicit, dilations):
    if strides[0] != 1 or strides[3] != 1:
        raise errors.KernelError(
            "Current implementation does not yet support strides in the batch and depth dimensions.",
            errors.UnimplementedError,
        )
    if dilations[0] != 1 or dilations[3] != 1:
        raise errors.KernelError(
            "Current implementation does not yet support dilations in the batch and depth dimensions.",
            errors.UnimplementedError,
        )
    if padding == "EXPLICIT":
        if any(p < 0 for p in explicit):
            raise errors.KernelError("All elements of explicit_paddings must be nonnegative")
        if any(explicit[k] for k in (0, 1, 6, 7)):
            raise errors.KernelError("Nonzero explicit padding in the batch or depth dimensions is not supported")


def _conv2d_forward(x, w, strides, padding, explicit, dilations):
    x, w = np.asarray(x), np.asarray(w)
    _conv_checks(x, w, strides, padding, explicit, dilations)
    out_hw, pads = _geometry("Conv2D", x.shape, w.shape[:2], strides, dilations, padding, explicit)
    work = _working(x.dtype)
    padded = np.pad(x.astype(work), ((0, 0), pads[0], pads[1], (0, 0)))
    out = np.zeros((x.shape[0], *out_hw, w.shape[3]), work)
    for i, j, where in _taps(w.shape[:2], strides, dilations, out_hw):
        out += np.tensordot(padded[where], w[i, j].astype(work), axes=([3], [0]))
    return out.astype(x.dtype)


def _no_dilated_backprop(dilations):
    if any(d > 1 for d in dilations):
        raise errors.KernelError("Current CPU implementations do not yet support dilation rates larger than 1.")


def _conv2d_backprop_input_forward(w, dy, input_shape, strides, padding, explicit, dilations):
    _no_dilated_backprop(dilations)
    w, dy = np.asarray(w), np.asarray(dy)
    out_hw, pads = _geometry("Conv2D", input_shape, w.shape[:2], strides, dilations, padding, explicit)
    work = _working(dy.dtype)
    n, h, wd, c = input_shape
    padded = np.zeros((n, h + sum(pads[0]), wd + sum(pads[1]), c), work)
    for i, j, where in _taps(w.shape[:2], strides, dilations, out_hw):
        padded[where] += np.tensordot(dy.astype(work), w[i, j].astype(work), axes=([3], [1]))
    return padded[:, pads[0][0] : pads[0][0] + h, pads[1][0] : pads[1][0] + wd, :].astype(dy.dtype)


def _conv2d_backprop_filter_forward(x, dy, filter_shape, strides, padding, explicit, dilations):
    _no_dilated_backprop(dilations)
    x, dy = np.asarray(x), np.asarray(dy)
    out_hw, pads = _geometry("Conv2D", x.shape, filter_shape[:2], strides, dilations, padding, explicit)
    work = _working(x.dtype)
    padded = np.pad(x.astype(work), ((0, 0), pads[0], pads[1], (0, 0)))
    dw = np.zeros(filter_shape, work)
    for i, j, where in _taps(filter_shape[:2], strides, dilations, out_hw):
        dw[i, j] = np.tensordot(padded[where], dy.astype(work), axes=([0, 1, 2], [0, 1, 2]))
    return dw.astype(x.dtype)


_conv2d = Op("Conv2D", _conv2d_forward, uniform=True)
_conv2d_backprop_input = Op("Conv2DBackpropInput", _conv2d_backprop_input_forward, uniform=True)
_conv2d_backprop_filter = Op("Conv2DBackpropFilter", _conv2d_backprop_filter_forward, uniform=True)


def conv2d(input, filters, strides, padding, data_format="NHWC", dilations=None, name=None):  # noqa: A002
    """2-D convolution of NHWC `input` with HWIO `filters` (cross-correlation, as in TF)."""
    if data_format not in ("NHWC", None):
        raise NotImplementedError(f"shim: conv2d supports data_format 'NHWC' only, not {data_format!r}")
    strides = _sequence(strides, "strides")
    dilations = _sequence(dilations, "dilations")
    padding, explicit = _padding(padding)
    if padding not in ("SAME", "VALID", "EXPLICIT"):
        raise _attr_error("Conv2D", "padding", padding, ("SAME", "VALID", "EXPLICIT"), "" if name is None else name)
    x, w = same_dtype("Conv2D", (input, filters), name)
    return _conv2d(
        x, w, name=name, strides=tuple(strides), padding=padding, explicit=tuple(explicit), dilations=tuple(dilations)
    )


def _geometry_attrs(op):
    attrs = op.attrs
    return dict(
        strides=attrs["strides"], padding=attrs["padding"], explicit=attrs["explicit"], dilations=attrs["dilations"]
    )


@RegisterGradient("Conv2D")
def _conv2d_grad(op, grad):
    x, w = op.inputs
    attrs = _geometry_attrs(op)
    return (
        _conv2d_backprop_input(w, grad, input_shape=tuple(x.shape), **attrs),
        _conv2d_backprop_filter(x, grad, filter_shape=tuple(w.shape), **attrs),
    )


@RegisterGradient("Conv2DBackpropInput")
def _conv2d_backprop_input_grad(op, grad):
    # dx = B_in(w, dy) is linear in both: its gradient is B_filter(grad, dy) for w and Conv2D(grad, w) for dy
    w, dy = op.inputs
    attrs = _geometry_attrs(op)
    return (
        _conv2d_backprop_filter(grad, dy, filter_shape=tuple(w.shape), **attrs),
        _conv2d(grad, w, **attrs),
    )


@RegisterGradient("Conv2DBackpropFilter")
def _conv2d_backprop_filter_grad(op, grad):
    x, dy = op.inputs
    attrs = _geometry_attrs(op)
    return (
        _conv2d_backprop_input(grad, dy, input_shape=tuple(x.shape), **attrs),
        _conv2d(x, grad, **attrs),
    )


# -- pooling -------------------------------------------------------------------------------------


def _pool_checks(op_type, x, ksize, strides):
    if ksize[0] != 1 or strides[0] != 1:
        raise errors.KernelError("Pooling is not yet supported on the batch dimension.", errors.UnimplementedError)
    if x.ndim != 4:
        raise errors.KernelError(f"tensor_in_shape must have 2 spatial dimensions. {x.ndim} 0")
    if any(k <= 0 for k in ksize):
        if op_type == "AvgPool":
            raise errors.KernelError(f"ksize must be a positive int32 value, got:{min(ksize)}")
        raise errors.KernelError(
            f"Sliding window ksize must be positive. The specified or inferred ksize is: {','.join(map(str, ksize))}"
        )
    if any(s <= 0 for s in strides):
        raise errors.KernelError(f"Stride must be > 0, but got {min(strides)}")
    if ksize[3] != 1 or strides[3] != 1:
        raise NotImplementedError("shim: pooling over the depth dimension is not supported")


def _windows(x, ksize, strides, padding, explicit, fill):
    """(taps of the padded input, output shape, paddings): taps[k] is the k-th window element
    (row-major in the window) for every output position; padded positions hold `fill`."""
    out_hw, pads = _geometry("Pool", x.shape, ksize[1:3], strides, (1, 1, 1, 1), padding, explicit)
    padded = np.pad(x, ((0, 0), pads[0], pads[1], (0, 0)), constant_values=fill)
    wheres = [where for _, _, where in _taps(ksize[1:3], strides, (1, 1, 1, 1), out_hw)]
    return padded, wheres, (x.shape[0], *out_hw, x.shape[3]), pads


def _lowest(dtype):
    return -np.inf if dtype.kind == "f" else np.iinfo(dtype).min


def _argmax_taps(x, ksize, strides, padding, explicit):
    """Which window element is each output's maximum: the first in row-major order among ties (as TF)."""
    padded, wheres, out_shape, pads = _windows(x, ksize, strides, padding, explicit, _lowest(x.dtype))
    if not wheres:
        return padded, wheres, np.zeros(out_shape, np.int64), np.zeros(out_shape, x.dtype), pads
    stacked = np.stack([padded[w] for w in wheres])
    return padded, wheres, np.argmax(stacked, axis=0), np.max(stacked, axis=0), pads


def _crop(padded, pads, shape):
    return padded[:, pads[0][0] : pads[0][0] + shape[1], pads[1][0] : pads[1][0] + shape[2], :]


def _max_pool_forward(x, ksize, strides, padding, explicit):
    x = np.asarray(x)
    _pool_checks("MaxPool", x, ksize, strides)
    return _argmax_taps(x, ksize, strides, padding, explicit)[3]


def _max_pool_grad_forward(x, y, grad, ksize, strides, padding, explicit):
    """The upstream gradient of each output added to its window's (first) maximum."""
    x, grad = np.asarray(x), np.asarray(grad)
    padded, wheres, argmax, _, pads = _argmax_taps(x, ksize, strides, padding, explicit)
    out = np.zeros(padded.shape, grad.dtype)
    for k, where in enumerate(wheres):
        out[where] += np.where(argmax == k, grad, grad.dtype.type(0))
    return _crop(out, pads, x.shape)


def _max_pool_grad_grad_forward(x, y, grad, ksize, strides, padding, explicit):
    """Each output picks `grad` (shaped like x) at its window's maximum."""
    x, grad = np.asarray(x), np.asarray(grad)
    _, wheres, argmax, _, pads = _argmax_taps(x, ksize, strides, padding, explicit)
    grad_padded = np.pad(grad, ((0, 0), pads[0], pads[1], (0, 0)))
    out = np.zeros(argmax.shape, grad.dtype)
    for k, where in enumerate(wheres):
        out += np.where(argmax == k, grad_padded[where], grad.dtype.type(0))
    return out


def _window_counts(shape, ksize, strides, padding, explicit):
    """How many real (unpadded) elements each window holds: SAME averages divide by these."""
    ones = np.ones((1, shape[1], shape[2], 1), np.float64)
    padded, wheres, out_shape, _ = _windows(ones, ksize, strides, padding, explicit, 0.0)
    return sum(padded[w] for w in wheres) if wheres else np.ones((1, *out_shape[1:3], 1))


def _avg_pool_forward(x, ksize, strides, padding):
    x = np.asarray(x)
    _pool_checks("AvgPool", x, ksize, strides)
    work = _working(x.dtype)
    padded, wheres, out_shape, _ = _windows(x.astype(work), ksize, strides, padding, (), 0)
    total = sum(padded[w] for w in wheres) if wheres else np.zeros(out_shape, work)
    return (total / _window_counts(x.shape, ksize, strides, padding, ()).astype(work)).astype(x.dtype)


def _avg_pool_grad_forward(grad, input_shape, ksize, strides, padding):
    """Each output's gradient shared equally by its window's real elements."""
    grad = np.asarray(grad)
    work = _working(grad.dtype)
    out_hw, pads = _geometry("Pool", input_shape, ksize[1:3], strides, (1, 1, 1, 1), padding, ())
    share = grad.astype(work) / _window_counts(input_shape, ksize, strides, padding, ()).astype(work)
    padded = np.zeros(
        (input_shape[0], input_shape[1] + sum(pads[0]), input_shape[2] + sum(pads[1]), input_shape[3]), work
    )
    for _, _, where in _taps(ksize[1:3], strides, (1, 1, 1, 1), out_hw):
        padded[where] += share
    return _crop(padded, pads, input_shape).astype(grad.dtype)


_max_pool = Op("MaxPool", _max_pool_forward)
_max_pool_grad = Op("MaxPoolGrad", _max_pool_grad_forward)
_max_pool_grad_grad = Op("MaxPoolGradGrad", _max_pool_grad_grad_forward)
_avg_pool = Op("AvgPool", _avg_pool_forward)
_avg_pool_grad = Op("AvgPoolGrad", _avg_pool_grad_forward)


def _pool_attrs(op):
    return {key: op.attrs[key] for key in ("ksize", "strides", "padding", "explicit") if key in op.attrs}


@RegisterGradient("MaxPool")
def _max_pool_gradient(op, grad):
    return _max_pool_grad(op.inputs[0], op.outputs[0], grad, **_pool_attrs(op))


@RegisterGradient("MaxPoolGrad")
def _max_pool_grad_gradient(op, grad):
    x, y, _ = op.inputs
    zeros = _zeros_like(x), _zeros_like(y)
    return (*zeros, _max_pool_grad_grad(x, y, grad, **_pool_attrs(op)))


@RegisterGradient("MaxPoolGradGrad")
def _max_pool_grad_grad_gradient(op, grad):
    x, y, _ = op.inputs
    zeros = _zeros_like(x), _zeros_like(y)
    return (*zeros, _max_pool_grad(x, y, grad, **_pool_attrs(op)))


@RegisterGradient("AvgPool")
def _avg_pool_gradient(op, grad):
    return _avg_pool_grad(grad, input_shape=tuple(op.inputs[0].shape), **_pool_attrs(op))


@RegisterGradient("AvgPoolGrad")
def _avg_pool_grad_gradient(op, grad):
    return _avg_pool(grad, **_pool_attrs(op))


def _zeros_like(t):
    from .array_ops import zeros_like

    return zeros_like(t)


def _pool_args(ksize, strides):
    return _sequence(ksize, "ksize"), _sequence(strides, "strides")


def max_pool2d(input, ksize, strides, padding, data_format="NHWC", name=None):  # noqa: A002
    """The maximum of each window (NHWC); its gradient goes to the first maximum of a window, as TF's."""
    if data_format not in ("NHWC", None):
        raise NotImplementedError(f"shim: max_pool2d supports data_format 'NHWC' only, not {data_format!r}")
    ksize, strides = _pool_args(ksize, strides)
    padding, explicit = _padding(padding)
    if padding not in ("SAME", "VALID", "EXPLICIT"):
        raise _attr_error("MaxPool", "padding", padding, ("SAME", "VALID", "EXPLICIT"), "" if name is None else name)
    x = convert_to_tensor(input)
    return _max_pool(
        x, name=name, ksize=tuple(ksize), strides=tuple(strides), padding=padding, explicit=tuple(explicit)
    )


def avg_pool2d(input, ksize, strides, padding, data_format="NHWC", name=None):  # noqa: A002
    """The mean of each window's real elements (SAME windows at the edges divide by fewer)."""
    if data_format not in ("NHWC", None):
        raise NotImplementedError(f"shim: avg_pool2d supports data_format 'NHWC' only, not {data_format!r}")
    ksize, strides = _pool_args(ksize, strides)
    if not isinstance(padding, str):
        raise TypeError(f"Expected string for argument 'padding' not {padding!r}.")
    if padding not in ("SAME", "VALID"):
        raise _attr_error("AvgPool", "padding", padding, ("SAME", "VALID"), "" if name is None else name)
    x = convert_to_tensor(input)
    return _avg_pool(x, name=name, ksize=tuple(ksize), strides=tuple(strides), padding=padding)


def _pool_any_rank(pool2d, input, ksize, strides, padding, data_format, name):  # noqa: A002
    """tf.nn.max_pool/avg_pool: rank 4 is 2-D pooling, rank 3 1-D pooling (a height of 1 added)."""
    rank = len(input.shape)  # TF reads input.shape first: a list raises AttributeError
    if not 3 <= rank <= 5:
        raise ValueError(f"`input.shape.rank` must be 3, 4 or 5. Received: input.shape={input.shape} of rank {rank}.")
    if rank == 5:
        raise NotImplementedError("shim: 3-D pooling is not supported")
    if rank == 4:
        return pool2d(input, ksize, strides, padding, data_format, name)
    from . import array_ops

    def as_2d(value, what):
        seq = value if isinstance(value, (list, tuple)) else [value]
        if len(seq) not in (1, 3):
            raise ValueError(f"{what} should be of length 1, 1 or 3. Received: {what}={list(seq)} of length {len(seq)}")
        return [1, 1, seq[-2] if len(seq) == 3 else seq[0], 1]

    ksize, strides = as_2d(ksize, "ksize"), as_2d(strides, "strides")
    if isinstance(padding, (list, tuple)):
        padding = [[0, 0], *padding]
    pooled = pool2d(array_ops.expand_dims(input, 1), ksize, strides, padding, None, name)
    return array_ops.squeeze(pooled, [1])


def max_pool(input, ksize, strides, padding, data_format=None, name=None):  # noqa: A002
    return _pool_any_rank(max_pool2d, input, ksize, strides, padding, data_format, name)


def avg_pool(input, ksize, strides, padding, data_format=None, name=None):  # noqa: A002
    return _pool_any_rank(avg_pool2d, input, ksize, strides, padding, data_format, name)
