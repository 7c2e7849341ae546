"""Laplacian of an MLP: `pdesolve.operators.laplacian` against `jnp.trace(jax.hessian(u))`.

    python benchmarks/laplacian.py [--points 4096] [--width 64] [--repeats 7] [--dtype float64]

u is a 3-hidden-layer tanh MLP (width 64) of one point; each method is `jit(vmap(...))` over
the points, compiled once, then timed warm (median and fastest of `--repeats` runs, methods
taking turns). Methods:

- hessian: `jnp.trace(jax.hessian(u)(x))` (forward-over-reverse full Hessian), the reference;
- fwd-fwd full: trace of the forward-over-forward full Hessian `jacfwd(jacfwd(u))`;
- fwd-fwd: `operators.laplacian`, forward-over-forward, one directional pass per axis;
- fwd-rev: Σ_k e_kᵀ ∂(∇u)/∂x e_k, one Hessian-vector product per axis;
- jet: Taylor mode (`jax.experimental.jet`), one second-order jet per axis.

Every method must agree with the Hessian trace (checked before timing). Prints one table row
per (dimension, method) with the time ratios to the Hessian trace; on a loaded machine the
fastest run is the steadier measure.
"""

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import jax
import jax.numpy as jnp
from jax.experimental import jet

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from pdesolve import operators  # noqa: E402


def mlp(key, dim, width, depth=3):
    """Parameters and the scalar function u(x) of a tanh MLP with `depth` hidden layers."""
    sizes = [dim] + [width] * depth + [1]
    keys = jax.random.split(key, len(sizes) - 1)
    params = [
        (jax.random.normal(k, (m, n)) / jnp.sqrt(m), jnp.zeros(n))
        for k, m, n in zip(keys, sizes[:-1], sizes[1:], strict=True)
    ]

    def u(x):
        h = x
        for w, b in params[:-1]:
            h = jnp.tanh(h @ w + b)
        w, b = params[-1]
        return (h @ w + b)[0]

    return u


def methods(u):
    def hessian_trace(x):
        return jnp.trace(jax.hessian(u)(x))

    def fwd_rev(x):
        grad = jax.grad(u)
        eye = jnp.eye(x.shape[0], dtype=x.dtype)
        return jnp.sum(jax.vmap(lambda e: jnp.dot(jax.jvp(grad, (x,), (e,))[1], e))(eye))

    def taylor(x):
        eye = jnp.eye(x.shape[0], dtype=x.dtype)
        second = lambda e: jet.jet(u, (x,), ((e, jnp.zeros_like(e)),))[1][1]
        return jnp.sum(jax.vmap(second)(eye))

    def fwd_fwd_full(x):
        return jnp.trace(jax.jacfwd(jax.jacfwd(u))(x))

    return {
        "hessian": hessian_trace,
        "fwd-fwd full": fwd_fwd_full,
        "fwd-fwd": operators.laplacian(u),
        "fwd-rev": fwd_rev,
        "jet": taylor,
    }


def time_all(fns, x, repeats):
    """(median, fastest) warm time of each function; the methods take turns so that changes in
    machine load hit all of them alike."""
    times = {name: [] for name in fns}
    for _ in range(repeats):
        for name, fn in fns.items():
            start = time.perf_counter()
            fn(x).block_until_ready()
            times[name].append(time.perf_counter() - start)
    return {name: (statistics.median(t), min(t)) for name, t in times.items()}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=4096)
    parser.add_argument("--width", type=int, default=64)
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--dtype", choices=["float32", "float64"], default="float64")
    args = parser.parse_args(argv)
    if args.dtype == "float64":
        jax.config.update("jax_enable_x64", True)
    dtype = jnp.dtype(args.dtype)
    load = os.getloadavg()
    print(
        f"# {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
        f"jax {jax.__version__} on {jax.devices()[0].platform}, {args.dtype}, "
        f"{args.points} points, width {args.width}, load {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    )
    print(
        "| dim | method | median (ms) | median / hessian | fastest (ms) | fastest / hessian "
        "| max abs diff to hessian |"
    )
    print("|---|---|---|---|---|---|---|")
    key = jax.random.PRNGKey(0)
    for dim in (2, 3):
        u = mlp(jax.random.fold_in(key, dim), dim, args.width)
        x = jax.random.uniform(jax.random.fold_in(key, 10 + dim), (args.points, dim), dtype=dtype)
        fns = {name: jax.jit(jax.vmap(f)) for name, f in methods(u).items()}
        ref = fns["hessian"](x)
        scale = float(jnp.max(jnp.abs(ref)))
        tol = (1e-10 if dtype == jnp.float64 else 1e-4) * scale
        diffs = {}
        for name, fn in fns.items():
            diffs[name] = float(jnp.max(jnp.abs(fn(x) - ref)))  # also compiles and warms up
            if diffs[name] > tol:
                raise AssertionError(
                    f"{name} disagrees with the Hessian trace by {diffs[name]:.2e}"
                )
        timings = time_all(fns, x, args.repeats)
        base, base_min = timings["hessian"]
        for name, (t, t_min) in timings.items():
            print(
                f"| {dim} | {name} | {1e3 * t:.2f} | {t / base:.2f} | {1e3 * t_min:.2f} | "
                f"{t_min / base_min:.2f} | {diffs[name]:.1e} |"
            )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
