"""Compile time of the SFHCPINN training step on boxes, now and at an earlier revision.

The hard-constrained ansatz on a box reads the Dirichlet data through the Coons blend, whose
number of terms grows as 3^d − 1 (26 for a 3D box); its derivative graph is most of what XLA
compiles. Each configuration trains a few steps of a small network (widths (8, 16, 8), scales
1–8, 256 interior points) in its own subprocess, with the tree as it is and with `--before REV`
exported by `git archive`, and reports the compile time of the training chunk and the error.

    python benchmarks/pinn_compile.py --before REV [--out FILE.md]
"""

import argparse
import json
import os
import platform
import subprocess
import sys

from pinn_speed import export_revision, markdown_table, print_report

CONFIGS = ("1D interval", "2D square", "3D box")


def _child(config):
    import jax
    import jax.numpy as jnp

    import pdesolve as pds
    from pdesolve import geometry as geo

    dim = CONFIGS.index(config) + 1
    domain = geo.Box((0.0,) * dim, (1.0,) * dim) if dim > 1 else geo.Interval(0.0, 1.0)
    exact = lambda x, t: jnp.exp(-0.5 * t) * jnp.sin(jnp.sum(x * jnp.arange(1, dim + 1)))
    problem = pds.AdvectionDiffusion.manufactured(domain, (0.0, 1.0), 0.1, (0.5,) * dim, exact)
    sol = pds.sfhcpinn.solve(problem, key=jax.random.PRNGKey(0), steps=100, widths=(8, 16, 8),
                             scales=(1, 2, 4, 8), n_interior=256, chunk=50, eval_every=50,
                             progress=False)
    info = sol.info
    print(json.dumps({"compile_s": info["compile_time_s"], "it_per_s": info["it_per_s"],
                      "rel_l2": info["relative_l2"]}))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", default="HEAD", help="git revision to compare with")
    parser.add_argument("--out", default=None)
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child)
        return
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    trees = {"now": root, "before": export_revision(root, args.before)}
    rows = []
    for config in CONFIGS:
        res = {}
        for side, tree in trees.items():
            env = {**os.environ, "PYTHONPATH": tree}
            proc = subprocess.run([sys.executable, __file__, "--child", config],
                                  capture_output=True, text=True, env=env, check=True)
            res[side] = json.loads(proc.stdout.strip().splitlines()[-1])
            res[side]["load"] = os.getloadavg()[0]
            print(config, side, res[side], flush=True)
        now, before = res["now"], res["before"]
        rows.append([config, f"{now['compile_s']:.1f}", f"{before['compile_s']:.1f}",
                     f"{before['compile_s'] / now['compile_s']:.1f}x", f"{now['rel_l2']:.2e}",
                     f"{before['rel_l2']:.2e}", f"{now['load']:.1f} / {before['load']:.1f}"])
    lines = [
        "# SFHCPINN compile time on boxes: now vs before", "",
        f"Machine: {platform.machine()}, {os.cpu_count()} CPU cores, {platform.platform()}; "
        f"Python {platform.python_version()}; float32; CPU only. Before = `{args.before}`, run "
        "back to back with the current tree; load average (1 min) after each run is listed.", "",
    ]
    lines += markdown_table(["config", "now compile s", "before compile s", "faster by",
                             "now rel. L2 (100 steps)", "before rel. L2", "load now / before"],
                            rows)
    print_report(lines, args.out)


if __name__ == "__main__":
    main()
