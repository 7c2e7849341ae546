"""`Polygon`: simple polygons in 2D, convex or not, given in either orientation."""

import functools

import jax
import jax.numpy as jnp
import numpy as np

from ..validation import as_float_array, describe, reject_unknown_options
from ._domain import Domain
from ._rfunctions import boundary_distance, crossing_sign, segment_fields, trim
from ._sampling import unit_cube

_CHUNK = 4096


class Polygon(Domain):
    """The closed region bounded by a simple polygon.

    Vertices may be given clockwise or counter-clockwise (they are stored counter-clockwise),
    without repeating the first vertex at the end.

    The distance is the R-equivalence φ = (Σ_i φ_i^(−m))^(−1/m) of the trimmed-segment fields
    φ_i of the edges (Sukumar & Srivastava 2022), times a sign from an even–odd crossing test
    (+1 inside, −1 outside). It is 0 on the edges, ≈ the distance to the nearest edge close to
    an edge, and smooth inside (first and second derivatives finite away from the boundary).
    With the default m = 2, φ/dist lies between 0.57 and 1.0 (median 0.85) inside the L-shape
    [0, 2]² − (1, 2]²; m = 1 gives 0.27 to 1.0 (median 0.48).

    Args:
        vertices: array of shape (k, 2), k ≥ 3.
        exponent: the exponent m of the R-equivalence (an int ≥ 1).

    Raises:
        ValueError: wrong shape, fewer than 3 vertices, NaN/inf coordinates, a repeated vertex,
            zero area, or two edges that cross or overlap (the message names both edges).
    """

    @reject_unknown_options
    def __init__(self, vertices, *, exponent: int = 2):
        v = _check_vertices(vertices)
        self.exponent = check_exponent(exponent)
        if _signed_area(v) < 0:
            v = v[::-1].copy()
        self.vertices = v
        self.dim = 2
        self.bbox = (v.min(axis=0), v.max(axis=0))
        self._a, self._b = v, np.roll(v, -1, axis=0)
        self._tol = 1e-12 * float(np.max(self.bbox[1] - self.bbox[0]))

    def __repr__(self):
        return f"Polygon(vertices={self.vertices.tolist()})"

    @property
    def measure(self) -> float:
        """Area by the shoelace formula."""
        return _signed_area(self.vertices)

    @property
    def boundary_measure(self) -> float:
        """Perimeter."""
        return float(np.sum(np.linalg.norm(self._b - self._a, axis=1)))

    def _contains(self, x):
        return segments_contain(x, self._a, self._b, self._tol)

    def _contains_open(self, x):
        inside = crossing_inside(x, self._a, self._b)
        return inside & (segments_min_distance(x, self._a, self._b) > self._tol)

    def boundary_parts(self) -> tuple:
        """One piece per edge, "edge{i}" joining `vertices[i]` and `vertices[i + 1]`
        (counter-clockwise, as stored), with the edge's trimmed segment field (≥ 0, zero on
        the edge only, smooth inside)."""
        return tuple((f"edge{i}", _edge_field(a, b))
                     for i, (a, b) in enumerate(zip(self._a, self._b, strict=True)))

    def boundary_segments(self):
        """One segment per edge (counter-clockwise)."""
        return tuple((self._a[i : i + 1], self._b[i : i + 1]) for i in range(len(self._a)))

    def _polyline(self):
        return self._a, self._b

    def _sample_boundary(self, n, key, method):
        return sample_segments(n, key, method, self._a, self._b)

    def _distance(self, x):
        return _polygon_distance(x, *self._field_args())

    @functools.cached_property
    def _jitted_distance(self):
        # the vertices are arguments, not constants, so polygons with the same number of
        # vertices share one compiled function
        return (
            lambda x: _polygon_distance_one(x, *self._field_args()),
            lambda x: _polygon_distance_batch(x, *self._field_args()),
        )

    def _field_args(self):
        return jnp.asarray(self._a), jnp.asarray(self._b), self.exponent, 1e6 * self._tol


