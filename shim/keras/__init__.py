"""`tf.keras`: the Keras 3 subset that TF 2.21 code reaches for (grown by issue 6)."""

from . import activations, initializers, layers, optimizers  # noqa: F401
from .variables import Variable  # noqa: F401
