"""Soak: many small CELM solves and short SFHCPINN trainings in one process; memory and compiles.

Run: `python benchmarks/soak.py [--quick] [--trim] [--out FILE.md]`.

Phase 1 runs 200 CELM solves (`pds.celm.solve`, Navier biharmonic on the unit square,
u = sin(πx) sin(πy), M = 200 per network, 3000 interior and 800 boundary Halton points), phase 2
runs 50 SFHCPINN trainings (`pds.sfhcpinn.solve`, 1D advection–diffusion on [0, 1] × [0, 1],
200 Adam steps of a small network on 128 interior points); every iteration has its own key and
the same shapes. After each iteration (and a `gc.collect()`) the script records the wall time,
the resident memory (VmRSS) and its peak (VmHWM) from /proc/self/status, the number of live
Python objects, and the XLA compilations the iteration triggered, counted by a `jax.monitoring`
listener on the backend-compile event with the name of each compiled function (so a retrace
names its culprit). The verdict: memory growth from the warm-up iteration (the 10th) to the end,
end to end and as the slope of a least-squares line in MiB per 100 iterations; the growth of
live Python objects; and the compilations after the first iteration.

`--quick` runs 20 solves and 5 trainings (warm-up: training 2). `--trim` calls glibc's
`malloc_trim(0)` after every reading and records the RSS left after it too: freed heap that the
allocator keeps for reuse is returned to the OS, so growth that survives the trim is memory
still in use.
"""

import argparse
import collections
import ctypes
import datetime
import gc
import os
import platform
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402
from jax import monitoring  # noqa: E402

jax.config.update("jax_enable_x64", True)

import pdesolve as pds  # noqa: E402
from pdesolve import geometry as geo  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
import pinn_devices  # noqa: E402

COMPILE_EVENT = "/jax/core/compile/backend_compile_duration"  # jax._src.dispatch
WARMUP = 10
FLAT_MIB_PER_100 = 5.0
CELM_SETTINGS = {"hidden": 200, "n_interior": 3000, "n_boundary": 800}
PINN_SETTINGS = {"steps": 200, "n_interior": 128, "widths": (8, 16, 8), "scales": (1, 2, 4),
                 "chunk": 100, "eval_every": 200, "progress": False}


class CompileCounter:
    """Counts XLA backend compilations by compiled function name."""

    def __init__(self):
        self.names = collections.Counter()
        monitoring.register_event_duration_secs_listener(self._record)

    def _record(self, event, duration, **kwargs):
        if event == COMPILE_EVENT:
            self.names[kwargs.get("fun_name", "?")] += 1


