"""`tf.function` as an eager pass-through: the call is bound and its results converted as a
traced TF function's are, and the Python body runs eagerly in between.

What a call does, as TF 2.21 does it for a graph function:
  - binds the arguments to the Python signature and the input_signature, with TF's
    TypeError when they do not fit (`function_signature`);
  - hands numpy arrays and scalars among the arguments to the body as tensors;
  - returns every result as a tensor: Python numbers, strings, numpy values, variables
    and TensorShapes converted, tensors re-issued (a result is never an argument
    itself), None and the structure kept; anything else raises TF's TypeError.
Tapes record the body's ops as they run, so gradients through a tf.function, tapes
used inside one, and higher orders are those of the same code run eagerly: TF's
function gradients give the same values.

The one deliberate difference: there is no tracing. The Python body runs on every call,
as TF runs it under `tf.config.run_functions_eagerly(True)`, so Python side effects
(print, appending to a list, counters) happen on every call rather than once per trace.
What follows from it: nothing is cached between calls (TF would reuse a trace made for
1.0 when called with 1, say); shapes seen inside are the call's own (TF sees the
signature's, with None dims); an error raised in the body reaches the caller as raised
(TF prefixes "in user code:" and reports graph-mode errors); `.numpy()` works inside;
and tf.Variables may be created on every call (TF allows them on the first trace only).
Under `tf.config.run_functions_eagerly(True)` the shim does what TF does: it calls the
Python function directly, with no binding and no conversion of results.
"""

from __future__ import annotations

import inspect
import types
import weakref

import numpy as np

from . import nest
from .function_signature import Binding
from .tensor import Tensor, convert_to_tensor
from .tensor_spec import TensorSpec

__all__ = ["Function", "function", "run_functions_eagerly", "functions_run_eagerly"]

# attributes TF lets a tf.function carry (attributes.POLYMORPHIC_FUNCTION_ALLOWLIST)
_ALLOWED_ATTRIBUTES = frozenset(
    {
        "api_implements",
        "api_preferred_device",
        "_disable_acd",
        "disable_summaries_at_runtime",
        "go_backwards",
        "_implements",
        "experimental_ints_on_device",
        "_noinline",
        "function_runs_at_most_once",
        "runtime_constant_optimization",
        "_tf_data_function",
        "time_major",
    }
)
_IMPLEMENTS = "_implements"


class _Settings:
    run_eagerly = False  # process-wide, as TF's RUN_FUNCTIONS_EAGERLY


def run_functions_eagerly(run_eagerly):
    """`tf.config.run_functions_eagerly`: True calls tf.functions' Python bodies directly."""
    _Settings.run_eagerly = bool(run_eagerly)


def functions_run_eagerly():
    """`tf.config.functions_run_eagerly`: the value of that setting."""
    return _Settings.run_eagerly


class Function:
    """What `tf.function` returns: callable like the Python function, bound per instance on
    methods (the same bound Function every time it is looked up on one instance)."""

    def __init__(
        self,
        python_function,
        name,
        input_signature=None,
        autograph=True,
        jit_compile=None,
        reduce_retracing=False,
        experimental_implements=None,
        experimental_autograph_options=None,
        experimental_attributes=None,
    ):
        self._python_function = python_function
        self._binding = Binding(python_function, input_signature)
        self._attributes = {} if experimental_implements is None else {_IMPLEMENTS: experimental_implements}
        self._attributes.update(experimental_attributes or {})
        for attribute in self._attributes:
            if attribute not in _ALLOWED_ATTRIBUTES:
                raise ValueError(f"`{attribute} is not supported by tf.function as an attribute.")
        self._is_pure = _IMPLEMENTS in self._attributes  # TF then passes variables in as tensors
        self._name = name
        # kept as given: compilation, retracing and AutoGraph have nothing to change here
        self._autograph = autograph
        self._experimental_autograph_options = experimental_autograph_options
        self._jit_compile = jit_compile
        self._reduce_retracing = reduce_retracing
        self._descriptor_cache: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    @property
    def name(self) -> str:
        return self._name

    @property
    def python_function(self):
        return self._python_function

    @property
    def input_signature(self):
        return self._binding.input_signature

    def __call__(self, *args, **kwargs):
        if _Settings.run_eagerly:
            return self._python_function(*args, **kwargs)
        if self._is_pure:
            args = tuple(_as_tensor_or_spec(x) for x in args)
            kwargs = {k: _as_tensor_or_spec(x) for k, x in kwargs.items()}
        args, kwargs = self._binding.bind(args, kwargs)
        args, kwargs = _numpy_as_tensors(args), _numpy_as_tensors(kwargs)
        return _results_as_tensors(self._python_function(*args, **kwargs), self._python_function)

    def __get__(self, instance, owner):
        """A method: one Function per instance, holding the instance weakly (as TF does)."""
        if instance is None:
            return self
        if instance not in self._descriptor_cache:
            self._descriptor_cache[instance] = self._bound_to(instance)
        return self._descriptor_cache[instance]

    def _bound_to(self, instance) -> Function:
        unbound = self._python_function
        weak_instance = weakref.ref(instance)

        def bound_method(*args, **kwargs):
            return unbound(weak_instance(), *args, **kwargs)

        _copy_names(bound_method, unbound)
        signature = inspect.signature(types.MethodType(unbound, instance))
        bound_method.__signature__ = signature  # type: ignore[attr-defined]
        bound = Function(
            bound_method,
            self._name,
            input_signature=self.input_signature,
            autograph=self._autograph,
            jit_compile=self._jit_compile,
            reduce_retracing=self._reduce_retracing,
            experimental_attributes=self._attributes,
        )
        return _copy_names(bound, unbound)

    def __repr__(self) -> str:
        return f"<shim.Function {self._name}>"


