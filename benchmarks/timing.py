"""What every benchmark here shares: best-of-N timing of interleaved runs."""

from __future__ import annotations

import time


def timed(*fns, repeat):
    """Best-of-`repeat` time of each function, runs interleaved so machine drift hits all alike."""
    for fn in fns:
        fn()  # warm-up
    samples = [[] for _ in fns]
    for _ in range(repeat):
        for fn, out in zip(fns, samples):
            start = time.perf_counter()
            fn()
            out.append(time.perf_counter() - start)
    return [min(out) for out in samples]
