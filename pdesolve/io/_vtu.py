"""Export point data and solutions sampled on a mesh to VTU files (ParaView, meshio)."""

from pathlib import Path

import jax
import numpy as np

from ..fields import batch_exact, evaluate, solution_parts
from ..geometry import check_domain
from ._atomic import atomic_path

_CELL_TYPES = {1: {2: "line"}, 2: {3: "triangle"}, 3: {4: "tetra", 3: "triangle"}}
_DEFAULT_RESOLUTION = {1: 200, 2: 120, 3: 32}


def export_vtu(path, values_by_name: dict, points, cells) -> Path:
    """Write point data on a mesh to a VTU file (readable by ParaView and meshio).

    Args:
        path: the file to write; the suffix ".vtu" is added when missing. Parent folders are
            created; the file is written atomically (`atomic_path`).
        values_by_name: mapping name -> array of shape (n,) (one value per point).
        points: vertex coordinates, shape (n, d) with d in {1, 2, 3} (padded to 3D in the file).
        cells: vertex indices, shape (m, k): k = 2 segments (1D), 3 triangles, 4 tetrahedra.

    Returns:
        The path written.

    Raises:
        ValueError: bad shapes, indices out of range, or values of the wrong length / not finite.
    """
    points = np.asarray(points, dtype=np.float64)
    if points.ndim != 2 or not 1 <= points.shape[1] <= 3:
        raise ValueError(f"points must have shape (n, d) with d in 1..3, got {points.shape}.")
    cells = np.asarray(cells)
    if cells.ndim != 2 or not np.issubdtype(cells.dtype, np.integer):
        raise ValueError(f"cells must be an integer array of shape (m, k), got {cells.shape} "
                         f"of dtype {cells.dtype}.")
    cell_type = _CELL_TYPES.get(points.shape[1], {}).get(cells.shape[1])
    if cell_type is None:
        raise ValueError(
            f"cells with {cells.shape[1]} vertices do not fit {points.shape[1]}D points; use "
            "segments (2) in 1D, triangles (3) in 2D, tetrahedra (4) or triangles (3) in 3D."
        )
    n = points.shape[0]
    if cells.size and (cells.min() < 0 or cells.max() >= n):
        raise ValueError(
            f"cells index vertices outside 0..{n - 1} (got {cells.min()}..{cells.max()})."
        )
    if not isinstance(values_by_name, dict):
        raise TypeError(
            f"values_by_name must be a dict name -> values, got {type(values_by_name).__name__}."
        )
    point_data = {}
    for name, values in values_by_name.items():
        values = np.asarray(values, dtype=np.float64)
        if values.shape != (n,):
            raise ValueError(
                f"values_by_name[{name!r}] must have shape ({n},), got {values.shape}."
            )
        if not np.all(np.isfinite(values)):
            raise ValueError(f"values_by_name[{name!r}] has NaN or inf values.")
        point_data[str(name)] = values
    path = Path(path)
    if path.suffix != ".vtu":
        path = path.with_name(path.name + ".vtu")
    padded = np.zeros((n, 3))
    padded[:, : points.shape[1]] = points
    import meshio  # imported here: meshio adds ~0.4 s to `import pdesolve`

    mesh = meshio.Mesh(padded, [(cell_type, cells.astype(np.int64))], point_data=point_data)
    with atomic_path(path) as tmp:
        meshio.write(tmp, mesh, file_format="vtu")
    return path


