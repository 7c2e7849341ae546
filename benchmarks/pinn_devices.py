"""SFHCPINN training speed on 1 vs 2 CPU devices (data-parallel collocation batches).

E2 (1D + t, 5000 interior points, 23 subnets, widths (10, 20, 20, 10, 10)) and optionally the
2D configuration (E8b square, 8000 points, widths (10, 20, 20, 20, 10)), as in
`benchmarks/pinn_speed.py`. Every run is its own subprocess (the device count is fixed when JAX
starts); the settings are interleaved and repeated, so a change in the machine's load hits all
of them alike. Settings:

    1dev         one device
    2dev         two forced host devices in one process (--xla_force_host_platform_device_count=2)
    2proc        two local processes with one device each, joined by jax.distributed (gloo)
    *-noeigen    the same with --xla_cpu_multi_thread_eigen=false (no multi-threaded Eigen)
    1dev-1core   one device, the process pinned to CPU 0 (`taskset -c 0`)
    2proc-pinned two processes, process i pinned to CPU i
    *-nproc1     PJRT_NPROC=1: XLA's client and intra-op thread pools get max(1, devices) threads

Speed is steps/s over the timed chunks after the first (compiled) one; "cores" is the CPU time
the process(es) used over the same window divided by its wall time.

    python benchmarks/pinn_devices.py [--quick] [--configs E2,2D] [--settings 1dev,2dev,...]
        [--repeats 3] [--steps 40] [--out benchmarks/results/pinn_devices.md]
"""

import argparse
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import time

CONFIGS = {"E2": ("sfhcpinn_e2", 5000, (10, 20, 20, 10, 10)),
           "2D": ("sfhcpinn_e8b", 8000, (10, 20, 20, 20, 10))}
QUICK = {"E2": ("sfhcpinn_e2", 512, (6, 8, 6)), "2D": ("sfhcpinn_e8b", 512, (6, 8, 6))}
NOEIGEN = "--xla_cpu_multi_thread_eigen=false"
ONE_THREAD = {"PJRT_NPROC": "1"}  # XLA's CPU thread pools sized for one core (at least 1/device)
SETTINGS = {  # processes, devices per process, extra XLA flags, CPU list (taskset), environment
    "1dev": (1, 1, "", None, {}),
    "1dev-1core": (1, 1, "", "0", {}),
    "1dev-noeigen": (1, 1, NOEIGEN, None, {}),
    "1dev-nproc1": (1, 1, "", None, ONE_THREAD),
    "2dev": (1, 2, "", None, {}),
    "2dev-noeigen": (1, 2, NOEIGEN, None, {}),
    "2proc": (2, 1, "", None, {}),
    "2proc-noeigen": (2, 1, NOEIGEN, None, {}),
    "2proc-pinned": (2, 1, "", "each", {}),
    "2proc-nproc1": (2, 1, "", None, ONE_THREAD),
}
CHUNK = 10


def _child(case, n, widths, steps):
    """One run (or one process of a run); prints a JSON line with its timings."""
    import jax

    if "PDESOLVE_BENCH_COORDINATOR" in os.environ:
        jax.distributed.initialize(os.environ["PDESOLVE_BENCH_COORDINATOR"], num_processes=2,
                                   process_id=int(os.environ["PDESOLVE_BENCH_PROCESS"]))
    from pdesolve.examples.advection_diffusion import CASES, solve_case
    from pdesolve.training import Progress

    marks = []  # (wall, cpu) at the end of every chunk: the loop updates its Progress then

    def update(self, *args, **kwargs):
        marks.append((time.perf_counter(), time.process_time()))

    Progress.update = update
    sol = solve_case(CASES[case], key=jax.random.PRNGKey(0), steps=steps + CHUNK, n_interior=n,
                     widths=widths, chunk=CHUNK, eval_every=10**6, progress=False)
    (wall0, cpu0), (wall1, cpu1) = marks[0], marks[-1]
    print(json.dumps({"it_per_s": steps / (wall1 - wall0), "cpu_s": cpu1 - cpu0,
                      "wall_s": wall1 - wall0, "devices": sol.info["devices"],
                      "compile_s": sol.info["compile_time_s"], "loss": sol.info["loss"][-1]}))


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_setting(setting, config, steps, quick) -> dict:
    """Run `setting` on `config` in fresh subprocess(es); its speed, CPU use and the load."""
    processes, devices, flags, cpus, extra = SETTINGS[setting]
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XLA_", "JAX_"))}
    env.update(PYTHONPATH=root, OPENBLAS_NUM_THREADS="1", JAX_PLATFORMS="cpu",
               XLA_FLAGS=f"--xla_force_host_platform_device_count={devices} {flags}".strip(),
               **extra)
    coordinator = f"127.0.0.1:{_free_port()}"
    load = [os.getloadavg()[0]]
    procs = []
    for i in range(processes):
        cpu = str(i) if cpus == "each" else cpus
        args = [*(["taskset", "-c", cpu] if cpu else []), sys.executable, __file__, "--child",
                config, str(steps), *(["--quick"] * quick)]
        distributed = {"PDESOLVE_BENCH_COORDINATOR": coordinator} if processes > 1 else {}
        procs.append(subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                      text=True, env={**env, "PDESOLVE_BENCH_PROCESS": str(i),
                                                      **distributed}))
    outs = []
    try:
        for proc in procs:
            out, err = proc.communicate(timeout=900)
            if proc.returncode:
                raise RuntimeError(f"{setting} on {config} failed:\n{err[-3000:]}")
            outs.append(json.loads(out.strip().splitlines()[-1]))
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
    load.append(os.getloadavg()[0])
    return {"it_per_s": min(o["it_per_s"] for o in outs),
            "cores": sum(o["cpu_s"] for o in outs) / max(o["wall_s"] for o in outs),
            "devices": outs[0]["devices"], "compile_s": max(o["compile_s"] for o in outs),
            "loss": outs[0]["loss"], "load": load}


