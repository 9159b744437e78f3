"""`tf.errors`."""

from ._core.errors import *  # noqa: F401,F403
from ._core.errors import __all__  # noqa: F401
