"""`tf.keras.backend`: the session-wide name counters, epsilon and floatx."""

from __future__ import annotations

import collections

_uids: collections.Counter = collections.Counter()


def get_uid(prefix: str = "") -> int:
    """1 for the first object of `prefix` in this session, then 2, 3, ..."""
    _uids[prefix] += 1
    return _uids[prefix]


def unique_name(prefix: str) -> str:
    """Keras' automatic names: 'dense', then 'dense_1', 'dense_2', ..."""
    uid = get_uid(prefix)
    return prefix if uid == 1 else f"{prefix}_{uid - 1}"


def clear_session(free_memory=True):
    """Forgets every automatic name handed out, as Keras does: the next Dense is 'dense' again."""
    _uids.clear()


def epsilon() -> float:
    return 1e-7


def floatx() -> str:
    return "float32"
