"""Generate the mesh files of this folder (deterministic; needs only numpy, scipy and meshio).

    python geometry/make_meshes.py

Each file is written twice, byte for byte the same: here (the documented source) and into
`pdesolve/examples/meshes/` (the package data the examples read through `importlib.resources`,
so they work from an installed wheel); `tests/test_packaged_meshes.py` checks the copies agree.

- `porous_plate.msh`: the plate [0, 4]² with 10 circular holes, triangles (2D).
- `l_block.vtu`: the L-shaped block ([0, 2]² minus [1, 2]²) × [0, 1], tetrahedra (3D).

Method: boundary nodes are placed along every boundary curve (spacing ≈ h), interior nodes on a
lattice kept at least 0.7 h away from the boundary; scipy's Delaunay triangulation of all nodes
is then cut down to the cells whose centroid lies in the domain. The script checks that every
boundary segment of the input curves became a mesh edge (no cell crosses a hole) and that the
mesh area equals the polygonal area exactly.
"""

from pathlib import Path

import meshio
import numpy as np
from scipy.spatial import Delaunay

HERE = Path(__file__).resolve().parent
PACKAGED = HERE.parent / "pdesolve" / "examples" / "meshes"

# (centre x, centre y, radius): 10 disjoint holes, each ≥ 0.2 from the others and the edges
HOLES = np.array(
    [
        [0.7, 0.7, 0.30],
        [2.0, 0.6, 0.25],
        [3.3, 0.8, 0.35],
        [1.2, 1.8, 0.30],
        [2.6, 1.7, 0.30],
        [0.6, 3.0, 0.30],
        [1.8, 2.9, 0.25],
        [3.3, 2.4, 0.25],
        [2.9, 3.4, 0.30],
        [1.0, 2.4, 0.15],
    ]
)
PLATE_H = 0.1


def _circle_nodes(cx, cy, r, h):
    k = max(12, int(np.ceil(2 * np.pi * r / h)))
    angle = 2 * np.pi * np.arange(k) / k
    return np.stack([cx + r * np.cos(angle), cy + r * np.sin(angle)], axis=1)


def porous_plate(h=PLATE_H):
    """Triangle mesh of [0, 4]² minus the HOLES (holes are regular polygons inscribed in the
    circles). Returns (points (N, 2), triangles (M, 3), hole polygons)."""
    side = np.linspace(0.0, 4.0, int(round(4 / h)) + 1)
    outer = np.concatenate(
        [
            np.stack([side[:-1], np.zeros_like(side[:-1])], axis=1),
            np.stack([np.full_like(side[:-1], 4.0), side[:-1]], axis=1),
            np.stack([side[:0:-1], np.full_like(side[:-1], 4.0)], axis=1),
            np.stack([np.zeros_like(side[:-1]), side[:0:-1]], axis=1),
        ]
    )
    holes = [_circle_nodes(cx, cy, r, h) for cx, cy, r in HOLES]
    # hexagonal lattice of interior nodes: rows h√3/2 apart, every other row shifted by h/2
    rows = []
    for i, y in enumerate(np.arange(h, 4.0, h * np.sqrt(3) / 2)):
        xs = np.arange(h + h / 2 * (i % 2), 4.0 - h / 2, h)
        rows.append(np.stack([xs, np.full_like(xs, y)], axis=1))
    lattice = np.concatenate(rows)
    centres, radii = HOLES[:, :2], HOLES[:, 2]
    gap = np.linalg.norm(lattice[:, None, :] - centres, axis=2) - radii
    far = np.all(gap > 0.7 * h, axis=1) & np.all(
        (lattice > 0.7 * h) & (lattice < 4 - 0.7 * h), axis=1
    )
    points = np.concatenate([outer, *holes, lattice[far]])
    tri = Delaunay(points).simplices
    centroid = points[tri].mean(axis=1)
    keep = np.all(np.linalg.norm(centroid[:, None, :] - centres, axis=2) > radii, axis=1)
    tri = tri[keep]
    _check_plate(points, tri, outer, holes)
    return points, tri, holes


