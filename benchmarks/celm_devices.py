"""CELM least squares on the device vs the host, and on 1 vs 2 devices, side by side.

Run: `python benchmarks/celm_devices.py [--configs square,cube] [--repeat 2] [--out FILE]`.

The systems are those of `celm_speed.py` (the reference code's sizes: the square with
48 768 rows × 2000 unknowns, the cube with 64 768 × 4000; the same points, widths and scales).
Every (configuration, variant) runs in its own subprocess, interleaved over the repeats, so the
peak memory (max RSS) is per variant and the ratios compare runs made under the same load:
- "host": `backend="host"`, SciPy's LAPACK (structured dtpqrt updates), one device;
- "device-1": `backend="device"`, the JAX fold of the row blocks on one CPU device;
- "device-2": `backend="device"` on two forced host devices
  (`XLA_FLAGS=--xla_force_host_platform_device_count=2`), rows split between them;
- "processes-2": `backend="device"` on two local processes with one device each, joined by
  `jax.distributed` on 127.0.0.1 (gloo); the slower process's times count.
Each subprocess solves twice: the first call includes compilation, the second is timed warm.
"""

import argparse
import json
import os
import platform
import resource
import socket
import subprocess
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import celm_speed  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
# variant: (devices per process, processes, solve options)
VARIANTS = {
    "host": (1, 1, {"backend": "host"}),
    "device-1": (1, 1, {"backend": "device"}),
    "device-2": (2, 1, {"backend": "device"}),
    "processes-2": (1, 2, {"backend": "device"}),
}


def child(variant: str, config: str, block_rows: int) -> None:
    _, processes, overrides = VARIANTS[variant]
    import jax

    if processes > 1:
        jax.distributed.initialize(os.environ["BENCH_COORDINATOR"], num_processes=processes,
                                   process_id=int(os.environ["BENCH_PROCESS_ID"]))
    result = celm_speed.pdesolve_solve(config, block_rows=block_rows, **overrides)

    result["devices"] = len(jax.devices())
    result["max_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


def run(variant: str, config: str, block_rows: int, threads: int) -> dict:
    devices, processes, _ = VARIANTS[variant]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        coordinator = f"127.0.0.1:{s.getsockname()[1]}"
    procs = []
    for i in range(processes):
        env = dict(os.environ, OPENBLAS_NUM_THREADS=str(threads), PYTHONPATH=str(ROOT),
                   XLA_FLAGS=f"--xla_force_host_platform_device_count={devices}",
                   BENCH_COORDINATOR=coordinator, BENCH_PROCESS_ID=str(i))
        procs.append(subprocess.Popen(
            [sys.executable, __file__, "--child", variant, config, str(block_rows)], env=env,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=3600)
        if proc.returncode != 0:
            return {"error": err.strip().splitlines()[-1] if err else "failed"}
        results.append(json.loads(out.strip().splitlines()[-1]))
    slowest = max(results, key=lambda r: r["time_s"])
    slowest["max_rss_mib"] = max(r["max_rss_mib"] for r in results)
    return slowest


def table(results: dict, meta: str) -> str:
    lines = [
        "# CELM least squares: device vs host, 1 vs 2 devices (one run, side by side)", "",
        meta, "",
        "| config | variant | rows × unknowns | warm time (s), range | first call (s) | "
        "time vs host | 2 vs 1 device | peak RSS per process (MiB) | rank | rel L2 |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for config, by_variant in results.items():
        best = {v: min(r["time_s"] for r in runs) for v, runs in by_variant.items()}
        for variant, runs in by_variant.items():
            times = [r["time_s"] for r in runs]
            fastest = min(runs, key=lambda r: r["time_s"])
            vs_host = (f"{best['host'] / best[variant]:.2f}×" if "host" in best else "")
            two = (f"{best['device-1'] / best[variant]:.2f}×"
                   if variant in ("device-2", "processes-2") and "device-1" in best else "")
            lines.append(
                f"| {config} | {variant} | {fastest['rows']} × {fastest['unknowns']} | "
                f"{min(times):.2f}–{max(times):.2f} | {fastest['time_first_s']:.2f} | {vs_host} "
                f"| {two} | {max(r['max_rss_mib'] for r in runs):.0f} | {fastest['rank']} | "
                f"{fastest['relative_l2']:.2e} |")
    return "\n".join(lines) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--configs", default="square,cube")
    parser.add_argument("--variants", default=",".join(VARIANTS))
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--block-rows", type=int, default=4096)
    parser.add_argument("--threads", type=int, default=1, help="BLAS threads per process")
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child[0], args.child[1], int(args.child[2]))
        return
    load_before = os.getloadavg()
    results = {}
    for config in args.configs.split(","):
        for _ in range(args.repeat):
            for variant in args.variants.split(","):
                res = run(variant, config, args.block_rows, args.threads)
                print(config, variant, json.dumps(res), flush=True)
                if "error" not in res:
                    results.setdefault(config, {}).setdefault(variant, []).append(res)
    load_after = os.getloadavg()
    meta = (f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, {platform.platform()}; "
            f"BLAS threads per process: {args.threads}; block_rows {args.block_rows}; "
            f"load average (1/5/15 min) before {'/'.join(f'{v:.2f}' for v in load_before)}, "
            f"after {'/'.join(f'{v:.2f}' for v in load_after)}. Repeats: {args.repeat} "
            "(interleaved subprocesses; ratios from the fastest of each). Command: "
            f"`python benchmarks/celm_devices.py {' '.join(argv or sys.argv[1:])}`.")
    text = table(results, meta)
    print(text)
    if args.out:
        args.out.write_text(text)


if __name__ == "__main__":
    np.set_printoptions(precision=3)
    main()
