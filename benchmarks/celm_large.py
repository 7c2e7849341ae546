"""A CELM system too large to hold densely: streamed least squares, peak memory recorded.

Run: `python benchmarks/celm_large.py [--hidden 3000] [--n-interior 195000] [--n-boundary 5000]
[--backend host|device] [--out FILE]`.

The coupled Navier system of Δ²u = f on the unit cube with u = sin πx sin πy sin πz has
2·(n_interior + n_boundary) rows and 2·hidden unknowns; with the defaults 400 000 × 6000, whose
dense float64 matrix would take 19.2 GB. The solver only keeps the (n+1)×(n+1) triangular
factors and one block of rows alive, so the solve fits a 24 GiB machine with room to spare;
the peak resident memory of the process (max RSS) is recorded with the error and the times.
"""

import argparse
import json
import os
import platform
import resource
import sys
import time
from pathlib import Path


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hidden", type=int, default=3000)
    parser.add_argument("--n-interior", type=int, default=195000)
    parser.add_argument("--n-boundary", type=int, default=5000)
    parser.add_argument("--backend", default="host", choices=("host", "device", "auto"))
    parser.add_argument("--block-rows", type=int, default=4096)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)

    import jax
    import jax.numpy as jnp

    jax.config.update("jax_enable_x64", True)
    import pdesolve as pds
    from pdesolve import geometry as geo

    exact = lambda x: jnp.prod(jnp.sin(jnp.pi * x))
    domain = geo.Box((0, 0, 0), (1, 1, 1))
    problem = pds.Biharmonic.manufactured(domain, exact, bc="navier")
    rows = 2 * (args.n_interior + args.n_boundary)
    dense_gb = rows * 2 * args.hidden * 8 / 1e9
    print(f"{rows} rows x {2 * args.hidden} unknowns: dense matrix {dense_gb:.1f} GB", flush=True)
    load_before = os.getloadavg()
    start = time.perf_counter()
    sol = pds.celm.solve(problem, key=jax.random.PRNGKey(0), hidden=args.hidden,
                         n_interior=args.n_interior, n_boundary=args.n_boundary,
                         backend=args.backend, block_rows=args.block_rows)
    wall = time.perf_counter() - start
    x = domain.sample_interior(20000, key=jax.random.PRNGKey(1))
    err = float(pds.metrics.relative_l2(sol(x), jax.vmap(exact)(x)))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    result = {"rows": sol.info["rows"], "unknowns": sol.info["unknowns"],
              "dense_matrix_gb": dense_gb, "peak_rss_gib": peak, "time_s": wall,
              "time_assembly_s": sol.info["time_assembly_s"],
              "time_solve_s": sol.info["time_solve_s"], "rank": sol.info["rank"],
              "backend": sol.info["backend"], "devices": sol.info["devices"],
              "relative_l2": err, "residuals": sol.info["residuals"]}
    print(json.dumps(result), flush=True)
    if args.out:
        text = (
            "# CELM: a system too large to hold densely (streamed least squares)\n\n"
            f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, {platform.platform()}; "
            f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', 'unset')}; load "
            f"average before {'/'.join(f'{v:.2f}' for v in load_before)}, after "
            f"{'/'.join(f'{v:.2f}' for v in os.getloadavg())}. Command: "
            f"`python benchmarks/celm_large.py {' '.join(argv or sys.argv[1:])}`.\n\n"
            "| rows × unknowns | dense matrix (GB) | backend | peak RSS (GiB) | time (s) | "
            "assembly (s) | rank | rel L2 |\n|---|---|---|---|---|---|---|---|\n"
            f"| {result['rows']} × {result['unknowns']} | {dense_gb:.1f} | {result['backend']} | "
            f"{peak:.2f} | {wall:.0f} | {result['time_assembly_s']:.0f} | {result['rank']} | "
            f"{err:.2e} |\n")
        args.out.write_text(text)


if __name__ == "__main__":
    main()
