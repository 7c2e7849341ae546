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
    and "hole1", …, "holem" (∂B_i, field −φ_{B_i}). Any other domain has the single piece
    "boundary" with the domain's own field.

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
    outer, holes = _holes(domain)
    if not holes:
        return (("boundary", domain._distance),)
    parts = [("outer", outer._distance)]
    for i, hole in enumerate(holes):
        parts.append((f"hole{i + 1}", lambda x, h=hole: -h._distance(x)))
    return tuple(parts)


def classify_boundary(domain, points) -> np.ndarray:
    """Index (into `boundary_parts(domain)`) of the piece each boundary point lies on.

    Args:
        domain: a `Domain`.
        points: boundary points of shape (n, d).

    Returns:
        Integer array of shape (n,): the piece whose field is smallest in magnitude.
    """
    points = jnp.asarray(points)
    fields = [jnp.abs(jax.vmap(phi)(points)) for _, phi in boundary_parts(domain)]
    return np.asarray(jnp.argmin(jnp.stack(fields), axis=0))
