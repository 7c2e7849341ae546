"""CELM speed and memory: pdesolve vs a NumPy/SciPy re-implementation of the reference code.

Run: `python benchmarks/celm_speed.py [--configs small,square,cube] [--threads 1]`.

Every (configuration, implementation) pair runs in its own subprocess, one after another in
this one run, so peak memory (max RSS from `resource.getrusage`) is per configuration and the
time ratios are fair on a noisy machine. The reference re-implementation follows the authors'
code (Blue-Giant/PIELM_Numpy): dense NumPy assembly of the coupled Navier system with
closed-form sin-feature derivatives, each row scaled so its largest |entry| is 100 (max-abs,
so no division by zero), then `scipy.linalg.lstsq` (gelsd). pdesolve gets the same collocation
points, width and scale (features drawn from the same distribution with its own PRNG) and runs
twice in its process: the first call includes JIT compilation, the second is warm;
"pdesolve" is the default solver (streamed QR of all rows), "pdesolve-sketch" compresses the
rows by a sparse sign embedding first (solver="sketch").
Also timed: a plain LAPACK Householder QR (`scipy.linalg.qr(mode="r")`) of the same dense
matrix, the physical limit of a direct method; and pdesolve's own defaults on the square.
"""

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent

# name: (dimension, interior grid side or None, random interior, slice side, boundary per face,
#        M, s)
CONFIGS = {
    "small": (2, 64, 0, 0, 500, 500, 8.0),
    "square": (2, 128, 0, 0, 2000, 1000, 8.0),
    "cube": (3, None, 10000, 128, 1000, 2000, 8.0),
}


def exact_np(x):
    return np.prod(np.sin(np.pi * x), axis=1)


def points(config: str):
    """Collocation and test points of a configuration (deterministic, shared by all)."""
    d, side, n_rand, slice_side, per_face, _, _ = CONFIGS[config]
    rng = np.random.default_rng(2023)
    if d == 2:
        lo, hi = -1.0, 1.0
        t = lo + (hi - lo) * (np.arange(side) + 0.5) / side
        gx, gy = np.meshgrid(t, t, indexing="ij")
        interior = np.stack([gx.ravel(), gy.ravel()], axis=1)
    else:
        lo, hi = 0.0, 1.0
        t = (np.arange(slice_side) + 0.5) / slice_side
        gx, gy = np.meshgrid(t, t, indexing="ij")
        sl = np.stack([gx.ravel(), gy.ravel(), np.full(gx.size, 0.5)], axis=1)
        interior = np.concatenate([rng.uniform(lo, hi, (n_rand, 3)), sl])
    bpts, bnrm = [], []
    for axis in range(d):
        for side_val, sign in ((lo, -1.0), (hi, 1.0)):
            p = rng.uniform(lo, hi, (per_face, d))
            p[:, axis] = side_val
            n = np.zeros((per_face, d))
            n[:, axis] = sign
            bpts.append(p)
            bnrm.append(n)
    test = rng.uniform(lo, hi, (20000, d)) if d == 2 else sl
    return interior, np.concatenate(bpts), np.concatenate(bnrm), test


def reference_solve(config: str):
    """The reference method, dense NumPy + scipy.linalg.lstsq (gelsd)."""
    import scipy.linalg

    d, *_, m, s = CONFIGS[config]
    xi, xb, _, test = points(config)
    rng = np.random.default_rng(7)
    wu, bu = rng.uniform(-s, s, (d, m)), rng.uniform(-s, s, m)
    wv, bv = rng.uniform(-s, s, (d, m)), rng.uniform(-s, s, m)
    f = d**2 * np.pi**4 * exact_np(xi)
    g = exact_np(xb)
    h = -d * np.pi**2 * exact_np(xb)
    start = time.perf_counter()
    zi_u, zi_v = xi @ wu + bu, xi @ wv + bv
    zb_u, zb_v = xb @ wu + bu, xb @ wv + bv
    lap_u = -np.sin(zi_u) * np.sum(wu**2, axis=0)
    lap_v = -np.sin(zi_v) * np.sum(wv**2, axis=0)
    zi, zb = np.zeros((len(xi), m)), np.zeros((len(xb), m))
    a = np.vstack([
        np.hstack([zi, lap_v]),
        np.hstack([lap_u, -np.sin(zi_v)]),
        np.hstack([np.sin(zb_u), zb]),
        np.hstack([zb, np.sin(zb_v)]),
    ])
    rhs = np.concatenate([f, np.zeros(len(xi)), g, h])
    scale = 100.0 / np.max(np.abs(a), axis=1)
    a = a * scale[:, None]
    rhs = rhs * scale
    t_assembly = time.perf_counter() - start
    beta = scipy.linalg.lstsq(a, rhs, lapack_driver="gelsd")[0]
    wall = time.perf_counter() - start
    pred = np.sin(test @ wu + bu) @ beta[:m]
    ref = exact_np(test)
    return {"time_s": wall, "time_assembly_s": t_assembly, "rows": a.shape[0],
            "unknowns": a.shape[1], **_errors(pred, ref)}


