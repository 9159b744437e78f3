"""What gradient explanations cost: the shim with the switch off against the shim before the
feature existed, and with the switch on, in one run.

    python benchmarks/bench_explain.py [--rounds N] [--baseline GIT-REV]

The baseline is this repository at GIT-REV (default: the commit before
shim/_core/provenance.py was added), checked out into a temporary git worktree. Each variant
runs in its own process; the processes take turns for N rounds and the best time of each is
kept, so machine drift hits all alike. A second switched-off process is the control: its ratio
to the first is the run's noise floor. Target: switched off, under 2% on the scalar chain.
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parents[1]

CHILD = r"""
import json, sys, time
sys.path.insert(0, sys.argv[1])
import shim as tf
if sys.argv[2] == "on":
    tf.debugging.enable_gradient_explanations(True)

def scalar_chain():
    y0 = tf.Variable(0.5)
    with tf.GradientTape() as tape:
        y = y0 * 1.0
        for _ in range(1000):
            y = y * 0.999 + tf.sin(y) * 0.001
    return tape.gradient(y, y0)

w = tf.Variable([[0.5, -0.2], [0.1, 0.3]])
x = tf.constant([[1.0, 2.0]])

def small_tapes():  # per-tape bookkeeping: 200 tapes of three ops each
    for _ in range(200):
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(tf.tanh(tf.matmul(x, w)))
        tape.gradient(loss, w)

best = {}
for name, fn in (("scalar chain (1000 steps)", scalar_chain), ("200 small tapes", small_tapes)):
    fn()
    times = []
    for _ in range(int(sys.argv[3])):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    best[name] = min(times)
print(json.dumps(best))
"""


def default_baseline() -> str:
    added = subprocess.run(
        ["git", "log", "--diff-filter=A", "--format=%H", "--", "shim/_core/provenance.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    if not added:
        raise SystemExit("provenance.py is not committed yet: pass --baseline REV")
    return added[-1] + "^"


def run_child(root: pathlib.Path, switch: str, repeat: int) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(root), switch, str(repeat)], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per round in each process")
    parser.add_argument("--baseline", default=None, help="git revision without the feature")
    args = parser.parse_args()
    baseline = args.baseline or default_baseline()
    with tempfile.TemporaryDirectory() as tmp:
        worktree = pathlib.Path(tmp) / "baseline"
        subprocess.run(
            ["git", "worktree", "add", "--detach", str(worktree), baseline], cwd=ROOT, check=True, capture_output=True
        )
        try:
            variants = {
                "before the feature": (worktree, "off"),
                "switch off": (ROOT, "off"),
                "control": (ROOT, "off"),  # the same code again: how far apart equal runs land
                "switch on": (ROOT, "on"),
            }
            best: dict[str, dict[str, float]] = {}
            for _ in range(args.rounds):
                for label, (root, switch) in variants.items():
                    for workload, seconds in run_child(root, switch, args.repeat).items():
                        cell = best.setdefault(workload, {})
                        cell[label] = min(cell.get(label, float("inf")), seconds)
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(worktree)], cwd=ROOT, capture_output=True)
    print(f"baseline: {baseline}; best of {args.rounds} rounds x {args.repeat} runs\n")
    print(
        "| workload | before ms | switch off ms | off/before | noise: control/off | switch on ms | on/before | target |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    for workload, cell in best.items():
        before, off, control, on = (
            cell[label] for label in ("before the feature", "switch off", "control", "switch on")
        )
        target = "off/before < 1.02" if workload.startswith("scalar") else ""
        print(
            f"| {workload} | {before * 1e3:.1f} | {off * 1e3:.1f} | {off / before:.3f} | {control / off:.3f} "
            f"| {on * 1e3:.1f} | {on / before:.2f} | {target} |"
        )


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
