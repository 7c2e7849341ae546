"""Points drawn on device inside a jitted step: boxes directly, other shapes from fixed pools.

All functions are pure in their PRNG key and traceable, so a scanned training step draws fresh
points every iteration without leaving the device. `Domain.sampler` and
`Domain.boundary_sampler` are built from them.
"""

import jax
import jax.numpy as jnp
import numpy as np

from ._sampling import unit_points

# a pool holds POOL_FACTOR × n points (at least MIN_POOL), drawn once on the host (`_pools`)
POOL_FACTOR = 20
MIN_POOL = 20000


def box_points(key, n: int, lo, hi, method: str = "random", dtype=jnp.float32):
    """`n` points in the box [lo, hi] drawn on device: lo + (hi − lo) ⊙ u, u from `unit_points`.

    Args:
        key: PRNG key.
        n: number of points.
        lo, hi: corners of shape (dim,).
        method: "random", "lhs" or "sobol".
        dtype: floating dtype of the result.

    Returns:
        Array of shape (n, dim).
    """
    lo, hi = np.asarray(lo, np.float64), np.asarray(hi, np.float64)
    unit = unit_points(key, n, lo.shape[0], method, dtype)
    return jnp.asarray(lo, dtype) + jnp.asarray(hi - lo, dtype) * unit


def pool_subset(key, pool, n: int):
    """`n` rows drawn uniformly with replacement from each array of the tuple `pool` (the same
    rows of every array, so points keep their normals)."""
    size = pool[0].shape[0]
    idx = jax.random.randint(key, (n,), 0, size)
    return tuple(p[idx] for p in pool)


def pool_size(n: int) -> int:
    """Rows of the host pool behind a pooled sampler of `n` points."""
    return max(POOL_FACTOR * n, MIN_POOL)


def stacked(samplers):
    """key ↦ the (points, normals) of every sampler in `samplers`, concatenated in order; each
    sampler gets its own key split from `key`."""

    def sample(key):
        drawn = [draw(k) for k, draw in zip(jax.random.split(key, len(samplers)), samplers,
                                            strict=True)]
        return jnp.concatenate([p for p, _ in drawn]), jnp.concatenate([q for _, q in drawn])

    return sample


def box_face_sampler(lo, hi, axis: int, side: int, n: int, method: str, dtype):
    """key ↦ `n` points and outward normals on the face x_axis = (hi if side else lo) of the
    box [lo, hi]: box points with that coordinate pinned."""
    lo, hi = np.asarray(lo, np.float64), np.asarray(hi, np.float64)
    value = float(hi[axis] if side else lo[axis])
    normal = np.zeros(lo.shape[0])
    normal[axis] = 1.0 if side else -1.0

    def sample(key):
        points = box_points(key, n, lo, hi, method, dtype).at[:, axis].set(value)
        return points, jnp.broadcast_to(jnp.asarray(normal, dtype), (n, lo.shape[0]))

    return sample
