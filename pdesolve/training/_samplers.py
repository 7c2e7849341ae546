"""Collocation points drawn on device inside a jitted step: boxes directly, other shapes from pools.

All functions are pure in their PRNG key and traceable, so a scanned training step draws fresh
points every iteration without leaving the device.
"""

import warnings

import jax
import jax.numpy as jnp
import numpy as np

DEVICE_METHODS = ("random", "lhs", "sobol")


def check_device_method(method) -> str:
    """One of the on-device sampling methods."""
    if method not in DEVICE_METHODS:
        raise ValueError(
            f"sampling must be one of {DEVICE_METHODS} for on-device sampling, got {method!r}."
        )
    return method


def unit_points(key, n: int, dim: int, method: str = "random", dtype=jnp.float32):
    """`n` points in [0, 1)^dim drawn on device.

    Methods: "random" (uniform), "lhs" (Latin hypercube: one point per 1/n slab in every
    axis, slabs randomly permuted per axis), "sobol" (a fixed Sobol' set of n points, built
    once on the host, shifted by a random vector modulo 1 each call — a randomised QMC set).

    Args:
        key: PRNG key.
        n: number of points.
        dim: dimension.
        method: "random", "lhs" or "sobol".
        dtype: floating dtype of the result.

    Returns:
        Array of shape (n, dim).
    """
    if dim == 0:
        return jnp.zeros((n, 0), dtype)
    if method == "random":
        return jax.random.uniform(key, (n, dim), dtype)
    if method == "lhs":
        kp, ku = jax.random.split(key)
        perms = jax.vmap(lambda k: jax.random.permutation(k, n))(jax.random.split(kp, dim)).T
        return ((perms + jax.random.uniform(ku, (n, dim))) / n).astype(dtype)
    if method == "sobol":
        from scipy.stats import qmc  # imported here: scipy.stats adds ~1 s to `import pdesolve`

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            base = jnp.asarray(qmc.Sobol(dim, scramble=False).random(n), dtype)
        shift = jax.random.uniform(key, (dim,), dtype)
        return jnp.mod(base + shift, 1.0)
    raise ValueError(f"method must be one of {DEVICE_METHODS}, got {method!r}.")


def box_points(key, n: int, lo, hi, method: str = "random", dtype=jnp.float32):
    """`n` points in the box [lo, hi] (lo, hi of shape (dim,)), drawn on device."""
    lo, hi = np.asarray(lo, np.float64), np.asarray(hi, np.float64)
    unit = unit_points(key, n, lo.shape[0], method, dtype)
    return jnp.asarray(lo, dtype) + jnp.asarray(hi - lo, dtype) * unit


def pool_subset(key, pool, n: int):
    """`n` rows drawn uniformly with replacement from each array of the tuple `pool`."""
    size = pool[0].shape[0]
    idx = jax.random.randint(key, (n,), 0, size)
    return tuple(p[idx] for p in pool)
