"""Jacobians and a hessian on the shim, on TensorFlow and HIPS autograd (when installed) and as numpy.

    python benchmarks/bench_autodiff.py [--repeat N]

Workloads (the same numbers on every backend, from the same seeded data):

- jacobian: y = tanh(reshape(W @ reshape(x, [200, 1]), [200])) * sin(x) + 0.5 * x, float32, x a
  200-vector variable; tape forward + `tape.jacobian(y, x)` -> [200, 200].
- hessian: f(x) = reduce_sum(tanh(A @ x) ** 2) + reduce_sum(sin(x) * x), float64 on every backend
  (shim, TF, autograd), x a [50, 1] variable, A a fixed 50x50 matrix; nested tapes as in TF's
  advanced-autodiff guide (`g = t1.gradient(y, x)` inside `t2`, `h = t2.jacobian(g, x)`), and
  `autograd.hessian(f)(x)` with `autograd.numpy`.
- batch_jacobian: y = tanh(x @ W + b), float32, x [64, 32] (watched constant), W [32, 16], b [16];
  tape forward + `tape.batch_jacobian(y, x)` -> [64, 16, 32].

The numpy column is the analytic derivative written by hand (forward pass included). Before any timing,
each result is computed once and the shim's is checked against TF's, autograd's and numpy's (and numpy's
against TF's and autograd's) with np.testing.assert_allclose(rtol=1e-4).

Prints a table of best-of-N times (the least disturbed run on a shared machine; the shim, autograd and
numpy runs interleaved, all before TensorFlow is imported) and the targets:
jacobian: shim >= 50x faster than TF; hessian: shim faster than autograd (autograd/shim > 1);
batch_jacobian: shim >= 10x faster than TF. A target the shim meets reads PASS, one it misses MISS
(also when the shim raises or its result disagrees), one that cannot be measured (TF or autograd not
installed) n/a. The exit code is 0 either way: this is a report.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import traceback

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from timing import timed  # noqa: E402 (benchmarks/ is the script's own folder)

RTOL = 1e-4

# ---------------------------------------------------------------- jacobian: [200] target, [200] source

JAC_N = 200


def _jacobian_data():
    rng = np.random.default_rng(0)
    w = (rng.standard_normal((JAC_N, JAC_N)) / np.sqrt(JAC_N)).astype(np.float32)
    x = rng.standard_normal(JAC_N).astype(np.float32)
    return w, x


def jacobian(tf):
    w, x = _jacobian_data()
    w, x = tf.constant(w), tf.Variable(x)

    def run():
        with tf.GradientTape() as tape:
            h = tf.reshape(tf.matmul(w, tf.reshape(x, [JAC_N, 1])), [JAC_N])
            y = tf.tanh(h) * tf.sin(x) + x * 0.5
        return tape.jacobian(y, x)

    return run


def jacobian_numpy():
    w, x = _jacobian_data()
    half = np.float32(0.5)

    def run():
        t = np.tanh(w @ x)
        s = np.sin(x)
        _ = t * s + x * half  # the forward value, as the tapes compute it
        jac = ((1 - t * t) * s)[:, None] * w
        jac[np.arange(JAC_N), np.arange(JAC_N)] += t * np.cos(x) + half
        return jac

    return run


# ---------------------------------------------------------------- hessian: scalar of 50 parameters

HESS_N = 50


def _hessian_data():
    rng = np.random.default_rng(1)
    a = rng.standard_normal((HESS_N, HESS_N)) / np.sqrt(HESS_N)
    x = rng.standard_normal((HESS_N, 1))
    return a, x  # float64


def hessian(tf):
    a, x = _hessian_data()
    a, x = tf.constant(a), tf.Variable(x)

    def run():
        with tf.GradientTape() as t2:
            with tf.GradientTape() as t1:
                y = tf.reduce_sum(tf.tanh(tf.matmul(a, x)) ** 2) + tf.reduce_sum(tf.sin(x) * x)
            g = t1.gradient(y, x)
        return t2.jacobian(g, x)  # [50, 1, 50, 1]

    return run


def hessian_autograd(autograd):
    anp = importlib.import_module("autograd.numpy")
    a, x = _hessian_data()

    def f(x):
        return anp.sum(anp.tanh(anp.dot(a, x)) ** 2) + anp.sum(anp.sin(x) * x)

    hess = autograd.hessian(f)

    def run():
        return hess(x)  # [50, 1, 50, 1]

    return run


def hessian_numpy():
    a, x = _hessian_data()
    x = x[:, 0]
    diag = np.arange(HESS_N)

    def run():
        t = np.tanh(a @ x)
        _ = np.sum(t * t) + np.sum(np.sin(x) * x)  # the forward value
        t2 = t * t
        d = 2 * (1 - t2) * (1 - 3 * t2)  # d2/du2 tanh(u)**2
        hess = a.T @ (d[:, None] * a)
        hess[diag, diag] += 2 * np.cos(x) - x * np.sin(x)  # d2/dx2 x sin(x)
        return hess

    return run


# ---------------------------------------------------------------- batch_jacobian: Dense layer, batch 64

BATCH, IN, OUT = 64, 32, 16


def _dense_data():
    rng = np.random.default_rng(2)
    x = rng.standard_normal((BATCH, IN)).astype(np.float32)
    w = (rng.standard_normal((IN, OUT)) / np.sqrt(IN)).astype(np.float32)
    b = (rng.standard_normal(OUT) * 0.1).astype(np.float32)
    return x, w, b


def batch_jacobian(tf):
    x, w, b = _dense_data()
    x, w, b = tf.constant(x), tf.Variable(w), tf.Variable(b)

    def run():
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.tanh(tf.matmul(x, w) + b)
        return tape.batch_jacobian(y, x)  # [64, 16, 32]

    return run


def batch_jacobian_numpy():
    x, w, b = _dense_data()
    wt = np.ascontiguousarray(w.T)

    def run():
        t = np.tanh(x @ w + b)
        return (1 - t * t)[:, :, None] * wt[None]  # [64, 16, 32]

    return run


# ---------------------------------------------------------------- harness

# label, maker (tf-like module), numpy maker, autograd maker or None, target backend, target ratio
WORKLOADS = [
    ("jacobian [200] wrt [200]", jacobian, jacobian_numpy, None, "TF", 50.0),
    ("hessian 50 params (f64)", hessian, hessian_numpy, hessian_autograd, "autograd", 1.0),
    ("batch_jacobian 64x32->16", batch_jacobian, batch_jacobian_numpy, None, "TF", 10.0),
]


class Failed:
    """A backend that raised: its cell reads 'error', its message is printed under the table."""

    def __init__(self, what: str, exc: BaseException):
        self.what = what
        self.message = "".join(traceback.format_exception_only(type(exc), exc)).strip()


def _as_array(result):
    return np.asarray(result.numpy() if hasattr(result, "numpy") else result, dtype=np.float64)


class Row:
    def __init__(self, label, make, make_numpy, make_autograd, target_backend, target_ratio):
        self.label = label
        self.make, self.make_numpy, self.make_autograd = make, make_numpy, make_autograd
        self.target_backend, self.target_ratio = target_backend, target_ratio
        self.runs: dict[str, object] = {}  # backend -> run function
        self.results: dict[str, np.ndarray] = {}  # backend -> one result, as float64 numpy
        self.times: dict[str, float | Failed] = {}  # backend -> seconds, or the failure
        self.checks: list[tuple[str, str, str | None]] = []  # (backend, against, None or the mismatch)

    def prepare(self, backend: str, factory) -> None:
        """Build the backend's run function and compute its result once; a failure fills its cell."""
        try:
            run = factory()
            self.results[backend] = _as_array(run())
            self.runs[backend] = run
        except Exception as exc:  # the shim may be mid-edit: report, do not stop
            self.times[backend] = Failed(f"{self.label}: {backend}", exc)

    def check(self, backend: str, against: str) -> None:
        if backend not in self.results or against not in self.results:
            return
        got, want = self.results[backend], self.results[against]
        try:
            if got.size != want.size:
                raise AssertionError(f"shape {got.shape} vs {want.shape}")
            np.testing.assert_allclose(got.reshape(want.shape), want, rtol=RTOL)
            self.checks.append((backend, against, None))
        except AssertionError as exc:
            lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
            self.checks.append((backend, against, " | ".join(lines[:5])))

    def time(self, backends: list[str], repeat: int) -> None:
        backends = [b for b in backends if b in self.runs]
        if not backends:
            return
        try:
            times = timed(*(self.runs[b] for b in backends), repeat=repeat)
        except Exception:
            for b in backends:  # time each alone so one failure does not blank the others
                try:
                    self.times[b] = timed(self.runs[b], repeat=repeat)[0]
                except Exception as exc:
                    self.times[b] = Failed(f"{self.label}: {b} (while timing)", exc)
            return
        self.times.update(zip(backends, times))

    def shim_wrong(self) -> bool:
        """The shim disagrees with TF or autograd; with neither run, with the numpy reference."""
        authorities = [a for a in ("TF", "autograd") if a in self.results] or ["numpy"]
        return any(b == "shim" and a in authorities and mismatch for b, a, mismatch in self.checks)

    def ratio(self) -> float | None:
        shim, other = self.times.get("shim"), self.times.get(self.target_backend)
        if isinstance(shim, float) and isinstance(other, float):
            return other / shim
        return None

    def verdict(self) -> tuple[str, str | None]:
        """PASS, MISS or n/a, and why a MISS or n/a."""
        shim, other = self.times.get("shim"), self.times.get(self.target_backend)
        if isinstance(shim, Failed):
            return "MISS", "the shim raised"
        if self.shim_wrong():
            return "MISS", "the shim's result disagrees"
        if other is None:
            return "n/a", f"{self.target_backend} not installed"
        if isinstance(other, Failed):
            return "n/a", f"{self.target_backend} raised"
        ratio = self.ratio()
        if ratio is not None and (ratio > 1.0 if self.target_ratio == 1.0 else ratio >= self.target_ratio):
            return "PASS", None
        return "MISS", f"{self.target_backend}/shim = {ratio:.2f}, target {self.target_text()}"

    def target_text(self) -> str:
        if self.target_ratio == 1.0:
            return f"{self.target_backend}/shim > 1"
        return f"{self.target_backend}/shim >= {self.target_ratio:g}"


