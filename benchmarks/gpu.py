"""The GPU run: CELM at the reference sizes on the device solver, SFHCPINN E2 for 50 000 steps,
the 2D configuration, and a check that float64 really runs in float64 on the device.

Run on a machine with a GPU (one command, under 10 minutes):

    python benchmarks/gpu.py --out benchmarks/results/gpu.md

`--smoke` runs every part at tiny sizes (on CPU in the test suite, so the script cannot rot).
The results file lists the devices, each part's times (first call with compilation, warm call),
errors against the exact solutions, and the host-vs-device ratio of the least squares.
"""

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

# part: (config of celm_speed, width override or None), per mode
CELM = {"full": (("square", None), ("cube", None)), "smoke": (("small", 100),)}
PINN = {"full": {"E2": ("sfhcpinn_e2", 5000, (10, 20, 20, 10, 10), 50000),
                 "2D": ("sfhcpinn_e8b", 8000, (10, 20, 20, 20, 10), 5000)},
        "smoke": {"E2": ("sfhcpinn_e2", 200, (4, 8, 4), 200),
                  "2D": ("sfhcpinn_e8b", 200, (4, 8, 4), 100)}}


def float64_check() -> dict:
    """Is float64 arithmetic on the default device really float64 (not float32 or TF32)?"""
    import jax
    import jax.numpy as jnp
    import numpy as np

    tiny = 2.0**-40
    step = jax.jit(lambda a: (a + tiny) - a)(jnp.ones((), jnp.float64))
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal((256, 256)), rng.standard_normal((256, 256))
    product = np.asarray(jax.jit(jnp.matmul)(jnp.asarray(a), jnp.asarray(b)))
    matmul_error = float(np.max(np.abs(product - a @ b)) / np.max(np.abs(a @ b)))
    ok = float(step) == tiny and product.dtype == np.float64 and matmul_error < 1e-13
    return {"float64": bool(ok), "add_2^-40": float(step), "matmul_rel_error": matmul_error,
            "dtype": str(product.dtype)}


def celm_part(config: str, hidden, backend: str) -> dict:
    """One CELM system of `celm_speed` on `backend`: a first (compiling) call and a warm one."""
    import celm_speed
    import jax
    import numpy as np

    import pdesolve as pds

    _, _, _, _, _, m, s = celm_speed.CONFIGS[config]
    xi, xb, nb, test = celm_speed.points(config)
    d = xi.shape[1]
    problem = celm_speed._problem(d)
    kwargs = {"hidden": hidden or m, "scale": s, "normalize": False, "interior_points": xi,
              "boundary_points": (xb, nb), "residuals": False, "backend": backend}
    times = []
    for seed in (0, 1):
        start = time.perf_counter()
        sol = pds.celm.solve(problem, key=jax.random.PRNGKey(seed), **kwargs)
        times.append(time.perf_counter() - start)
    pred, ref = np.asarray(sol(test)), celm_speed.exact_np(test)
    return {"part": f"celm {config}", "backend": sol.info["backend"],
            "devices": sol.info["devices"], "rows": sol.info["rows"],
            "unknowns": sol.info["unknowns"], "rank": sol.info["rank"],
            "time_first_s": times[0], "time_warm_s": times[1],
            "relative_l2": float(np.linalg.norm(pred - ref) / np.linalg.norm(ref))}


def pinn_part(label: str, case: str, n: int, widths, steps: int) -> dict:
    """SFHCPINN on a reference example: wall time, compile time, steps/s, error."""
    import jax

    from pdesolve.examples.advection_diffusion import CASES, solve_case

    start = time.perf_counter()
    sol = solve_case(CASES[case], key=jax.random.PRNGKey(0), steps=steps, n_interior=n,
                     widths=widths, eval_every=max(steps // 5, 1), progress=False)
    info = sol.info
    return {"part": f"sfhcpinn {label} ({case}, {n} points)", "steps": steps,
            "devices": info.get("devices", 1), "time_total_s": time.perf_counter() - start,
            "time_compile_s": info["compile_time_s"], "it_per_s": info["it_per_s"],
            "relative_l2": info["relative_l2"]}


def report(env: dict, check: dict, celm: list, pinn: list, mode: str) -> str:
    lines = [f"# GPU run ({mode})", "",
             f"Devices: {env['devices']}; platform {env['platform']}; jax {env['jax']}; host "
             f"{env['host']}; started {env['started']} UTC; total {env['total_s']:.0f} s.", "",
             f"float64 on the device: **{'yes' if check['float64'] else 'NO'}** "
             f"((1 + 2^-40) − 1 = {check['add_2^-40']:.3e}, 256² matmul relative error "
             f"{check['matmul_rel_error']:.1e}, dtype {check['dtype']}).", "",
             "| CELM system | backend | devices | rows × unknowns | first call (s) | warm (s) "
             "| rank | rel L2 |", "|---|---|---|---|---|---|---|---|"]
    for r in celm:
        lines.append(f"| {r['part']} | {r['backend']} | {r['devices']} | {r['rows']} × "
                     f"{r['unknowns']} | {r['time_first_s']:.2f} | {r['time_warm_s']:.2f} | "
                     f"{r['rank']} | {r['relative_l2']:.2e} |")
    by = {}
    for r in celm:
        by.setdefault(r["part"], {})[r["backend"]] = r["time_warm_s"]
    ratios = [f"{part}: device {t['host'] / t['device']:.2f}× the host speed"
              for part, t in by.items() if {"host", "device"} <= t.keys()]
    if ratios:
        lines += ["", "Warm least squares, host LAPACK time / device time: " + "; ".join(ratios)
                  + "."]
    lines += ["", "| SFHCPINN | steps | devices | total (s) | compile (s) | it/s | rel L2 |",
              "|---|---|---|---|---|---|---|"]
    for r in pinn:
        lines.append(f"| {r['part']} | {r['steps']} | {r['devices']} | {r['time_total_s']:.1f} "
                     f"| {r['time_compile_s']:.1f} | {r['it_per_s']:.0f} | "
                     f"{r['relative_l2']:.2e} |")
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="tiny sizes (CPU, test suite)")
    parser.add_argument("--out", type=Path, default=None, help="markdown results file")
    parser.add_argument("--skip-host", action="store_true",
                        help="do not time the host LAPACK path beside the device solver")
    args = parser.parse_args(argv)

    import jax

    jax.config.update("jax_enable_x64", True)
    mode = "smoke" if args.smoke else "full"
    started = time.strftime("%Y-%m-%d %H:%M", time.gmtime())
    t0 = time.perf_counter()
    check = float64_check()
    print(json.dumps(check), flush=True)
    celm = []
    for config, hidden in CELM[mode]:
        for backend in ("device",) if args.skip_host else ("device", "host"):
            celm.append(celm_part(config, hidden, backend))
            print(json.dumps(celm[-1]), flush=True)
    pinn = []
    for label, (case, n, widths, steps) in PINN[mode].items():
        pinn.append(pinn_part(label, case, n, widths, steps))
        print(json.dumps(pinn[-1]), flush=True)
    env = {"devices": ", ".join(str(d) for d in jax.devices()),
           "platform": jax.devices()[0].platform, "jax": jax.__version__,
           "host": f"{platform.machine()}, {os.cpu_count()} CPUs", "started": started,
           "total_s": time.perf_counter() - t0}
    text = report(env, check, celm, pinn, mode)
    print(text)
    if args.out:
        args.out.write_text(text)
    return 0 if check["float64"] else 1


if __name__ == "__main__":
    sys.exit(main())