def _copy_names(wrapper, target):
    """What TF's make_decorator copies: names, docstring, attributes, and __wrapped__."""
    for attribute in ("__module__", "__name__", "__qualname__", "__doc__"):
        if hasattr(target, attribute):
            setattr(wrapper, attribute, getattr(target, attribute))
    for key, value in getattr(target, "__dict__", {}).items():
        wrapper.__dict__.setdefault(key, value)
    wrapper.__wrapped__ = target
    return wrapper


# -- tf.function itself -----------------------------------------------------------------------


def function(
    func=None,
    input_signature=None,
    autograph=True,
    jit_compile=None,
    reduce_retracing=False,
    experimental_implements=None,
    experimental_autograph_options=None,
    experimental_attributes=None,
    experimental_relax_shapes=None,
    experimental_compile=None,
    experimental_follow_type_hints=None,
):
    """`tf.function`: `@tf.function`, `@tf.function(...)` or `tf.function(f, ...)`.

    TF's warnings for the deprecated arguments are left out: TF logs them only while no
    eager context exists yet (before the first op runs), a state the shim does not have.
    """
    if experimental_relax_shapes:
        reduce_retracing = True

    def decorated(inner_function):
        name = getattr(inner_function, "__name__", "function")
        if experimental_compile is not None and jit_compile is not None:
            raise ValueError("Cannot specify both 'experimental_compile' and 'jit_compile'.")
        made = Function(
            inner_function,
            name,
            input_signature=input_signature,
            autograph=autograph,
            experimental_autograph_options=experimental_autograph_options,
            reduce_retracing=reduce_retracing,
            jit_compile=jit_compile if experimental_compile is None else experimental_compile,
            experimental_implements=experimental_implements,
            experimental_attributes=experimental_attributes,
        )
        return _copy_names(made, inner_function)

    if func is not None:
        return decorated(func)
    return decorated


# -- arguments and results ----------------------------------------------------------------------


def _is_variable(x) -> bool:
    return getattr(x, "_is_variable", False)


def _as_tensor_or_spec(x):
    """experimental_implements makes a function pure: variables (and values) come in as tensors."""
    return x if isinstance(x, (Tensor, TensorSpec)) else convert_to_tensor(x)


def _is_numpy_value(x) -> bool:
    """What TF traces as a tensor placeholder: numpy arrays and scalars (not numpy strings)."""
    return hasattr(x, "__array__") and not isinstance(x, (np.str_, type, Tensor)) and not _is_variable(x)


def _numpy_as_tensors(structure):
    leaves = nest.flatten(structure)
    if not any(_is_numpy_value(x) for x in leaves):
        return structure
    return nest.pack_sequence_as(structure, [convert_to_tensor(x) if _is_numpy_value(x) else x for x in leaves])


def _results_as_tensors(results, python_function):
    """TF's func_graph conversion of what the body returned."""
    from ..ops.array_ops import identity  # the ops package imports the engine

    def convert(x):
        if x is None:
            return None
        if isinstance(x, Tensor):
            return identity(x)  # a new tensor, recorded on tapes: a result is never an input itself
        try:
            return convert_to_tensor(x)  # a variable is read (and the read recorded)
        except (TypeError, ValueError):
            raise TypeError(
                "To be compatible with tf.function, Python functions must return zero or more Tensors or "
                f"ExtensionTypes or None values; in compilation of {python_function}, found return value of "
                f"type {type(x).__name__}, which is not a Tensor or ExtensionType."
            ) from None

    return nest.map_structure(convert, results)
