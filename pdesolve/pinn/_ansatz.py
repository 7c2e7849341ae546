"""The hard-constraint ansatz u = G + D·N built from an `AdvectionDiffusion` problem.

G matches the initial data at t0 and the Dirichlet data on the Dirichlet parts; D vanishes
there and is positive elsewhere, so u satisfies both exactly for any network N.

In every case G(x, t) = u0(x) + B g(x, t) − B g(x, t0) for a blend B g of the Dirichlet data,
which equals u0 at t0 and g on the Dirichlet parts when the data are compatible (u0 = g(·, t0)
there), and D = τ(t) × (a spatial factor vanishing on the Dirichlet parts), with
τ = (t − t0)/(t1 − t0).

Where the domain has a closed-form blend (`Domain.boundary_blend`: on a box, the transfinite
Coons interpolant and the product of face factors) B g and the spatial factor are that.
Otherwise, where the boundary pieces (`Domain.boundary_parts`) are polylines (polygon edges,
the facets of a 2D mesh, differences of such domains) the data blend segment by segment
(transfinite interpolation with inverse-square distance weights, Sukumar & Srivastava 2022):
B g = Σ_i w_i g_i(p_i(x), t) over the Dirichlet segments, w_i = φ_i^(−2) / Σ_k φ_k^(−2) with φ_i
the segment's trimmed distance field, and p_i(x) the projection of x onto the segment's line
with its parameter s clamped smoothly (s itself on [0, 1], approaching −1/2 and 3/2 beyond the
ends, C²). So B g = g_i on segment i, B g reads the data on the segments and at most half a
segment beyond their ends along their lines, and it is smooth inside. D's spatial factor is then
the same blend of the segments' signed line distances, Σ_i w_i ℓ_i(x) (exactly the distance near
a straight run of segments, so D/dist does not ripple from facet to facet as an R-equivalence of
many short segments does); if it is not positive at a fixed sample of the interior and of the
Neumann parts (possible near very sharp reflex corners), the R-function factor below is used.
On other domains each piece has a field φ_i vanishing on it. With π_i(x) = x − φ_i∇φ_i/(|∇φ_i|² +
1/4), a damped first-order step towards the zero set of φ_i (smooth, bounded where ∇φ_i = 0,
and π_i(x) = x on the piece), the Dirichlet data blend transfinitely: B g = Σ_i w_i g_i(π_i(x), t),
w_i = Π_{j≠i} φ_j² / Σ_k Π_{j≠k} φ_j² over the Dirichlet pieces, so B g = g_i on piece i (one
piece: B g = g(π(x), t)). D = τ(t) φ_D(x) with φ_D the R-conjunction of the Dirichlet pieces'
fields (the domain's own distance when the whole boundary is Dirichlet, which also vanishes on
hole boundaries), divided by its maximum over a fixed sample of the domain so that D is O(1)
like the box factor; Neumann pieces keep D > 0.
"""

import functools
import weakref

import jax
import jax.numpy as jnp
import numpy as np

from ..geometry import r_and_all, segment_fields

NORMALISING_POINTS = 4096
# how far (in segment lengths) the smooth clamp lets a projection run past a segment's end
SEGMENT_OVERHANG = 0.5


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


def _soft_clamp(s):
    """s on [0, 1]; beyond, a tanh tail towards −δ or 1 + δ (δ = SEGMENT_OVERHANG), C²."""
    d = SEGMENT_OVERHANG
    tail_hi = 1 + d * jnp.tanh((s - 1) / d)
    tail_lo = d * jnp.tanh(s / d)
    return jnp.where(s > 1, tail_hi, jnp.where(s < 0, tail_lo, s))


def _squared_segment_fields(x, a, b):
    """φ_i² for the trimmed segment fields φ_i = trim(f_i, t_i), without their square roots.

    φ² = f² + q², q = (√(t² + f⁴) − t)/2, with q written as f⁴/(2(√(t² + f⁴) + t)) where t > 0
    (no cancellation), so φ² and its derivatives are accurate in float32 next to a segment; φ²
    is floored at √tiny of the dtype (≈ 1e-19 in float32), reached only on the segment.
    """
    f, t = segment_fields(x, a, b)
    f2 = f * f
    tiny = jnp.finfo(x.dtype).tiny
    root = jnp.sqrt(jnp.maximum(t * t + f2 * f2, tiny))
    inside = t > 0
    q = jnp.where(inside, f2 * f2 / jnp.where(inside, 2 * (root + t), 1.0), (root - t) / 2)
    # floored at √tiny, not tiny: under jit the ratios min/φ² of `_segment_blend` lost the
    # segment a point lies on (came out 0) when φ² sat at tiny
    return jnp.maximum(f2 + q * q, jnp.sqrt(tiny))


def _segment_weights(x, a, b):
    """Unnormalised weights φ_i^(−2) of the segments a_i b_i at x, scaled by min φ² (so the
    largest is 1; the scale carries no gradient and cancels on normalising)."""
    squares = _squared_segment_fields(x, a, b)
    return jax.lax.stop_gradient(jnp.min(squares)) / squares


