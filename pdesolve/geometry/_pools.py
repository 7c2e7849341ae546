"""Fixed host pools of a domain's points, and the device samplers that pick rows from them.

Shapes that cannot be sampled exactly on device (all but boxes) draw max(20 n, 20000) points
once on the host (interior: rejection sampling; boundary: `sample_boundary`, split into parts by
`classify_boundary`) with a fixed key, kept per domain and pool size. A device sampler then picks
n rows uniformly with replacement by its key, so repeated fits see the same pool (and share
their compiled steps) while every step draws fresh rows.
"""

import weakref

import jax
import jax.numpy as jnp
import numpy as np

from ._device_sampling import pool_size, pool_subset, stacked
from ._sampling import proportional_counts

POOL_KEY = 0
_POOLS = weakref.WeakKeyDictionary()  # domain -> {(kind, size): pool}


def interior_pool(domain, size: int) -> np.ndarray:
    """The fixed pool of `size` interior points of `domain`, float64 (size, d)."""
    key = jax.random.split(jax.random.PRNGKey(POOL_KEY))[0]
    return _pooled(domain, ("interior", size), lambda: domain.sample_interior(size, key=key))


def boundary_pool(domain, size: int):
    """`(points, normals, part)` of the fixed pool of `size` boundary points of `domain`, with
    the index into `boundary_parts()` of each point's part."""
    key = jax.random.split(jax.random.PRNGKey(POOL_KEY))[1]

    def draw():
        points, normals = domain.sample_boundary(size, key=key)
        return points, normals, domain.classify_boundary(points)

    return _pooled(domain, ("boundary", size), draw)


def pooled_sampler(domain, n: int, dtype):
    """key ↦ `n` rows of the interior pool of size `pool_size(n)`."""
    pool = jnp.asarray(interior_pool(domain, pool_size(n)), dtype)
    return lambda key: pool_subset(key, (pool,), n)[0]


def pooled_boundary_counts(domain, n: int, parts) -> tuple[int, ...]:
    """`n` split over `parts` in proportion to their shares of the boundary pool (parts with
    no pool point, and parts not chosen, get 0)."""
    _, _, which = boundary_pool(domain, pool_size(n))
    present = [i for i in parts if np.any(which == i)]
    counts = np.zeros(len(domain.boundary_parts()), dtype=int)
    counts[present] = proportional_counts(n, [np.sum(which == i) for i in present])
    return tuple(int(c) for c in counts)


def pooled_boundary_sampler(domain, counts, dtype):
    """key ↦ `counts[i]` rows of part i's share of the boundary pool, for every part in order,
    with their normals (each part its own key)."""
    points, normals, which = boundary_pool(domain, pool_size(sum(counts)))

    def part(i, count):
        pool = (jnp.asarray(points[which == i], dtype), jnp.asarray(normals[which == i], dtype))
        return lambda key: pool_subset(key, pool, count)

    return stacked([part(i, count) for i, count in enumerate(counts) if count])


def _pooled(domain, name, draw):
    """`draw()` once per domain and `name` (kept while the domain lives)."""
    pools = _POOLS.setdefault(domain, {})
    if name not in pools:
        pools[name] = draw()
    return pools[name]