def _polygon_distance(x, a, b, exponent, eps):
    f, t = segment_fields(x, a, b)
    return boundary_distance(f, t, crossing_sign(x, a, b), exponent, eps)


_polygon_distance_one = jax.jit(_polygon_distance, static_argnums=3)
_polygon_distance_batch = jax.jit(
    jax.vmap(_polygon_distance, in_axes=(0, None, None, None, None)), static_argnums=3
)


# -- helpers shared with 2D meshes -------------------------------------------------------------
def _edge_field(a, b):
    a, b = np.asarray(a)[None], np.asarray(b)[None]
    return lambda x: trim(*segment_fields(x, a.astype(x.dtype), b.astype(x.dtype)))[0]


def outward_normals(a, b):
    """Unit normals (dy, −dx)/L of segments a→b: outward for counter-clockwise boundaries."""
    d = b - a
    return np.stack([d[:, 1], -d[:, 0]], axis=1) / np.linalg.norm(d, axis=1, keepdims=True)


def sample_segments(n, key, method, a, b):
    """`n` points on the segments a_i b_i, uniform in arc length, with normals (dy, −dx)/L.

    A 1D point set of the sampling method is laid along the concatenated segments, so every
    segment gets a share proportional to its length (exactly, up to one point, for "grid",
    "lhs", "sobol" and "halton").
    """
    lengths = np.linalg.norm(b - a, axis=1)
    ends = np.cumsum(lengths)
    s = unit_cube(n, 1, key=key, method=method)[:, 0] * ends[-1]
    edge = np.minimum(np.searchsorted(ends, s, side="right"), len(lengths) - 1)
    frac = np.clip((s - (ends[edge] - lengths[edge])) / lengths[edge], 0.0, 1.0)[:, None]
    points = a[edge] + frac * (b[edge] - a[edge])
    return points, outward_normals(a, b)[edge]


def crossing_inside(x, a, b):
    """Even–odd crossing test of points x (n, 2) against closed curves of segments a_i b_i."""
    out = np.empty(x.shape[0], dtype=bool)
    dy = b[:, 1] - a[:, 1]
    safe = np.where(dy == 0, 1.0, dy)
    for start in range(0, x.shape[0], _CHUNK):
        px, py = x[start : start + _CHUNK, :1], x[start : start + _CHUNK, 1:]
        straddle = (a[:, 1] > py) != (b[:, 1] > py)
        x_cross = a[:, 0] + (py - a[:, 1]) * (b[:, 0] - a[:, 0]) / safe
        out[start : start + _CHUNK] = np.sum(straddle & (px < x_cross), axis=1) % 2 == 1
    return out


def segments_min_distance(x, a, b):
    """Euclidean distance from each point x (n, 2) to the nearest segment a_i b_i."""
    out = np.empty(x.shape[0])
    d = b - a
    dd = np.sum(d**2, axis=1)
    for start in range(0, x.shape[0], _CHUNK):
        rel = x[start : start + _CHUNK, None, :] - a
        s = np.clip(np.sum(rel * d, axis=2) / dd, 0.0, 1.0)
        dist2 = np.sum((rel - s[..., None] * d) ** 2, axis=2)
        out[start : start + _CHUNK] = np.sqrt(dist2.min(axis=1))
    return out


def segments_contain(x, a, b, tol):
    """Closed membership: inside by crossing count, or within `tol` of a segment."""
    inside = crossing_inside(x, a, b)
    if not np.all(inside):
        rest = ~inside
        inside[rest] = segments_min_distance(x[rest], a, b) <= tol
    return inside


# -- validation --------------------------------------------------------------------------------
def check_exponent(exponent) -> int:
    """The R-equivalence exponent: an int ≥ 1."""
    integral = isinstance(exponent, (int, np.integer)) and not isinstance(exponent, bool)
    if not integral:
        raise TypeError(f"exponent must be an int >= 1, got {describe(exponent)}.")
    if exponent < 1:
        raise ValueError(f"exponent must be an int >= 1, got {exponent!r}.")
    return int(exponent)


