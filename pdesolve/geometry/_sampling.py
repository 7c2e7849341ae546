"""Unit-cube point sets for every sampling method, drawn reproducibly from a JAX key."""

import warnings

import jax
import numpy as np


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
        engine = qmc.Sobol(dim, scramble=True, seed=seed)
    elif method == "halton":
        engine = qmc.Halton(dim, scramble=True, seed=seed)
    else:
        engine = qmc.LatinHypercube(dim, seed=seed)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*balance properties.*")
        return engine.random(n)


def proportional_counts(n: int, weights) -> list[int]:
    """Split n into integer counts proportional to weights (largest remainders get the rest)."""
    weights = np.asarray(weights, dtype=np.float64)
    exact = n * weights / weights.sum()
    counts = np.floor(exact).astype(int)
    rest = n - counts.sum()
    counts[np.argsort(counts - exact)[:rest]] += 1
    return counts.tolist()
