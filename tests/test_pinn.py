"""SFHCPINN and baselines: network derivatives, training on manufactured problems, bad input."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import pdesolve as pds
from pdesolve import fastmath as fm
from pdesolve import geometry as geo
from pdesolve.pinn import MLP, FourierSubnets

SMALL = {"widths": (8, 16, 8), "scales": (1, 2, 4, 8), "n_interior": 256, "n_boundary": 64,
         "n_initial": 64, "chunk": 50, "eval_every": 100, "progress": False}


def exact_1d(x, t):
    return jnp.exp(-0.25 * t) * jnp.sin(2 * jnp.pi * x[0])


def problem_1d(bc="dirichlet"):
    return pds.AdvectionDiffusion.manufactured(geo.Interval(0, 1), (0, 1), 0.02, 0.01, exact_1d,
                                               bc=bc)


@pytest.mark.parametrize(
    "net", [FourierSubnets(3, widths=(4, 6, 6, 5), scales=(1, 5)), MLP(3, (8, 7), "tanh"),
            MLP(3, (6, 6), "gelu")],
)
def test_network_derivatives_match_autodiff(net, key):
    params = net.init(key, jnp.float64)
    z = jax.random.uniform(jax.random.PRNGKey(1), (7, 3), jnp.float64)
    u, du, d2u = jax.jit(lambda p: net.apply_derivatives(p, z, 2))(params)
    f = lambda q: net.apply(params, q[None])[0]
    hess = jax.jit(jax.vmap(jax.hessian(f)))(z)
    np.testing.assert_allclose(u, jax.jit(net.apply)(params, z), atol=1e-13)
    np.testing.assert_allclose(du.T, jax.jit(jax.vmap(jax.grad(f)))(z), atol=1e-12)
    np.testing.assert_allclose(d2u.T, jnp.diagonal(hess, axis1=1, axis2=2)[:, :2], atol=1e-11)


def test_fourier_subnets_shape_and_count(key):
    net = FourierSubnets(2)
    params = net.init(key)
    assert len(net.scales) == 23
    assert pds.pinn.count_parameters(params) == 23 * (2 * 10 + 420 + 420 + 210 + 110 + 11)
    assert jax.jit(net.apply)(params, jnp.ones((5, 2), jnp.float32)).shape == (5,)


def test_fast_sin_cos_accuracy():
    x = jnp.linspace(-300, 300, 100001, dtype=jnp.float32)
    ref = np.asarray(x, np.float64)
    assert np.max(np.abs(np.asarray(fm.sin(x)) - np.sin(ref))) < 5e-7
    assert np.max(np.abs(np.asarray(fm.cos(x)) - np.cos(ref))) < 5e-7
    s, c = fm.sincos(x)
    assert np.max(np.abs(np.asarray(s) - np.sin(ref))) < 5e-7
    d2 = jax.vmap(jax.grad(jax.grad(fm.sin)))(x[:1000])
    assert np.max(np.abs(np.asarray(d2) + np.sin(ref[:1000]))) < 5e-7



def test_fast_quarter_turns_both_precisions():
    """sin(z + qπ/2) for q = 0..4 in float32 and float64, and sincos in float64."""
    z64 = np.linspace(-300, 300, 20001)
    for dtype, atol in ((jnp.float32, 5e-7), (jnp.float64, 3e-16)):
        z = jnp.asarray(z64, dtype)
        ref = np.asarray(z, np.float64)
        # the exact shifts, not np.sin(z + qπ/2), whose addition rounds
        turns = [np.sin(ref), np.cos(ref), -np.sin(ref), -np.cos(ref), np.sin(ref)]
        for q, expected in enumerate(turns):
            np.testing.assert_allclose(np.asarray(fm.sin_quarter(z, q), np.float64), expected,
                                       rtol=0, atol=atol)
    s, c = fm.sincos(jnp.asarray(z64))
    np.testing.assert_allclose(np.asarray(s), np.sin(z64), rtol=0, atol=3e-16)
    np.testing.assert_allclose(np.asarray(c), np.cos(z64), rtol=0, atol=3e-16)

def test_sfhcpinn_dirichlet_error_falls(key):
    sol = pds.sfhcpinn.solve(problem_1d(), key=key, steps=300, **SMALL)
    info = sol.info
    assert info["compilations"] == 1
    assert info["error_steps"][0] == 0 and info["error_steps"][-1] == 300
    assert info["error"][-1] < 0.1 * info["error"][0]
    assert info["relative_l2"] < 0.05
    assert np.isclose(info["squared_ratio"], info["relative_l2"] ** 2)
    assert len(info["loss"]) == 300 and info["loss"][-1] < 0.1 * info["loss"][0]
    assert sol.problem.exact is exact_1d
    x = np.linspace(0, 1, 9)[:, None]
    # the initial condition and the Dirichlet ends hold exactly (up to float32 round-off)
    np.testing.assert_allclose(sol(x, np.zeros(9)), jax.vmap(exact_1d)(x, jnp.zeros(9)),
                               atol=1e-6)
    ends = np.array([[0.0], [1.0]])
    np.testing.assert_allclose(sol(ends, np.full(2, 0.7)), 0.0, atol=1e-6)


def test_sfhcpinn_mixed_boundary_error_falls(key):
    problem = problem_1d({"left": "dirichlet", "right": "neumann"})
    sol = pds.sfhcpinn.solve(problem, key=key, steps=400, **SMALL)
    assert sol.info["error"][-1] < 0.5 * sol.info["error"][0]
    assert sol.info["relative_l2"] < 0.1
    assert "neumann" in sol.info["terms"]


def test_sfhcpinn_steady_2d_disk(key):
    exact = lambda x: jnp.sin(x[0]) * jnp.cos(x[1])
    problem = pds.AdvectionDiffusion.manufactured(geo.Disk((0, 0), 1), None, 1.0, (1.0, 0.5),
                                                  exact)
    sol = pds.sfhcpinn.solve(problem, key=key, steps=200, **SMALL)
    assert sol.info["error"][-1] < 0.2 * sol.info["error"][0]
    assert sol(np.zeros((3, 2))).shape == (3,)
    with pytest.raises(ValueError, match="steady"):
        sol(np.zeros((3, 2)), np.zeros(3))


@pytest.mark.parametrize(
    "domain, sampling",
    [pytest.param(geo.Box((0, 0, 0), (1, 1, 1)), "lhs", marks=pytest.mark.slow),  # 12 s
     (geo.Ball((0, 0, 0), 1.0), "sobol")],
)
def test_sfhcpinn_3d_error_falls(domain, sampling, key):
    exact = lambda x, t: jnp.exp(-0.5 * t) * jnp.sin(x[0] + 0.5 * x[1]) * jnp.cos(x[2])
    problem = pds.AdvectionDiffusion.manufactured(domain, (0.0, 1.0), 0.1, (0.5, 0.0, -0.5),
                                                  exact)
    sol = pds.sfhcpinn.solve(problem, key=key, steps=200, sampling=sampling, **SMALL)
    assert sol.info["compilations"] == 1
    assert sol.info["error"][-1] < 0.2 * sol.info["error"][0]
    # Dirichlet data on the boundary and the initial condition hold exactly (float32 round-off)
    xb, _ = domain.sample_boundary(50, key=key)
    np.testing.assert_allclose(sol(xb, np.full(50, 0.6)), jax.vmap(exact)(xb, jnp.full(50, 0.6)),
                               atol=1e-5)
    x0 = domain.sample_interior(50, key=key)
    np.testing.assert_allclose(sol(x0, np.zeros(50)), jax.vmap(exact)(x0, jnp.zeros(50)),
                               atol=1e-5)


@pytest.mark.parametrize("variant", ["pinn", "hcpinn", "sfpinn"])
def test_baselines_train(variant, key):
    opts = dict(SMALL)
    if variant != "sfpinn":
        opts.pop("scales")
        opts["widths"] = (16, 16)
    sol = pds.pinn.solve(problem_1d(), key=key, steps=300, variant=variant, **opts)
    info = sol.info
    assert info["variant"] == variant
    assert info["error"][-1] < info["error"][0]
    assert np.all(np.isfinite(info["loss"]))


def test_resume_repeats_uninterrupted_run(tmp_path, key):
    p = problem_1d()
    opts = {**SMALL, "boundary_weight": 20.0}
    a = pds.sfhcpinn.solve(p, key=key, steps=100, **opts)
    ckpt = tmp_path / "pinn.ckpt"
    pds.sfhcpinn.solve(p, key=key, steps=50, checkpoint=ckpt, **opts)
    resumed = pds.sfhcpinn.solve(p, key=key, steps=100, resume=ckpt, **opts)
    # same key: the interrupted-and-resumed run repeats the uninterrupted one exactly
    assert resumed.info["loss"] == a.info["loss"]
    assert resumed.info["relative_l2"] == a.info["relative_l2"]
    for x, y in zip(jax.tree_util.tree_leaves(a.params), jax.tree_util.tree_leaves(resumed.params),
                    strict=True):
        np.testing.assert_array_equal(x, y)


@pytest.mark.parametrize(
    "call, err, match",
    [
        (lambda p, k: pds.sfhcpinn.solve(p, key=k, steps=0), ValueError, "steps"),
        (lambda p, k: pds.sfhcpinn.solve(p, key=k, n_interior=-5), ValueError, "n_interior"),
        (lambda p, k: pds.pinn.solve(p, key=k, variant="xpinn"), ValueError, "variant"),
        (lambda p, k: pds.sfhcpinn.solve(p, key=k, sampling="grid"), ValueError, "sampling"),
        (lambda p, k: pds.sfhcpinn.solve("u_t = u_xx", key=k), TypeError, "AdvectionDiffusion"),
        (lambda p, k: pds.sfhcpinn.solve(p, key=k, activation="relu6"), ValueError, "activation"),
    ],
)
def test_bad_input(call, err, match, key):
    with pytest.raises(err, match=match):
        call(problem_1d(), key)
