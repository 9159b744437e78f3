"""Writes shim/_core/opdefs.json from an installed TensorFlow's op registry.

For each op the shim implements: the dtypes its type attribute allows, and the
one-line summary TF prints in "not in the list of allowed values" errors. Run with
TensorFlow installed:  python tools/extract_opdefs.py
The summaries are checked against the messages TF itself raises for a bool input.
"""

from __future__ import annotations

import json
import pathlib
import sys

OPS = [
    "Abs",
    "Acos",
    "Acosh",
    "AddV2",
    "Add",
    "AddN",
    "Asin",
    "Asinh",
    "Atan",
    "Atan2",
    "Atanh",
    "BitwiseAnd",
    "BitwiseOr",
    "BitwiseXor",
    "Cast",
    "Ceil",
    "ConcatV2",
    "Cos",
    "Cosh",
    "Cumprod",
    "Cumsum",
    "Equal",
    "Erf",
    "Erfc",
    "Exp",
    "ExpandDims",
    "Expm1",
    "Floor",
    "FloorDiv",
    "FloorMod",
    "Greater",
    "GreaterEqual",
    "Identity",
    "LeftShift",
    "Less",
    "LessEqual",
    "Log",
    "Log1p",
    "LogicalAnd",
    "LogicalNot",
    "LogicalOr",
    "MatMul",
    "BatchMatMulV2",
    "Max",
    "Maximum",
    "Mean",
    "Min",
    "Minimum",
    "Mul",
    "Neg",
    "NotEqual",
    "Pack",
    "Pow",
    "Prod",
    "RealDiv",
    "RightShift",
    "Reciprocal",
    "Relu",
    "Reshape",
    "Round",
    "Rsqrt",
    "Select",
    "SelectV2",
    "Sigmoid",
    "Sign",
    "Sin",
    "Sinh",
    "Softplus",
    "Sqrt",
    "Square",
    "SquaredDifference",
    "StopGradient",
    "StridedSlice",
    "Sub",
    "Sum",
    "Tan",
    "Tanh",
    "Tile",
    "Transpose",
    "Squeeze",
    "Unpack",
    "ZerosLike",
    "OnesLike",
    "AdjustContrastv2",
    "Fill",
    "Range",
    "LinSpace",
    "DivNoNan",
    "Xlogy",
    "TruncateDiv",
    "BroadcastTo",
    "Slice",
    # math ops: elementwise, clipping, reductions, arg reductions, sorting, segments
    "MulNoNan",
    "Xdivy",
    "ClipByValue",
    "ArgMax",
    "ArgMin",
    "Invert",
    "IsNan",
    "IsInf",
    "IsFinite",
    "TopKV2",
    "SegmentSum",
    "Bincount",
    "DenseBincount",
    "All",
    "Any",
    "EuclideanNorm",
    "GatherV2",
    "ResourceGather",
    "GatherNd",
    "ResourceGatherNd",
    "UnsortedSegmentSum",
    "ScatterNd",
    "ResourceScatterAdd",
    "ResourceScatterSub",
    "ResourceScatterUpdate",
    "ResourceScatterMax",
    "ResourceScatterMin",
    "ResourceScatterMul",
    "ResourceScatterDiv",
    "Split",
    "SplitV",
    "Pad",
    "PadV2",
    "MirrorPad",
    "MirrorPadGrad",
    "ReverseV2",
    "Roll",
    "OneHot",
    "TensorScatterUpdate",
    "TensorScatterAdd",
    "Einsum",
    "MatrixDiagPartV3",
    "MatrixInverse",
    "MatrixDeterminant",
    "LogMatrixDeterminant",
    "MatrixSolve",
    "MatrixTriangularSolve",
    "Cholesky",
    "Relu6",
    "LeakyRelu",
    "Elu",
    "Selu",
    "Softmax",
    "LogSoftmax",
    "SoftmaxCrossEntropyWithLogits",
    "SparseSoftmaxCrossEntropyWithLogits",
    "L2Loss",
    "Conv2D",
    "MaxPool",
    "AvgPool",
    "Conv2DBackpropInput",
    "Conv2DBackpropFilter",
    "MaxPoolGrad",
    "MaxPoolGradGrad",
    "AvgPoolGrad",
]


