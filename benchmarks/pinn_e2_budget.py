"""SFHCPINN on E2 at the reference's 50 000-step budget, in resumable segments.

The reference configuration (5000 fresh interior points per step, 23 subnets, float32, Adam
0.01 × 0.975 per 100 steps, seed 0) trains in segments of `--segment` steps. Each segment resumes
from the checkpoint of the previous one (a resumed run repeats an uninterrupted one exactly), so
an interrupted benchmark continues where it stopped. The error on the 128 × 128 x × t grid is
recorded every 1000 steps; each finished segment appends one JSON line.

    python benchmarks/pinn_e2_budget.py --steps 50000 --jsonl e2.jsonl --checkpoint e2.ckpt
"""

import argparse
import json
import os
import platform
import time


def run(args):
    import jax

    from pdesolve.examples.advection_diffusion import CASES, solve_case

    jax.config.update("jax_enable_x64", True)  # set-up in float64, as the problem scripts do
    done = 0
    if os.path.exists(args.jsonl):
        with open(args.jsonl) as f:
            done = max((json.loads(line)["step"] for line in f), default=0)
    while done < args.steps:
        target = min(done + args.segment, args.steps)
        start = time.perf_counter()
        sol = solve_case(CASES["sfhcpinn_e2"], key=jax.random.PRNGKey(0), steps=target,
                         n_interior=5000, eval_every=1000, progress=False,
                         checkpoint=args.checkpoint, resume=args.checkpoint if done else None)
        info = sol.info
        record = {"step": target, "rel_l2": info["relative_l2"], "max_error": info["max_error"],
                  "error_steps": [int(s) for s in info["error_steps"]],
                  "errors": [float(e) for e in info["error"]],
                  "wall_s": time.perf_counter() - start, "it_per_s": info["it_per_s"]}
        print(json.dumps(record), flush=True)
        with open(args.jsonl, "a") as f:
            f.write(json.dumps(record) + "\n")
        done = target


def report(path, out_md, out_png):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    with open(path) as f:
        records = [json.loads(line) for line in f]
    last = records[-1]
    rate = lambda s: 0.01 * 0.975 ** (s // 100)
    lines = [
        "# SFHCPINN on E2 at the reference's 50 000-step budget", "",
        "Configuration: 5000 fresh uniform interior points per step, 23 subnets, widths "
        "(10, 20, 20, 10, 10), float32, Adam 0.01 × 0.975 per 100 steps, seed 0; G = initial "
        "condition, D = 4s(1 − s)·t. Resumable segments (`benchmarks/pinn_e2_budget.py`); error on "
        "the 128 × 128 x × t grid every 1000 steps.",
        f"Machine: {platform.machine()}, {os.cpu_count()} CPU cores, {platform.platform()}; "
        "CPU only.", "",
        f"Steps completed: {last['step']}.", "", "| step | rel. L2 | Adam rate |",
             "|---|---|---|"]
    lines += [f"| {s} | {e:.2e} | {rate(s):.1e} |"
              for s, e in zip(last["error_steps"], last["errors"], strict=True)]
    lines += ["", "| segment end | rel. L2 | max error | wall s | it/s |", "|---|---|---|---|---|"]
    lines += [f"| {r['step']} | {r['rel_l2']:.2e} | {r['max_error']:.2e} | {r['wall_s']:.0f} | "
              f"{r['it_per_s']:.2f} |" for r in records]
    lines += ["", f"Error vs steps: `{os.path.basename(out_png)}`."]
    with open(out_md, "w") as f:
        f.write("\n".join(lines) + "\n")
    fig, ax = plt.subplots(figsize=(6, 3.5))
    ax.semilogy(last["error_steps"], last["errors"], "o-", ms=3, label="SFHCPINN, E2")
    ax.axhline(1e-4, color="gray", ls="--", lw=0.8, label="target 1e-4")
    ax.set_xlabel("step")
    ax.set_ylabel("relative L2")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(out_png, dpi=110)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=50000)
    parser.add_argument("--segment", type=int, default=5000)
    parser.add_argument("--jsonl", default="benchmarks/results/pinn_e2_50000.jsonl")
    parser.add_argument("--checkpoint", default="pinn_e2_budget.ckpt")
    parser.add_argument("--report", default=None, help="only write the table from this JSONL")
    args = parser.parse_args()
    if args.report:
        stem = os.path.splitext(args.report)[0]
        report(args.report, stem + ".md", stem + ".png")
    else:
        run(args)
        stem = os.path.splitext(args.jsonl)[0]
        report(args.jsonl, stem + ".md", stem + ".png")
