"""Unit-cube point sets, drawn reproducibly from a JAX key: on the host for every sampling
method (`unit_cube`), and on device inside traced code for the device methods (`unit_points`)."""

import warnings

import jax
import jax.numpy as jnp
import numpy as np

DEVICE_METHODS = ("random", "lhs", "sobol")


def seed_from_key(key) -> int:
    """A deterministic integer seed for NumPy/SciPy generators, derived from a JAX key."""
    return int(jax.random.randint(key, (), 0, np.iinfo(np.int32).max))


def grid_side(n: int, dim: int) -> int:
    """The number of grid points per axis when `n` points form a full grid in `dim` axes.

    Raises:
        ValueError: `n` is not a perfect `dim`-th power.
    """
    side = int(round(n ** (1.0 / dim)))
    if side**dim != n:
        lower, upper = max(side - 1, 1) ** dim, (side + 1) ** dim
        raise ValueError(
            f"method='grid' needs n to be a perfect power m**{dim} in {dim} dimensions, got n={n}; "
            f"use e.g. n={side**dim if side**dim < n else lower} or n={upper}, or another method."
        )
    return side


def unit_cube(n: int, dim: int, *, key, method: str) -> np.ndarray:
    """`n` points in [0, 1)^dim as float64.

    Args:
        n: number of points.
        dim: dimension (0 gives an (n, 0) array).
        key: JAX PRNG key; the same key gives the same points.
        method: "random" (uniform), "sobol" (scrambled), "halton" (scrambled), "lhs" (Latin
            hypercube) or "grid" (cell-centred tensor grid; n must be a perfect dim-th power).

    Returns:
        Array of shape (n, dim).
    """
    if dim == 0:
        return np.zeros((n, 0))
    if method == "random":
        return np.random.default_rng(seed_from_key(key)).random((n, dim))
    if method == "grid":
        side = grid_side(n, dim)
        axis = (np.arange(side) + 0.5) / side
        mesh = np.meshgrid(*([axis] * dim), indexing="ij")
        return np.stack([m.ravel() for m in mesh], axis=1)
    from scipy.stats import qmc  # imported here: scipy.stats adds ~1 s to `import pdesolve`

    seed = seed_from_key(key)
    if method == "sobol":
        return _sobol(n, dim, scramble=True, seed=seed)
    if method == "halton":
        engine = qmc.Halton(dim, scramble=True, seed=seed)
    else:
        engine = qmc.LatinHypercube(dim, seed=seed)
    return engine.random(n)


def _sobol(n: int, dim: int, *, scramble: bool, seed=None) -> np.ndarray:
    """The first `n` points of a (scrambled or plain) Sobol' sequence in [0, 1)^dim.

    n need not be a power of two (SciPy's balance warning for that is silenced).
    """
    from scipy.stats import qmc  # imported here: scipy.stats adds ~1 s to `import pdesolve`

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*balance properties.*")
        return qmc.Sobol(dim, scramble=scramble, seed=seed).random(n)


def check_device_method(method) -> str:
    """`method` if it is one of the on-device sampling methods `DEVICE_METHODS`.

    Raises:
        ValueError: `method` is not "random", "lhs" or "sobol".
    """
    if method not in DEVICE_METHODS:
        raise ValueError(
            f"sampling must be one of {DEVICE_METHODS} for on-device sampling, got {method!r}."
        )
    return method


def unit_points(key, n: int, dim: int, method: str = "random", dtype=jnp.float32):
    """`n` points in [0, 1)^dim drawn on device (pure in `key`, traceable).

    Methods: "random" (uniform), "lhs" (Latin hypercube: one point per 1/n slab in every
    axis, slabs randomly permuted per axis), "sobol" (the first n points of the plain Sobol'
    sequence, built once on the host, shifted by a uniform random vector modulo 1 each call —
    a randomised QMC set; `unit_cube` scrambles on the host instead).

    Args:
        key: PRNG key.
        n: number of points.
        dim: dimension.
        method: "random", "lhs" or "sobol".
        dtype: floating dtype of the result.

    Returns:
        Array of shape (n, dim).

    Raises:
        ValueError: `method` is not a device method.
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
        base = jnp.asarray(_sobol(n, dim, scramble=False), dtype)
        shift = jax.random.uniform(key, (dim,), dtype)
        return jnp.mod(base + shift, 1.0)
    raise ValueError(f"method must be one of {DEVICE_METHODS}, got {method!r}.")


def proportional_counts(n: int, weights) -> list[int]:
    """Split n into integer counts proportional to weights (largest remainders get the rest)."""
    weights = np.asarray(weights, dtype=np.float64)
    exact = n * weights / weights.sum()
    counts = np.floor(exact).astype(int)
    rest = n - counts.sum()
    counts[np.argsort(counts - exact)[:rest]] += 1
    return counts.tolist()
