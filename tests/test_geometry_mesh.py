"""Mesh: topology (boundary facets, outward normals), exact-uniform sampling, membership,
distance field, files of `geometry/`, use in CSG, and bad input."""

from pathlib import Path

import jax
import jax.numpy as jnp
import meshio
import numpy as np
import pytest

from pdesolve import geometry as geo

DATA = Path(__file__).resolve().parent.parent / "geometry"
HOLES = np.array(
    [[0.7, 0.7, 0.30], [2.0, 0.6, 0.25], [3.3, 0.8, 0.35], [1.2, 1.8, 0.30], [2.6, 1.7, 0.30],
     [0.6, 3.0, 0.30], [1.8, 2.9, 0.25], [3.3, 2.4, 0.25], [2.9, 3.4, 0.30], [1.0, 2.4, 0.15]]
)


@pytest.fixture(scope="module")
def plate():
    return geo.Mesh.from_file(DATA / "porous_plate.msh")


@pytest.fixture(scope="module")
def block():
    return geo.Mesh.from_file(DATA / "l_block.vtu")


def _square_mesh(k=4):
    """[0, 1]² split into 2k² triangles."""
    g = np.linspace(0, 1, k + 1)
    pts = np.stack(np.meshgrid(g, g, indexing="ij"), axis=-1).reshape(-1, 2)
    idx = np.arange((k + 1) ** 2).reshape(k + 1, k + 1)
    a, b = idx[:-1, :-1].ravel(), idx[1:, :-1].ravel()
    c, d = idx[1:, 1:].ravel(), idx[:-1, 1:].ravel()
    return pts, np.concatenate([np.stack([a, b, c], 1), np.stack([a, c, d], 1)])


def test_square_mesh_topology_and_measures(key):
    mesh = geo.Mesh(*_square_mesh())
    assert mesh.measure == pytest.approx(1.0, rel=1e-14)
    assert mesh.boundary_measure == pytest.approx(4.0, rel=1e-14)
    pts, nrm = mesh.sample_boundary(400, key=key, method="grid")
    assert pts.shape == (400, 2)
    expected = np.where(np.isclose(pts[:, :1], 0), -1, np.where(np.isclose(pts[:, :1], 1), 1, 0))
    np.testing.assert_allclose(nrm[:, 0], expected[:, 0], atol=1e-14)
    assert np.all(mesh.contains(pts)) and not np.any(mesh.contains(pts + 1e-6 * nrm))
    assert mesh.contains(np.array([[0.5, 0.5], [1.0, 1.0], [1.0 + 1e-6, 0.5]])).tolist() == [
        True, True, False
    ]


def test_triangle_and_tetra_sampling_is_uniform(key):
    tri = geo.Mesh(np.array([[0.0, 0], [2, 0], [0, 1]]), np.array([[0, 1, 2]]))
    x = tri.sample_interior(20000, key=key)
    np.testing.assert_allclose(x.mean(axis=0), [2 / 3, 1 / 3], atol=5 * 0.5 / np.sqrt(20000))
    # the midpoint triangle holds a quarter of the area
    inner = (x[:, 1] < 0.5) & (x[:, 0] + 2 * x[:, 1] > 1) & (x[:, 0] < 1)
    assert abs(inner.mean() - 0.25) < 5 * np.sqrt(0.25 * 0.75 / 20000)
    corners = np.array([[0.0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]])
    tet = geo.Mesh(corners, np.array([[0, 1, 2, 3]]))
    y = tet.sample_interior(20000, key=key, method="sobol")
    assert np.all(y >= -1e-15) and np.all(y.sum(axis=1) <= 1 + 1e-12)
    np.testing.assert_allclose(y.mean(axis=0), [0.25] * 3, atol=3e-3)
    # the corner tetrahedron s + t + u < 1/2 holds 1/8 of the volume
    assert abs(np.mean(y.sum(axis=1) < 0.5) - 0.125) < 3e-3
    assert tet.measure == pytest.approx(1 / 6)
    assert tet.boundary_measure == pytest.approx(1.5 + np.sqrt(3) / 2)


