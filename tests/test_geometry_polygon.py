"""Polygon: exact measures, membership, boundary normals, distance field, bad input, and
hypothesis properties on random star-shaped polygons."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pdesolve import geometry as geo

L_SHAPE = [(0, 0), (2, 0), (2, 1), (1, 1), (1, 2), (0, 2)]


@pytest.mark.parametrize("vertices", [L_SHAPE, L_SHAPE[::-1]], ids=["ccw", "cw"])
def test_l_shape_measures_and_orientation(vertices, key):
    poly = geo.Polygon(vertices)
    assert poly.measure == pytest.approx(3.0, rel=1e-15)
    assert poly.boundary_measure == pytest.approx(8.0, rel=1e-15)
    np.testing.assert_array_equal(poly.bbox[0], [0, 0])
    np.testing.assert_array_equal(poly.bbox[1], [2, 2])
    pts, nrm = poly.sample_boundary(400, key=key)
    # normals are axis-aligned unit vectors pointing out of the L whichever the input order
    np.testing.assert_allclose(np.linalg.norm(nrm, axis=1), 1.0, atol=1e-14)
    assert np.all(~poly.contains(pts + 1e-6 * nrm))
    assert np.all(poly.contains(pts - 1e-6 * nrm))
    on_reentrant = np.isclose(pts[:, 0], 1.0) & (pts[:, 1] > 1)
    np.testing.assert_allclose(nrm[on_reentrant], [[1.0, 0.0]] * int(on_reentrant.sum()))


def test_contains_closed_set_and_concavity():
    poly = geo.Polygon(L_SHAPE)
    x = np.array(
        [[0.5, 0.5], [1.5, 1.5], [1.0, 1.5], [2.0, 0.5], [0.0, 0.0], [1.0, 1.0], [-1e-9, 1.0],
         [1.5, 1.0 + 1e-15], [2.5, 0.5]]
    )
    expected = [True, False, True, True, True, True, False, True, False]
    np.testing.assert_array_equal(poly.contains(x), expected)
    assert poly.contains(np.array([0.5, 0.5])).shape == (1,)


def test_boundary_spread_by_edge_length(key):
    poly = geo.Polygon([(0, 0), (3, 0), (3, 1), (0, 1)])
    for method in ("grid", "lhs", "sobol"):
        pts, _ = poly.sample_boundary(800, key=key, method=method)
        bottom = np.sum(np.isclose(pts[:, 1], 0.0))
        left = np.sum(np.isclose(pts[:, 0], 0.0))
        assert abs(bottom - 300) <= 2 and abs(left - 100) <= 2, method


def test_distance_signed_normalised_and_smooth():
    poly = geo.Polygon(L_SHAPE)
    d = poly.distance(jnp.array([[0.5, 0.5], [1.5, 1.5], [1.0, 0.0], [0.5, 1e-3], [3.0, 3.0]]))
    assert d[0] > 0 and d[1] < 0 and d[2] == 0 and d[4] < 0
    # R-equivalence (m = 2): φ = φ_i (1 − φ_i² Σ_{j≠i} φ_j^−2 / 2 + …) and trimming errors
    assert float(d[3]) == pytest.approx(1e-3, rel=1e-2)
    first = jax.jacfwd(poly.distance)  # forward-over-forward: cheapest to compile
    both = jax.jacfwd(lambda z: (first(z), first(z)), has_aux=True)
    hess, grad = jax.jit(jax.vmap(both))(jnp.array([[0.5, 1e-4], [0.3, 1.7], [0.5, 0.0]]))
    np.testing.assert_allclose(grad[0], [0.0, 1.0], atol=2e-3)
    np.testing.assert_allclose(grad[2], [0.0, 1.0], atol=1e-12)  # on an edge: inward normal
    assert np.all(np.isfinite(hess))


def test_same_key_same_points_other_key_other_points(key):
    poly = geo.Polygon(L_SHAPE)
    a = poly.sample_interior(50, key=key, method="halton")
    np.testing.assert_array_equal(a, poly.sample_interior(50, key=key, method="halton"))
    b = poly.sample_interior(50, key=jax.random.PRNGKey(1), method="halton")
    assert not np.allclose(a, b)


@pytest.mark.parametrize(
    ("vertices", "match"),
    [
        ([(0, 0), (1, 0)], "at least 3"),
        ([(0, 0), (1, 0), (1, 1), (0, 1), (0, 0)], "distinct.*indices \\[0, 4\\]"),
        ([(0, 0), (1, 1), (1, 0), (0, 1)], "edge 0 .* and edge 2 .*intersect"),
        ([(0, 0), (2, 0), (1, 0), (1, 1)], "edge 0 .* and edge 1 .*intersect"),
        ([(0, 0), (1, 0), (np.nan, 1)], "finite.*vertex 2"),
        ([(0, 0), (1, 0), (np.inf, 1)], "finite"),
        ([0, 1, 2], "shape \\(m, 2\\)"),
        ([(0, 0, 0), (1, 0, 0), (0, 1, 0)], "shape \\(m, 2\\)"),
        ([(0, 0), (1, 0), (2, 0), (3, 0)], "intersect|zero area"),
    ],
)
def test_bad_vertices(vertices, match):
    with pytest.raises(ValueError, match=f"vertices.*{match}|{match}"):
        geo.Polygon(vertices)


def test_bad_sampling_arguments(key):
    poly = geo.Polygon(L_SHAPE)
    with pytest.raises(ValueError, match="n must be a positive"):
        poly.sample_interior(0, key=key)
    with pytest.raises(ValueError, match="method must be one of"):
        poly.sample_boundary(10, key=key, method="poisson")
    with pytest.raises(ValueError, match="grid"):
        poly.sample_interior(16, key=key, method="grid")
    with pytest.raises(ValueError, match="shape"):
        poly.contains(np.zeros((3, 3)))


@st.composite
def star_polygons(draw):
    m = draw(st.integers(3, 8))
    gaps = np.array(draw(st.lists(st.floats(0.6, 1.0), min_size=m, max_size=m)))
    angles = 2 * np.pi * np.cumsum(gaps) / gaps.sum()
    radii = np.array(draw(st.lists(st.floats(0.3, 1.0), min_size=m, max_size=m)))
    centre = np.array(draw(st.tuples(st.floats(-5, 5), st.floats(-5, 5))))
    flip = draw(st.booleans())
    v = centre + radii[:, None] * np.stack([np.cos(angles), np.sin(angles)], axis=1)
    return v[::-1] if flip else v, centre


@settings(max_examples=10, deadline=None)
@given(star_polygons(), st.integers(0, 2**31 - 1))
def test_star_polygon_properties(star, seed):
    vertices, centre = star
    poly = geo.Polygon(vertices)
    key = jax.random.PRNGKey(seed)
    # the star centre sees every vertex, so the area is the sum of the fan triangles
    rel = vertices - centre
    nxt = np.roll(rel, -1, axis=0)
    fan = 0.5 * np.abs(np.sum(rel[:, 0] * nxt[:, 1] - nxt[:, 0] * rel[:, 1]))
    assert poly.measure == pytest.approx(fan, rel=1e-12)
    assert poly.contains(centre).all()
    # one batch size for both distance calls: polygons with equal vertex counts then share
    # one compiled distance function
    xi = poly.sample_interior(200, key=key)
    assert xi.shape == (200, 2) and poly.contains(xi).all()
    assert np.all(np.asarray(poly.distance(xi)) > 0)
    xb, nb = poly.sample_boundary(200, key=key)
    assert xb.shape == (200, 2)
    assert np.max(np.abs(np.asarray(poly.distance(xb)))) < 1e-10
    np.testing.assert_allclose(np.linalg.norm(nb, axis=1), 1.0, atol=1e-12)
    step = 1e-7
    assert np.all(~poly.contains(xb + step * nb)) and np.all(poly.contains(xb - step * nb))
    # Monte-Carlo area from the bounding box agrees within 5 standard errors
    lo, hi = poly.bbox
    u = lo + (hi - lo) * np.random.default_rng(seed).random((20000, 2))
    p = poly.contains(u).mean()
    box = np.prod(hi - lo)
    assert abs(p * box - fan) <= 5 * box * np.sqrt(p * (1 - p) / 20000) + 1e-12


def test_distance_finite_at_vertices():
    """At a vertex two edges meet: the distance is ≈ 0 and its gradient finite (no NaN)."""
    vertices = [(0, 0), (1.5, 0), (1.5, 0.6), (0.8, 1.2), (0, 1)]
    polygon = geo.Polygon(vertices)
    points = jnp.asarray(vertices, dtype=jnp.float64)
    values = np.asarray(polygon.distance(points))
    grads = np.asarray(jax.vmap(jax.grad(polygon.distance))(points))
    assert np.all(np.abs(values) < 1e-12)
    assert np.all(np.isfinite(grads))
