"""Problem classes Poisson and Biharmonic: manufactured data against hand-derived formulas."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import pdesolve as pds
from pdesolve import geometry as geo

PI = np.pi


def exact(x):
    return jnp.sin(PI * x[0]) * jnp.sin(PI * x[1])


@pytest.fixture
def points():
    return jnp.asarray(np.random.default_rng(0).uniform(-1, 1, (50, 2)))


def test_poisson_manufactured(points):
    p = pds.Poisson.manufactured(geo.Disk((0, 0), 1), exact)
    u = jax.vmap(exact)(points)
    np.testing.assert_allclose(jax.jit(jax.vmap(p.f))(points), 2 * PI**2 * u, atol=1e-11)
    np.testing.assert_allclose(jax.jit(jax.vmap(p.g))(points), u, atol=0)
    assert p.exact is exact and isinstance(p.domain, geo.Disk) and p.dim == 2


def test_poisson_manufactured_neumann_and_robin(points):
    normals = points / jnp.linalg.norm(points, axis=1, keepdims=True)
    u = jax.vmap(exact)(points)
    # ∇u·n by hand for u = sin(πx) sin(πy)
    dudn = PI * (jnp.cos(PI * points[:, 0]) * jnp.sin(PI * points[:, 1]) * normals[:, 0]
                 + jnp.sin(PI * points[:, 0]) * jnp.cos(PI * points[:, 1]) * normals[:, 1])
    neumann = pds.Poisson.manufactured(geo.Disk((0, 0), 1), exact, bc="neumann")
    robin = pds.Poisson.manufactured(geo.Disk((0, 0), 1), exact, bc="robin", alpha=3.0)
    assert (neumann.bc, neumann.alpha, robin.bc, robin.alpha) == ("neumann", None, "robin", 3.0)
    np.testing.assert_allclose(jax.vmap(neumann.g)(points, normals), dudn, atol=1e-12)
    np.testing.assert_allclose(jax.vmap(robin.g)(points, normals), 3 * u + dudn, atol=1e-12)


@pytest.mark.parametrize(
    "kwargs, match",
    [({"bc": "periodic"}, "bc must be one of"), ({"alpha": 1.0}, "alpha is the Robin"),
     ({"bc": "robin"}, "alpha is the Robin"), ({"bc": "robin", "alpha": 0.0}, "bc='neumann'"),
     ({"bc": "robin", "alpha": "a"}, "alpha must be a positive number")],
)
def test_poisson_bad_boundary_settings(kwargs, match):
    with pytest.raises(ValueError, match=match):
        pds.Poisson(geo.Disk((0, 0), 1), lambda x: 1.0, lambda x, n: 0.0, **kwargs)


def test_biharmonic_manufactured_navier(points):
    p = pds.Biharmonic.manufactured(geo.Rectangle((-1, -1), (1, 1)), exact, bc="navier")
    u = jax.vmap(exact)(points)
    assert p.bc == "navier" and p.dudn is None
    np.testing.assert_allclose(jax.jit(jax.vmap(p.f))(points), 4 * PI**4 * u, atol=1e-9)
    np.testing.assert_allclose(jax.jit(jax.vmap(p.h))(points), -2 * PI**2 * u, atol=1e-11)


def test_biharmonic_manufactured_clamped(points):
    p = pds.Biharmonic.manufactured(geo.Disk((0, 0), 1), exact, bc="clamped")
    normals = points / jnp.linalg.norm(points, axis=1, keepdims=True)
    grad = jnp.stack([PI * jnp.cos(PI * points[:, 0]) * jnp.sin(PI * points[:, 1]),
                      PI * jnp.sin(PI * points[:, 0]) * jnp.cos(PI * points[:, 1])], axis=1)
    assert p.bc == "clamped" and p.h is None
    dudn = jax.jit(jax.vmap(p.dudn))(points, normals)
    np.testing.assert_allclose(dudn, jnp.sum(grad * normals, 1), atol=1e-12)


def test_biharmonic_3d_manufactured():
    ex3 = lambda x: jnp.prod(jnp.sin(PI * x))
    p = pds.Biharmonic.manufactured(geo.Box((0, 0, 0), (1, 1, 1)), ex3)
    x = jnp.asarray(np.random.default_rng(1).uniform(0, 1, (20, 3)))
    np.testing.assert_allclose(jax.jit(jax.vmap(p.f))(x), 9 * PI**4 * jax.vmap(ex3)(x), atol=1e-9)


def test_user_defined_problem_has_no_exact():
    p = pds.Biharmonic(geo.Disk((0, 0), 1), lambda x: 1.0, lambda x: 0.0, h=lambda x: 0.0)
    assert p.exact is None and p.bc == "navier"
    assert pds.Poisson(geo.Interval(0, 1), lambda x: 1.0, lambda x: 0.0).exact is None


@pytest.mark.parametrize(
    "kwargs, match",
    [({}, "exactly one"), ({"h": lambda x: 0.0, "dudn": lambda x, n: 0.0}, "exactly one")],
)
def test_biharmonic_needs_one_second_condition(kwargs, match):
    with pytest.raises(TypeError, match=match):
        pds.Biharmonic(geo.Disk((0, 0), 1), lambda x: 1.0, lambda x: 0.0, **kwargs)


def test_bad_inputs():
    with pytest.raises(TypeError, match="domain"):
        pds.Poisson("disk", lambda x: 1.0, lambda x: 0.0)
    with pytest.raises(TypeError, match="g must be"):
        pds.Poisson(geo.Disk((0, 0), 1), lambda x: 1.0, 0.0)
    with pytest.raises(ValueError, match="bc must be"):
        pds.Biharmonic.manufactured(geo.Disk((0, 0), 1), exact, bc="dirichlet")
