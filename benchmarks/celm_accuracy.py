"""CELM accuracy studies on the square example: error vs width M and vs scale s, per activation.

Run: `python benchmarks/celm_accuracy.py [--widths 50,100,...] [--scales 0.5,1,...]`
(`--scales ""` skips the scale sweep; `--name` sets the output file stem).

Square [-1, 1]², u = sin(πx) sin(πy), Navier (reference example 1). Collocation: 3M Halton
interior points and M boundary points (8M rows for 2M unknowns). The width sweep uses each
activation's own scale (sin/trig/fourier s = 5, tanh/gauss s = 2); the scale sweep uses
M = 400. Relative L2 error on 20 000 random test points. Writes a markdown table and a plot.
"""

import argparse
import os
import time
from pathlib import Path

import jax
import jax.numpy as jnp

jax.config.update("jax_enable_x64", True)

import pdesolve as pds  # noqa: E402
from pdesolve import geometry as geo  # noqa: E402

ACTIVATIONS = ("sin", "trig", "fourier", "tanh", "gauss")
OWN_SCALE = {"sin": 5.0, "trig": 5.0, "fourier": 5.0, "tanh": 2.0, "gauss": 2.0}


def exact(x):
    return jnp.sin(jnp.pi * x[0]) * jnp.sin(jnp.pi * x[1])


def error(problem, test, ref, *, hidden, scale, activation):
    start = time.perf_counter()
    # "fourier" doubles the width: M/2 frequencies keep the unknown count equal to the others
    width = hidden // 2 if activation == "fourier" else hidden
    sol = pds.celm.solve(problem, key=jax.random.PRNGKey(0), hidden=width, scale=scale,
                         activation=activation, n_interior=3 * hidden, n_boundary=hidden,
                         residuals=False)
    err = float(pds.metrics.relative_l2(sol(test), ref))
    wall = time.perf_counter() - start
    print(f"{activation} M={hidden} s={scale:g}: rel L2 {err:.2e} ({wall:.1f} s, rank "
          f"{sol.info['rank']} of {sol.info['unknowns']})", flush=True)
    return err, wall


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--widths", default="50,100,200,400,800,1200")
    parser.add_argument("--scales", default="0.5,1,2,4,8,12,20")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results")
    parser.add_argument("--name", default="celm_accuracy", help="output file stem")
    args = parser.parse_args(argv)
    widths = [int(v) for v in args.widths.split(",")]
    scales = [float(v) for v in args.scales.split(",") if v]
    dom = geo.Rectangle((-1, -1), (1, 1))
    problem = pds.Biharmonic.manufactured(dom, exact)
    test = dom.sample_interior(20000, key=jax.random.PRNGKey(42))
    ref = jax.vmap(exact)(test)
    load = os.getloadavg()
    by_width = {a: [error(problem, test, ref, hidden=m, scale=OWN_SCALE[a], activation=a)
                    for m in widths] for a in ACTIVATIONS}
    by_scale = {a: [error(problem, test, ref, hidden=400, scale=s, activation=a)
                    for s in scales] for a in ACTIVATIONS}
    lines = [
        "# CELM accuracy vs width M and scale s (square [-1,1]², sin(πx)sin(πy), Navier)",
        "",
        f"Command: `python benchmarks/celm_accuracy.py --widths {args.widths} "
        f"--scales {args.scales or chr(34) * 2}`; load average before {load[0]:.2f}/{load[1]:.2f}/"
        f"{load[2]:.2f}, after {os.getloadavg()[0]:.2f}. Key 0; 3M interior (Halton) + M "
        "boundary points; relative L2 on 20 000 random points; time (s) = whole warm-or-cold "
        "solve. fourier uses M/2 frequencies (M features).",
        "",
        "## Error vs M (each network has M features; scale: sin/trig/fourier 5, tanh/gauss 2)",
        "",
        "| activation | " + " | ".join(f"M={m}" for m in widths) + " |",
        "|---|" + "---|" * len(widths),
    ]
    for a in ACTIVATIONS:
        lines.append(f"| {a} | " + " | ".join(f"{e:.1e} ({t:.1f}s)" for e, t in by_width[a])
                     + " |")
    if scales:
        lines += ["", "## Error vs scale s (M = 400)", "",
                  "| activation | " + " | ".join(f"s={s:g}" for s in scales) + " |",
                  "|---|" + "---|" * len(scales)]
    for a in ACTIVATIONS if scales else ():
        lines.append(f"| {a} | " + " | ".join(f"{e:.1e}" for e, _ in by_scale[a]) + " |")
    table = "\n".join(lines) + "\n"
    print(table)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / f"{args.name}.md").write_text(table)
    _plot(widths, scales, by_width, by_scale, args.out / f"{args.name}.png")


def _plot(widths, scales, by_width, by_scale, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2 if scales else 1, figsize=(10 if scales else 5, 4),
                             squeeze=False)
    ax1 = axes[0, 0]
    for a in ACTIVATIONS:
        ax1.semilogy(widths, [e for e, _ in by_width[a]], "o-", label=a)
    ax1.set(xlabel="hidden width M (per network)", ylabel="relative L2 error",
            title="error vs M")
    if scales:
        for a in ACTIVATIONS:
            axes[0, 1].loglog(scales, [e for e, _ in by_scale[a]], "o-", label=a)
        axes[0, 1].set(xlabel="scale s", ylabel="relative L2 error",
                       title="error vs s (M = 400)")
    for ax in axes[0]:
        ax.grid(True, which="both", alpha=0.3)
        ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=120)


if __name__ == "__main__":
    main()
