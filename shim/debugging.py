"""`tf.debugging`, as far as the shim goes, and its extension: why a gradient is None.

`explain_gradients` and `enable_gradient_explanations` are not TensorFlow's: they exist only
in the shim (code that must also run on TF should not call them).
"""

from ._core import provenance, tape
from ._core.explain import REASONS, Explanation, explain_gradients

__all__ = [
    "REASONS",
    "Explanation",
    "enable_gradient_explanations",
    "explain_gradients",
    "gradient_explanations_enabled",
]


def enable_gradient_explanations(enabled: bool = True) -> None:
    """Switches explanations on or off (default: off, or on if $TFCOMPAT_EXPLAIN_GRADIENTS is 1).

    When on, the shim notes where each value came from, and every `tape.gradient`/`jacobian`
    that returns a None logs why, as a warning on the "tensorflow" logger. Switch it on
    before the computation you want explained; threads started afterwards are covered too.
    """
    provenance.active = bool(enabled)
    recorder = provenance.recorder_for_this_thread()
    tapes = tape.state.tapes
    if recorder is not None and recorder not in tapes:
        tapes.insert(0, recorder)
    if not enabled:
        tape.state.tapes = [t for t in tapes if type(t) is not provenance.Provenance]
        provenance.exits.clear()
        provenance.assigns.clear()


def gradient_explanations_enabled() -> bool:
    return provenance.active
