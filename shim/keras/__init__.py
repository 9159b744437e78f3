"""`tf.keras`: the Keras 3 subset that TF 2.21 code reaches for."""

from . import activations, backend, callbacks, initializers, layers, losses, metrics, optimizers, utils  # noqa: F401
from .layers import Input, Layer  # noqa: F401
from .models import Model, Sequential  # noqa: F401
from .variables import Variable  # noqa: F401
from . import models  # noqa: F401,E402