def test_porous_plate(plate, key):
    assert plate.dim == 2 and len(plate.cells) == 2939
    np.testing.assert_allclose(plate.bbox[0], [0, 0])
    np.testing.assert_allclose(plate.bbox[1], [4, 4])
    assert abs(plate.measure - (16 - np.pi * np.sum(HOLES[:, 2] ** 2))) < 0.06  # inscribed holes
    pts, nrm = plate.sample_boundary(3000, key=key, method="sobol")
    gap = np.linalg.norm(pts[:, None, :] - HOLES[:, :2], axis=2) - HOLES[:, 2]
    on_hole = np.min(np.abs(gap), axis=1) < 0.01
    hole = np.argmin(np.abs(gap), axis=1)
    towards_centre = HOLES[hole, :2] - pts
    cos = np.sum(towards_centre * nrm, axis=1) / np.linalg.norm(towards_centre, axis=1)
    # a hole's normals point into the hole (holes are k-gons, k ≥ 12: angle ≤ π/12 off radial)
    assert np.all(cos[on_hole] > np.cos(np.pi / 12) - 1e-9)
    assert np.all(~plate.contains(pts + 1e-6 * nrm)) and np.all(plate.contains(pts - 1e-6 * nrm))
    assert np.max(np.abs(np.asarray(plate.distance(pts)))) < 1e-12
    x = plate.sample_interior(2000, key=key)
    assert np.all(plate.contains(x))
    ratio = np.asarray(plate.distance(x)) / plate.euclidean_distance(x)
    assert 0.5 < ratio.min() and ratio.max() < 1.7
    assert np.all(np.asarray(plate.distance(HOLES[:, :2])) < 0)  # hole centres are outside


def test_l_block(block, key):
    assert block.dim == 3
    assert block.measure == pytest.approx(3.0, rel=1e-12)
    assert block.boundary_measure == pytest.approx(14.0, rel=1e-12)
    pts, nrm = block.sample_boundary(2000, key=key)
    np.testing.assert_allclose(np.max(np.abs(nrm), axis=1), 1.0, atol=1e-9)  # axis-aligned faces
    assert np.all(~block.contains(pts + 1e-6 * nrm)) and np.all(block.contains(pts - 1e-6 * nrm))
    assert np.max(np.abs(np.asarray(block.distance(pts)))) < 1e-12
    x = block.sample_interior(6000, key=key)
    assert np.all(block.contains(x)) and not np.any((x[:, 0] > 1) & (x[:, 1] > 1))
    # each of the three unit columns holds a third of the volume
    corner = (x[:, 0] < 1) & (x[:, 1] < 1)
    assert abs(corner.mean() - 1 / 3) < 5 * np.sqrt(2 / 9 / 6000)
    d = np.asarray(block.distance(x))
    assert np.all(d > 0)
    assert not block.contains(np.array([1.5, 1.5, 0.5])).any()
    assert float(block.distance(jnp.array([1.5, 1.5, 0.5]))) < 0


def test_distance_derivatives_finite(block, key):
    # (the porous plate is checked with the gallery shapes)
    inner = block.sample_interior(8, key=key)
    pts, nrm = block.sample_boundary(8, key=key)
    near = np.array([[0.4, 0.3, 1e-5]])
    first = jax.jacfwd(block.distance)  # forward-over-forward: cheapest to compile
    both = jax.jacfwd(lambda z: (first(z), first(z)), has_aux=True)
    hess, grad = jax.jit(jax.vmap(both))(jnp.asarray(np.concatenate([inner, pts, near])))
    assert np.all(np.isfinite(grad)) and np.all(np.isfinite(hess))
    # on the boundary the gradient is the inward normal; next to a flat face nearly so
    np.testing.assert_allclose(grad[8:16], -nrm, atol=1e-9)
    np.testing.assert_allclose(grad[16], [0, 0, 1], atol=1e-2)