def memory_mib() -> tuple[float, float]:
    """(VmRSS, VmHWM) of this process in MiB."""
    fields = {}
    with open("/proc/self/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                fields[key] = int(value.split()[0]) / 1024
    return fields["VmRSS"], fields["VmHWM"]


def trimmed_rss_mib() -> float:
    """VmRSS in MiB after glibc's malloc_trim(0) has returned freed heap to the OS."""
    ctypes.CDLL(None).malloc_trim(0)
    return memory_mib()[0]


def live_objects(records) -> int:
    """Objects tracked by Python's garbage collector, less the benchmark's own records."""
    own = sum(gc.is_tracked(x) for r in records for x in (r, r["compiled"]))
    return len(gc.get_objects()) - own


def celm_problem():
    exact = lambda x: jnp.sin(jnp.pi * x[0]) * jnp.sin(jnp.pi * x[1])
    return pds.Biharmonic.manufactured(geo.Rectangle((0.0, 0.0), (1.0, 1.0)), exact)


def pinn_problem():
    exact = lambda x, t: jnp.exp(-0.5 * t) * jnp.sin(2 * jnp.pi * x[0])
    return pds.AdvectionDiffusion.manufactured(geo.Interval(0.0, 1.0), (0.0, 1.0), 0.1, (0.5,),
                                               exact)


def soak(name, count, run_once, counter, trim) -> list[dict]:
    """Call `run_once(key)` (which returns an error figure) with keys 1 … `count`.

    Returns one record per iteration, after a first one (iteration 0) for the state before.
    """
    rss, hwm = memory_mib()
    records = [{"iteration": 0, "time_s": 0.0, "rss": rss, "hwm": hwm, "compiled": {}}]
    for i in range(1, count + 1):
        before = counter.names.copy()
        start = time.perf_counter()
        figure = run_once(jax.random.PRNGKey(i))
        elapsed = time.perf_counter() - start
        gc.collect()
        rss, hwm = memory_mib()
        record = {"iteration": i, "time_s": elapsed, "rss": rss, "hwm": hwm,
                  "trimmed": trimmed_rss_mib() if trim else None,
                  "objects": live_objects(records), "compiled": dict(counter.names - before),
                  "figure": figure}
        records.append(record)
        print(f"{name} {i:3d}: {elapsed:6.2f} s, RSS {rss:7.1f} MiB"
              + (f" ({record['trimmed']:7.1f} trimmed)" if trim else "")
              + f", peak {hwm:7.1f} MiB, {record['objects']} objects, "
              f"{sum(record['compiled'].values())} compilations, error {figure:.2e}", flush=True)
    return records


def growth(tail, field) -> tuple[float, float]:
    """(end − start, least-squares slope per 100 iterations) of `field` over `tail`."""
    values = [r[field] for r in tail]
    slope = np.polyfit([r["iteration"] for r in tail], values, 1)[0]
    return values[-1] - values[0], 100 * slope


def summary(name, unit, records, trim) -> dict:
    """Growth, compile and time figures of one phase (records[0] is the state before it)."""
    runs = records[1:]
    warm = min(WARMUP, len(runs) // 2)
    tail = runs[warm - 1:]
    later = collections.Counter()
    for r in runs[1:]:
        later.update(r["compiled"])
    times = [r["time_s"] for r in runs[1:]] or [runs[0]["time_s"]]
    return {
        "name": name, "unit": unit, "count": len(runs), "warmup": warm,
        "rss_start": records[0]["rss"], "rss_warm": tail[0]["rss"], "rss_end": runs[-1]["rss"],
        "hwm_end": runs[-1]["hwm"], "rss_growth": growth(tail, "rss"),
        "trimmed": (tail[0]["trimmed"], runs[-1]["trimmed"]) if trim else None,
        "trimmed_growth": growth(tail, "trimmed") if trim else None,
        "objects_per_iteration": (runs[-1]["objects"] - tail[0]["objects"])
        / max(len(runs) - warm, 1),
        "first_compiles": sum(runs[0]["compiled"].values()), "first_time": runs[0]["time_s"],
        "later_compiles": later, "median_time": statistics.median(times),
        "min_time": min(times), "max_time": max(times),
        "error_range": (min(r["figure"] for r in runs), max(r["figure"] for r in runs)),
    }


def verdict(s) -> str:
    total, per_100 = s["trimmed_growth"] or s["rss_growth"]
    flat = abs(per_100) < FLAT_MIB_PER_100
    later = s["later_compiles"]
    compiles = (
        "none" if not later
        else f"{sum(later.values())} ({sum(later.values()) / (s['count'] - 1):.2f} per "
        f"{s['unit']}): " + ", ".join(f"`{k}` ×{v}" for k, v in later.most_common())
    )
    trimmed = ""
    if s["trimmed"]:
        trimmed = (f"; after malloc_trim {s['trimmed'][0]:.1f} → {s['trimmed'][1]:.1f} MiB "
                   f"({total:+.1f} MiB, slope {per_100:+.2f} MiB per 100)")
    rss_total, rss_per_100 = s["rss_growth"]
    return (
        f"- **{s['name']}**: memory {'FLAT' if flat else 'GROWS'} (threshold "
        f"{FLAT_MIB_PER_100:g} MiB per 100 {s['unit']}s{', trimmed' if s['trimmed'] else ''}): "
        f"RSS {s['rss_warm']:.1f} MiB after {s['unit']} {s['warmup']} → {s['rss_end']:.1f} MiB "
        f"after {s['count']} ({rss_total:+.1f} MiB end to end, fitted slope "
        f"{rss_per_100:+.2f} MiB per 100 {s['unit']}s){trimmed}; live Python objects "
        f"{s['objects_per_iteration']:+.1f} per {s['unit']}; compilations after the first "
        f"{s['unit']}: {compiles}."
    )


def phase_table(summaries) -> list[str]:
    header = ["phase", "iterations", "RSS before MiB", "RSS after warm-up MiB", "RSS end MiB",
              "peak (VmHWM) MiB", "growth MiB", "MiB per 100", "trimmed RSS MiB",
              "objects per iteration", "compiles, first", "compiles after first", "first s",
              "median s", "min–max s", "error range"]
    rows = [[s["name"], s["count"], f"{s['rss_start']:.1f}",
             f"{s['rss_warm']:.1f} (#{s['warmup']})", f"{s['rss_end']:.1f}", f"{s['hwm_end']:.1f}",
             f"{s['rss_growth'][0]:+.1f}", f"{s['rss_growth'][1]:+.2f}",
             "{:.1f} → {:.1f}".format(*s["trimmed"]) if s["trimmed"] else "–",
             f"{s['objects_per_iteration']:+.1f}", s["first_compiles"],
             sum(s["later_compiles"].values()), f"{s['first_time']:.2f}",
             f"{s['median_time']:.3f}", f"{s['min_time']:.3f}–{s['max_time']:.3f}",
             "{:.2e}–{:.2e}".format(*s["error_range"])] for s in summaries]
    return table(header, rows)


def iteration_rows(name, records, every) -> list[list]:
    last = records[-1]["iteration"]
    return [[name, r["iteration"], f"{r['time_s']:.3f}", f"{r['rss']:.1f}",
             "–" if r["trimmed"] is None else f"{r['trimmed']:.1f}", f"{r['hwm']:.1f}",
             r["objects"], sum(r["compiled"].values())]
            for r in records[1:] if r["iteration"] in (1, last) or r["iteration"] % every == 0]


def table(header, rows) -> list[str]:
    return (["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
            + ["| " + " | ".join(str(c) for c in row) + " |" for row in rows])


def machine() -> str:
    return (f"{pinn_devices.machine()}; Python {platform.python_version()}, jax "
            f"{jax.__version__}, pdesolve {pds.__version__}; "
            f"OPENBLAS_NUM_THREADS={os.environ['OPENBLAS_NUM_THREADS']}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="20 solves and 5 trainings")
    parser.add_argument("--trim", action="store_true",
                        help="also read RSS after malloc_trim(0) at every iteration (glibc)")
    parser.add_argument("--out", default=None, help="markdown results file")
    args = parser.parse_args()
    solves, trainings = (20, 5) if args.quick else (200, 50)
    counter = CompileCounter()
    started = datetime.datetime.now().astimezone()
    biharmonic, advection = celm_problem(), pinn_problem()
    test = np.asarray(geo.Rectangle((0.0, 0.0), (1.0, 1.0)).sample_interior(
        2000, key=jax.random.PRNGKey(99)))
    exact = np.sin(np.pi * test[:, 0]) * np.sin(np.pi * test[:, 1])

    def celm_once(key):
        sol = pds.celm.solve(biharmonic, key=key, **CELM_SETTINGS)
        return float(pds.metrics.relative_l2(sol(test), exact))

    def pinn_once(key):
        return pds.sfhcpinn.solve(advection, key=key, **PINN_SETTINGS).info["relative_l2"]

    celm = soak("celm", solves, celm_once, counter, args.trim)
    pinn = soak("pinn", trainings, pinn_once, counter, args.trim)
    summaries = [summary("CELM solves", "solve", celm, args.trim),
                 summary("SFHCPINN trainings", "training", pinn, args.trim)]
    settings = {k: v for k, v in PINN_SETTINGS.items() if k != "progress"}
    lines = [
        "# Soak: consecutive CELM solves and SFHCPINN trainings in one process", "",
        f"Machine: {machine()}. Date: {started:%Y-%m-%d %H:%M %Z}; load average (1, 5, 15 min) "
        f"at the end: {', '.join(f'{v:.1f}' for v in os.getloadavg())}.",
        f"Command: `python benchmarks/soak.py {' '.join(sys.argv[1:])}`.", "",
        f"CELM: Navier biharmonic on the unit square, {CELM_SETTINGS}, float64, default "
        f"backend. SFHCPINN: 1D advection–diffusion, {settings}, float32. Key i for iteration "
        "i; RSS read after each iteration and a `gc.collect()`"
        + (", then again after `malloc_trim(0)` ('trimmed')" if args.trim else "")
        + "; the error is the relative L2 error of each run. Growth is measured from the "
        "warm-up iteration to the end; 'MiB per 100' is the slope of a least-squares line "
        "through those iterations.", "",
        "## Verdict", "", *(verdict(s) for s in summaries), "",
        "## Figures", "", *phase_table(summaries), "",
        "## Selected iterations", "",
        *table(["phase", "iteration", "time s", "RSS MiB", "trimmed RSS MiB", "peak MiB",
                "Python objects", "compilations"],
               iteration_rows("celm", celm, max(solves // 10, 1))
               + iteration_rows("pinn", pinn, max(trainings // 10, 1))), "",
    ]
    text = "\n".join(lines)
    print(text)
    if args.out:
        pds.io.write_bytes_atomic(Path(args.out), text.encode())


if __name__ == "__main__":
    main()
