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

import jax

jax.config.update("jax_enable_x64", True)

from pdesolve.examples import get_example, run  # noqa: E402

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
    print(f"load average before: {os.getloadavg()}")
    print("| example | route | rows × unknowns | rank | rel L2 | max error | time (s) |")
    print("|---|---|---|---|---|---|---|")
    for name in args.examples.split(","):
        example = get_example(name)
        settings = {**example.settings, **(example.quick if args.quick else {})}
        for label, kw in ROUTES:
            options = dict(kw)
            if options.get("formulation") == "direct":
                options["hidden"] = 2 * settings["hidden"]
            run(example, quick=args.quick, **options)  # warm-up: compile
            start = time.perf_counter()
            res = run(example, quick=args.quick, **options)
            elapsed = time.perf_counter() - start
            print(f"| {name} | {label} | {res['rows']} × {res['unknowns']} | {res['rank']} | "
                  f"{res['relative_l2']:.2e} | {res['max_error']:.2e} | {elapsed:.3f} |",
                  flush=True)
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
