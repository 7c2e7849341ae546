"""Named pieces of a domain's boundary, each with a distance field that vanishes on it.

Boundary conditions can then differ by piece (Dirichlet on some, Neumann on others): the
hard-constraint ansatz builds its factor D from the Dirichlet pieces' fields only, and boundary
samples are assigned to the piece whose field is smallest in magnitude there.
"""

import jax
import jax.numpy as jnp
import numpy as np

from ._box import Box
from ._csg import Difference
from ._mesh import Mesh
from ._polygon import Polygon
from ._rfunctions import segment_fields, trim


def _face(k, side, lo, hi):
    if side:
        return lambda x: hi - x[k]
    return lambda x: x[k] - lo


def _edge(a, b):
    a, b = np.asarray(a)[None], np.asarray(b)[None]
    return lambda x: trim(*segment_fields(x, a.astype(x.dtype), b.astype(x.dtype)))[0]


def _holes(domain):
    """(outer operand, [subtracted operands]) of A − B1 − … − Bm (left-nested differences)."""
    holes = []
    while isinstance(domain, Difference):
        holes.insert(0, domain.b)
        domain = domain.a
    return domain, holes


def boundary_parts(domain):
    """The boundary pieces of `domain` and a distance field per piece.

    A `Box` has one piece per face, "x{k}-" (x_k = lo_k) and "x{k}+" (x_k = hi_k), with the
    field x_k − lo_k or hi_k − x_k. A `Polygon` has one piece per edge, "edge{i}" joining
    `vertices[i]` and `vertices[i + 1]` (counter-clockwise order, as stored), with the edge's
    trimmed segment field (≥ 0, zero on the edge only, smooth inside). A difference
    A − B1 − … − Bm (holes cut from A, A itself not a difference) has "outer" (∂A, field φ_A)
    and "hole1", …, "holem" (∂B_i, field −φ_{B_i}). A `Mesh` whose boundary has several
    connected components has "outer" and "hole1", … in the order of
    `Mesh.boundary_components`, each with the field of its facets alone. Any other domain has
    the single piece "boundary" with the domain's own field.

    Args:
        domain: a `Domain`.

    Returns:
        Tuple of `(name, phi)`; `phi(x)` for one point x of shape (d,) is 0 on that piece and
        > 0 inside the domain near it (JAX-traceable).
    """
    if isinstance(domain, Box):
        lo, hi = domain.lo.tolist(), domain.hi.tolist()
        return tuple(
            (f"x{k}{'-+'[side]}", _face(k, side, lo[k], hi[k]))
            for k in range(domain.dim)
            for side in (0, 1)
        )
    if isinstance(domain, Polygon):
        return tuple((f"edge{i}", _edge(a, b)) for i, (a, b) in enumerate(zip(
            domain._a, domain._b, strict=True)))
    if isinstance(domain, Mesh):
        count = int(domain.boundary_components.max()) + 1
        if count == 1:
            return (("boundary", domain._distance),)
        names = ["outer"] + [f"hole{k}" for k in range(1, count)]
        return tuple((name, domain._component_distance(k)) for k, name in enumerate(names))
    outer, holes = _holes(domain)
    if not holes:
        return (("boundary", domain._distance),)
    parts = [("outer", outer._distance)]
    for i, hole in enumerate(holes):
        parts.append((f"hole{i + 1}", lambda x, h=hole: -h._distance(x)))
    return tuple(parts)


def boundary_segments(domain):
    """The straight segments that make up each piece of `boundary_parts(domain)`, where the
    pieces are polylines: polygon edges, the facets of a 2D mesh (per component), and the
    operands' edges of a difference of such domains.

    Args:
        domain: a `Domain`.

    Returns:
        None if some piece is not a polyline; else a tuple with, per piece, the segments' end
        points `(a, b)`, two float64 arrays of shape (k, 2), oriented with the domain on the
        left of a → b (counter-clockwise around the outer boundary, clockwise around holes).
    """
    if isinstance(domain, Polygon):
        return tuple((domain._a[i : i + 1], domain._b[i : i + 1]) for i in range(len(domain._a)))
    if isinstance(domain, Mesh):
        if domain.dim != 2:
            return None
        a, b = domain.boundary_facets
        labels = domain.boundary_components
        return tuple((a[labels == k], b[labels == k]) for k in range(int(labels.max()) + 1))
    outer, holes = _holes(domain)
    if not holes:
        return None
    pieces = [_polyline(outer)] + [_polyline(hole) for hole in holes]
    if any(p is None for p in pieces):
        return None
    return (pieces[0], *((b, a) for a, b in pieces[1:]))


def _polyline(domain):
    """All boundary segments (a, b) of a polygon or a one-component 2D mesh (domain on the left
    of a → b), else None."""
    if isinstance(domain, Polygon):
        return domain._a, domain._b
    if isinstance(domain, Mesh) and domain.dim == 2 and domain.boundary_components.max() == 0:
        return domain.boundary_facets
    return None


def classify_boundary(domain, points) -> np.ndarray:
    """Index (into `boundary_parts(domain)`) of the piece each boundary point lies on.

    Args:
        domain: a `Domain`.
        points: boundary points of shape (n, d).

    Returns:
        Integer array of shape (n,): the piece whose field is smallest in magnitude.
    """
    fields = [phi for _, phi in boundary_parts(domain)]
    nearest = jax.jit(lambda p: jnp.argmin(jnp.stack([jnp.abs(jax.vmap(phi)(p)) for phi in fields]),
                                           axis=0))
    return np.asarray(nearest(jnp.asarray(points)))