def _segment_blend(groups):
    """B g(x, t) = Σ_i w_i g_i(p_i(x), t) over the segments of `groups` [((a, b), g)].

    w_i ∝ φ_i^(−2) (normalised over all segments), p_i the projection onto segment i's line with
    the smooth clamp; so B g = g on each segment.
    """
    a_all = np.concatenate([np.asarray(a) for (a, _), _ in groups])
    b_all = np.concatenate([np.asarray(b) for (_, b), _ in groups])
    bounds = np.cumsum([0] + [len(a) for (a, _), _ in groups])
    data = [g for _, g in groups]

    def blend(x, t):
        a, b = jnp.asarray(a_all, x.dtype), jnp.asarray(b_all, x.dtype)
        edge = b - a
        s = jnp.sum((x - a) * edge, axis=-1) / jnp.sum(edge * edge, axis=-1)
        ends = a + _soft_clamp(s)[:, None] * edge
        values = [
            jax.vmap(g, in_axes=(0, None))(ends[lo:hi], t)
            for g, lo, hi in zip(data, bounds[:-1], bounds[1:], strict=True)
        ]
        weights = _segment_weights(x, a, b)
        return jnp.sum(weights * jnp.concatenate(values)) / jnp.sum(weights)

    return blend


def _segment_distance(a, b):
    """D(x) = Σ_i w_i ℓ_i(x): the line distances ℓ_i = −f_i of the segments (positive on their
    left, the domain's side) blended with the weights w_i ∝ φ_i^(−2) of `_segment_blend`."""
    a, b = np.asarray(a), np.asarray(b)

    def distance(x):
        lo, hi = jnp.asarray(a, x.dtype), jnp.asarray(b, x.dtype)
        weights = _segment_weights(x, lo, hi)
        f, _ = segment_fields(x, lo, hi)
        return -jnp.sum(weights * f) / jnp.sum(weights)

    return distance


def _by_parts(problem):
    """(B g or None, spatial factor) for a domain without a closed-form blend, from its
    boundary pieces."""
    domain = problem.domain
    parts = domain.boundary_parts()
    dirichlet = [
        (i, phi, fn)
        for i, ((_, phi), (kind, fn)) in enumerate(zip(parts, problem.conditions, strict=True))
        if kind == "dirichlet"
    ]
    if not dirichlet:
        return None, lambda x: jnp.ones((), dtype=x.dtype)
    if len(dirichlet) == len(parts):
        space = domain.distance_field
    else:
        space = lambda x: r_and_all([phi(x) for _, phi, _ in dirichlet])
    segments = domain.boundary_segments()
    if segments is not None:
        groups = _merged([(segments[i], fn) for i, _, fn in dirichlet])
        blend = _segment_blend(groups)
        a = np.concatenate([a for (a, _), _ in groups])
        b = np.concatenate([b for (_, b), _ in groups])
        lines = _segment_distance(a, b)
        inside = _on_sample(lines, _interior_sample(domain))
        if np.min(inside) > 0 and _positive_on_neumann(problem, lines):
            return blend, _scaled(lines, np.max(inside))
    elif len(dirichlet) == len(parts) and all(fn is dirichlet[0][2] for *_, fn in dirichlet):
        blend = _transfinite([(space, dirichlet[0][2])])
    else:
        blend = _transfinite([(phi, fn) for _, phi, fn in dirichlet])
    return blend, _normalised(domain, space)


def _interior_sample(domain):
    """The fixed interior sample on which D's scale (and the segment factor's sign) is taken."""
    return domain.sample_interior(NORMALISING_POINTS, key=jax.random.PRNGKey(0))


def _on_sample(field, points) -> np.ndarray:
    return np.asarray(jax.jit(jax.vmap(field))(jnp.asarray(points)))


def _positive_on_neumann(problem, field) -> bool:
    """Whether `field` is positive at a fixed sample of the Neumann parts (True if none)."""
    domain = problem.domain
    kinds = np.array([kind for kind, _ in problem.conditions])
    if not np.any(kinds == "neumann"):
        return True
    edge, _ = domain.sample_boundary(NORMALISING_POINTS, key=jax.random.PRNGKey(0))
    neumann = edge[kinds[domain.classify_boundary(edge)] == "neumann"]
    return bool(np.min(_on_sample(field, neumann)) > 0)


def _merged(groups):
    """[((a, b), g)] with the segments of groups that share the same g concatenated."""
    merged = {}
    for (a, b), g in groups:
        merged.setdefault(id(g), (g, [], []))
        merged[id(g)][1].append(a)
        merged[id(g)][2].append(b)
    return [((np.concatenate(a), np.concatenate(b)), g) for g, a, b in merged.values()]


def _normalised(domain, field):
    """φ / max φ, the maximum taken over a fixed sample of the domain (so D is O(1) inside)."""
    return _scaled(field, np.max(_on_sample(field, _interior_sample(domain))))


def _scaled(field, peak):
    scale = 1.0 / float(peak) if peak > 0 else 1.0
    return lambda x: field(x) * scale


_HARD_CONSTRAINTS = weakref.WeakKeyDictionary()


def hard_constraint(problem):
    """Pointwise G(x, t) and D(x, t) (t ignored for steady problems) for `problem`.

    Boundary conditions may differ by part (box faces, polygon edges, "outer" and "hole…" of a
    difference):
    D vanishes at t0 and on the Dirichlet parts only, G equals u0 at t0 and g on them. The pair
    is built once per problem object and then reused, so repeated trainings on one problem trace
    the same functions and hit JAX's compilation cache.

    Args:
        problem: an `AdvectionDiffusion`.

    Returns:
        `(G, D)`, functions (x of shape (d,), scalar t) -> scalar.
    """
    try:
        return _HARD_CONSTRAINTS[problem]
    except KeyError:
        pair = _build_hard_constraint(problem)
    except TypeError:  # not weakly referenceable
        return _build_hard_constraint(problem)
    return _HARD_CONSTRAINTS.setdefault(problem, pair)


def _build_hard_constraint(problem):
    blend, space = problem.domain.boundary_blend(problem.conditions) or _by_parts(problem)
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