@pytest.mark.parametrize("method", ["random", "sobol", "halton", "lhs"])
def test_counts_and_reproducibility(plate, block, method, key):
    for mesh in (plate, block):
        for n in (1, 33):
            assert mesh.sample_interior(n, key=key, method=method).shape == (n, mesh.dim)
            assert mesh.sample_boundary(n, key=key, method=method)[0].shape == (n, mesh.dim)
        a = mesh.sample_interior(64, key=key, method=method)
        np.testing.assert_array_equal(a, mesh.sample_interior(64, key=key, method=method))
        other = mesh.sample_interior(64, key=jax.random.PRNGKey(3), method=method)
        assert not np.allclose(a, other)


def test_mesh_in_csg(key):
    square = geo.Mesh(*_square_mesh())
    dom = square - geo.Disk((0.5, 0.5), 0.25)
    assert dom.boundary_measure == pytest.approx(4 + 0.5 * np.pi, rel=2e-3)
    pts, nrm = dom.sample_boundary(500, key=key)
    assert np.all(dom.contains(pts)) and np.all(~dom.contains(pts + 1e-6 * nrm))
    both = geo.Disk((0.5, 0.5), 0.25) - square
    with pytest.raises(RuntimeError, match="too few"):
        both.sample_interior(10, key=key)


def test_bad_mesh_input(tmp_path):
    with pytest.raises(ValueError, match="path .*nope.msh.* not an existing mesh file"):
        geo.Mesh.from_file(tmp_path / "nope.msh")
    lines = tmp_path / "lines.vtu"
    meshio.write(lines, meshio.Mesh(np.eye(3), [("line", np.array([[0, 1], [1, 2]]))]))
    with pytest.raises(ValueError, match="no triangle or tetra cells \\(found: line\\)"):
        geo.Mesh.from_file(lines)
    tilted = tmp_path / "tilted.vtu"
    meshio.write(tilted, meshio.Mesh(np.eye(3), [("triangle", np.array([[0, 1, 2]]))]))
    with pytest.raises(ValueError, match="not in one plane"):
        geo.Mesh.from_file(tilted)
    pts, cells = _square_mesh(1)
    with pytest.raises(ValueError, match="points must have shape"):
        geo.Mesh(pts[:, :1], cells)
    with pytest.raises(ValueError, match="cells must have shape \\(M, 3\\)"):
        geo.Mesh(pts, cells[:, :2])
    with pytest.raises(ValueError, match="cells must index points 0..3"):
        geo.Mesh(pts, cells + 1)
    with pytest.raises(TypeError, match="integer"):
        geo.Mesh(pts, cells.astype(float))
    with pytest.raises(ValueError, match="cell 0 .* degenerate"):
        geo.Mesh(np.array([[0.0, 0], [1, 0], [2, 0]]), np.array([[0, 1, 2]]))
    with pytest.raises(ValueError, match="finite"):
        geo.Mesh(np.where(pts == 1, np.nan, pts), cells)
    with pytest.raises(ValueError, match="exponent"):
        geo.Mesh(pts, cells, exponent=0)


@pytest.mark.parametrize("name", ["plate", "block"])
def test_distance_finite_at_every_vertex(name, plate, block):
    """Boundary vertices are where facets meet: the value is ≈ 0 there and no NaN may appear
    in it or its gradient (plots and hard-constrained ansätze evaluate exactly there)."""
    mesh = {"plate": plate, "block": block}[name]
    points = jnp.asarray(mesh.points)
    values = np.asarray(mesh.distance(points))
    grads = np.asarray(jax.vmap(jax.grad(mesh.distance))(points))
    assert np.all(np.isfinite(values)) and np.all(np.isfinite(grads))
    assert np.all(values >= -1e-12)