def _import(name: str):
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def _cell(t) -> str:
    if t is None:
        return "n/a"
    if isinstance(t, Failed):
        return "error"
    return f"{t * 1e3:.2f}"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    failures: list[Failed] = []
    try:
        import shim
    except Exception as exc:  # mid-edit: the report says so and the other columns still run
        shim = None
        failures.append(Failed("import shim", exc))
    autograd = _import("autograd")

    rows = [Row(*w) for w in WORKLOADS]
    # The shim, autograd and numpy are timed before TensorFlow is imported: TF's import starts
    # thread pools that would otherwise share the cores with them.
    for row in rows:
        if shim is not None:
            row.prepare("shim", lambda row=row: row.make(shim))
        row.prepare("numpy", row.make_numpy)
        if autograd is not None and row.make_autograd is not None:
            row.prepare("autograd", lambda row=row: row.make_autograd(autograd))
        for backend, against in (("shim", "autograd"), ("shim", "numpy"), ("numpy", "autograd")):
            row.check(backend, against)
        row.time(["shim", "autograd", "numpy"], args.repeat)

    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    tf = _import("tensorflow")
    if tf is not None:
        for row in rows:
            row.prepare("TF", lambda row=row: row.make(tf))
            row.check("shim", "TF")
            row.check("numpy", "TF")
            row.time(["TF"], args.repeat)

    header = (
        f"{'workload':26} {'shim ms':>9} {'TF ms':>9} {'autograd ms':>11} {'numpy ms':>9} "
        f"{'shim/numpy':>10} {'ratio':>8}  {'target':18} verdict"
    )
    print()
    print(header)
    print("-" * len(header))
    missed = []
    for row in rows:
        shim_t, np_t = row.times.get("shim"), row.times.get("numpy")
        vs_numpy = f"{shim_t / np_t:.2f}" if isinstance(shim_t, float) and isinstance(np_t, float) else "n/a"
        ratio = row.ratio()
        verdict, why = row.verdict()
        print(
            f"{row.label:26} {_cell(shim_t):>9} {_cell(row.times.get('TF')):>9} "
            f"{_cell(row.times.get('autograd') if row.make_autograd else None):>11} {_cell(np_t):>9} "
            f"{vs_numpy:>10} {'n/a' if ratio is None else f'{ratio:.2f}':>8}  {row.target_text():18} {verdict}"
        )
        if verdict != "PASS":
            missed.append((row, verdict, why))
        failures.extend(t for t in row.times.values() if isinstance(t, Failed))

    print()
    print(f"result checks (np.testing.assert_allclose, rtol={RTOL:g}):")
    for row in rows:
        done = [f"{b} = {a}" if m is None else f"{b} != {a}" for b, a, m in row.checks]
        print(f"  {row.label:26} {', '.join(done) or 'nothing to compare'}")
        for b, a, m in row.checks:
            if m is not None:
                print(f"    MISMATCH {b} vs {a}: {m}")
    if failures:
        print()
        print("errors:")
        for failure in failures:
            print(f"  {failure.what}: " + failure.message.replace("\n", "\n    "))
    print()
    misses = [(row, why) for row, verdict, why in missed if verdict == "MISS"]
    unmeasured = [(row, why) for row, verdict, why in missed if verdict != "MISS"]
    if misses:
        print(f"TARGETS MISSED ({len(misses)} of {len(rows)}):")
        for row, why in misses:
            print(f"  MISS {row.label}: {why}")
    if unmeasured:
        print(f"targets not measured ({len(unmeasured)} of {len(rows)}):")
        for row, why in unmeasured:
            print(f"  n/a  {row.label}: {why}")
    if not missed:
        print(f"all {len(rows)} targets met")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
