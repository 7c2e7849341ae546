"""SFHCPINN training speed vs a plain-JAX baseline (Python loop over subnets, jax.hessian).

Configurations from the issue: E2 (1D, 5000 interior points, 23 subnets, widths
(10, 20, 20, 10, 10)) and 2D (E8b square, 8000 interior points, input (x, y, t), widths
(10, 20, 20, 20, 10)). Both sides train the same hard-constrained loss (G + D·N, mean squared
residual) with Adam and fresh uniform points every step drawn on device; each (side, config)
runs in its own subprocess so its peak resident memory is its own.

    python benchmarks/pinn_speed.py [--steps 40] [--before REV] [--out FILE.md]

`--before REV` also times our solver as of git revision REV (exported with `git archive` to a
temporary folder), run back to back with the current tree, so a change is measured against
the code it replaces under the same load.
"""

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time

CONFIGS = {"E2": ("sfhcpinn_e2", 5000, (10, 20, 20, 10, 10)),
           "2D": ("sfhcpinn_e8b", 8000, (10, 20, 20, 20, 10))}


def _ours(case, n, widths, steps):
    import jax

    from pdesolve.examples.advection_diffusion import CASES, solve_case

    chunk = 10
    start = time.perf_counter()
    sol = solve_case(CASES[case], key=jax.random.PRNGKey(0), steps=steps + chunk, n_interior=n,
                     widths=widths, chunk=chunk, eval_every=10**6, progress=False)
    info = sol.info
    timed = info["train_time_s"] - info["compile_time_s"]
    return {"it_per_s": steps / timed, "compile_s": info["compile_time_s"],
            "total_s": time.perf_counter() - start}


def _baseline(case, n, widths, steps):
    """Plain JAX: per-point network with a Python loop over subnets, Laplacian by jax.hessian."""
    import jax
    import jax.numpy as jnp
    import optax

    from pdesolve.examples.advection_diffusion import CASES
    from pdesolve.pinn import FourierSubnets, hard_constraint
    from pdesolve.training import box_points, reference_schedule

    problem = CASES[case].problem()
    d = problem.dim
    net = FourierSubnets(d + 1, widths=widths)
    stacked = net.init(jax.random.PRNGKey(0))
    params = [jax.tree_util.tree_map(lambda a, k=k: a[k], stacked) for k in range(len(net.scales))]
    g_fn, d_fn = hard_constraint(problem)

    def subnet(p, a, z):
        h = a * (z @ p["first"])
        y = jnp.concatenate([jnp.cos(h), jnp.sin(h)])
        for layer in p["hidden"]:
            new = jnp.sin(y @ layer["w"] + layer["b"])
            y = new + y if new.shape == y.shape else new
        return (y @ p["out_w"] + p["out_b"]) / a

    def u(params, x, t):
        z = jnp.concatenate([x, t[None]])
        out = sum(subnet(p, a, z) for p, a in zip(params, net.scales, strict=True))
        return g_fn(x, t) + d_fn(x, t) * out / len(params)

    kappa = jnp.asarray(problem.diffusivity, jnp.float32)
    vel = jnp.asarray(problem.velocity, jnp.float32)

    def residual(params, x, t):
        hess = jax.hessian(u, argnums=1)(params, x, t)
        grad = jax.grad(u, argnums=1)(params, x, t)
        u_t = jax.grad(u, argnums=2)(params, x, t)
        return u_t + vel @ grad - jnp.sum(kappa * jnp.diag(hess)) - problem.source(x, t)

    lo, hi = problem.domain.bbox
    t0, t1 = problem.t_span
    opt = optax.adam(reference_schedule())

    @jax.jit
    def step(params, state, key):
        kx, kt = jax.random.split(key)
        x = box_points(kx, n, lo, hi)
        t = jax.random.uniform(kt, (n,), jnp.float32, t0, t1)
        loss = lambda p: jnp.mean(jax.vmap(residual, (None, 0, 0))(p, x, t) ** 2)
        value, grads = jax.value_and_grad(loss)(params)
        updates, state = opt.update(grads, state, params)
        return optax.apply_updates(params, updates), state, value

    state = opt.init(params)
    key = jax.random.PRNGKey(1)
    tic = time.perf_counter()
    params, state, value = step(params, state, key)
    value.block_until_ready()
    compile_s = time.perf_counter() - tic
    tic = time.perf_counter()
    for i in range(steps):
        params, state, value = step(params, state, jax.random.fold_in(key, i))
    value.block_until_ready()
    return {"it_per_s": steps / (time.perf_counter() - tic), "compile_s": compile_s}


