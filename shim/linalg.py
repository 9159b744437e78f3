"""`tf.linalg`."""

from .ops.array_ops import eye  # noqa: F401
from .ops.math_ops import matmul  # noqa: F401
from .ops.clip_ops import global_norm  # noqa: F401
from .ops.einsum_ops import einsum  # noqa: F401
from .ops.linalg_ops import (  # noqa: F401
    adjoint,
    cholesky,
    det,
    diag_part,
    inv,
    l2_normalize,
    matrix_transpose,
    matvec,
    norm,
    slogdet,
    solve,
    tensordot,
    trace,
    triangular_solve,
)
