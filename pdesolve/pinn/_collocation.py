"""Per-step collocation batches for an advection–diffusion problem, drawn on device.

A batch is a dict of arrays: "x", "t" (interior), "bx", "bt", "bn" (boundary points, times and
outward normals) and "ix" (points of the initial slice). The boundary rows come in static
segments, one per boundary part, so each part's data function applies to its own slice.
"""

import dataclasses

import jax
import jax.numpy as jnp
import numpy as np

from ..geometry import Box, classify_boundary
from ..geometry._sampling import proportional_counts
from ..training._samplers import box_points, pool_subset, unit_points

POOL_FACTOR = 20


@dataclasses.dataclass(frozen=True)
class Segment:
    """Rows [start, stop) of the boundary batch belong to one part with this condition."""

    start: int
    stop: int
    kind: str
    fn: object
    part: int


def _face_counts(domain, n, parts):
    """Static point counts per face (only the faces listed in `parts`), by face measure."""
    d = domain.dim
    sides = domain.hi - domain.lo
    areas = np.array(
        [np.prod(np.delete(sides, k)) if d > 1 else 1.0 for k in range(d) for _ in (0, 1)]
    )
    mask = np.array([i in parts for i in range(2 * d)], dtype=float)
    counts = np.zeros(2 * d, dtype=int)
    chosen = np.nonzero(mask)[0]
    counts[chosen] = proportional_counts(n, areas[chosen])
    return counts


def make_sampler(problem, *, n_interior, n_boundary, n_initial, soft, method, dtype, key):
    """A pure function `sample(key) -> (batch, segments)` and the static boundary segments.

    Args:
        problem: an `AdvectionDiffusion`.
        n_interior, n_boundary, n_initial: batch sizes (boundary: spread over the parts that
            need points; initial: only used by soft-constraint variants).
        soft: True when Dirichlet and initial data are penalties (then those rows are drawn).
        method: "random", "lhs" or "sobol" (on device).
        dtype: floating dtype.
        key: PRNG key for the host pools of non-box domains (drawn once).

    Returns:
        `(sample, segments)`.
    """
    domain = problem.domain
    timed = not problem.steady
    t0, t1 = problem.t_span if timed else (0.0, 0.0)
    wanted = [
        i for i, (kind, _) in enumerate(problem.conditions) if soft or kind == "neumann"
    ]
    segments, box = [], isinstance(domain, Box)
    if box and wanted:
        counts = _face_counts(domain, n_boundary, wanted)
        start = 0
        for i in wanted:
            if counts[i]:
                kind, fn = problem.conditions[i]
                segments.append(Segment(start, start + int(counts[i]), kind, fn, i))
                start += int(counts[i])
    pools = []
    if not box:
        kp, kb = jax.random.split(key)
        interior_pool = jnp.asarray(
            domain.sample_interior(max(POOL_FACTOR * n_interior, 20000), key=kp), dtype
        )
        if wanted:
            segments, pools = _part_pools(problem, wanted, n_boundary, kb, dtype)
    n_bnd = segments[-1].stop if segments else 0
    lo, hi = domain.bbox

    def times(key, n):
        return t0 + (t1 - t0) * unit_points(key, n, 1, method, dtype)[:, 0]

    def sample(key):
        keys = jax.random.split(key, 6)
        batch = {}
        if box:
            batch["x"] = box_points(keys[0], n_interior, lo, hi, method, dtype)
        else:
            (batch["x"],) = pool_subset(keys[0], (interior_pool,), n_interior)
        if timed:
            batch["t"] = times(keys[1], n_interior)
        if n_bnd:
            if box:
                bx, bn = _box_faces(keys[2], domain, segments, method, dtype)
            else:
                drawn = [
                    pool_subset(k, pool, seg.stop - seg.start)
                    for k, pool, seg in zip(
                        jax.random.split(keys[2], len(pools)), pools, segments, strict=True
                    )
                ]
                bx = jnp.concatenate([p for p, _ in drawn])
                bn = jnp.concatenate([q for _, q in drawn])
            batch["bx"], batch["bn"] = bx, bn
            if timed:
                batch["bt"] = times(keys[3], n_bnd)
        if soft and timed:
            if box:
                batch["ix"] = box_points(keys[4], n_initial, lo, hi, method, dtype)
            else:
                (batch["ix"],) = pool_subset(keys[4], (interior_pool,), n_initial)
        return batch

    return sample, tuple(segments)


def _box_faces(key, domain, segments, method, dtype):
    d = domain.dim
    lo, hi = domain.lo, domain.hi
    keys = jax.random.split(key, len(segments))
    xs, ns = [], []
    for k, seg in zip(keys, segments, strict=True):
        axis, side = divmod(seg.part, 2)
        count = seg.stop - seg.start
        pts = box_points(k, count, lo, hi, method, dtype)
        pts = pts.at[:, axis].set(float(hi[axis] if side else lo[axis]))
        normal = np.zeros(d)
        normal[axis] = 1.0 if side else -1.0
        xs.append(pts)
        ns.append(jnp.broadcast_to(jnp.asarray(normal, dtype), (count, d)))
    return jnp.concatenate(xs), jnp.concatenate(ns)


def _part_pools(problem, wanted, n_boundary, key, dtype):
    """Segments and host-drawn (points, normals) pools for the wanted parts of a non-box domain.

    One boundary pool is drawn and split by `classify_boundary`; each part gets a static share
    of `n_boundary` in proportion to its share of the pool (its boundary measure).
    """
    domain = problem.domain
    points, normals = domain.sample_boundary(max(POOL_FACTOR * n_boundary, 20000), key=key)
    which = classify_boundary(domain, points)
    present = [i for i in wanted if np.any(which == i)]
    counts = proportional_counts(n_boundary, np.array([np.sum(which == i) for i in present]))
    segments, pools, start = [], [], 0
    for i, count in zip(present, counts, strict=True):
        if count:
            kind, fn = problem.conditions[i]
            segments.append(Segment(start, start + int(count), kind, fn, i))
            mask = which == i
            pools.append((jnp.asarray(points[mask], dtype), jnp.asarray(normals[mask], dtype)))
            start += int(count)
    return segments, pools
