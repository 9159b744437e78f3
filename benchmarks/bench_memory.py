"""Memory over a long training run: the MLP step of bench_tape.py, repeated, on the shim.

    python benchmarks/bench_memory.py [--steps N] [--backend shim|tensorflow]

tracemalloc counts every Python and numpy allocation still alive; it is read after a
warm-up and then every tenth of the run. Bounded caches fill during the first readings
(the first upstream gradients of each shape, logging's call sites), so the verdict is on the
second half of the run: flat means it grew by less than 64 KiB there, i.e. a leak of one
small object per step would show. The peak resident set size (ru_maxrss) is printed too.
"""

from __future__ import annotations

import argparse
import importlib
import os
import resource
import sys
import time
import tracemalloc

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from bench_tape import mlp_step  # noqa: E402 (benchmarks/ is the script's own folder)

WARM_UP = 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=100_000)
    parser.add_argument("--backend", default="shim")
    args = parser.parse_args()
    tf = importlib.import_module(args.backend)
    step = mlp_step(tf)
    tracemalloc.start()
    for _ in range(WARM_UP):
        step()
    baseline, _ = tracemalloc.get_traced_memory()
    readings = []
    start = time.perf_counter()
    every = max(args.steps // 10, 1)
    for i in range(1, args.steps + 1):
        step()
        if i % every == 0:
            readings.append((i, tracemalloc.get_traced_memory()[0]))
    seconds = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    half, final = readings[len(readings) // 2 - 1], readings[-1]
    late_growth = final[1] - half[1]
    per_step = late_growth / max(final[0] - half[0], 1)
    flat = late_growth < 64 * 1024
    print(f"{args.backend}: {args.steps} steps after {WARM_UP} warm-up steps, {seconds:.0f} s\n")
    print("| steps | traced KiB | growth since warm-up KiB |")
    print("|---:|---:|---:|")
    print(f"| 0 | {baseline / 1024:.0f} | 0 |")
    for i, traced in readings:
        print(f"| {i} | {traced / 1024:.0f} | {(traced - baseline) / 1024:+.0f} |")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"\nsteps {half[0]} to {final[0]}: {late_growth / 1024:+.1f} KiB ({per_step:+.2f} bytes per step); "
        f"peak traced {peak / 1024:.0f} KiB; peak RSS {rss:.0f} MiB; flat: {'yes' if flat else 'NO'}"
    )
    if not flat:
        sys.exit(1)


if __name__ == "__main__":
    main()
