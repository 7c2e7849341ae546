"""Every gallery shape: membership of samples, boundary samples on the boundary, outward unit
normals, Monte-Carlo measure vs exact, reproducibility, exact counts, distance sign and
derivatives; and the gallery example itself in quick mode."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from pdesolve import geometry as geo
from pdesolve.examples import gallery_shapes, get_example, run

SHAPES = {s.name: s for s in gallery_shapes()}
NAMES = list(SHAPES)
METHODS = ["random", "sobol", "halton", "lhs"]


def grad_and_hessian(fn):
    """z ↦ (∇fn(z), ∇²fn(z)), both by forward mode in one nested pass."""
    first = jax.jacfwd(fn)
    hess_and_grad = jax.jacfwd(lambda z: (first(z), first(z)), has_aux=True)
    return lambda z: hess_and_grad(z)[::-1]


def _space(shape):
    return shape.domain


def _domain(shape):
    """The domain the shape checks: the spatial one, or the cylinder over its time span."""
    if shape.time_span is None:
        return shape.domain
    return geo.SpaceTime(shape.domain, *shape.time_span)


def _sample_boundary(dom, n, key, method="random"):
    if isinstance(dom, geo.SpaceTime):
        x, t, nrm = dom.sample_boundary(n, key=key, method=method)
        return x, nrm, t
    x, nrm = dom.sample_boundary(n, key=key, method=method)
    return x, nrm, None


def _distance(dom, x, t):
    return dom.distance(x) if t is None else dom.distance(x, t)


@pytest.mark.parametrize("name", NAMES)
def test_samples_boundary_and_normals(name, key):
    shape = SHAPES[name]
    dom, space = _domain(shape), _space(shape)
    k_in, k_bd = jax.random.split(key)
    if isinstance(dom, geo.SpaceTime):
        x, t = dom.sample_interior(400, key=k_in)
        assert np.all(dom.contains(x, t)) and np.all((t >= dom.t0) & (t <= dom.t1))
    else:
        x, t = dom.sample_interior(400, key=k_in), None
        assert np.all(dom.contains(x))
    assert np.all(np.asarray(_distance(dom, x, t)) > 0)
    pts, nrm, tb = _sample_boundary(dom, 400, k_bd)  # same batch size: one compile
    assert np.max(np.abs(np.asarray(_distance(dom, pts, tb)))) < 1e-12
    np.testing.assert_allclose(np.linalg.norm(nrm, axis=1), 1.0, atol=1e-12)
    step = 1e-6 * float(np.max(space.bbox[1] - space.bbox[0]))
    assert np.all(space.contains(pts))
    assert np.all(~space.contains(pts + step * nrm)), "a step along the normal must leave"
    assert np.all(space.contains(pts - step * nrm)), "a step against the normal must enter"


@pytest.mark.parametrize("name", NAMES)
def test_monte_carlo_measure(name):
    shape = SHAPES[name]
    dom, space = _domain(shape), _space(shape)
    n = 40_000
    rng = np.random.default_rng(123)
    lo, hi = space.bbox
    x = lo + (hi - lo) * rng.random((n, space.dim))
    box = float(np.prod(hi - lo))
    if isinstance(dom, geo.SpaceTime):
        inside = dom.contains(x, dom.t0 + (dom.t1 - dom.t0) * rng.random(n))
        box *= dom.t1 - dom.t0
    else:
        inside = dom.contains(x)
    p = inside.mean()
    se = box * np.sqrt(p * (1 - p) / n)
    assert abs(p * box - shape.measure) <= 4 * se + 1e-12
    # boundary measures: exact for primitives and meshes, estimated (< 0.5 %) for CSG
    assert space.boundary_measure == pytest.approx(shape.boundary_measure, rel=5e-3)


@pytest.mark.parametrize("name", NAMES)
def test_counts_and_reproducibility(name, key):
    dom = SHAPES[name].domain
    other = jax.random.PRNGKey(11)
    for method in METHODS:
        for n in (1, 50):
            xi = dom.sample_interior(n, key=key, method=method)
            xi = xi[0] if isinstance(xi, tuple) else xi
            assert xi.shape == (n, dom.dim), method
            assert _sample_boundary(dom, n, key, method)[0].shape == (n, dom.dim), method
        a = _sample_boundary(dom, 64, key, method)[0]
        np.testing.assert_array_equal(a, _sample_boundary(dom, 64, key, method)[0])
        if dom.dim > 1:  # a 1D boundary is just the two end points
            assert not np.allclose(a, _sample_boundary(dom, 64, other, method)[0])
        b = dom.sample_interior(64, key=key, method=method)
        c = dom.sample_interior(64, key=other, method=method)
        b, c = (b[0], c[0]) if isinstance(b, tuple) else (b, c)
        assert not np.allclose(b, c)


@pytest.mark.parametrize("name", NAMES)
def test_distance_derivatives(name, key):
    """Finite gradient and Hessian at interior points, nonzero gradient inside; on the
    boundary a finite gradient that equals the inward unit normal (except on CSG shapes whose
    operands share faces, where R-functions have a kink)."""
    shape = SHAPES[name]
    dom, space = _domain(shape), _space(shape)
    k_in, k_bd = jax.random.split(key)
    if isinstance(dom, geo.SpaceTime):
        x, t = dom.sample_interior(8, key=k_in)
        inner = np.column_stack([x, t])
        fn = lambda z: dom.distance(z[:-1], z[-1])
        pts, _, nrm = dom.sample_boundary(64, key=k_bd)
        on = np.column_stack([pts, np.full(64, dom.t1)])  # at t1 the time factor is 1
    else:
        inner = dom.sample_interior(8, key=k_in)
        fn = dom.distance
        pts, nrm = dom.sample_boundary(64, key=k_bd)
        on = pts
    derivs = jax.jit(jax.vmap(grad_and_hessian(fn)))
    grad, hess = (np.asarray(a) for a in derivs(jnp.asarray(np.concatenate([inner, on]))))
    assert np.all(np.isfinite(grad)) and np.all(np.isfinite(hess))
    assert np.all(np.linalg.norm(grad[:8], axis=1) > 0)
    if not isinstance(space, geo.Union | geo.Intersection | geo.Difference) or name == "annulus":
        np.testing.assert_allclose(grad[8:, : space.dim], -nrm, atol=1e-9)


def test_gallery_example_quick():
    gallery = get_example("gallery")
    results = run(gallery, quick=True)
    assert results["all_normals_outward"]
    assert results["worst_abs_z_score"] < gallery.max_abs_z_score
    assert results["max_abs_distance_on_boundary"] < gallery.max_boundary_distance
    assert results["worst_boundary_measure_error"] < gallery.max_boundary_measure_error
    assert results["n_monte_carlo"] == gallery.quick["n_mc"]
    assert len(results["table"]) == 11 and results["_table"] == results["table"]
    text = gallery.format_text(results)
    assert text.startswith("shape") and "== gallery" in text and "'shape'" not in text
