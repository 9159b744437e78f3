"""`python -m conformance record` records TensorFlow's reference cases (TensorFlow must be installed)."""

from __future__ import annotations

import argparse
import sys

from . import backend, demo, record


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m conformance")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("record", help="run the cases on TensorFlow and write reference_cases/tf-<version>/")
    seeds = sub.add_parser("seeds", help="run the seed notebooks' examples on a backend against TF's recording")
    seeds.add_argument("--backend", default=None, help="module to test (default: shim, or $CONFORMANCE_BACKEND)")
    args = parser.parse_args(argv)
    if args.command == "seeds":
        return demo.run_seeds(backend.load(backend.name_from_env(args.backend)))
    if args.command == "record":
        tf = backend.load("tensorflow")
        path = record.record_seeds(tf)
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