def _errors(pred, ref):
    return {"relative_l2": float(np.linalg.norm(pred - ref) / np.linalg.norm(ref)),
            "max_error": float(np.max(np.abs(pred - ref)))}


def _problem(d):
    import jax.numpy as jnp

    import pdesolve as pds
    from pdesolve import geometry as geo

    dom = geo.Rectangle((-1, -1), (1, 1)) if d == 2 else geo.Box((0, 0, 0), (1, 1, 1))
    return pds.Biharmonic.manufactured(dom, lambda x: jnp.prod(jnp.sin(jnp.pi * x)))


def pdesolve_solve(config: str, **overrides):
    """pdesolve on the same points and sizes: first (cold) call and a warm call."""
    import jax

    jax.config.update("jax_enable_x64", True)
    import pdesolve as pds

    d, *_, m, s = CONFIGS[config]
    xi, xb, nb, test = points(config)
    problem = _problem(d)
    kwargs = {"hidden": m, "scale": s, "normalize": False, "interior_points": xi,
              "boundary_points": (xb, nb), "residuals": False, **overrides}
    out = {}
    for label, seed in (("first", 0), ("warm", 1)):
        start = time.perf_counter()
        sol = pds.celm.solve(problem, key=jax.random.PRNGKey(seed), **kwargs)
        out[f"time_{label}_s"] = time.perf_counter() - start
    out["time_s"] = out["time_warm_s"]
    out.update(time_assembly_s=sol.info["time_assembly_s"], time_factor_s=sol.info["time_solve_s"],
               time_sketch_s=sol.info.get("time_sketch_s", 0.0),
               sketched_rows=sol.info.get("sketched_rows", sol.info["rows"]),
               rows=sol.info["rows"], unknowns=sol.info["unknowns"], rank=sol.info["rank"],
               **_errors(np.asarray(sol(test)), exact_np(test)))
    return out


def pdesolve_defaults(config: str):
    """pdesolve with nothing set but the key, on the square [-1, 1]²."""
    import jax

    jax.config.update("jax_enable_x64", True)
    import pdesolve as pds

    problem = _problem(2)
    test = points("small")[3]
    out = {}
    for label, seed in (("first", 0), ("warm", 1)):
        start = time.perf_counter()
        sol = pds.celm.solve(problem, key=jax.random.PRNGKey(seed), residuals=False)
        out[f"time_{label}_s"] = time.perf_counter() - start
    out["time_s"] = out["time_warm_s"]
    out.update(rows=sol.info["rows"], unknowns=sol.info["unknowns"], rank=sol.info["rank"],
               time_assembly_s=sol.info["time_assembly_s"],
               time_factor_s=sol.info["time_solve_s"],
               **_errors(np.asarray(sol(test)), exact_np(test)))
    return out


def lapack_qr(config: str):
    """A plain dense Householder QR (R only) of pdesolve's row-scaled matrix."""
    import jax

    jax.config.update("jax_enable_x64", True)
    import scipy.linalg

    import pdesolve as pds
    from pdesolve.elm import celm_row_groups, dense_matrix, iter_blocks, make_networks
    from pdesolve.elm import evaluate_data as evaluate

    d, *_, m, s = CONFIGS[config]
    xi, xb, nb, _ = points(config)
    problem = _problem(d)
    nets = make_networks(jax.random.PRNGKey(0), 2, problem.domain, hidden=m, activation="sin",
                         scale=s, init="uniform", normalize=False)
    groups = celm_row_groups("navier", "coupled", xi, xb, nb, evaluate(problem.f, "f", xi),
                     evaluate(problem.g, "g", xb), evaluate(problem.h, "h", xb))
    blocks = ((sup, blk) for _, sup, blk in
              iter_blocks(nets, groups, block_rows=4096, row_scaling="maxabs"))
    a = dense_matrix(blocks, [m, m])
    start = time.perf_counter()
    scipy.linalg.qr(a, mode="r", overwrite_a=True, check_finite=False)
    del pds
    return {"time_s": time.perf_counter() - start, "rows": a.shape[0], "unknowns": a.shape[1]}


IMPLEMENTATIONS = {
    "reference": reference_solve,
    "pdesolve": pdesolve_solve,
    "pdesolve-svd": lambda c: pdesolve_solve(c, finish="svd"),
    "pdesolve-sketch": lambda c: pdesolve_solve(c, solver="sketch"),
    "lapack-qr": lapack_qr,
    "pdesolve-defaults": pdesolve_defaults,
}