def _enum_name(tf, value) -> str:
    from tensorflow.core.framework import types_pb2

    return types_pb2.DataType.Name(value)


def _attr_value(tf, attr_type, value) -> str:
    kind = value.WhichOneof("value")
    if kind == "b":
        return "true" if value.b else "false"
    if kind == "type":
        return _enum_name(tf, value.type)
    if kind == "i":
        return str(value.i)
    if kind == "f":
        return repr(value.f)
    if kind == "s":
        return '"' + value.s.decode() + '"'
    if kind == "list":
        items = [_enum_name(tf, t) for t in value.list.type] or [str(i) for i in value.list.i]
        items = items or [f'"{s.decode()}"' for s in value.list.s]  # string choices (MirrorPad's mode)
        return "[" + ", ".join(items) + "]"
    return ""


def _arg(arg) -> str:
    if arg.number_attr:
        text = f"{arg.number_attr}*{arg.type_attr}"
    elif arg.type_attr:
        text = arg.type_attr
    elif arg.type_list_attr:
        text = arg.type_list_attr
    else:
        from tensorflow.core.framework import types_pb2

        text = types_pb2.DataType.Name(arg.type)[3:].lower()
    if arg.is_ref:
        text = f"Ref({text})"
    return f"{arg.name}:{text}"


def summarize(tf, op_def) -> str:
    parts = [f"Op<name={op_def.name}"]
    signature = ", ".join(_arg(a) for a in op_def.input_arg) + " -> " + ", ".join(_arg(a) for a in op_def.output_arg)
    parts.append(f"signature={signature}")
    for attr in op_def.attr:
        text = f"attr={attr.name}:{attr.type}"
        if attr.HasField("default_value"):
            text += f",default={_attr_value(tf, attr.type, attr.default_value)}"
        if attr.has_minimum:
            text += f",min={attr.minimum}"
        if attr.HasField("allowed_values"):
            text += f",allowed={_attr_value(tf, attr.type, attr.allowed_values)}"
        parts.append(text)
    for flag in ("is_commutative", "is_aggregate", "is_stateful", "allows_uninitialized_input"):
        if getattr(op_def, flag):
            parts.append(f"{flag}=true")
    return "; ".join(parts) + ">"


def main() -> int:
    import tensorflow as tf
    from tensorflow.python.framework import op_def_registry

    table = {}
    for name in OPS:
        op_def = op_def_registry.get(name)
        allowed = {}
        for attr in op_def.attr:
            if attr.type == "type" and attr.HasField("allowed_values"):
                allowed[attr.name] = [_enum_name(tf, t)[3:].lower() for t in attr.allowed_values.list.type]
        table[name] = {"allowed": allowed, "summary": summarize(tf, op_def)}
    _check_against_tf(tf, table)
    out = pathlib.Path(__file__).resolve().parents[1] / "shim" / "_core" / "opdefs.json"
    header = {"_source": f"tensorflow {tf.__version__} op registry, by tools/extract_opdefs.py"}
    out.write_text(json.dumps({**header, **table}, indent=1, sort_keys=True) + "\n")
    print(f"wrote {out} ({len(table)} ops)")
    return 0


def _check_against_tf(tf, table) -> None:
    """The summary must equal what TF prints when a bool reaches these ops."""
    probes = {
        "Sin": lambda: tf.raw_ops.Sin(x=tf.constant(True)),
        "AddV2": lambda: tf.raw_ops.AddV2(x=tf.constant(True), y=tf.constant(True)),
        "MatMul": lambda: tf.raw_ops.MatMul(a=tf.constant([[True]]), b=tf.constant([[True]])),
        "Sum": lambda: tf.raw_ops.Sum(input=tf.constant([True]), axis=0),
    }
    for name, probe in probes.items():
        try:
            probe()
        except tf.errors.InvalidArgumentError as exc:
            if table[name]["summary"] not in str(exc):
                sys.exit(f"summary of {name} differs from TF's message:\n{table[name]['summary']}\n{exc}")


if __name__ == "__main__":
    raise SystemExit(main())