def _signed_area(v):
    x, y = v[:, 0], v[:, 1]
    return 0.5 * float(np.sum(x * np.roll(y, -1) - np.roll(x, -1) * y))


def _check_vertices(vertices):
    v = as_float_array(vertices, "vertices", "an array of (x, y) rows")
    if v.ndim != 2 or v.shape[1] != 2:
        raise ValueError(
            f"vertices must have shape (m, 2), got {v.shape}; pass one (x, y) row per vertex."
        )
    if v.shape[0] < 3:
        raise ValueError(f"vertices must hold at least 3 points for a polygon, got {v.shape[0]}.")
    if not np.all(np.isfinite(v)):
        bad = int(np.nonzero(~np.all(np.isfinite(v), axis=1))[0][0])
        raise ValueError(f"vertices must be finite, got vertex {bad} = {v[bad].tolist()}.")
    _, first, counts = np.unique(v, axis=0, return_index=True, return_counts=True)
    if np.any(counts > 1):
        dup = v[first[counts > 1][0]]
        idx = np.nonzero(np.all(v == dup, axis=1))[0].tolist()
        raise ValueError(
            f"vertices must be distinct, got {dup.tolist()} at indices {idx}; "
            "do not repeat the first vertex at the end, and remove duplicates."
        )
    _check_simple(v)
    if abs(_signed_area(v)) <= 1e-14 * float(np.ptp(v, axis=0).max()) ** 2:
        raise ValueError(
            f"vertices enclose zero area (all collinear): {v.tolist()}; give a proper polygon."
        )
    return v


def _orient(p, q, r):
    return (q[..., 0] - p[..., 0]) * (r[..., 1] - p[..., 1]) - (q[..., 1] - p[..., 1]) * (
        r[..., 0] - p[..., 0]
    )


def _check_simple(v):
    """Raise if two non-adjacent edges touch, or two adjacent edges fold back on each other."""
    m = v.shape[0]
    a, b = v, np.roll(v, -1, axis=0)
    scale = float(np.ptp(v, axis=0).max())
    eps = 1e-12 * scale**2
    # adjacent edges i, i+1 overlap when collinear and turning back
    d0, d1 = b - a, np.roll(b - a, -1, axis=0)
    cross = d0[:, 0] * d1[:, 1] - d0[:, 1] * d1[:, 0]
    folded = (np.abs(cross) <= eps) & (np.sum(d0 * d1, axis=1) < 0)
    if np.any(folded):
        i = int(np.nonzero(folded)[0][0])
        _raise_crossing(i, (i + 1) % m, v)
    i, j = np.triu_indices(m, k=2)
    keep = ~((i == 0) & (j == m - 1))
    i, j = i[keep], j[keep]
    p1, p2, q1, q2 = a[i], b[i], a[j], b[j]
    o1, o2 = _orient(p1, p2, q1), _orient(p1, p2, q2)
    o3, o4 = _orient(q1, q2, p1), _orient(q1, q2, p2)
    proper = (o1 * o2 < -eps * eps) & (o3 * o4 < -eps * eps)

    def on_segment(p, q, r, o):
        # r collinear with pq and inside its bounding box
        lo, hi = np.minimum(p, q) - 1e-12 * scale, np.maximum(p, q) + 1e-12 * scale
        return (np.abs(o) <= eps) & np.all((r >= lo) & (r <= hi), axis=1)

    touch = (
        on_segment(p1, p2, q1, o1)
        | on_segment(p1, p2, q2, o2)
        | on_segment(q1, q2, p1, o3)
        | on_segment(q1, q2, p2, o4)
    )
    bad = np.nonzero(proper | touch)[0]
    if bad.size:
        _raise_crossing(int(i[bad[0]]), int(j[bad[0]]), v)


def _raise_crossing(i, j, v):
    m = v.shape[0]
    raise ValueError(
        f"vertices must form a simple polygon, but edge {i} ({v[i].tolist()} -> "
        f"{v[(i + 1) % m].tolist()}) and edge {j} ({v[j].tolist()} -> {v[(j + 1) % m].tolist()}) "
        "intersect; reorder the vertices along the boundary."
    )
