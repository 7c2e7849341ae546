"""Triangulations of 2D domains (and of planar slices of 3D ones) that respect holes."""

import jax
import numpy as np
from matplotlib.tri import Triangulation

from ..geometry import check_domain
from ._common import PLOT_NEEDS, check_resolution


def domain_triangulation(domain, *, n: int = 120, boundary: bool = True) -> Triangulation:
    """A triangulation covering a 2D domain, with triangles outside it masked.

    A mesh domain (one with `points` and triangle `cells`) gives its own triangles. Any other
    domain is covered by the points of an n×n-ish grid of its bounding box that the domain
    contains (spacing h equal along both axes), plus about |∂Ω|/h boundary samples so edges are
    sharp; the Delaunay triangles whose centroid lies outside the domain are MASKED, so holes
    and notches show as holes.

    Args:
        domain: a 2D geometry domain (needs `dim`, `bbox`, `contains`; `sample_boundary` is
            used when `boundary` is True).
        n: grid points along the longer side of the bounding box.
        boundary: add boundary samples (a fixed key, so the picture is reproducible).

    Returns:
        A `matplotlib.tri.Triangulation`; `tri.mask` marks triangles outside the domain.

    Raises:
        TypeError: `domain` is not a domain, or `n` is not an int.
        ValueError: `domain` is not 2D, `n` < 3, or fewer than 3 grid points fall inside.
    """
    check_domain(domain, dims=(2,), needs=PLOT_NEEDS, purpose="for this plot")
    n = check_resolution(n, minimum=3)
    mesh = _mesh_triangles(domain)
    if mesh is not None:
        return Triangulation(mesh[0][:, 0], mesh[0][:, 1], mesh[1])
    lo, hi = (np.asarray(b, dtype=np.float64) for b in domain.bbox)
    points, h = grid_points(domain.contains, lo, hi, n)
    points = [points]
    if boundary and hasattr(domain, "sample_boundary"):
        measure = getattr(domain, "boundary_measure", None)
        count = int(measure / h) if measure else 4 * n
        bpts, _ = domain.sample_boundary(max(count, 8), key=jax.random.PRNGKey(0))
        points.append(np.asarray(bpts, dtype=np.float64))
    return masked_delaunay(np.concatenate(points), domain.contains)


def masked_delaunay(points: np.ndarray, contains) -> Triangulation:
    """Delaunay triangulation of 2D `points` with triangles whose centroid fails `contains` masked.

    Raises:
        ValueError: fewer than 3 distinct points.
    """
    points = np.unique(points, axis=0)
    if points.shape[0] < 3:
        raise ValueError(
            f"only {points.shape[0]} grid points fall inside the domain; increase n or check "
            "that the domain is not empty."
        )
    tri = Triangulation(points[:, 0], points[:, 1])
    centroids = points[tri.triangles].mean(axis=1)
    tri.set_mask(~np.asarray(contains(centroids), dtype=bool))
    return tri


def slice_triangulation(domain, *, axis: int = 2, value: float | None = None, n: int = 120):
    """A masked triangulation of the plane x_axis = value cut through a 3D domain.

    Args:
        domain: a 3D geometry domain.
        axis: the coordinate held fixed (0, 1 or 2).
        value: its value; default the middle of the bounding box.
        n: grid points along the longer side of the plane's bounding box.

    Returns:
        `(tri, lift, value)`: the triangulation in the two free coordinates, a function mapping
        (m, 2) plane points to (m, 3) points, and the value used.

    Raises:
        ValueError: `axis` not in {0, 1, 2}, `value` outside the bounding box, or the plane
            misses the domain.
    """
    check_domain(domain, dims=(3,), needs=PLOT_NEEDS, purpose="for this plot")
    n = check_resolution(n, minimum=3)
    if axis not in (0, 1, 2):
        raise ValueError(f"axis must be 0, 1 or 2 (the coordinate held fixed), got {axis!r}.")
    lo, hi = (np.asarray(b, dtype=np.float64) for b in domain.bbox)
    value = float(0.5 * (lo[axis] + hi[axis])) if value is None else float(value)
    if not lo[axis] <= value <= hi[axis]:
        raise ValueError(
            f"value={value} is outside the domain's extent [{lo[axis]}, {hi[axis]}] along "
            f"axis {axis}; choose a plane that cuts the domain."
        )
    free = [k for k in range(3) if k != axis]

    def lift(p):
        out = np.empty((p.shape[0], 3))
        out[:, free] = p
        out[:, axis] = value
        return out

    contains = lambda p: domain.contains(lift(p))
    inside, _ = grid_points(contains, lo[free], hi[free], n)
    if inside.shape[0] < 3:
        raise ValueError(f"the plane x{axis} = {value} misses the domain; choose another value.")
    return masked_delaunay(inside, contains), lift, value


def grid_points(contains, lo, hi, n: int, iterations: int = 40):
    """Points of a square-spaced grid over [lo, hi] ⊂ R² inside a region, plus its boundary.

    Along every grid edge whose two ends disagree on `contains`, the boundary crossing is found
    by bisection (to ~h·2^-iterations) and its inside end is kept, so the region's outline is
    sharp even where the boundary cannot be sampled (e.g. a slice through a 3D domain).

    Returns:
        `(points, h)`: points of shape (m, 2), all inside the region, and the grid spacing.
    """
    h = float(np.max(hi - lo)) / (n - 1)
    axes = [np.linspace(lo[k], hi[k], max(int(round((hi[k] - lo[k]) / h)) + 1, 3)) for k in (0, 1)]
    gx, gy = np.meshgrid(*axes, indexing="xy")
    grid = np.stack([gx, gy], axis=-1)
    inside = np.asarray(contains(grid.reshape(-1, 2)), dtype=bool).reshape(gx.shape)
    pairs = []
    for a, b, ia, ib in (
        (grid[:, :-1], grid[:, 1:], inside[:, :-1], inside[:, 1:]),
        (grid[:-1, :], grid[1:, :], inside[:-1, :], inside[1:, :]),
    ):
        cross = ia != ib
        pin = np.where(ia[cross][:, None], a[cross], b[cross])
        pout = np.where(ia[cross][:, None], b[cross], a[cross])
        pairs.append((pin, pout))
    pin = np.concatenate([p[0] for p in pairs])
    pout = np.concatenate([p[1] for p in pairs])
    for _ in range(iterations if pin.shape[0] else 0):
        mid = 0.5 * (pin + pout)
        ok = np.asarray(contains(mid), dtype=bool)[:, None]
        pin, pout = np.where(ok, mid, pin), np.where(ok, pout, mid)
    return np.concatenate([grid[inside], pin]), h


def _mesh_triangles(domain):
    """(points, triangles) of a 2D triangle-mesh domain, or None for other domains."""
    points, cells = getattr(domain, "points", None), getattr(domain, "cells", None)
    if points is None or cells is None:
        return None
    points, cells = np.asarray(points, dtype=np.float64), np.asarray(cells)
    if points.ndim != 2 or points.shape[1] != 2 or cells.ndim != 2 or cells.shape[1] != 3:
        return None
    return points, cells.astype(np.int64)