def test_boundary_components_are_outer_then_holes_by_centroid(plate, key):
    labels = plate.boundary_components
    a, b = plate.boundary_facets
    assert labels.shape == (len(a),) and set(labels.tolist()) == set(range(11))
    outer = labels == 0
    mid = 0.5 * (a + b)
    # the outer component is the square's boundary: every midpoint lies on a side
    assert np.all(np.min(np.abs(np.concatenate([mid[outer], 4 - mid[outer]], 1)), 1) < 1e-12)
    order = np.lexsort((HOLES[:, 1], HOLES[:, 0]))
    for k, hole in enumerate(order, start=1):
        gap = np.linalg.norm(mid[labels == k] - HOLES[hole, :2], axis=1) - HOLES[hole, 2]
        assert np.max(np.abs(gap)) < 0.01
    names = [name for name, _ in geo.boundary_parts(plate)]
    assert names == ["outer"] + [f"hole{k}" for k in range(1, 11)]
    points, _ = plate.sample_boundary(2000, key=key)
    which = geo.classify_boundary(plate, points)
    gap = np.linalg.norm(points[:, None, :] - HOLES[order, :2], axis=2) - HOLES[order, 2]
    on_hole = np.min(np.abs(gap), axis=1) < 0.01
    np.testing.assert_array_equal(which[on_hole], 1 + np.argmin(np.abs(gap[on_hole]), axis=1))
    assert np.all(which[~on_hole] == 0)
    # each component's own field is 0 on it and positive inside the domain
    parts = geo.boundary_parts(plate)
    fields = jax.jit(lambda p: jnp.stack([jax.vmap(phi)(p) for _, phi in parts]))
    assert np.all(np.asarray(fields(jnp.asarray(plate.sample_interior(500, key=key)))) > 0)
    on_own = np.asarray(fields(jnp.asarray(points)))[which, np.arange(len(points))]
    assert np.max(np.abs(on_own)) < 1e-9
    # one component: a single part
    single = geo.Mesh(*_square_mesh())
    assert np.all(single.boundary_components == 0)
    assert [name for name, _ in geo.boundary_parts(single)] == ["boundary"]


def test_cavity_of_a_tetrahedral_mesh_is_its_own_part(key):
    # [0, 1]³ lattice (spacing 0.25, interior nodes jittered to break Delaunay ties) minus the
    # tetrahedra whose centroid lies in the cavity [0.25, 0.75]³ (jittered: nearly that cube)
    g = np.linspace(0, 1, 5)
    pts = np.stack(np.meshgrid(g, g, g, indexing="ij"), axis=-1).reshape(-1, 3)
    inner = np.all((pts > 0) & (pts < 1), axis=1)
    pts[inner] += 2.5e-4 * np.random.default_rng(0).standard_normal((int(inner.sum()), 3))
    from scipy.spatial import Delaunay

    cells = Delaunay(pts).simplices
    edges = pts[cells[:, 1:]] - pts[cells[:, :1]]
    cells = cells[np.abs(np.linalg.det(edges)) > 1e-9]  # flat slivers on the outer faces
    centroid = pts[cells].mean(axis=1)
    cube = geo.Mesh(pts, cells[~np.all((centroid > 0.25) & (centroid < 0.75), axis=1)])
    assert [name for name, _ in geo.boundary_parts(cube)] == ["outer", "hole1"]
    a, b, c = cube.boundary_facets
    mid = (a + b + c) / 3
    on_cavity = np.all((mid > 0.2) & (mid < 0.8), axis=1)
    np.testing.assert_array_equal(cube.boundary_components, on_cavity.astype(int))
    points, _ = cube.sample_boundary(400, key=key)
    which = geo.classify_boundary(cube, points)
    np.testing.assert_array_equal(which, np.all((points > 0.2) & (points < 0.8), axis=1))
