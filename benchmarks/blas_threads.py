"""BLAS threads around the host least squares: SciPy's OpenBLAS pool against XLA's.

Run: `python benchmarks/blas_threads.py [--repeats 3] [--out FILE.md]`.

Solves the CELM hexagram (`python -m pdesolve run celm_hexagram`, its defaults) in fresh
processes, side by side in one run: (a) "pdesolve default", no BLAS variables set, so pdesolve's
own limit applies (`pdesolve.parallel.blas_threads`: half the cores); (b) "all cores", the
limit lifted to `os.cpu_count()` threads (`PDESOLVE_BLAS_THREADS`), which is what OpenBLAS does
when nobody limits it; (c) "1 thread". Prints the solve time (assembly excluded), the whole
example's time and the max error of each repeat, and the ranges.
"""

import argparse
import json
import os
import platform
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIGS = {"pdesolve default": {}, "all cores": {"PDESOLVE_BLAS_THREADS": str(os.cpu_count())},
           "1 thread": {"PDESOLVE_BLAS_THREADS": "1"}}


def run_once(extra: dict) -> dict:
    env = {k: v for k, v in os.environ.items()
           if k not in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS",
                        "PDESOLVE_BLAS_THREADS")}
    env.update(extra)
    out = subprocess.run([sys.executable, "-m", "pdesolve", "run", "celm_hexagram", "--json"],
                         env=env, cwd=ROOT, capture_output=True, text=True, check=True,
                         timeout=600)
    line = next(line for line in out.stdout.splitlines() if line.startswith("{"))
    return json.loads(line)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    rows = {name: [] for name in CONFIGS}
    for _ in range(args.repeats):  # interleaved, so load changes hit every configuration
        for name, extra in CONFIGS.items():
            rows[name].append(run_once(extra))
    lines = [f"# BLAS threads around the CELM hexagram solve ({os.cpu_count()} cores, "
             f"{platform.processor() or platform.machine()}, {args.repeats} repeats)", "",
             "| configuration | solve s (range) | example s (range) | max error |",
             "|---|---|---|---|"]
    for name, results in rows.items():
        solve = [r["time_solve_s"] for r in results]
        total = [r["total_time_s"] for r in results]
        errors = sorted({f"{r['max_error']:.2e}" for r in results})
        lines.append(f"| {name} | {min(solve):.2f}–{max(solve):.2f} | "
                     f"{min(total):.2f}–{max(total):.2f} | {', '.join(errors)} |")
    text = "\n".join(lines) + "\n"
    print(text)
    if args.out:
        args.out.write_text(text)


if __name__ == "__main__":
    main()
