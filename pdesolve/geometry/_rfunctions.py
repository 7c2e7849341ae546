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


def r_and(phi1, phi2):
    """R0 conjunction (intersection): φ1 + φ2 − √(φ1² + φ2²)."""
    return phi1 + phi2 - jnp.sqrt(phi1**2 + phi2**2)


def r_or(phi1, phi2):
    """R0 disjunction (union): φ1 + φ2 + √(φ1² + φ2²)."""
    return phi1 + phi2 + jnp.sqrt(phi1**2 + phi2**2)


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


def trim(f, t):
    """Trimmed field √(f² + ((√(t² + f⁴) − t)/2)²): f a normalised distance to a line or plane
    (any sign), t > 0 a trimming field on the piece of it that is kept. It is 0 exactly where
    f = 0 and t ≥ 0, ≈ |f| near that piece, and positive elsewhere."""
    varphi = jnp.sqrt(t**2 + f**4)
    return jnp.sqrt(f**2 + ((varphi - t) / 2) ** 2)


def segment_fields(x, a, b):
    """Trimmed distance fields of point x (2,) to the segments a_i b_i (a, b of shape (m, 2)).

    f = ((x − a) × (b − a))/L is the distance to the segment's line and
    t = ((L/2)² − |x − c|²)/L (c the midpoint) is positive on the disk the segment spans.
    """
    d = b - a
    length = jnp.sqrt(jnp.sum(d**2, axis=-1))
    rel = x - a
    f = (rel[:, 0] * d[:, 1] - rel[:, 1] * d[:, 0]) / length
    centre = 0.5 * (a + b)
    t = ((length / 2) ** 2 - jnp.sum((x - centre) ** 2, axis=-1)) / length
    return trim(f, t)


def triangle_fields(x, a, b, c):
    """Trimmed distance fields of point x (3,) to the triangles a_i b_i c_i (each (m, 3)).

    f is the distance to each triangle's plane; the trimming field t is the R-conjunction of
    the three in-plane distances to the edge lines (positive inside the triangle's prism).
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
    return trim(f, t)


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

