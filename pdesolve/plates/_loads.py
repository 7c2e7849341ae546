"""Transverse loads q(x) for plates: uniform, patches, and a regularised point force."""

import math

import jax.numpy as jnp
import numpy as np


def _finite(value, name):
    if not (isinstance(value, (int, float)) and math.isfinite(value)):
        raise ValueError(f"{name} must be a finite number, got {value!r}.")
    return float(value)


def _point(value, name):
    arr = np.asarray(value, dtype=float)
    if arr.shape != (2,) or not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be a finite point (x, y), got {value!r}.")
    return arr


def uniform(q: float):
    """q(x) = q everywhere."""
    q = _finite(q, "q")
    return lambda x: jnp.full((), q, dtype=jnp.result_type(x))


def rectangle_patch(q: float, lo, hi):
    """q(x) = q on the rectangle lo ≤ x ≤ hi, 0 elsewhere (discontinuous at its edges).

    Raises:
        ValueError: a non-finite q, or lo not below hi in both coordinates.
    """
    q, lo, hi = _finite(q, "q"), _point(lo, "lo"), _point(hi, "hi")
    if np.any(hi <= lo):
        raise ValueError(f"rectangle_patch needs lo < hi in both coordinates, got lo={lo.tolist()}"
                         f", hi={hi.tolist()}.")

    def load(x):
        inside = jnp.all((x >= lo) & (x <= hi))
        return jnp.where(inside, q, 0.0).astype(jnp.result_type(x))

    return load


def disk_patch(q: float, centre, radius: float):
    """q(x) = q on the disk |x − centre| ≤ radius, 0 elsewhere.

    Raises:
        ValueError: non-finite values or radius ≤ 0.
    """
    q, centre, radius = _finite(q, "q"), _point(centre, "centre"), _finite(radius, "radius")
    if radius <= 0:
        raise ValueError(f"radius must be > 0, got {radius!r}.")

    def load(x):
        return jnp.where(jnp.sum((x - centre) ** 2) <= radius**2, q, 0.0).astype(
            jnp.result_type(x))

    return load


def concentrated(force: float, at, width: float):
    """A point force P at `at`, regularised as a Gaussian of standard deviation `width`:

        q(x) = P / (2π ε²) · exp(−|x − at|² / (2 ε²)),  ∫ q = P (on the whole plane),

    so the load is smooth and the biharmonic solution converges; as ε → 0 the deflection tends
    to the point-force solution (finite in 2D: w ~ P r² log r / (8πD) near the force) with an
    O(ε² log ε) error. Keep the Gaussian well inside the plate (a few ε from every edge).

    Raises:
        ValueError: non-finite values or width ≤ 0.
    """
    force, at, width = _finite(force, "force"), _point(at, "at"), _finite(width, "width")
    if width <= 0:
        raise ValueError(f"width (ε) must be > 0, got {width!r}; it regularises the point "
                         "force, e.g. 1 % of the plate size.")
    peak = force / (2.0 * math.pi * width**2)

    def load(x):
        return peak * jnp.exp(-jnp.sum((x - at) ** 2) / (2.0 * width**2))

    return load