def machine() -> str:
    """`nproc`, the CPU model and the platform."""
    model = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            model = next(ln.split(":", 1)[1].strip() for ln in f if ln.startswith("model name"))
    except (OSError, StopIteration):
        pass
    nproc = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    return f"{nproc} CPU cores (`nproc`), {model}, {platform.platform()}"


def report(results, args) -> list[str]:
    """Markdown lines: one table row per (config, setting), speeds over the repeats."""
    lines = [
        "# SFHCPINN speed on 1 vs 2 CPU devices",
        "",
        f"Machine: {machine()}; Python {platform.python_version()}; float32; CPU only.",
        f"Command: `{' '.join(['python benchmarks/pinn_devices.py', *args.argv])}`; "
        f"{args.steps} timed steps per run after the compiled first chunk of {CHUNK}; "
        f"{args.repeats} repeats per setting, interleaved.",
        f"Load average (1 min, /proc/loadavg) before the runs: {args.load_before}; during "
        f"(sampled at each run's start and end; the runs themselves add about 1.5–2): "
        f"{args.load_min:.2f}–{args.load_max:.2f}.",
        "",
        "| config | setting | devices | it/s (runs) | it/s median | vs 1dev (median, range) "
        "| vs fastest 1-device setting | cores used | compile s | load at runs |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for config, by_setting in results.items():
        median = {k: statistics.median(r["it_per_s"] for r in v) for k, v in by_setting.items()}
        single = [k for k, v in by_setting.items() if v[0]["devices"] == 1]
        fastest = max(single, key=median.get) if single else None
        base = by_setting.get("1dev")
        for setting, runs in by_setting.items():
            speeds = [r["it_per_s"] for r in runs]
            loads = ", ".join(f"{r['load'][0]:.1f}" for r in runs)
            ratio = best = "–"
            if base:
                ref = [r["it_per_s"] for r in base]
                ratio = (f"{median[setting] / median['1dev']:.2f}x "
                         f"({min(speeds) / max(ref):.2f}–{max(speeds) / min(ref):.2f})")
            if fastest:
                best = f"{median[setting] / median[fastest]:.2f}x ({fastest})"
            lines.append(
                f"| {config} | {setting} | {runs[0]['devices']} | "
                f"{', '.join(f'{v:.2f}' for v in speeds)} | {median[setting]:.2f} | {ratio} | "
                f"{best} | {statistics.median(r['cores'] for r in runs):.2f} | "
                f"{statistics.median(r['compile_s'] for r in runs):.1f} | {loads} |")
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny smoke run (512 points)")
    parser.add_argument("--configs", default="E2")
    parser.add_argument("--settings", default=",".join(SETTINGS))
    parser.add_argument("--repeats", type=int, default=None, help="default 3 (1 with --quick)")
    parser.add_argument("--steps", type=int, default=None, help="default 40 (10 with --quick)")
    parser.add_argument("--out", default=None, help="markdown file (default: "
                        "benchmarks/results/pinn_devices.md; none with --quick)")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        case, n, widths = (QUICK if args.quick else CONFIGS)[args.child[0]]
        _child(case, n, widths, int(args.child[1]))
        return
    args.argv = sys.argv[1:]
    args.repeats = args.repeats or (1 if args.quick else 3)
    args.steps = args.steps or (10 if args.quick else 40)
    if args.out is None and not args.quick:
        args.out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "results",
                                "pinn_devices.md")
    with open("/proc/loadavg") as f:
        args.load_before = f.read().strip()
    print("load before:", args.load_before, flush=True)
    settings = args.settings.split(",")
    results = {c: {s: [] for s in settings} for c in args.configs.split(",")}
    loads = []
    start = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    for config in results:
        for repeat in range(args.repeats):
            for setting in settings:
                res = run_setting(setting, config, args.steps, args.quick)
                results[config][setting].append(res)
                loads += res["load"]
                print(config, setting, repeat, json.dumps(res), flush=True)
    args.load_min, args.load_max = min(loads), max(loads)
    lines = report(results, args)
    lines += ["", f"Recorded {start} – {time.strftime('%H:%M UTC', time.gmtime())}."]
    text = "\n".join(lines) + "\n"
    print(text)
    if args.out:
        with open(args.out, "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
