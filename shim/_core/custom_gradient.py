"""`tf.custom_gradient`: a function recorded as one op whose gradient is the function's own.

As in TF's eager mode: the function runs as usual; its results are re-issued as new
tensors recorded as the outputs of one op whose inputs are the function's positional
arguments plus the trainable variables it read (those are passed to `grad_fn` as
`variables=` and get the second list it returns). Keyword arguments are not inputs.
"""

from __future__ import annotations

import functools
import inspect

from . import nest, tape
from .ops import RegisterGradient, takes_indexed_slices
from .tensor import convert_to_tensor

_OP = "CustomGradient"  # one registry entry; the function itself rides on the recorded op


@RegisterGradient(_OP)
@takes_indexed_slices  # TF hands the user's grad_fn IndexedSlices as they come
def _custom_gradient_grad(op, *result_grads):
    return op.get_attr("grad_fn")(*result_grads)


def custom_gradient(f=None):
    """Decorates `f(*args) -> (result, grad_fn)` so that tapes use `grad_fn` for its gradient."""
    if f is None:
        return custom_gradient

    @functools.wraps(f)
    def decorated(*args, **kwargs):
        return _call(f, args, kwargs)

    return decorated


def _accepts_variables(grad_fn) -> bool:
    spec = inspect.getfullargspec(grad_fn)
    return "variables" in spec.args or "variables" in spec.kwonlyargs or spec.varkw is not None


def _call(f, args, kwargs):
    with tape.VariableWatcher() as watcher:
        result, grad_fn = f(*args, **kwargs)
    flat_args = nest.flatten(args)
    all_inputs = flat_args + nest.flatten(kwargs)
    variables = [v for v in watcher.watched_variables() if all(v is not x for x in all_inputs)]
    if variables and not _accepts_variables(grad_fn):
        raise TypeError(
            "@tf.custom_gradient grad_fn must accept keyword argument 'variables', since function uses "
            f"variables: {variables}"
        )
    from ..ops.array_ops import identity  # the ops package imports the engine

    with tape.stop_recording_all(keep_accumulators=True):  # TF: the body's JVP, not grad_fn's
        flat_result = [identity(x) for x in nest.flatten(result)]
    inputs = tuple(convert_to_tensor(x) if not getattr(x, "_is_variable", False) else x for x in flat_args)
    inputs += tuple(variables)

    def actual_grad_fn(*result_grads):
        if variables:
            input_grads, variable_grads = grad_fn(*result_grads, variables=variables)
            if len(variable_grads) != len(variables):
                raise ValueError("Must return gradient for each variable from @custom_gradient grad_fn.")
        else:
            input_grads, variable_grads = grad_fn(*result_grads), []
        flat_grads = nest.flatten(input_grads)
        if len(flat_grads) != len(flat_args):
            raise ValueError(
                f"custom_gradient function expected to return {len(flat_args)} gradients, "
                f"but returned {len(flat_grads)} instead."
            )
        return list(flat_grads) + list(variable_grads)

    if tape.state.tapes:
        tape.record(_OP, inputs, tuple(flat_result), {"grad_fn": actual_grad_fn, "name": f.__name__})
    return nest.pack_sequence_as(result, flat_result)