def _polygon_area(v):
    return 0.5 * abs(np.sum(v[:, 0] * np.roll(v[:, 1], -1) - np.roll(v[:, 0], -1) * v[:, 1]))


def _check_plate(points, tri, outer, holes):
    a, b = points[tri[:, 1]] - points[tri[:, 0]], points[tri[:, 2]] - points[tri[:, 0]]
    area = 0.5 * np.abs(a[:, 0] * b[:, 1] - a[:, 1] * b[:, 0])
    exact = 16.0 - sum(_polygon_area(v) for v in holes)
    assert abs(area.sum() - exact) < 1e-10, (area.sum(), exact)
    edges = np.sort(np.concatenate([tri[:, [0, 1]], tri[:, [1, 2]], tri[:, [2, 0]]]), axis=1)
    uniq, counts = np.unique(edges, axis=0, return_counts=True)
    n_boundary_nodes = len(outer) + sum(len(v) for v in holes)
    assert np.sum(counts == 1) == n_boundary_nodes, "a boundary segment was not recovered"
    assert np.all(uniq[counts == 1] < n_boundary_nodes)


def l_block(h=0.25):
    """Tetrahedral mesh of ([0, 2]² minus [1, 2]²) × [0, 1] on a lattice of spacing h."""
    axis2 = np.linspace(0, 2, int(round(2 / h)) + 1)
    axis1 = np.linspace(0, 1, int(round(1 / h)) + 1)
    grid = np.stack(np.meshgrid(axis2, axis2, axis1, indexing="ij"), axis=-1).reshape(-1, 3)
    notch = (grid[:, 0] > 1 + 1e-9) & (grid[:, 1] > 1 + 1e-9)
    points = grid[~notch]
    # a tiny deterministic jitter of the lattice breaks the co-spherical ties of a cubic lattice;
    # boundary nodes keep their boundary coordinates so the faces stay exactly planar
    rng = np.random.default_rng(0)
    jitter = 1e-3 * h * rng.standard_normal(points.shape)
    on_face = np.isclose(points, 0) | np.isclose(points, 2) | np.isclose(points, 1)
    jitter[on_face] = 0.0
    points = points + jitter
    tets = Delaunay(points).simplices
    centroid = points[tets].mean(axis=1)
    keep = ~((centroid[:, 0] > 1) & (centroid[:, 1] > 1))
    tets = tets[keep]
    e1, e2, e3 = (points[tets[:, k]] - points[tets[:, 0]] for k in (1, 2, 3))
    vol = np.abs(np.einsum("ij,ij->i", np.cross(e1, e2), e3)) / 6
    assert abs(vol.sum() - 3.0) < 1e-10, vol.sum()
    assert vol.min() > 1e-6 * h**3, "degenerate (sliver) tetrahedron"
    return points, tets


def _write_both(name, write):
    """`write(path)` into this folder, then the same bytes into the package's copy."""
    write(HERE / name)
    PACKAGED.mkdir(parents=True, exist_ok=True)
    (PACKAGED / name).write_bytes((HERE / name).read_bytes())


def main():
    points, tri, _ = porous_plate()
    plate = meshio.Mesh(np.column_stack([points, np.zeros(len(points))]), [("triangle", tri)])
    _write_both("porous_plate.msh",
                lambda path: meshio.write(path, plate, file_format="gmsh22", binary=False))
    print(f"porous_plate.msh: {len(points)} nodes, {len(tri)} triangles")
    points, tets = l_block()
    block = meshio.Mesh(points, [("tetra", tets)])
    _write_both("l_block.vtu", lambda path: meshio.write(path, block))
    print(f"l_block.vtu: {len(points)} nodes, {len(tets)} tetrahedra")


if __name__ == "__main__":
    main()
