"""Accuracy of SFHCPINN vs its three baselines on the reference examples E1–E9 (+ E8b).

Every (example, variant) pair trains with the same key, steps and batch sizes; results go to a
JSON-lines file as they finish (so a partial run is usable), then to a markdown table and a plot
of relative L2 error vs steps.

    python benchmarks/pinn_accuracy.py --steps 500 --n-interior 500 \
        --jsonl benchmarks/results/pinn_accuracy.jsonl
    python benchmarks/pinn_accuracy.py --report benchmarks/results/pinn_accuracy.jsonl
"""

import argparse
import json
import os
import platform
import time

EXAMPLES = ("e1", "e2", "e3", "e4", "e5", "e6", "e7", "e8b", "e9", "e8")
VARIANTS = ("sfhcpinn", "pinn", "hcpinn", "sfpinn")


def run(args):
    import jax

    from pdesolve.examples.advection_diffusion import CASES, solve_case

    done = set()
    if os.path.exists(args.jsonl):
        with open(args.jsonl) as f:
            done = {(r["example"], r["variant"]) for r in map(json.loads, f)}
    for name in args.examples.split(","):
        for variant in args.variants.split(","):
            if (name, variant) in done:
                continue
            case = CASES[f"sfhcpinn_{name}"]
            load = os.getloadavg()[0]
            sol = solve_case(case, key=jax.random.PRNGKey(args.seed), variant=variant,
                             steps=args.steps, n_interior=args.n_interior,
                             n_boundary=args.n_boundary, n_initial=args.n_boundary,
                             eval_every=max(args.steps // 10, 1), progress=False)
            info = sol.info
            row = {"example": name, "variant": variant, "steps": args.steps,
                   "n_interior": args.n_interior, "n_boundary": args.n_boundary,
                   "relative_l2": info["relative_l2"], "max_error": info["max_error"],
                   "initial_error": info["error"][0], "wall_time_s": info["wall_time_s"],
                   "compile_time_s": info["compile_time_s"], "error_steps": info["error_steps"],
                   "error": info["error"], "load": load, "seed": args.seed}
            with open(args.jsonl, "a") as f:
                f.write(json.dumps(row) + "\n")
            print(name, variant, f"{info['relative_l2']:.3e}", f"{info['wall_time_s']:.0f}s",
                  flush=True)


def report(path, out_md, out_png):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    with open(path) as f:
        rows = [json.loads(line) for line in f]
    table = {}
    for r in rows:
        table.setdefault(r["example"], {})[r["variant"]] = r
    lines = [
        "# SFHCPINN vs baselines: relative L2 error on E1–E9",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} CPU cores (shared with other jobs), "
        "CPU only — no GPU was available in this session. float32, Adam with the reference "
        "schedule (0.01 × 0.975 per 100 steps), fresh uniform points every step, seed 0.",
        "Error: relative L2 ‖u − û‖/‖u‖ on a fixed evaluation set (1D: 128×128 grid of x × t; "
        "2D: 16384 Sobol points with random times); the reference code's squared ratio is its "
        "square. Budget per run (steps, interior points, boundary points) in the table; far "
        "below the reference's 50 000 steps, so the numbers show early training only.",
        "",
        "| example | steps | n_int | n_bnd | SFHCPINN | PINN | HCPINN (MLP) | SFPINN (soft) | "
        "best | SFHCPINN time s |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for ex in EXAMPLES:
        if ex not in table:
            continue
        cells = table[ex]
        any_row = next(iter(cells.values()))
        errs = {v: cells[v]["relative_l2"] for v in VARIANTS if v in cells}
        best = min(errs, key=errs.get)
        fmt = lambda v, errs=errs: f"{errs[v]:.2e}" if v in errs else "—"
        sf_time = f"{cells['sfhcpinn']['wall_time_s']:.0f}" if "sfhcpinn" in cells else "—"
        lines.append(
            f"| {ex.upper()} | {any_row['steps']} | {any_row['n_interior']} | "
            f"{any_row['n_boundary']} | "
            + " | ".join(fmt(v) for v in VARIANTS)
            + f" | {best} | {sf_time} |"
        )
    lines += ["", "Per-run wall times (s) and load average at the start:", "",
              "| example | variant | wall s | compile s | load |", "|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r['example'].upper()} | {r['variant']} | {r['wall_time_s']:.0f} | "
                     f"{r['compile_time_s']:.0f} | {r['load']:.1f} |")
    names = [ex for ex in EXAMPLES if ex in table]
    cols = 5
    nrows = (len(names) + cols - 1) // cols
    fig, axes = plt.subplots(nrows, cols, figsize=(3.2 * cols, 2.8 * nrows), squeeze=False)
    for ax, ex in zip(axes.ravel(), names, strict=False):
        for v in VARIANTS:
            if v in table[ex]:
                r = table[ex][v]
                ax.semilogy(r["error_steps"], r["error"], marker=".", label=v,
                            color=f"C{VARIANTS.index(v)}")
        ax.set_title(ex.upper())
        ax.set_xlabel("step")
        ax.grid(True, which="both", alpha=0.3)
    for ax in axes.ravel()[len(names):]:
        ax.axis("off")
    axes[0, 0].set_ylabel("relative L2")
    axes[0, 0].legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(out_png, dpi=110)
    lines += ["", f"Error vs steps: `{os.path.basename(out_png)}`."]
    with open(out_md, "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=500)
    parser.add_argument("--n-interior", type=int, default=500)
    parser.add_argument("--n-boundary", type=int, default=100)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--examples", default=",".join(EXAMPLES))
    parser.add_argument("--variants", default=",".join(VARIANTS))
    parser.add_argument("--jsonl", default="benchmarks/results/pinn_accuracy.jsonl")
    parser.add_argument("--report", default=None, help="only write the table from this JSONL")
    args = parser.parse_args()
    if args.report is None:
        start = time.perf_counter()
        run(args)
        print(f"total {time.perf_counter() - start:.0f} s")
    path = args.report or args.jsonl
    base = os.path.splitext(path)[0]
    report(path, base + ".md", base + ".png")


if __name__ == "__main__":
    main()
