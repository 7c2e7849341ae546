"""Pointwise differential operators on scalar functions of one point.

Each operator takes a function `u(x)` of one point x of shape (d,) returning a scalar, and
returns a function of the same point (the library vmaps over points). Second derivatives use
forward-over-forward mode, one directional pass per axis, so the Laplacian never builds the
full d × d Hessian; this is cheaper than `jnp.trace(jax.hessian(u)(x))` (see
`benchmarks/laplacian.py`).
"""

from collections.abc import Callable

import jax
import jax.numpy as jnp

ScalarFn = Callable[..., jax.Array]


def gradient(u: ScalarFn) -> ScalarFn:
    """∇u as a function of x, shape (d,)."""
    return jax.grad(u)


def directional_derivative(u: ScalarFn) -> Callable:
    """(x, v) ↦ ∇u(x)·v by one forward-mode pass."""
    return lambda x, v: jax.jvp(u, (x,), (v,))[1]


def normal_derivative(u: ScalarFn) -> Callable:
    """∂u/∂n: (x, normal) ↦ ∇u(x)·normal."""
    return directional_derivative(u)


def second_directional(u: ScalarFn) -> Callable:
    """(x, v) ↦ vᵀ ∇²u(x) v by forward-over-forward mode."""
    first = directional_derivative(u)
    return lambda x, v: jax.jvp(lambda y: first(y, v), (x,), (v,))[1]


def laplacian(u: ScalarFn, weights=None) -> ScalarFn:
    """Δu = Σ_k ∂²u/∂x_k², or the weighted Σ_k w_k ∂²u/∂x_k² when `weights` (d,) is given.

    One forward-over-forward pass per axis; no Hessian is formed.
    """
    second = second_directional(u)

    def lap(x):
        eye = jnp.eye(x.shape[0], dtype=x.dtype)
        diag = jax.vmap(lambda e: second(x, e))(eye)
        return jnp.sum(diag if weights is None else jnp.asarray(weights) * diag)

    return lap


def biharmonic(u: ScalarFn) -> ScalarFn:
    """Δ²u = Δ(Δu)."""
    return laplacian(laplacian(u))


def advection_diffusion_residual(u: Callable, velocity, diffusivity, source: Callable) -> Callable:
    """Residual r(x, t) = u_t + a·∇u − Σ_k κ_k ∂²u/∂x_k² − f for u(x, t).

    Args:
        u: function (x of shape (d,), scalar t) -> scalar.
        velocity: constant vector a of shape (d,), or a function (x, t) -> (d,).
        diffusivity: scalar κ or per-axis κ of shape (d,).
        source: function (x, t) -> scalar f.

    Returns:
        Function (x, t) -> scalar residual.
    """

    def residual(x, t):
        u_x = lambda y: u(y, t)
        u_t = jax.jvp(lambda s: u(x, s), (t,), (jnp.ones_like(t),))[1]
        grad = jax.grad(u_x)(x)
        a = velocity(x, t) if callable(velocity) else jnp.asarray(velocity)
        kappa = jnp.broadcast_to(jnp.asarray(diffusivity, dtype=x.dtype), x.shape)
        return u_t + jnp.dot(a, grad) - laplacian(u_x, kappa)(x) - source(x, t)

    return residual
