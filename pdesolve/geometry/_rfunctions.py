"""R-function compositions of normalised distance fields (Sukumar & Srivastava 2022).

With φ > 0 inside each operand, φ < 0 outside and |∇φ| = 1 on its boundary, these compose
fields that stay 0 on the composed boundary, positive inside, negative outside and first-order
normalised there; they are smooth except where two operand boundaries meet.

The trimmed fields below give an unsigned, smooth, normalised distance to one boundary piece
(a segment in 2D, a triangle in 3D); `r_equivalence` joins many of them into one field that
vanishes on their union.
"""

import jax.numpy as jnp
from jax import lax


def _norm2(phi1, phi2):
    """√(φ1² + φ2²), with derivative 0 (the mean of the one-sided ones) where both are 0."""
    sq = phi1**2 + phi2**2
    positive = sq > 0
    return jnp.where(positive, jnp.sqrt(jnp.where(positive, sq, 1.0)), 0.0)


def r_and(phi1, phi2):
    """R0 conjunction (intersection): φ1 + φ2 − √(φ1² + φ2²).

    Where both fields vanish (corners, or boundary pieces the operands share) the function has
    a kink; there its derivative is taken as ∇φ1 + ∇φ2, the mean of the one-sided ones, so
    gradients stay finite.
    """
    return phi1 + phi2 - _norm2(phi1, phi2)


def r_or(phi1, phi2):
    """R0 disjunction (union): φ1 + φ2 + √(φ1² + φ2²) (same convention as `r_and` at kinks)."""
    return phi1 + phi2 + _norm2(phi1, phi2)


def r_and_all(phis):
    """Fold `r_and` over a sequence of fields."""
    out = phis[0]
    for phi in phis[1:]:
        out = r_and(out, phi)
    return out


def r_equivalence(phis, m: int = 1):
    """φ = (Σ_i φ_i^(−m))^(−1/m) over the last axis of `phis` (all φ_i ≥ 0).

    The result is 0 wherever one φ_i is 0 and tends to that φ_i near its zero set, so it stays
    first-order normalised; a larger m brings it closer to min_i φ_i. It is evaluated as
    s (Σ_i (s/φ_i)^m)^(−1/m) with s = min_i φ_i held constant (the value does not depend on
    s), which cannot overflow even in float32. Derivatives are finite wherever every φ_i > 0.
    """
    tiny = jnp.finfo(phis.dtype).tiny
    scale = lax.stop_gradient(jnp.maximum(jnp.min(phis, axis=-1), tiny))
    return scale * jnp.sum((scale[..., None] / phis) ** m, axis=-1) ** (-1.0 / m)


def _safe_sqrt(v):
    """√v with v clamped below at the dtype's smallest normal number, so that the value and the
    derivative stay finite where v = 0 (the derivative there is 0)."""
    return jnp.sqrt(jnp.maximum(v, jnp.finfo(v.dtype).tiny))


def trim(f, t):
    """Trimmed field √(f² + ((√(t² + f⁴) − t)/2)²): f a normalised distance to a line or plane
    (any sign), t > 0 a trimming field on the piece of it that is kept. It is ≈ 0 (at most
    √tiny of the dtype) where f = 0 and t ≥ 0, ≈ |f| near that piece, and positive elsewhere;
    the square roots are clamped so that derivatives stay finite where two pieces meet."""
    varphi = _safe_sqrt(t**2 + f**4)
    return _safe_sqrt(f**2 + ((varphi - t) / 2) ** 2)


def segment_fields(x, a, b):
    """Line distances f and trimming fields t of point x (2,) for the segments a_i b_i.

    f = ((x − a) × (b − a))/L is the signed distance to the segment's line, positive on the
    side of the normal (dy, −dx)/L (outward when the boundary runs counter-clockwise);
    t = ((L/2)² − |x − c|²)/L (c the midpoint) is positive on the disk the segment spans.
    `trim(f, t)` is the segment's distance field.
    """
    d = b - a
    length = jnp.sqrt(jnp.sum(d**2, axis=-1))
    rel = x - a
    f = (rel[:, 0] * d[:, 1] - rel[:, 1] * d[:, 0]) / length
    centre = 0.5 * (a + b)
    t = ((length / 2) ** 2 - jnp.sum((x - centre) ** 2, axis=-1)) / length
    return f, t


def triangle_fields(x, a, b, c):
    """Plane distances f and trimming fields t of point x (3,) for the triangles a_i b_i c_i.

    f is the signed distance to each triangle's plane, positive on the side of
    (b − a) × (c − a); the trimming field t is the R-conjunction of the three in-plane
    distances to the edge lines (positive inside the triangle's prism).
    """
    normal = jnp.cross(b - a, c - a)
    normal = normal / jnp.linalg.norm(normal, axis=-1, keepdims=True)
    f = jnp.sum((x - a) * normal, axis=-1)

    def edge_distance(p, q, r):
        # in-plane unit vector perpendicular to edge pq, pointing towards the third vertex r
        e = q - p
        inward = jnp.cross(normal, e)
        inward = inward / jnp.linalg.norm(inward, axis=-1, keepdims=True)
        sign = jnp.sign(jnp.sum((r - p) * inward, axis=-1))
        return sign * jnp.sum((x - p) * inward, axis=-1)

    t = r_and_all([edge_distance(a, b, c), edge_distance(b, c, a), edge_distance(c, a, b)])
    return f, t


