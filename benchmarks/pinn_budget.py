"""SFHCPINN on one example at the reference's 50 000-step budget, in resumable segments.

The example (`--case`, e.g. e2) trains with 23 subnets, float32, Adam 0.01 × 0.975 per 100 steps
and seed 0, with the example's batch sizes unless `--n-interior` / `--n-boundary` say otherwise
(E2 defaults to the reference's 5000 interior points). Training goes in segments of `--segment`
steps; each segment resumes from the checkpoint of the previous one (a resumed run repeats an
uninterrupted one exactly), so an interrupted benchmark continues where it stopped.
`--boundary-weight` sets the Neumann penalty weight (default the solver's 20). The error on
the example's evaluation set is recorded every 1000 steps; each finished segment appends one JSON
line.

    python benchmarks/pinn_budget.py --case e2 --steps 50000 --jsonl e2.jsonl --checkpoint e2.ckpt
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
    case = CASES[f"sfhcpinn_{args.case}"]
    sizes = {"n_interior": args.n_interior or (5000 if args.case == "e2" else None),
             "n_boundary": args.n_boundary}
    options = {} if args.boundary_weight is None else {"boundary_weight": args.boundary_weight}
    done = 0
    if os.path.exists(args.jsonl):
        with open(args.jsonl) as f:
            done = max((json.loads(line)["step"] for line in f), default=0)
    while done < args.steps:
        target = min(done + args.segment, args.steps)
        start = time.perf_counter()
        sol = solve_case(case, key=jax.random.PRNGKey(0), steps=target, **sizes,
                         eval_every=1000, progress=False,
                         checkpoint=args.checkpoint, resume=args.checkpoint if done else None,
                         **options)
        info = sol.info
        record = {"case": args.case, "n_interior": info["n_interior"],
                  "n_boundary": info["n_boundary"], "n_initial": info["n_initial"],
                  "boundary_weight": info["boundary_weight"],
                  "step": target, "rel_l2": info["relative_l2"], "max_error": info["max_error"],
                  "error_steps": [int(s) for s in info["error_steps"]],
                  "errors": [float(e) for e in info["error"]],
                  "wall_s": time.perf_counter() - start, "it_per_s": info["it_per_s"]}
        print(json.dumps(record), flush=True)
        with open(args.jsonl, "a") as f:
            f.write(json.dumps(record) + "\n")
        done = target


def _load(path):
    """The JSONL records of one run, its example id and its error target."""
    with open(path) as f:
        records = [json.loads(line) for line in f]
    case = records[-1].get("case", "e2")  # records written before --case existed are E2's
    return records, case, 1e-4 if case == "e2" else 1e-3


def _label(case, record):
    """The example id, with the Neumann weight where it is not the reference's 20."""
    weight = record.get("boundary_weight", 20.0)
    return case.upper() if weight == 20.0 else f"{case.upper()}, Neumann weight {weight:g}"


def _save_plot(fig, ax, out_png, **legend):
    ax.set_xlabel("step")
    ax.set_ylabel("relative L2")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(**legend)
    fig.tight_layout()
    fig.savefig(out_png, dpi=110)


