"""CELM least-squares solvers and formulations on the reference examples: accuracy and time.

Run: `python benchmarks/celm_solvers.py [--examples celm_square,celm_hexagram,...]`.

For each example (its script's default settings) every solver route is run in this one
process: streamed structured QR with pivoted-QR finish (default) or SVD finish, dense gelsd
(SVD, minimum norm) and dense gelsy (complete orthogonal factorisation), all column-scaled;
plus the direct formulation (Δ²u = f with one network of width 2M, same unknown count) with
the default solver. Times are warm (each configuration is solved once before timing).
"""

import argparse
import os
import time
from types import SimpleNamespace

import jax

jax.config.update("jax_enable_x64", True)

from pdesolve.examples.celm import _cases, run_case  # noqa: E402

ROUTES = [
    ("qr + pivoted (default)", {"solver": "qr", "finish": "pivoted"}),
    ("qr + svd", {"solver": "qr", "finish": "svd"}),
    ("gelsd", {"solver": "gelsd"}),
    ("gelsy", {"solver": "gelsy"}),
    ("direct, qr + pivoted", {"formulation": "direct"}),
]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", default="celm_square,celm_hexagram,celm_clamped_square")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    cases = {c.name: c for c in _cases()}
    print(f"load average before: {os.getloadavg()}")
    print("| example | route | rows × unknowns | rank | rel L2 | max error | time (s) |")
    print("|---|---|---|---|---|---|---|")
    for name in args.examples.split(","):
        case = cases[name]
        settings = dict(case.quick if args.quick else case.settings)
        for label, kw in ROUTES:
            ns = SimpleNamespace(quick=args.quick, seed=0, out=None, hidden=None, scale=None,
                                 n_interior=None, n_boundary=None, activation="sin",
                                 formulation="coupled", solver="qr", finish="pivoted",
                                 n_test=20000)
            for k, v in kw.items():
                setattr(ns, k, v)
            if ns.formulation == "direct":
                ns.hidden = 2 * settings["hidden"]
            run_case(case, ns)
            start = time.perf_counter()
            res = run_case(case, ns)
            elapsed = time.perf_counter() - start
            print(f"| {name} | {label} | {res['rows']} × {res['unknowns']} | {res['rank']} | "
                  f"{res['relative_l2']:.2e} | {res['max_error']:.2e} | {elapsed:.3f} |",
                  flush=True)
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
