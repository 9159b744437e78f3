"""The order in which TF's C++ tape runs gradient functions, where that order shows.

TF aggregates several IndexedSlices gradients of one tensor by concatenating them in
the order they were produced, so the rows of such a gradient come in TF's backward
order, which is not the shim's (a reverse walk over the records). It is computed here,
only when needed, as `GradientTape::ComputeGradient` (TF's eager/tape.h) runs:

- the ops reachable from the targets are collected depth first, counting how often
  each tensor is used as an input among them;
- an op is ready once every one of its used outputs has all its gradients; a newly
  ready op is queued at the front, the next op is taken from the back;
- the first ready ops (those whose outputs nothing reachable uses: the targets'
  producers) come in the iteration order of the libstdc++ `std::unordered_map<int64_t,
  ...>` that holds the reachable ops by op id (their index on the tape).
"""

from __future__ import annotations

import bisect


def ranks(entries, targets) -> dict[int, int]:
    """Entry index -> its position in TF's backward order, for the entries the targets reach."""
    producer = {}
    for k, entry in enumerate(entries):
        for out in entry.outputs:
            producer[out._id] = k
    reached: dict[int, None] = {}  # insertion order, as TF fills its map
    uses: dict[int, int] = {}
    stack = [t._id for t in targets]
    while stack:
        found = producer.get(stack.pop())
        if found is None or found in reached:
            continue
        reached[found] = None
        for x in entries[found].inputs:
            if x._id in uses:
                uses[x._id] += 1
            else:
                uses[x._id] = 1
                if x._id in producer:
                    stack.append(x._id)
    missing: dict[int, int] = {}
    for tensor_id in uses:
        if tensor_id in producer:
            missing[producer[tensor_id]] = missing.get(producer[tensor_id], 0) + 1
    queue = [k for k in unordered_map_order(list(reached)) if k not in missing]
    order: dict[int, int] = {}
    while queue:
        k = queue.pop()
        order[k] = len(order)
        for x in entries[k].inputs:
            if x._id not in uses:
                continue
            uses[x._id] -= 1
            if uses[x._id] == 0 and x._id in producer:
                p = producer[x._id]
                missing[p] -= 1
                if missing[p] == 0:
                    queue.insert(0, p)
    return order


# libstdc++'s bucket counts (std::__detail::__prime_list, as far as small maps need it).
_PRIMES = (
    2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97, 103, 109,
    113, 127, 137, 139, 149, 157, 167, 179, 193, 199, 211, 227, 241, 257, 277, 293, 313, 337, 359, 383, 409,
    439, 467, 503, 541, 577, 619, 661, 709, 761, 823, 887, 953, 1031, 1109, 1193, 1289, 1381, 1493, 1613,
    1741, 1879, 2029, 2179, 2357, 2549, 2753, 2971, 3209, 3469, 3739, 4027, 4349, 4703, 5087, 5503, 5953,
    6427, 6949, 7517, 8123, 8783, 9497, 10273, 11113, 12011, 12983, 14033, 15173, 16411, 17749, 19183,
    20753, 22447, 24281, 26267, 28411, 30727, 33223, 35933, 38873, 42043, 45481, 49201, 53201, 57557,
    62233, 67307, 72817, 78779, 85229, 92203, 99733, 107897, 116731, 126271, 136607, 147793, 159871,
)  # fmt: skip
_FAST = (2, 2, 2, 3, 5, 5, 7, 7, 11, 11, 11, 11, 13, 13)


class _PrimePolicy:
    """libstdc++'s _Prime_rehash_policy (max load factor 1): when to grow, and to how many buckets."""

    def __init__(self):
        self.next_resize = 0

    def _next_bucket_count(self, n: int) -> int:
        if n < len(_FAST):
            self.next_resize = _FAST[n]
            return _FAST[n]
        count = _PRIMES[bisect.bisect_left(_PRIMES, n, lo=6)]
        self.next_resize = count
        return count

    def grow_to(self, buckets: int, elements: int, inserting: int):
        """The new bucket count if inserting needs a rehash, else None."""
        if elements + inserting <= self.next_resize:
            return None
        least = max(elements + inserting, 0 if self.next_resize else 11)
        if least >= buckets:
            return self._next_bucket_count(max(least + 1, buckets * 2))
        self.next_resize = buckets
        return None


def unordered_map_order(keys: list[int]) -> list[int]:
    """The iteration order of a libstdc++ std::unordered_map<int64_t, ...> (identity hash) into
    which `keys` were inserted in this order: a singly linked list where a key whose bucket is
    empty goes first, another goes to the front of its bucket's run, and a rehash relinks the
    list front to back the same way."""
    head: list = [None]  # the list's first node (libstdc++'s _M_before_begin._M_nxt)
    after: dict = {}  # node -> next node
    before: dict = {}  # bucket -> the node before its first one ("head" for the list's start)
    policy, buckets = _PrimePolicy(), 1

    def link_after(prev, node):
        if prev == "head":
            after[node], head[0] = head[0], node
        else:
            after[node], after[prev] = after[prev], node

    def place(node, count):
        b = node % count
        if b in before:
            link_after(before[b], node)
            return
        link_after("head", node)
        if after[node] is not None:
            before[after[node] % count] = node
        before[b] = "head"

    for n, key in enumerate(keys):
        grown = policy.grow_to(buckets, n, 1)
        if grown is not None:
            node, buckets = head[0], grown
            head[0] = None
            before.clear()
            while node is not None:
                following = after[node]
                place(node, buckets)
                node = following
        place(key, buckets)
    order, node = [], head[0]
    while node is not None:
        order.append(node)
        node = after[node]
    return order