def report(path, out_md, out_png):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from pdesolve.examples.advection_diffusion import CASES

    records, case, target = _load(path)
    last = records[-1]
    label = _label(case, last)
    sizes = (last.get("n_interior", 5000), last.get("n_boundary", 500), last.get("n_initial", 500))
    title = CASES["sfhcpinn_" + case].description
    rate = lambda s: 0.01 * 0.975 ** (s // 100)
    lines = [
        f"# SFHCPINN on {label} at the reference's 50 000-step budget", "",
        f"Configuration: {title}; {sizes[0]} interior, {sizes[1]} boundary and {sizes[2]} "
        "initial points, fresh and uniform every step; 23 subnets, float32, Adam "
        "0.01 × 0.975 per 100 steps, seed 0. Resumable segments (`benchmarks/pinn_budget.py "
        f"--case {case}`); error on the example's evaluation set every 1000 steps.",
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
    ax.semilogy(last["error_steps"], last["errors"], "o-", ms=3, label=f"SFHCPINN, {label}")
    ax.axhline(target, color="gray", ls="--", lw=0.8, label=f"target {target:g}")
    _save_plot(fig, ax, out_png)


def summary(paths, out_md, out_png):
    """One table (error at 1000, 5000, 10 000, 20 000 steps and at the end) and one plot for
    several examples' JSONL records."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    checkpoints = (1000, 5000, 10000, 20000)
    lines = ["# SFHCPINN at the reference's 50 000-step budget: summary", "",
             "23 subnets, float32, Adam 0.01 × 0.975 per 100 steps, seed 0, fresh uniform points "
             "every step; one run per example (`benchmarks/pinn_budget.py`), error on the "
             "example's evaluation set every 1000 steps. Per-example tables: "
             "`pinn_<example>_50000.md`.",
             f"Machine: {platform.machine()}, {os.cpu_count()} CPU cores; CPU only.", "",
             "| example | points (interior / boundary) | "
             + " | ".join(f"rel. L2 at {s}" for s in checkpoints)
             + " | steps run | final rel. L2 | max error | ≤ target from step on (target) |",
             "|" + "---|" * (len(checkpoints) + 6)]
    fig, ax = plt.subplots(figsize=(6.5, 4))
    for path in paths:
        records, case, target = _load(path)
        last = records[-1]
        label = _label(case, last)
        errors = dict(zip(last["error_steps"], last["errors"], strict=True))
        reached = [s for s in errors if all(errors[r] <= target for r in errors if r >= s)]
        lines.append(
            f"| {label} | {last.get('n_interior', 5000)} / {last.get('n_boundary', 500)} | "
            + " | ".join(f"{errors[s]:.1e}" if s in errors else "—" for s in checkpoints)
            + f" | {last['step']} | {last['rel_l2']:.2e} | {last['max_error']:.1e} | "
            f"{min(reached) if reached else '—'} ({target:g}) |")
        ax.semilogy(last["error_steps"], last["errors"], "o-", ms=2, label=label)
    ax.axhline(1e-3, color="gray", ls="--", lw=0.8, label="target 1e-3 (E2 at the end: 1e-4)")
    _save_plot(fig, ax, out_png, fontsize=8)
    with open(out_md, "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", default="e2", help="example id, e1 … e9")
    parser.add_argument("--n-interior", type=int, default=None)
    parser.add_argument("--n-boundary", type=int, default=None)
    parser.add_argument("--boundary-weight", type=float, default=None,
                        help="Neumann penalty weight (default: the solver's, 20)")
    parser.add_argument("--steps", type=int, default=50000)
    parser.add_argument("--segment", type=int, default=5000)
    parser.add_argument("--jsonl", default=None,
                        help="default: benchmarks/results/pinn_<case>_<steps>.jsonl")
    parser.add_argument("--checkpoint", default=None, help="default: pinn_<case>_budget.ckpt")
    parser.add_argument("--report", default=None, help="only write the table from this JSONL")
    parser.add_argument("--summary", nargs="+", default=None,
                        help="only write one table and plot from these JSONL files")
    args = parser.parse_args()
    args.jsonl = args.jsonl or f"benchmarks/results/pinn_{args.case}_{args.steps}.jsonl"
    args.checkpoint = args.checkpoint or f"pinn_{args.case}_budget.ckpt"
    if args.summary:
        summary(args.summary, "benchmarks/results/pinn_budget_summary.md",
                "benchmarks/results/pinn_budget_summary.png")
    elif args.report:
        stem = os.path.splitext(args.report)[0]
        report(args.report, stem + ".md", stem + ".png")
    else:
        run(args)
        stem = os.path.splitext(args.jsonl)[0]
        report(args.jsonl, stem + ".md", stem + ".png")