def child(impl: str, config: str) -> None:
    result = IMPLEMENTATIONS[impl](config)
    result["max_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


def run(impl: str, config: str, threads: int) -> dict:
    env = dict(os.environ, OPENBLAS_NUM_THREADS=str(threads), OMP_NUM_THREADS=str(threads),
               PYTHONPATH=str(ROOT))
    proc = subprocess.run([sys.executable, __file__, "--child", impl, config], env=env,
                          capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        return {"error": proc.stderr.strip().splitlines()[-1] if proc.stderr else "failed"}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--configs", default="small,square")
    parser.add_argument("--impls",
                        default="reference,pdesolve,pdesolve-sketch,pdesolve-svd,lapack-qr")
    parser.add_argument("--threads", type=int, default=1, help="BLAS threads for every run")
    parser.add_argument("--repeat", type=int, default=2,
                        help="runs per (config, implementation), interleaved; the fastest counts")
    parser.add_argument("--out", type=Path, default=None, help="markdown file for the table")
    parser.add_argument("--child", nargs=2, metavar=("IMPL", "CONFIG"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(*args.child)
        return
    load_before = os.getloadavg()
    rows = []
    for config in args.configs.split(","):
        results, times = {}, {}
        for _ in range(args.repeat):
            for impl in args.impls.split(","):
                res = run(impl, config, args.threads)
                print(config, impl, json.dumps(res), flush=True)
                times.setdefault(impl, []).append(res.get("time_s", np.nan))
                if impl not in results or res.get("time_s", np.inf) < results[impl].get(
                        "time_s", np.inf):
                    results[impl] = res
        for impl, res in results.items():
            # paired ratios: reference time / this time within the same repeat (same load)
            res["paired"] = [r / t for r, t in zip(times.get("reference", []), times[impl],
                                                   strict=False)]
        ref = results.get("reference", {})
        for impl, res in results.items():
            rows.append((config, impl, res, ref))
    defaults = run("pdesolve-defaults", "small", args.threads)
    print("defaults", json.dumps(defaults), flush=True)
    load_after = os.getloadavg()
    table = _markdown(rows, defaults, args.threads, load_before, load_after)
    print(table)
    if args.out:
        args.out.write_text(table)


def _markdown(rows, defaults, threads, load_before, load_after) -> str:
    lines = [
        "# CELM speed and memory vs the reference method (one run, side by side)",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, {platform.platform()}; "
        f"BLAS threads per process: {threads}; load average (1/5/15 min) before "
        f"{'/'.join(f'{v:.2f}' for v in load_before)}, after "
        f"{'/'.join(f'{v:.2f}' for v in load_after)}. Command: "
        "`python benchmarks/celm_speed.py`. Each row: the fastest of the interleaved repeats "
        "(separate processes).",
        "",
        "| config | implementation | rows × unknowns | time (s) | first call (s) | speed-up vs ref "
        "(fastest / fastest) | paired speed-ups per repeat | peak RSS (MiB) | memory vs ref "
        "| rel L2 | max error |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for config, impl, res, ref in rows:
        if "error" in res:
            lines.append(f"| {config} | {impl} | failed: {res['error']} | | | | | | | | |")
            continue
        speed = ref.get("time_s", np.nan) / res["time_s"]
        mem = res["max_rss_mib"] / ref.get("max_rss_mib", np.nan)
        lines.append(
            f"| {config} | {impl} | {res['rows']} × {res['unknowns']} | {res['time_s']:.2f} | "
            f"{res.get('time_first_s', res['time_s']):.2f} | {speed:.2f}× | "
            f"{', '.join(f'{v:.2f}×' for v in res.get('paired', []))} | "
            f"{res['max_rss_mib']:.0f} | {mem:.2f} | {res.get('relative_l2', float('nan')):.2e} | "
            f"{res.get('max_error', float('nan')):.2e} |"
        )
    small_ref = next((r[3] for r in rows if r[0] == "small" and "time_s" in r[3]), {})
    if "time_s" in defaults:
        ratio = small_ref.get("time_s", np.nan) / defaults["time_s"]
        lines += [
            "",
            f"pdesolve defaults on the square (`pds.celm.solve(problem, key=key)`, "
            f"{defaults['rows']} × {defaults['unknowns']}): warm {defaults['time_s']:.3f} s, "
            f"first call {defaults['time_first_s']:.2f} s, rel L2 {defaults['relative_l2']:.2e}, "
            f"max error {defaults['max_error']:.2e}, peak RSS {defaults['max_rss_mib']:.0f} MiB"
            + (f"; {ratio:.1f}× faster than the reference's small configuration in this run."
               if np.isfinite(ratio) else " (no small configuration in this run)."),
        ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