def _child(side, config, steps):
    case, n, widths = CONFIGS[config]
    out = (_ours if side == "ours" else _baseline)(case, n, widths, steps)
    out["peak_rss_gib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    print(json.dumps(out))


def export_revision(root: str, revision: str) -> str:
    """Export git `revision` of the repository at `root` to a new temporary folder; its path."""
    folder = tempfile.mkdtemp(prefix="pdesolve_before_")
    archive = subprocess.run(["git", "-C", root, "archive", revision],
                             capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", folder], input=archive, check=True)
    return folder


def print_report(lines: list[str], out: str | None) -> None:
    """Print the report's lines and, when `out` is given, write them to that file."""
    text = "\n".join(lines) + "\n"
    print(text)
    if out:
        with open(out, "w") as f:
            f.write(text)


def markdown_table(header, rows) -> list[str]:
    """Markdown table lines from a header and rows of cell strings."""
    return (["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
            + ["| " + " | ".join(str(c) for c in row) + " |" for row in rows])

def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=40)
    parser.add_argument("--baseline-steps", type=int, default=5)
    parser.add_argument("--configs", default="E2,2D")
    parser.add_argument("--before", default=None, help="git revision to time as 'ours before'")
    parser.add_argument("--out", default=None)
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child[0], args.child[1], int(args.child[2]))
        return
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    trees = {"ours": root, "baseline": root}
    sides = [("ours", args.steps), ("baseline", args.baseline_steps)]
    if args.before:
        trees["before"] = export_revision(root, args.before)
        sides.insert(1, ("before", args.steps))
    rows = []
    for config in args.configs.split(","):
        res = {}
        for side, steps in sides:
            load = os.getloadavg()[0]
            env = {**os.environ, "PYTHONPATH": trees[side]}
            kind = "baseline" if side == "baseline" else "ours"
            proc = subprocess.run([sys.executable, __file__, "--child", kind, config, str(steps)],
                                  capture_output=True, text=True, env=env, check=True)
            res[side] = json.loads(proc.stdout.strip().splitlines()[-1])
            res[side]["load"] = load
            res[side]["steps"] = steps
            print(config, side, res[side], flush=True)
        rows.append((config, res))
    lines = [
        "# SFHCPINN training speed vs plain-JAX baseline",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} CPU cores, {platform.platform()}; "
        f"Python {platform.python_version()}; float32; CPU only (no GPU). Load average "
        "(1 min) at the start of each run is listed: the cores were shared with other jobs, so "
        "absolute speeds are noisy; the ratio is measured back to back.",
        "",
    ]
    lines += markdown_table(
        ["config", "points", "ours it/s", "baseline it/s", "speed-up", "ours compile s",
         "baseline compile s", "ours peak RSS GiB", "baseline peak RSS GiB",
         "load ours / baseline"],
        [[config, CONFIGS[config][1], f"{o['it_per_s']:.2f}", f"{b['it_per_s']:.3f}",
          f"{o['it_per_s'] / b['it_per_s']:.1f}x", f"{o['compile_s']:.1f}",
          f"{b['compile_s']:.1f}", f"{o['peak_rss_gib']:.2f}", f"{b['peak_rss_gib']:.2f}",
          f"{o['load']:.1f} / {b['load']:.1f}"]
         for config, o, b in ((c, r["ours"], r["baseline"]) for c, r in rows)])
    if args.before:
        lines += [
            "",
            f"Ours now vs ours at `{args.before}` (same run, back to back):",
            "",
        ]
        lines += markdown_table(
            ["config", "now it/s", "before it/s", "ratio", "now / before peak RSS GiB",
             "now / before compile s", "load now / before"],
            [[config, f"{o['it_per_s']:.2f}", f"{p['it_per_s']:.2f}",
              f"{o['it_per_s'] / p['it_per_s']:.2f}x",
              f"{o['peak_rss_gib']:.2f} / {p['peak_rss_gib']:.2f}",
              f"{o['compile_s']:.1f} / {p['compile_s']:.1f}", f"{o['load']:.1f} / {p['load']:.1f}"]
             for config, o, p in ((c, r["ours"], r["before"]) for c, r in rows)])
    lines += [
        "",
        "Reference (authors' PyTorch code, 2 threads, same configurations, from the issue): "
        "1.5–2.4 it/s (E2) and 1.05 it/s with 4.2 GiB (2D). "
        "Targets: ≥ 17 it/s (E2), ≥ 10 it/s (2D).",
        f"Timed steps: ours {args.steps} (after a compiled warm-up chunk), baseline "
        f"{args.baseline_steps} (after one compiled step).",
    ]
    print_report(lines, args.out)


if __name__ == "__main__":
    main()
