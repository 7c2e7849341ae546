"""The SFHCPINN fast paths: stacked-jet derivatives and the block-wise residual gradient."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import pdesolve as pds
from pdesolve import geometry as geo
from pdesolve.pinn import FourierSubnets, hard_constraint
from pdesolve.pinn._model import Model, make_loss, mean_square


@pytest.mark.parametrize("in_dim, widths", [(2, (10, 20, 20, 10, 10)), (3, (10, 20, 20, 20, 10))])
def test_float32_jet_matches_float64_hessian(in_dim, widths, key):
    """Full-size networks (23 subnets) in float32 against jax.hessian of the float64 network."""
    net = FourierSubnets(in_dim, widths=widths)
    params = net.init(key)
    z = jax.random.uniform(jax.random.PRNGKey(7), (32, in_dim), jnp.float32)
    u, du, d2u = jax.jit(net.apply_derivatives, static_argnums=2)(params, z, in_dim - 1)
    p64 = jax.tree_util.tree_map(lambda a: a.astype(jnp.float64), params)
    f = lambda q: net.apply(p64, q[None])[0]
    z64 = z.astype(jnp.float64)
    grad = jax.jit(jax.vmap(jax.grad(f)))(z64)
    hess = jax.jit(jax.vmap(jax.hessian(f)))(z64)
    hess = jnp.diagonal(hess, axis1=1, axis2=2)[:, : in_dim - 1]
    for got, ref in ((u, jax.jit(net.apply)(p64, z64)), (du.T, grad), (d2u.T, hess)):
        ref = np.asarray(ref)
        # float32 rounding: a few ulp of the largest term (second derivatives carry a_k² ≤ 1600).
        np.testing.assert_allclose(np.asarray(got, np.float64), ref, rtol=0,
                                   atol=2e-5 * np.max(np.abs(ref)))


@pytest.mark.parametrize("n, block", [(5, 256), (256, 256), (300, 256), (768, 256), (300, None)])
def test_mean_square_value_and_gradient_equal_plain_mean(n, block):
    fn = lambda p, x, t: jnp.sin(p["a"] * x[:, 0]) * t + p["b"][0] * x[:, 1] ** 2
    params = {"a": jnp.array(1.3), "b": jnp.array([0.7, 2.0])}
    x = jax.random.normal(jax.random.PRNGKey(n), (n, 2))
    t = jnp.linspace(0.0, 1.0, n)
    ref_v, ref_g = jax.value_and_grad(lambda p: 3 * jnp.mean(fn(p, x, t) ** 2))(params)
    blocked = mean_square(fn, block=block)
    v, g = jax.jit(jax.value_and_grad(lambda p: 3 * blocked(p, x, t)))(params)
    assert abs(float(v - ref_v)) <= 1e-13 * abs(float(ref_v))
    for key in params:
        np.testing.assert_allclose(g[key], ref_g[key], rtol=1e-13, atol=1e-15)
    assert float(blocked(params, x, t)) == pytest.approx(float(ref_v) / 3, rel=1e-14)


@pytest.mark.parametrize("dim", [1, 2])
def test_blocked_loss_gradient_matches_plain_autodiff(dim, key):
    """The training loss (block-wise gradient) against reverse mode through the plain mean."""
    exact = lambda x, t: jnp.exp(-t) * jnp.prod(jnp.sin(jnp.pi * x))
    domain = geo.Interval(0, 1) if dim == 1 else geo.Rectangle((0, 0), (1, 1))
    problem = pds.AdvectionDiffusion.manufactured(domain, (0, 1), 0.05, (0.5,) * dim, exact)
    net = FourierSubnets(dim + 1, widths=(6, 8, 8), scales=(1, 3, 7))
    model = Model(problem, net, True, *hard_constraint(problem), jnp.float64)
    params = net.init(key, jnp.float64)
    n = 300
    batch = {"x": jax.random.uniform(jax.random.PRNGKey(1), (n, dim), jnp.float64),
             "t": jax.random.uniform(jax.random.PRNGKey(2), (n,), jnp.float64)}
    loss = make_loss(model, (), lambda s: 1.0, block=128)
    v, g = jax.jit(jax.value_and_grad(lambda p: loss(p, batch, 0)[0]))(params)
    plain = lambda p: jnp.mean(model.residual(p, batch["x"], batch["t"]) ** 2)
    ref_v, ref_g = jax.jit(jax.value_and_grad(plain))(params)
    assert float(v) == pytest.approx(float(ref_v), rel=1e-12)
    for a, b in zip(jax.tree_util.tree_leaves(g), jax.tree_util.tree_leaves(ref_g), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12 * float(jnp.max(jnp.abs(b))))


@pytest.mark.parametrize(
    "p, quadratic, widths",
    [
        (2, ((1.0, 0.0),), (6, 6)),
        (3, ((1.0, 0.0, 0.0), (0.0, 1.0, 0.0)), (6, 4)),
        (2, (), (5, 5)),
        (2, ((-0.3, -0.05),), (6, 6)),
        (2, ((0.0, 0.0), (2.0, -1.0)), (4, 4)),
    ],
)
def test_sin_jet_layer_reverse_pass_matches_autodiff(p, quadratic, widths):
    """The closed-form reverse pass of a sin layer against JAX's reverse mode of its forward."""
    from pdesolve.pinn._networks import _jet_layer, _sin3, _sin_jet_layer

    keys = jax.random.split(jax.random.PRNGKey(p + len(quadratic)), 4)
    streams = 1 + p + len(quadratic)
    w = jax.random.normal(keys[0], (3, *widths), jnp.float64)
    b = jax.random.normal(keys[1], (3, widths[1]), jnp.float64)
    y = jax.random.normal(keys[2], (3, widths[0], streams, 9), jnp.float64)
    probe = jax.random.normal(keys[3], (3, widths[1], streams, 9), jnp.float64)
    closed = lambda w, b, y: jnp.sum(probe * _sin_jet_layer(w, b, y, p, quadratic))
    auto = lambda w, b, y: jnp.sum(probe * _jet_layer(_sin3, w, b, y, p, quadratic)[0])
    assert float(jax.jit(closed)(w, b, y)) == pytest.approx(float(jax.jit(auto)(w, b, y)),
                                                           rel=1e-14)
    gradients = [jax.jit(jax.grad(fn, (0, 1, 2)))(w, b, y) for fn in (closed, auto)]
    for got, ref in zip(*gradients, strict=True):
        np.testing.assert_allclose(got, ref, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("network", ["fourier-sin", "fourier-tanh", "mlp"])
@pytest.mark.parametrize("pointwise", [False, True])
def test_operator_stream_matches_nested_autodiff(network, pointwise, key):
    """L N = v·∇N + Σ_k q_k ∂_k² N in one stream, against jax.hessian of the float64 network,
    with a constant and a per-point v; its parameter gradient against reverse mode of the same
    operator built from `jax.grad` and `jax.hessian`."""
    from pdesolve.pinn import MLP

    if network == "mlp":
        net = MLP(3, widths=(12, 9))
    else:
        net = FourierSubnets(3, widths=(5, 8, 8), scales=(1, 3, 7), activation=network[8:])
    params = net.init(key, jnp.float64)
    n = 17
    z = jax.random.uniform(jax.random.PRNGKey(3), (n, 3), jnp.float64)
    v = jnp.array([0.7, -1.2, 1.0])
    first_order = (jnp.sin(z) + v)[None] if pointwise else v[None]
    q = (-0.02, -0.5)
    vv = jnp.broadcast_to(first_order[0], (n, 3))

    def by_autodiff(params):
        f = lambda x: net.apply(params, x[None])[0]
        grad = jax.vmap(jax.grad(f))(z)
        hess = jnp.diagonal(jax.vmap(jax.hessian(f))(z), axis1=1, axis2=2)
        return jnp.sum(vv * grad, axis=1) + q[0] * hess[:, 0] + q[1] * hess[:, 1], grad

    u, du, lu = jax.jit(lambda pr: net.apply_jet(pr, z, 2, (q,), first_order))(params)
    ref_lu, ref_grad = jax.jit(by_autodiff)(params)
    np.testing.assert_allclose(u, net.apply(params, z), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(du, ref_grad[:, :2].T, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(lu[0], ref_lu, rtol=1e-10, atol=1e-10)
    probe = jnp.cos(jnp.arange(n, dtype=jnp.float64))
    loss = lambda pr: jnp.sum(probe * net.apply_jet(pr, z, 2, (q,), first_order)[2][0] ** 2)
    ref_loss = lambda pr: jnp.sum(probe * by_autodiff(pr)[0] ** 2)
    got, ref = jax.jit(jax.grad(loss))(params), jax.jit(jax.grad(ref_loss))(params)
    for a, b in zip(jax.tree_util.tree_leaves(got), jax.tree_util.tree_leaves(ref), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-10 * float(jnp.max(jnp.abs(b))))


def test_operator_rows_must_match_axes(key):
    net = FourierSubnets(2, widths=(4, 4), scales=(1, 2))
    params = net.init(key)
    with pytest.raises(ValueError, match="p = 1"):
        net.apply_jet(params, jnp.zeros((3, 2), jnp.float32), 1, ((1.0, 0.0),))


def test_float32_network_keeps_float32_under_x64(key):
    """Parameters, jets and gradients stay float32 when float64 is enabled (as in the tests)."""
    net = FourierSubnets(2, widths=(8, 16, 8), scales=(1, 2, 4))
    params = net.init(key)
    z = jax.random.uniform(jax.random.PRNGKey(1), (5, 2), jnp.float32)
    grads = jax.jit(jax.grad(lambda p: jnp.sum(net.apply_derivatives(p, z, 1)[2])))(params)
    values = jax.jit(lambda p: net.apply_derivatives(p, z, 1))(params)
    for tree in (params, grads, values):
        assert {leaf.dtype for leaf in jax.tree_util.tree_leaves(tree)} == {jnp.dtype("float32")}


@pytest.mark.parametrize("hard", [True, False])
@pytest.mark.parametrize("case", ["timed", "steady", "pointwise velocity"])
def test_model_residual_matches_autodiff_of_u(hard, case, key):
    """`Model.residual` (operator stream + product rule) against the problem's own residual of
    the pointwise u = G + D·N (or N), differentiated by nested autodiff, in float64."""
    exact = lambda x, t: jnp.exp(-t) * jnp.sin(2 * x[0]) * jnp.cos(x[1])
    velocity = (lambda x, t: jnp.array([1 + x[1], -x[0] * t])) if case == "pointwise velocity" \
        else (0.6, -0.4)
    domain = geo.Rectangle((0, 0), (1, 1))
    if case == "steady":
        problem = pds.AdvectionDiffusion.manufactured(
            domain, None, (0.03, 0.2), velocity, lambda x: exact(x, 0.3))
    else:
        problem = pds.AdvectionDiffusion.manufactured(domain, (0, 1), (0.03, 0.2), velocity,
                                                      exact)
    timed = case != "steady"
    net = FourierSubnets(3 if timed else 2, widths=(5, 8, 8), scales=(1, 3, 7))
    ansatz = hard_constraint(problem) if hard else (None, None)
    model = Model(problem, net, hard, *ansatz, jnp.float64)
    params = net.init(key, jnp.float64)
    x = jax.random.uniform(jax.random.PRNGKey(1), (23, 2), jnp.float64)
    t = jax.random.uniform(jax.random.PRNGKey(2), (23,), jnp.float64) if timed else None
    got = jax.jit(model.residual)(params, x, t)
    u = lambda xi, ti: model(params, xi[None], ti)[0] if timed else model(params, xi[None])[0]
    ref = jax.jit(jax.vmap(problem.residual(u)))(x, t if timed else jnp.zeros(23))
    np.testing.assert_allclose(got, ref, rtol=1e-10, atol=1e-10 * float(jnp.max(jnp.abs(ref))))
