"""CSG: union, intersection and difference — membership, which boundary pieces survive, normals
(a hole's point into the hole), boundary measure, proportional spreading, R-function distance."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from pdesolve import geometry as geo


def _check_boundary(dom, pts, nrm, step=1e-6):
    np.testing.assert_allclose(np.linalg.norm(nrm, axis=1), 1.0, atol=1e-12)
    assert np.max(np.abs(np.asarray(dom.distance(pts)))) < 1e-10
    assert np.all(dom.contains(pts))
    assert np.all(~dom.contains(pts + step * nrm))
    assert np.all(dom.contains(pts - step * nrm))


def test_annulus_normals_point_into_the_hole(key):
    ann = geo.Disk((0, 0), 1) - geo.Disk((0, 0), 0.5)
    assert ann.boundary_measure == pytest.approx(3 * np.pi, rel=1e-12)
    pts, nrm = ann.sample_boundary(3000, key=key)
    r = np.linalg.norm(pts, axis=1)
    outer = np.isclose(r, 1.0)
    assert np.all(outer | np.isclose(r, 0.5))
    np.testing.assert_allclose(nrm[outer], pts[outer], atol=1e-12)
    np.testing.assert_allclose(nrm[~outer], -pts[~outer] / 0.5, atol=1e-12)
    # 2/3 of the boundary is the outer circle: binomial count within 5 standard errors
    assert abs(outer.mean() - 2 / 3) < 5 * np.sqrt(2 / 9 / 3000)
    _check_boundary(ann, pts, nrm)
    assert ann.contains(np.array([[0.5, 0.0], [0.25, 0.0], [0.75, 0.0]])).tolist() == [
        True, False, True
    ]


def test_union_drops_interface_and_keeps_shared_faces_once(key):
    union = geo.Rectangle((0, 0), (1, 1)) | geo.Rectangle((1, 0), (2, 1))
    assert union.boundary_measure == pytest.approx(6.0, rel=1e-3)
    pts, nrm = union.sample_boundary(2000, key=key, method="sobol")
    assert not np.any(np.isclose(pts[:, 0], 1.0) & (pts[:, 1] > 1e-9) & (pts[:, 1] < 1 - 1e-9))
    _check_boundary(union, pts, nrm)
    # overlapping copies share all four faces: each face appears once, no doubled density
    twice = geo.Rectangle((0, 0), (1, 1)) | geo.Rectangle((0, 0), (1, 1))
    assert twice.boundary_measure == pytest.approx(4.0, rel=1e-12)


def test_intersection_and_difference_of_squares(key):
    inter = geo.Rectangle((0, 0), (2, 2)) & geo.Rectangle((1, 1), (3, 3))
    np.testing.assert_array_equal(inter.bbox[0], [1, 1])
    np.testing.assert_array_equal(inter.bbox[1], [2, 2])
    assert inter.boundary_measure == pytest.approx(4.0, rel=1e-3)
    _check_boundary(inter, *inter.sample_boundary(500, key=key))
    diff = geo.Rectangle((0, 0), (2, 2)) - geo.Rectangle((1, 0), (2, 2))
    assert diff.boundary_measure == pytest.approx(6.0, rel=1e-3)
    pts, nrm = diff.sample_boundary(600, key=key)
    cut = np.isclose(pts[:, 0], 1.0)
    np.testing.assert_allclose(nrm[cut], [[1.0, 0.0]] * int(cut.sum()))
    assert not np.any(pts[:, 0] > 1 + 1e-12)
    _check_boundary(diff, pts, nrm)


def test_lens_boundary_measure_and_area(key):
    # two unit disks, centres 1 apart: each arc subtends 2π/3 → boundary 4π/3, area 2π/3 − √3/2
    lens = geo.Disk((0, 0), 1) & geo.Disk((1, 0), 1)
    assert lens.boundary_measure == pytest.approx(4 * np.pi / 3, rel=2e-3)
    lo, hi = lens.bbox
    u = lo + (hi - lo) * np.random.default_rng(0).random((40000, 2))
    p = lens.contains(u).mean()
    box = np.prod(hi - lo)
    assert abs(p * box - (2 * np.pi / 3 - np.sqrt(3) / 2)) < 4 * box * np.sqrt(p * (1 - p) / 40000)


def test_three_level_spreading_is_proportional(key):
    # ((square ∪ right disk) − centre hole): pieces with known lengths
    square, disk = geo.Rectangle((0, 0), (2, 2)), geo.Disk((3, 1), 0.5)
    bar = geo.Rectangle((2, 0.9), (2.6, 1.1))
    dom = (square | (bar | disk)) - geo.Disk((1, 1), 0.5)
    hole_len = np.pi
    pts, nrm = dom.sample_boundary(6000, key=key, method="halton")
    _check_boundary(dom, pts, nrm)
    in_hole = np.isclose(np.linalg.norm(pts - [1, 1], axis=1), 0.5)
    frac = hole_len / dom.boundary_measure
    assert abs(in_hole.mean() - frac) < 5 * np.sqrt(frac * (1 - frac) / 6000)
    # exact boundary: square 8 − 0.2 (bar joint) + bar 2·(0.6 − x) + disk 2π·0.5 − arc + hole
    half = np.arcsin(0.1 / 0.5)
    bar_len = 2 * (1.0 - 0.5 * np.cos(half) - 0.0)
    exact = 8 - 0.2 + bar_len + 0.5 * (2 * np.pi - 2 * half) + hole_len
    assert dom.boundary_measure == pytest.approx(exact, rel=3e-3)


def test_distance_composition_signs_and_smoothness():
    ann = geo.Disk((0, 0), 1) - geo.Disk((0, 0), 0.5)
    d = ann.distance(jnp.array([[0.75, 0.0], [0.2, 0.0], [1.5, 0.0], [1.0, 0.0], [0.5, 0.0]]))
    assert d[0] > 0 and d[1] < 0 and d[2] < 0
    np.testing.assert_allclose(d[3:], 0.0, atol=1e-15)
    # first-order normalised on the outer circle
    g = jax.grad(ann.distance)(jnp.array([1 - 1e-5, 0.0]))
    np.testing.assert_allclose(g, [-1.0, 0.0], atol=1e-3)
    h = jax.hessian(ann.distance)(jnp.array([0.6, 0.3]))
    assert np.all(np.isfinite(h))


@pytest.mark.parametrize("method", ["random", "sobol", "halton", "lhs"])
def test_exact_counts_and_reproducibility(method, key):
    dom = (geo.Disk((0, 0), 1) | geo.Rectangle((0, -0.2), (1.8, 0.2))) - geo.Disk((0, 0), 0.3)
    for n in (1, 7, 257):
        xi = dom.sample_interior(n, key=key, method=method)
        xb, nb = dom.sample_boundary(n, key=key, method=method)
        assert xi.shape == (n, 2) and xb.shape == (n, 2) and nb.shape == (n, 2)
    a = dom.sample_boundary(100, key=key, method=method)[0]
    np.testing.assert_array_equal(a, dom.sample_boundary(100, key=key, method=method)[0])
    b = dom.sample_boundary(100, key=jax.random.PRNGKey(7), method=method)[0]
    assert not np.allclose(a, b)


def test_bad_csg_inputs(key):
    with pytest.raises(ValueError, match="same dimension.*2-D.*3-D"):
        geo.Disk((0, 0), 1) | geo.Ball((0, 0, 0), 1)
    with pytest.raises(TypeError, match="operand b must be a pdesolve.geometry Domain"):
        geo.Union(geo.Disk((0, 0), 1), "disk")
    with pytest.raises(ValueError, match="empty"):
        geo.Disk((0, 0), 1) & geo.Disk((5, 0), 1)
    dom = geo.Disk((0, 0), 1) - geo.Disk((0, 0), 0.5)
    with pytest.raises(ValueError, match="grid"):
        dom.sample_boundary(16, key=key, method="grid")
    with pytest.raises(ValueError, match="positive"):
        dom.sample_boundary(-1, key=key)
