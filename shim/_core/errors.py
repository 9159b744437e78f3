"""`tf.errors`: the OpError family, and the message shapes TF's runtime uses."""

from __future__ import annotations

__all__ = [
    "OpError",
    "CancelledError",
    "UnknownError",
    "InvalidArgumentError",
    "DeadlineExceededError",
    "NotFoundError",
    "AlreadyExistsError",
    "PermissionDeniedError",
    "ResourceExhaustedError",
    "FailedPreconditionError",
    "AbortedError",
    "OutOfRangeError",
    "UnimplementedError",
    "InternalError",
    "UnavailableError",
    "DataLossError",
    "UnauthenticatedError",
]

# The device prefix TF's kernels put in front of runtime (not type-check) errors.
_DEVICE = "/job:localhost/replica:0/task:0/device:CPU:0"


class OpError(Exception):
    """An error raised while running an op, as `tf.errors.OpError`."""

    error_code = 2

    def __init__(self, node_def, op, message, *args):
        super().__init__(message)
        self._node_def = node_def
        self._op = op
        self._message = message

    @property
    def message(self) -> str:
        return self._message

    @property
    def node_def(self):
        return self._node_def

    @property
    def op(self):
        return self._op

    def __str__(self) -> str:
        return self._message

    def __reduce__(self):
        return type(self), (self._node_def, self._op, self._message)


def _error(name: str, code: int) -> type:
    def __init__(self, node_def, op, message, *args):
        OpError.__init__(self, node_def, op, message)

    return type(name, (OpError,), {"error_code": code, "__init__": __init__, "__module__": __name__})


CancelledError = _error("CancelledError", 1)
UnknownError = _error("UnknownError", 2)
InvalidArgumentError = _error("InvalidArgumentError", 3)
DeadlineExceededError = _error("DeadlineExceededError", 4)
NotFoundError = _error("NotFoundError", 5)
AlreadyExistsError = _error("AlreadyExistsError", 6)
PermissionDeniedError = _error("PermissionDeniedError", 7)
ResourceExhaustedError = _error("ResourceExhaustedError", 8)
FailedPreconditionError = _error("FailedPreconditionError", 9)
AbortedError = _error("AbortedError", 10)
OutOfRangeError = _error("OutOfRangeError", 11)
UnimplementedError = _error("UnimplementedError", 12)
InternalError = _error("InternalError", 13)
UnavailableError = _error("UnavailableError", 14)
DataLossError = _error("DataLossError", 15)
UnauthenticatedError = _error("UnauthenticatedError", 16)


class KernelError(Exception):
    """Raised by an op's numpy forward with TF's kernel text; the op adds its name and device."""

    def __init__(self, text: str, cls=None):
        super().__init__(text)
        self.text = text
        self.cls = cls or InvalidArgumentError


def _suffix(op_name: str, name) -> str:
    # TF names the op in a scope ("name: " even when empty) unless the op was called unscoped.
    return f" [Op:{op_name}]" if name is None else f" [Op:{op_name}] name: {name}"


def kernel_error(op_name: str, text: str, name="", cls=InvalidArgumentError, function=None) -> OpError:
    """An error as a TF kernel reports it: device prefix, text, op and name suffix.

    `function` is the wrapped function's name when TF adds attrs to it (`ConcatV2_N_2`).
    """
    message = f"{{{{function_node __wrapped__{function or op_name}_device_{_DEVICE}}}}} {text}{_suffix(op_name, name)}"
    return cls(None, None, message)


def op_error(op_name: str, text: str, name="", cls=InvalidArgumentError) -> OpError:
    """An error from TF's op-definition checks, which carry no device prefix."""
    return cls(None, None, f"{text}{_suffix(op_name, name)}")


def dtype_mismatch(op_name: str, index: int, expected, got, name: str = "") -> OpError:
    """Inputs sharing one type attribute got different dtypes."""
    text = (
        f"cannot compute {op_name} as input #{index}(zero-based) was expected to be "
        f"a {expected.c_name} tensor but is a {got.c_name} tensor"
    )
    return op_error(op_name, text, name)


def shape_text(shape) -> str:
    """A shape as TF's kernels print it in messages: `[2,3]`."""
    return "[" + ",".join(str(d) for d in shape) + "]"
