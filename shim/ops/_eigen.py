"""float16 sums in the order TF's CPU kernels add them (each addition rounds to half).

In half precision the order of additions shows in the result (1 ulp of the partial
sums, far more than the sum when terms cancel). TF's Sum kernel first collapses
adjacent reduced / kept dimensions into runs (ReductionHelper::Simplify), then Eigen
reduces: along the innermost dimension with packets of 8 halves and 4 accumulators,
finished by a float32 horizontal sum (InnerMostDimReducer, AVX); along outer
dimensions one element at a time. Checked bit for bit against TF 2.21 on arrays of
up to 64 elements (rank <= 3); larger arrays may use Eigen's threaded paths.
"""

from __future__ import annotations

import numpy as np

_HALF = np.float16
_FLOAT = np.float32
_PACKET = 8


def _add(a, b):
    return (np.asarray(a, _FLOAT) + np.asarray(b, _FLOAT)).astype(_HALF)


def _inner(rows):
    """Eigen's InnerMostDimReducer on each row of a 2-D half array."""
    count, n = rows.shape
    vectorized, vectorized4 = n // _PACKET * _PACKET, n // (4 * _PACKET) * (4 * _PACKET)
    accumulators = [np.zeros((count, _PACKET), _HALF) for _ in range(4)]
    j = 0
    while j < vectorized4:
        for k in range(4):
            accumulators[k] = _add(accumulators[k], rows[:, j + k * _PACKET : j + (k + 1) * _PACKET])
        j += 4 * _PACKET
    packet = _add(_add(_add(accumulators[0], accumulators[1]), accumulators[2]), accumulators[3])
    while j < vectorized:
        packet = _add(packet, rows[:, j : j + _PACKET])
        j += _PACKET
    scalar = np.zeros(count, _HALF)
    for t in range(vectorized, n):
        scalar = _add(scalar, rows[:, t])
    lanes = packet.astype(_FLOAT)
    halves = lanes[:, :4] + lanes[:, 4:]  # predux<Packet8f>: in float32
    return _add(scalar, ((halves[:, 0] + halves[:, 2]) + (halves[:, 1] + halves[:, 3])).astype(_HALF))


def _sequential(rows):
    """Adds along axis 1, one element at a time."""
    total = np.zeros(rows.shape[0], _HALF)
    for t in range(rows.shape[1]):
        total = _add(total, rows[:, t])
    return total


def half_sum(x, axis: tuple, keepdims: bool):
    """np.sum(x, axis, keepdims) for a float16 array, rounded as TF rounds it."""
    x = np.asarray(x)
    shape = x.shape
    if x.size == 0 or not axis:
        return np.sum(x, axis=axis, keepdims=keepdims, dtype=x.dtype)
    if keepdims:
        out_shape = tuple(1 if i in axis else d for i, d in enumerate(shape))
    else:
        out_shape = tuple(d for i, d in enumerate(shape) if i not in axis)
    reduced = [i in axis for i in range(len(shape))]
    start = 0
    while start < len(shape) and shape[start] == 1:
        start += 1
    if start == len(shape):  # a single element
        return x.reshape(out_shape).copy()
    runs = [shape[start]]
    reduce_first = reduced[start]
    for i in range(start + 1, len(shape)):
        if shape[i] == 1:
            reduced[i] = reduced[i - 1]
        if reduced[i] != reduced[i - 1]:
            runs.append(shape[i])
        else:
            runs[-1] *= shape[i]
    data = x.reshape(runs)
    if len(runs) == 1:
        result = _inner(data.reshape(1, -1)) if reduce_first else data
    elif len(runs) == 2:
        result = _sequential(data.T) if reduce_first else _inner(data)
    elif len(runs) == 3 and reduce_first:  # [R1, K, R2]: R1 fastest, then R2
        result = _sequential(np.transpose(data, (1, 2, 0)).reshape(runs[1], -1))
    elif len(runs) == 3:  # [K1, R, K2]
        result = _sequential(np.transpose(data, (0, 2, 1)).reshape(runs[0] * runs[2], runs[1]))
    else:  # TF transposes the reduced runs last, then reduces the rows
        kept = [i for i in range(len(runs)) if (i % 2 == 0) != reduce_first]
        summed = [i for i in range(len(runs)) if (i % 2 == 0) == reduce_first]
        moved = np.transpose(data, kept + summed)
        result = _inner(moved.reshape(int(np.prod([runs[i] for i in kept])), -1))
    return np.asarray(result).reshape(out_shape)
