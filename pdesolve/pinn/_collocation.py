"""Per-step collocation batches for an advection–diffusion problem, drawn on device.

A batch is a dict of arrays: "x", "t" (interior), "bx", "bt", "bn" (boundary points, times and
outward normals) and "ix" (points of the initial slice). The boundary rows come in static
segments, one per boundary part, so each part's data function applies to its own slice.
"""

import dataclasses

import jax

from ..geometry import unit_points


@dataclasses.dataclass(frozen=True)
class Segment:
    """Rows [start, stop) of the boundary batch belong to one part with this condition."""

    start: int
    stop: int
    kind: str
    fn: object
    part: int


def make_sampler(problem, *, n_interior, n_boundary, n_initial, soft, method, dtype):
    """A pure function `sample(key) -> batch` and the static boundary segments.

    Points come from the domain's device samplers (`Domain.sampler`,
    `Domain.boundary_sampler`): drawn on device on boxes, picked from fixed host pools on other
    shapes (the same pools for every fit on the domain, so the sampler does not depend on the
    fit's key).

    Args:
        problem: an `AdvectionDiffusion`.
        n_interior, n_boundary, n_initial: batch sizes (boundary: spread over the parts that
            need points by their measure; initial: only used by soft-constraint variants).
        soft: True when Dirichlet and initial data are penalties (then those rows are drawn).
        method: "random", "lhs" or "sobol" (on device).
        dtype: floating dtype.

    Returns:
        `(sample, segments)`.
    """
    domain = problem.domain
    timed = not problem.steady
    t0, t1 = problem.t_span if timed else (0.0, 0.0)
    wanted = [
        i for i, (kind, _) in enumerate(problem.conditions) if soft or kind == "neumann"
    ]
    segments, start = [], 0
    if wanted:
        for i, count in enumerate(domain.boundary_counts(n_boundary, wanted)):
            if count:
                kind, fn = problem.conditions[i]
                segments.append(Segment(start, start + count, kind, fn, i))
                start += count
    n_bnd = start
    interior = domain.sampler(n_interior, method, dtype=dtype)
    boundary = (domain.boundary_sampler(n_boundary, method, parts=wanted, dtype=dtype)
                if n_bnd else None)
    initial = domain.sampler(n_initial, method, dtype=dtype) if soft and timed else None

    def times(key, n):
        return t0 + (t1 - t0) * unit_points(key, n, 1, method, dtype)[:, 0]

    def sample(key):
        keys = jax.random.split(key, 6)
        batch = {"x": interior(keys[0])}
        if timed:
            batch["t"] = times(keys[1], n_interior)
        if n_bnd:
            batch["bx"], batch["bn"] = boundary(keys[2])
            if timed:
                batch["bt"] = times(keys[3], n_bnd)
        if initial is not None:
            batch["ix"] = initial(keys[4])
        return batch

    return sample, tuple(segments)