def export_solution_vtu(path, sol, mesh_or_domain=None, *, t: float | None = None,
                        n: int | None = None, exact=None) -> Path:
    """Sample a solution on a mesh and write "solution", "exact" and "error" point data to VTU.

    Point data: `solution` = sol(x) (or sol(x, t)); when an exact solution is known also
    `exact` and `error` = |solution − exact|.

    Args:
        path: the file to write (".vtu" added when missing).
        sol: callable `sol(x)` or `sol(x, t)` returning (m,) values; its `problem` attribute
            (if any) supplies the default domain, exact solution and `t_span`.
        mesh_or_domain: a mesh (an object with `points` and `cells`, e.g. `geometry.Mesh`) whose
            vertices are used, or a domain that is meshed here: 1D → segments of a uniform grid;
            2D → the hole-respecting triangulation of `plotting.domain_triangulation`; 3D → a
            Delaunay tetrahedralisation of grid + boundary points, keeping tetrahedra whose
            centroid lies in the domain. Default `sol.problem.domain`.
        t: the time for time-dependent solutions; default the final time of `problem.t_span`.
        n: grid points along the longer side when meshing a domain; default 200 (1D),
            120 (2D), 32 (3D: about 30 000 grid points in a cube).
        exact: pointwise exact solution (x of shape (d,) [, t]); default `sol.problem.exact`.

    Returns:
        The path written.

    Raises:
        TypeError: no mesh or domain is given or found.
        ValueError: as for `export_vtu`, or a time-dependent solution without `t`/`t_span`.
    """
    target, exact, t_span = solution_parts(sol, mesh_or_domain, exact,
                                           domain_hint="mesh_or_domain is required.")
    if t is None and t_span is not None:
        t = float(t_span[1])
    points, cells = _mesh_of(target, n)
    times = None if t is None else np.full(points.shape[0], float(t))
    values = {"solution": evaluate(sol, points, times, name="sol")}
    if exact is not None:
        batch = batch_exact(exact, times is not None)
        values["exact"] = evaluate(batch, points, times, name="exact")
        values["error"] = np.abs(values["solution"] - values["exact"])
    return export_vtu(path, values, points, cells)


def _mesh_of(target, n):
    """(points, cells) of a mesh object, or a mesh made for a domain."""
    points, cells = getattr(target, "points", None), getattr(target, "cells", None)
    if points is not None and cells is not None and not callable(cells):
        return np.asarray(points, dtype=np.float64), np.asarray(cells)
    check_domain(target, "mesh_or_domain", needs=("dim", "bbox", "contains"),
                 fix="or pass a mesh with points and cells")
    lo, hi = (np.asarray(b, dtype=np.float64) for b in target.bbox)
    n = _DEFAULT_RESOLUTION.get(target.dim, 32) if n is None else n
    if target.dim == 1:
        x = np.linspace(lo[0], hi[0], max(int(n), 2))[:, None]
        return x, np.column_stack([np.arange(x.shape[0] - 1), np.arange(1, x.shape[0])])
    if target.dim == 2:
        from ..plotting import domain_triangulation  # matplotlib, imported on first use

        tri = domain_triangulation(target, n=n)
        return _compact(np.column_stack([tri.x, tri.y]), tri.get_masked_triangles())
    if target.dim == 3:
        return _tetrahedralise(target, lo, hi, n)
    raise ValueError(f"can only mesh 1D, 2D or 3D domains, got a {target.dim}D domain.")


def _tetrahedralise(domain, lo, hi, n):
    from scipy.spatial import Delaunay

    h = float(np.max(hi - lo)) / (n - 1)
    axes = [np.linspace(lo[k], hi[k], max(round((hi[k] - lo[k]) / h) + 1, 2)) for k in range(3)]
    grid = np.stack(np.meshgrid(*axes, indexing="ij"), axis=-1).reshape(-1, 3)
    points = [grid[domain.contains(grid)]]
    if hasattr(domain, "sample_boundary"):
        measure = getattr(domain, "boundary_measure", None)
        count = int(measure / h**2) if measure else 6 * n * n
        bpts, _ = domain.sample_boundary(max(count, 16), key=jax.random.PRNGKey(0))
        points.append(np.asarray(bpts, dtype=np.float64))
    points = np.unique(np.concatenate(points), axis=0)
    if points.shape[0] < 4:
        raise ValueError("fewer than 4 grid points fall inside the domain; increase n.")
    tets = Delaunay(points).simplices
    keep = domain.contains(points[tets].mean(axis=1))
    return _compact(points, tets[keep])


def _compact(points, cells):
    """Drop vertices no cell uses and renumber the cells."""
    used = np.unique(cells)
    renumber = np.full(points.shape[0], -1, dtype=np.int64)
    renumber[used] = np.arange(used.size)
    return points[used], renumber[cells]
