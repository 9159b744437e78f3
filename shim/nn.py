"""`tf.nn`."""

from .ops.nn_ops import (  # noqa: F401
    elu,
    gelu,
    leaky_relu,
    log_softmax,
    relu,
    relu6,
    selu,
    sigmoid,
    silu,
    softmax,
    softplus,
    swish,
    tanh,
)
from .ops.loss_ops import (  # noqa: F401
    l2_loss,
    sigmoid_cross_entropy_with_logits,
    softmax_cross_entropy_with_logits,
    sparse_softmax_cross_entropy_with_logits,
)
from .ops.normalization_ops import batch_normalization, moments  # noqa: F401
from .ops.dropout_ops import dropout  # noqa: F401
from .ops.conv_ops import avg_pool, avg_pool2d, conv2d, max_pool, max_pool2d  # noqa: F401
from .ops.linalg_ops import l2_normalize  # noqa: F401