def boundary_distance(f, t, sign, m: int, eps):
    """Signed R-equivalence of trimmed fields: sign · (Σ_i trim(f_i, t_i)^(−m))^(−1/m).

    f_i must be signed along the outward normal of piece i (negative just inside), and `sign`
    is +1 inside, −1 outside (a crossing or winding test). Far from the boundary the formula
    is evaluated as written. Within `eps` of the interior of one piece k (t_k > 0) the same
    function is evaluated in the form −f_k √(1 + f_k² q_k²) (1 + Σ_{j≠k} (φ_k/φ_j)^m)^(−1/m)
    with q_k = f_k² / (2(√(t_k² + f_k⁴) + t_k)), which has no square root of zero, so the value,
    gradient (the inward unit normal on the piece) and Hessian stay finite on the boundary
    itself. Where two pieces meet (vertices, edges of facets) the far form is used; its square
    roots are clamped (see `trim`), so the value is ≈ 0 and the derivatives stay finite there.
    """
    phis0 = lax.stop_gradient(trim(f, t))
    k = jnp.argmin(phis0)
    is_k = jnp.arange(f.shape[0]) == k
    second = jnp.min(jnp.where(is_k, jnp.inf, phis0))
    near = (
        (phis0[k] <= eps)
        & (second > eps)
        & (jnp.sum(jnp.where(is_k, lax.stop_gradient(t), 0.0)) > 0)
    )
    # one set of fields serves both forms: where the near form is used, piece k's entry is
    # replaced by a harmless positive value (the far form is then discarded)
    swap = is_k & near
    phis = trim(jnp.where(swap, 1.0, f), jnp.where(swap, 1.0, t))
    far = sign * r_equivalence(phis, m)
    fk = jnp.where(near, jnp.sum(jnp.where(is_k, f, 0.0)), 0.0)
    tk = jnp.where(near, jnp.sum(jnp.where(is_k, t, 0.0)), 1.0)
    q = fk**2 / (2 * (jnp.sqrt(tk**2 + fk**4) + tk))
    phi_k = -fk * jnp.sqrt(1 + (fk * q) ** 2)
    # the near form's ratios only where it is used, so the discarded branch cannot feed 0/0
    # into the gradient at points where two pieces meet
    others = jnp.where(near & ~is_k, phis, 1.0)
    ratios = jnp.where(near & ~is_k, jnp.abs(phi_k) ** m / others**m, 0.0)
    close = phi_k * (1 + jnp.sum(ratios)) ** (-1.0 / m)
    return jnp.where(near, close, far)


def crossing_sign(x, a, b):
    """+1 if the 2D point x is inside the closed curves made of segments a_i b_i, −1 outside.

    Even–odd crossing count of a ray towards +x; it is built from comparisons only, so it is
    locally constant and carries no gradient.
    """
    above_a, above_b = a[:, 1] > x[1], b[:, 1] > x[1]
    dy = b[:, 1] - a[:, 1]
    safe = jnp.where(dy == 0, 1.0, dy)
    x_cross = a[:, 0] + (x[1] - a[:, 1]) * (b[:, 0] - a[:, 0]) / safe
    crossings = jnp.sum((above_a != above_b) & (x[0] < x_cross))
    return jnp.where(crossings % 2 == 1, 1.0, -1.0)


def solid_angle_sign(x, a, b, c):
    """+1 inside, −1 outside a closed surface of outward-oriented triangles a_i b_i c_i (3D).

    The generalized winding number Σ Ω_i / 4π (Ω_i the signed solid angle of triangle i seen from
    x, by the Van Oosterom–Strackee formula) is 1 inside and 0 outside; it is thresholded at 1/2,
    so it is locally constant and carries no gradient.
    """
    ra, rb, rc = a - x, b - x, c - x
    la, lb, lc = (jnp.linalg.norm(r, axis=-1) for r in (ra, rb, rc))
    numer = jnp.sum(ra * jnp.cross(rb, rc), axis=-1)
    denom = (
        la * lb * lc
        + jnp.sum(ra * rb, axis=-1) * lc
        + jnp.sum(rb * rc, axis=-1) * la
        + jnp.sum(rc * ra, axis=-1) * lb
    )
    winding = jnp.sum(2 * jnp.arctan2(numer, denom)) / (4 * jnp.pi)
    return jnp.where(lax.stop_gradient(winding) > 0.5, 1.0, -1.0)

