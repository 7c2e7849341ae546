"""Pointwise operators against hand-derived derivatives."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from pdesolve import operators as ops

POINTS = jnp.array([[0.3, -0.7], [1.1, 0.4], [-0.5, 0.9]])


def test_gradient_and_directional_derivatives():
    u = lambda x: jnp.sin(x[0]) * x[1] ** 2 + x[0] ** 3
    for x in POINTS:
        a, b = float(x[0]), float(x[1])
        grad = [np.cos(a) * b**2 + 3 * a**2, 2 * np.sin(a) * b]
        np.testing.assert_allclose(jax.jit(ops.gradient(u))(x), grad, rtol=1e-13)
        n = jnp.array([0.6, 0.8])
        np.testing.assert_allclose(
            jax.jit(ops.normal_derivative(u))(x, n), 0.6 * grad[0] + 0.8 * grad[1], rtol=1e-13
        )
        # vᵀ H v with H = [[−sin a b² + 6a, 2 cos a b], [2 cos a b, 2 sin a]]
        off = 2 * np.cos(a) * b
        h = np.array([[-np.sin(a) * b**2 + 6 * a, off], [off, 2 * np.sin(a)]])
        v = np.array([0.3, -1.2])
        second = jax.jit(ops.second_directional(u))(x, jnp.asarray(v))
        np.testing.assert_allclose(second, v @ h @ v, rtol=1e-12)


def test_laplacian_plain_and_weighted():
    u = lambda x: jnp.exp(x[0]) * jnp.sin(2 * x[1]) + x[0] ** 2 * x[2]
    x = jnp.array([0.2, 0.5, -1.3])
    uxx = np.exp(0.2) * np.sin(1.0) + 2 * -1.3
    uyy = -4 * np.exp(0.2) * np.sin(1.0)
    np.testing.assert_allclose(jax.jit(ops.laplacian(u))(x), uxx + uyy, rtol=1e-13)
    w = jnp.array([2.0, 0.5, 7.0])
    np.testing.assert_allclose(jax.jit(ops.laplacian(u, w))(x), 2 * uxx + 0.5 * uyy, rtol=1e-13)


@pytest.mark.parametrize("d", [1, 2, 3])
def test_biharmonic_of_r4(d):
    # Δ r^p = p (p + d − 2) r^(p−2), so Δ² r⁴ = 8 d (d + 2)
    u = lambda x: jnp.sum(x**2) ** 2
    x = jnp.linspace(-0.4, 0.6, d)
    np.testing.assert_allclose(jax.jit(ops.biharmonic(u))(x), 8 * d * (d + 2), rtol=1e-12)
    lap = jax.jit(ops.laplacian(u))(x)
    np.testing.assert_allclose(lap, 4 * (d + 2) * jnp.sum(x**2), rtol=1e-12)


def test_biharmonic_of_product_of_sines():
    u = lambda x: jnp.sin(np.pi * x[0]) * jnp.sin(2 * np.pi * x[1])
    x = jnp.array([0.31, 0.77])
    # Δ u = −5π² u, Δ² u = 25π⁴ u
    np.testing.assert_allclose(jax.jit(ops.biharmonic(u))(x), 25 * np.pi**4 * u(x), rtol=1e-11)


def test_advection_diffusion_residual_of_manufactured_solution():
    alpha, a, k = 0.25, jnp.array([4.0, 4.0]), jnp.array([1.0, 0.5])
    u = lambda x, t: jnp.exp(-alpha * t) * jnp.sin(np.pi * x[0]) * jnp.sin(np.pi * x[1])

    def source(x, t):
        e = jnp.exp(-alpha * t)
        s0, s1 = jnp.sin(np.pi * x[0]), jnp.sin(np.pi * x[1])
        c0, c1 = jnp.cos(np.pi * x[0]), jnp.cos(np.pi * x[1])
        u_t = -alpha * e * s0 * s1
        adv = a[0] * np.pi * e * c0 * s1 + a[1] * np.pi * e * s0 * c1
        diff = -(k[0] + k[1]) * np.pi**2 * e * s0 * s1
        return u_t + adv - diff

    res = jax.jit(jax.vmap(ops.advection_diffusion_residual(u, a, k, source)))
    t = jnp.array([0.0, 1.5, 4.0])
    np.testing.assert_allclose(res(POINTS, t), 0.0, atol=1e-12)
    # a wrong source leaves exactly the difference; velocity may be a function, κ a scalar
    vel = lambda x, t: jnp.array([x[1], -x[0]])
    zero = lambda x, t: 0.0
    r = ops.advection_diffusion_residual(u, vel, 0.3, zero)
    x, s = POINTS[1], 0.7
    g = jax.jit(jax.grad(u))(x, s)
    u_t = -alpha * u(x, s)
    expected = u_t + x[1] * g[0] - x[0] * g[1] + 0.3 * 2 * np.pi**2 * u(x, s)
    np.testing.assert_allclose(jax.jit(r)(x, s), expected, rtol=1e-12)


def test_operators_vmap_jit_and_float32():
    u = lambda x: jnp.sum(jnp.tanh(x) ** 2)
    x32 = POINTS.astype(jnp.float32)
    lap = jax.jit(jax.vmap(ops.laplacian(u)))(x32)
    ref = jax.jit(jax.vmap(lambda x: jnp.trace(jax.hessian(u)(x))))(POINTS)
    assert lap.dtype == jnp.float32
    np.testing.assert_allclose(lap, ref, rtol=1e-5)
