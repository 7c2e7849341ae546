"""The hard-constraint ansatz u = G + D·N built from an `AdvectionDiffusion` problem.

G matches the initial data at t0 and the Dirichlet data on the Dirichlet parts; D vanishes
there and is positive elsewhere, so u satisfies both exactly for any network N.

On a box, G is the transfinite (Coons) interpolant of the Dirichlet data: with the 1D
projectors P_k f = (1 − s_k) f|_{x_k=lo} + s_k f|_{x_k=hi}, s_k = (x_k − lo_k)/(hi_k − lo_k)
(one term when only one face of axis k is Dirichlet), the Boolean sum B = I − Π_k (I − P_k)
reproduces the data on every Dirichlet face and reads the data only on the boundary. Then
G(x, t) = u0(x) + B g(x, t) − B g(x, t0), which equals u0 at t0 and g on Dirichlet faces when the
data are compatible (u0 = g(·, t0) there). D = τ(t) Π (face factors), τ = (t − t0)/(t1 − t0).
On other domains the boundary pieces of `pdesolve.geometry.boundary_parts` (the whole boundary, a
polygon's edges, or "outer" and "hole1", … of a difference) each have a field φ_i vanishing on
them. With π_i(x) = x − φ_i∇φ_i/(|∇φ_i|² + 1/4), a damped first-order step towards the zero set of
φ_i (smooth, bounded where ∇φ_i = 0, and π_i(x) = x on the piece), the Dirichlet data blend
transfinitely: B g = Σ_i w_i g_i(π_i(x), t), w_i = Π_{j≠i} φ_j² / Σ_k Π_{j≠k} φ_j² over the
Dirichlet pieces, so B g = g_i on piece i (one piece: B g = g(π(x), t)). D = τ(t) φ_D(x) with φ_D
the R-conjunction of the Dirichlet pieces' fields (the domain's own distance when the whole
boundary is Dirichlet, which also vanishes on hole boundaries), divided by its maximum over a fixed
sample of the domain so that D is O(1) like the box factor; Neumann pieces keep D > 0.
"""

import functools
import itertools

import jax
import jax.numpy as jnp
import numpy as np

from ..geometry import Box, boundary_parts
from ..geometry._rfunctions import r_and_all

NORMALISING_POINTS = 4096


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


def _projector(phi):
    """x ↦ x − φ∇φ/(|∇φ|² + 1/4): a damped step towards the zero set of φ (x on it)."""
    grad = jax.grad(phi)

    def project(x):
        value, n = phi(x), grad(x)
        return x - value * n / (jnp.sum(n * n) + 0.25)

    return project


def _transfinite(pieces):
    """B g(x, t) = Σ_i w_i g_i(π_i(x), t) over Dirichlet pieces (φ_i, g_i).

    w_i = Π_{j≠i} φ_j² / Σ_k Π_{j≠k} φ_j² is exactly 1 where φ_i = 0 (and the other pieces'
    fields are not), so B g = g_i on piece i; one piece gives B g = g(π(x), t).
    """
    projections = [(phi, _projector(phi), g) for phi, g in pieces]
    if len(projections) == 1:
        (_, project, g), = projections
        return lambda x, t: g(project(x), t)

    def blend(x, t):
        squares = [phi(x) ** 2 for phi, _, _ in projections]
        weights = [
            functools.reduce(jnp.multiply, squares[:i] + squares[i + 1 :])
            for i in range(len(squares))
        ]
        total = sum(weights)
        total = jnp.where(total > 0, total, 1.0)
        values = [g(project(x), t) for _, project, g in projections]
        return sum(w * v for w, v in zip(weights, values, strict=True)) / total

    return blend


def _by_parts(problem):
    """(B g or None, spatial factor) for a non-box domain, from its boundary pieces."""
    parts = boundary_parts(problem.domain)
    pieces = [
        (phi, fn)
        for (_, phi), (kind, fn) in zip(parts, problem.conditions, strict=True)
        if kind == "dirichlet"
    ]
    if not pieces:
        return None, lambda x: jnp.ones((), dtype=x.dtype)
    if len(pieces) == len(parts):
        space = problem.domain._distance
        if all(fn is pieces[0][1] for _, fn in pieces):
            pieces = [(space, pieces[0][1])]
    else:
        space = lambda x: r_and_all([phi(x) for phi, _ in pieces])
    return _transfinite(pieces), _normalised(problem.domain, space)


def _normalised(domain, field):
    """φ / max φ, the maximum taken over a fixed sample of the domain (so D is O(1) inside)."""
    points = domain.sample_interior(NORMALISING_POINTS, key=jax.random.PRNGKey(0))
    peak = float(np.max(np.asarray(jax.vmap(field)(jnp.asarray(points)))))
    scale = 1.0 / peak if peak > 0 else 1.0
    return lambda x: field(x) * scale


def hard_constraint(problem):
    """Pointwise G(x, t) and D(x, t) (t ignored for steady problems) for `problem`.

    Boundary conditions may differ by part (box faces, polygon edges, "outer" and "hole…" of a
    difference):
    D vanishes at t0 and on the Dirichlet parts only, G equals u0 at t0 and g on them.

    Args:
        problem: an `AdvectionDiffusion`.

    Returns:
        `(G, D)`, functions (x of shape (d,), scalar t) -> scalar.
    """
    if isinstance(problem.domain, Box):
        axes = _box_terms(problem)
        blend = _coons(problem, axes) if axes else None
        space = _box_factor(problem, axes)
    else:
        blend, space = _by_parts(problem)
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
