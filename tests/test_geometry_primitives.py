"""Boxes, balls and space–time cylinders: hypothesis properties for boxes, exact sampling
facts for balls, the SpaceTime API, and every documented bad input."""

import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pdesolve import geometry as geo


@st.composite
def boxes(draw):
    d = draw(st.integers(1, 4))
    lo = np.array(draw(st.lists(st.floats(-10, 10), min_size=d, max_size=d)))
    size = np.array(draw(st.lists(st.floats(0.05, 5), min_size=d, max_size=d)))
    return lo, lo + size


@settings(max_examples=20, deadline=None)
@given(boxes(), st.sampled_from(["random", "sobol", "halton", "lhs"]), st.integers(1, 300))
def test_box_properties(box, method, n):
    lo, hi = box
    dom = geo.Box(lo, hi)
    key = jax.random.PRNGKey(n)
    assert dom.measure == pytest.approx(np.prod(hi - lo), rel=1e-12)
    x = dom.sample_interior(n, key=key, method=method)
    assert x.shape == (n, len(lo)) and np.all(dom.contains(x))
    pts, nrm = dom.sample_boundary(n, key=key, method=method)
    assert pts.shape == (n, len(lo))
    # each normal is ±e_k and the point sits on that face
    axis = np.argmax(np.abs(nrm), axis=1)
    np.testing.assert_array_equal(np.abs(nrm).sum(axis=1), 1.0)
    face = np.where(nrm[np.arange(n), axis] > 0, hi[axis], lo[axis])
    np.testing.assert_array_equal(pts[np.arange(n), axis], face)
    assert np.max(np.abs(np.asarray(dom.distance(pts)))) <= 1e-12 * max(1.0, np.abs(hi).max())
    assert np.all(np.asarray(dom.distance(x)) >= 0)


def test_box_grid_and_face_spread(key):
    box = geo.Box((0, 0, 0), (1, 2, 0.5))
    assert box.boundary_measure == pytest.approx(7.0)
    pts, nrm = box.sample_boundary(7000, key=key, method="lhs")
    # faces get points ∝ area: the two z-faces (area 2 each) hold 4/7 of the points
    assert np.sum(np.abs(nrm[:, 2]) == 1) == 4000
    grid = box.sample_interior(27, key=key, method="grid")
    np.testing.assert_allclose(np.unique(grid[:, 1]), [1 / 3, 1, 5 / 3])
    assert geo.Rectangle((0, 0), (1, 1)).sample_boundary(16, key=key, method="grid")[0].shape == (
        16, 2
    )


def test_ball_samples_exact_facts(key):
    ball = geo.Ball((1, -1, 0.5), 2.0)
    x = ball.sample_interior(20000, key=key, method="sobol")
    r = np.linalg.norm(x - [1, -1, 0.5], axis=1)
    assert r.max() <= 2.0
    # P(r < 1) = (1/2)^3 for a uniform ball
    assert abs(np.mean(r < 1) - 0.125) < 5e-3
    pts, nrm = ball.sample_boundary(500, key=key)
    np.testing.assert_allclose(pts, [1, -1, 0.5] + 2 * nrm, atol=1e-12)
    d = ball.distance(jnp.array([1.0, -1.0, 0.5]))
    assert float(d) == pytest.approx(1.0)  # (R² − 0)/(2R)
    g = jax.grad(ball.distance)(jnp.array([1.0, -1.0, 2.5 - 1e-9]))
    np.testing.assert_allclose(g, [0, 0, -1], atol=1e-8)
    assert geo.Ball((0,) * 4, 1.0).measure == pytest.approx(math.pi**2 / 2)


def test_spacetime_api(key):
    st_dom = geo.SpaceTime(geo.Disk((0, 0), 1.0), 0.5, 2.0)
    x, t = st_dom.sample_interior(300, key=key, method="halton")
    assert x.shape == (300, 2) and t.shape == (300,)
    assert np.all((t >= 0.5) & (t <= 2.0)) and np.all(st_dom.contains(x, t))
    xb, tb, nb = st_dom.sample_boundary(200, key=key)
    np.testing.assert_allclose(xb, nb, atol=1e-12)
    np.testing.assert_allclose(np.asarray(st_dom.distance(xb, tb)), 0.0, atol=1e-15)
    x0 = st_dom.sample_initial(100, key=key)
    assert x0.shape == (100, 2)
    np.testing.assert_allclose(np.asarray(st_dom.distance(x0, np.full(100, 0.5))), 0.0)
    d = st_dom.distance(jnp.zeros(2), 2.0)
    assert float(d) == pytest.approx(0.5)  # disk distance 1/2 at the centre, time factor 1
    assert st_dom.measure == pytest.approx(1.5 * math.pi)
    assert not st_dom.contains(np.zeros((1, 2)), 2.5).any()


@pytest.mark.parametrize(
    ("make", "error", "match"),
    [
        (lambda: geo.Box((0, 0), (1, 0)), ValueError, "lo\\[1\\]=0.0 >= hi\\[1\\]=0.0"),
        (lambda: geo.Box((0, 0), (1, 1, 1)), ValueError, "hi must have 2 coordinates"),
        (lambda: geo.Rectangle((0, np.nan), (1, 1)), ValueError, "lo must be finite"),
        (lambda: geo.Interval(2.0, 1.0), ValueError, "lo\\[0\\]=2.0 >= hi\\[0\\]"),
        (lambda: geo.Disk((0, 0), 0.0), ValueError, "radius must be a finite positive"),
        (lambda: geo.Ball((0, 0, 0), -1), ValueError, "radius must be a finite positive"),
        (lambda: geo.Disk((0, 0, 0), 1), ValueError, "center must have 2 coordinates"),
        (lambda: geo.Ball((0, np.inf), 1), ValueError, "center must be finite"),
        (lambda: geo.Disk((0, 0), "big"), TypeError, "radius must be a real number"),
        (lambda: geo.SpaceTime(geo.Disk((0, 0), 1), 1.0, 1.0), ValueError, "t0 < t1"),
        (lambda: geo.SpaceTime("disk", 0, 1), TypeError, "domain must be a pdesolve"),
    ],
)
def test_bad_constructor_input(make, error, match):
    with pytest.raises(error, match=match):
        make()


def test_bad_call_input(key):
    box = geo.Rectangle((0, 0), (1, 1))
    with pytest.raises(ValueError, match="n must be a positive number of points, got 0"):
        box.sample_interior(0, key=key)
    with pytest.raises(TypeError, match="n must be a positive int"):
        box.sample_boundary(2.5, key=key)
    with pytest.raises(ValueError, match="method must be one of"):
        box.sample_interior(10, key=key, method="uniform")
    with pytest.raises(ValueError, match="perfect power m\\*\\*2.*n=9 or n=16"):
        box.sample_interior(10, key=key, method="grid")
    with pytest.raises(ValueError, match="x must have shape \\(n, 2\\).*\\(4, 3\\)"):
        box.contains(np.zeros((4, 3)))
    with pytest.raises(ValueError, match="x contains NaN"):
        box.contains(np.array([[np.nan, 0.0]]))
    with pytest.raises(ValueError, match="x must have shape"):
        box.distance(jnp.zeros((4, 3)))
    with pytest.raises(ValueError, match="grid"):
        geo.Disk((0, 0), 1).sample_boundary(10, key=key, method="grid")
    st_dom = geo.SpaceTime(box, 0, 1)
    with pytest.raises(ValueError, match="n must be a positive"):
        st_dom.sample_interior(-3, key=key)
