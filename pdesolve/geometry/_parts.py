"""Named pieces of a domain's boundary, each with a distance field that vanishes on it.

Boundary conditions can then differ by piece (Dirichlet on some, Neumann on others): the
hard-constraint ansatz builds its factor D from the Dirichlet pieces' fields only, and boundary
samples are assigned to the piece whose field is smallest in magnitude there. The pieces are
the shapes' own (`Domain.boundary_parts`, `Domain.boundary_segments`); these functions are the
same as those methods.
"""

import numpy as np


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
    return domain.boundary_parts()


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
    return domain.boundary_segments()


def classify_boundary(domain, points) -> np.ndarray:
    """Index (into `boundary_parts(domain)`) of the piece each boundary point lies on.

    Args:
        domain: a `Domain`.
        points: boundary points of shape (n, d).

    Returns:
        Integer array of shape (n,): the piece whose field is smallest in magnitude.
    """
    return domain.classify_boundary(points)
