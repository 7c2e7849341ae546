"""Feature-matrix assembly: closed-form ridge derivatives vs forward-mode autodiff.

Run: `python benchmarks/celm_assembly.py [--n 16384] [--m 1000]`.

Builds the (n, M) matrices Δφ_j(x_i) and Δ²φ_j(x_i) for sin features in 2D both ways, in the
same process, after one warm-up call each (compile time reported separately), checks that they
agree, and prints the ratio. Closed form: Δφ = σ''(z)|w|², Δ²φ = σ''''(z)|w|⁴. Autodiff: the
feature map x ↦ σ(Wx + b) ∈ R^M differentiated by forward-over-forward passes per axis
(`pdesolve.operators`-style), vmapped over points.
"""

import argparse
import os
import time

import jax
import jax.numpy as jnp
import numpy as np

jax.config.update("jax_enable_x64", True)

from pdesolve.elm import apply_operator  # noqa: E402


def autodiff_laplacian(w, b, x):
    phi = lambda y: jnp.sin(w @ y + b)

    def lap(y):
        def second(e):
            first = lambda z: jax.jvp(phi, (z,), (e,))[1]
            return jax.jvp(first, (y,), (e,))[1]

        return jnp.sum(jax.vmap(second)(jnp.eye(y.shape[0])), axis=0)

    return jax.vmap(lap)(x)


def autodiff_bilaplacian(w, b, x):
    phi = lambda y: jnp.sin(w @ y + b)

    def lap_of(fn):
        def lap(y):
            def second(e):
                first = lambda z: jax.jvp(fn, (z,), (e,))[1]
                return jax.jvp(first, (y,), (e,))[1]

            return jnp.sum(jax.vmap(second)(jnp.eye(y.shape[0])), axis=0)

        return lap

    return jax.vmap(lap_of(lap_of(phi)))(x)


def timed(fn, *args, repeats=3):
    start = time.perf_counter()
    fn(*args).block_until_ready()
    first = time.perf_counter() - start
    best = np.inf
    for _ in range(repeats):
        start = time.perf_counter()
        out = fn(*args).block_until_ready()
        best = min(best, time.perf_counter() - start)
    return out, first, best


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=16384)
    parser.add_argument("--m", type=int, default=1000)
    args = parser.parse_args(argv)
    key = jax.random.PRNGKey(0)
    kw, kb, kx = jax.random.split(key, 3)
    w = jax.random.uniform(kw, (args.m, 2), minval=-8, maxval=8)
    b = jax.random.uniform(kb, (args.m,), minval=-8, maxval=8)
    x = jax.random.uniform(kx, (args.n, 2), minval=-1, maxval=1)
    print(f"load average {os.getloadavg()}; n = {args.n}, M = {args.m}, sin features, 2D")
    print("| operator | closed form (s) | autodiff (s) | speed-up | compile closed / autodiff (s) "
          "| max rel. difference |")
    print("|---|---|---|---|---|---|")
    for op, auto in (("laplacian", autodiff_laplacian), ("bilaplacian", autodiff_bilaplacian)):
        closed = jax.jit(lambda w, b, x, op=op: apply_operator(w, b, "sin", op, x))
        a, fa, ta = timed(closed, w, b, x)
        c, fc, tc = timed(jax.jit(auto), w, b, x)
        diff = float(jnp.max(jnp.abs(a - c)) / jnp.max(jnp.abs(c)))
        print(f"| {op} | {ta:.3f} | {tc:.3f} | {tc / ta:.1f}× | {fa:.2f} / {fc:.2f} | {diff:.1e} |")


if __name__ == "__main__":
    main()
