"""The hard-constraint ansatz u = G + D·N built from an `AdvectionDiffusion` problem.

G matches the initial data at t0 and the Dirichlet data on the Dirichlet parts; D vanishes
there and is positive elsewhere, so u satisfies both exactly for any network N.

On a box, G is the transfinite (Coons) interpolant of the Dirichlet data: with the 1D
projectors P_k f = (1 − s_k) f|_{x_k=lo} + s_k f|_{x_k=hi}, s_k = (x_k − lo_k)/(hi_k − lo_k)
(one term when only one face of axis k is Dirichlet), the Boolean sum B = I − Π_k (I − P_k)
reproduces the data on every Dirichlet face and reads the data only on the boundary. Then
G(x, t) = u0(x) + B g(x, t) − B g(x, t0), which equals u0 at t0 and g on Dirichlet faces when the
data are compatible (u0 = g(·, t0) there). D = τ(t) Π (face factors), τ = (t − t0)/(t1 − t0).
On other domains (one boundary condition for the whole boundary) B g(x, t) = g(π(x), t) with
π(x) = x − φ∇φ/(|∇φ|² + 1/4), a damped first-order step towards the zero set of the domain
distance φ (smooth, bounded where ∇φ = 0, and π(x) = x on the boundary), and D = τ(t) φ(x),
which also vanishes on hole boundaries.
"""

import itertools

import jax
import jax.numpy as jnp

from ..geometry import Box


def _box_terms(problem):
    """[(axis, sides)] per Dirichlet axis of a box problem; sides ⊆ (0, 1)."""
    axes = []
    for k in range(problem.dim):
        sides = tuple(s for s in (0, 1) if problem.conditions[2 * k + s][0] == "dirichlet")
        if sides:
            axes.append((k, sides))
    return axes


def _coons(problem, axes):
    """B g(x, t) for a box: the Boolean sum of the face projectors over Dirichlet axes."""
    lo, hi = problem.domain.lo.tolist(), problem.domain.hi.tolist()
    conditions = problem.conditions

    def blend(x, t):
        total = jnp.zeros((), dtype=x.dtype)
        for r in range(1, len(axes) + 1):
            for subset in itertools.combinations(axes, r):
                sign = 1.0 if r % 2 else -1.0
                for choice in itertools.product(*(sides for _, sides in subset)):
                    weight = jnp.ones((), dtype=x.dtype)
                    pinned = x
                    for (k, sides), side in zip(subset, choice, strict=True):
                        s = (x[k] - lo[k]) / (hi[k] - lo[k])
                        if len(sides) == 2:
                            weight = weight * (s if side else 1 - s)
                        pinned = pinned.at[k].set(hi[k] if side else lo[k])
                    k0, side0 = subset[0][0], choice[0]
                    g = conditions[2 * k0 + side0][1]
                    total = total + sign * weight * g(pinned, t)
        return total

    return blend


def _box_factor(problem, axes):
    lo, hi = problem.domain.lo.tolist(), problem.domain.hi.tolist()

    def factor(x):
        out = jnp.ones((), dtype=x.dtype)
        for k, sides in axes:
            s = (x[k] - lo[k]) / (hi[k] - lo[k])
            if len(sides) == 2:
                out = out * 4 * s * (1 - s)
            else:
                out = out * (s if sides[0] == 0 else 1 - s)
        return out

    return factor


def _projected(problem):
    domain = problem.domain
    g = problem.conditions[0][1]
    grad = jax.grad(domain._distance)

    def blend(x, t):
        phi, n = domain._distance(x), grad(x)
        return g(x - phi * n / (jnp.sum(n * n) + 0.25), t)

    return blend


def hard_constraint(problem):
    """Pointwise G(x, t) and D(x, t) (t ignored for steady problems) for `problem`.

    Args:
        problem: an `AdvectionDiffusion`.

    Returns:
        `(G, D)`, functions (x of shape (d,), scalar t) -> scalar.

    Raises:
        ValueError: a non-box domain with conditions split into parts (give G and D yourself).
    """
    kinds = {kind for kind, _ in problem.conditions}
    if isinstance(problem.domain, Box):
        axes = _box_terms(problem)
        blend = _coons(problem, axes) if axes else None
        space = _box_factor(problem, axes)
    elif kinds == {"dirichlet"}:
        blend, space = _projected(problem), problem.domain._distance
    elif kinds == {"neumann"}:
        blend, space = None, lambda x: jnp.ones((), dtype=x.dtype)
    else:
        raise ValueError(
            f"automatic G and D need one condition on the whole boundary of {problem.domain!r}; "
            "pass extension=G(x, t) and distance=D(x, t) to solve()."
        )
    if problem.steady:
        extension = (lambda x, t: blend(x, t)) if blend else (lambda x, t: jnp.zeros((), x.dtype))
        return extension, lambda x, t: space(x)
    t0, t1 = problem.t_span
    u0 = problem.initial

    def extension(x, t):
        out = u0(x)
        if blend is not None:
            out = out + blend(x, t) - blend(x, jnp.asarray(t0, dtype=x.dtype))
        return out

    def distance(x, t):
        return space(x) * (t - t0) / (t1 - t0)

    return extension, distance
