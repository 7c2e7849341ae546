"""CELM on manufactured biharmonic problems: accuracy, convergence, options, solution API."""

import warnings

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from convergence import assert_exponential_rate

import pdesolve as pds
from pdesolve import geometry as geo

PI = np.pi


def exact2(x):
    return jnp.sin(PI * x[0]) * jnp.sin(PI * x[1])


def exact_clamped(x):
    return jnp.sin(PI * x[0]) ** 2 * jnp.sin(PI * x[1]) ** 2


def error(sol, ex, n=2000):
    dom = sol.problem.domain
    x = dom.sample_interior(n, key=jax.random.PRNGKey(123))
    return float(pds.metrics.relative_l2(sol(x), jax.vmap(ex)(x)))


@pytest.mark.parametrize("bc", ["navier", "clamped"])
@pytest.mark.parametrize(
    "domain", [geo.Disk((0, 0), 1), geo.Rectangle((-1, -1), (1, 1))], ids=["disk", "square"]
)
def test_celm_defaults_reach_1e_11(domain, bc, key):
    sol = pds.celm.solve(pds.Biharmonic.manufactured(domain, exact2, bc=bc), key=key)
    assert error(sol, exact2) < 1e-11
    assert sol.info["bc"] == bc


def test_celm_clamped_unit_square(key):
    problem = pds.Biharmonic.manufactured(geo.Rectangle((0, 0), (1, 1)), exact_clamped,
                                          bc="clamped")
    assert error(pds.celm.solve(problem, key=key), exact_clamped) < 1e-11


def test_celm_1d(key):
    ex = lambda x: jnp.sin(3 * x[0]) * jnp.exp(x[0])
    for bc in ("navier", "clamped"):
        sol = pds.celm.solve(pds.Biharmonic.manufactured(geo.Interval(-1, 1), ex, bc=bc),
                             key=key)
        assert error(sol, ex) < 1e-11


@pytest.mark.parametrize("bc", ["navier", "clamped"])
def test_celm_direct_formulation(bc, key):
    problem = pds.Biharmonic.manufactured(geo.Disk((0, 0), 1), exact2, bc=bc)
    sol = pds.celm.solve(problem, key=key, formulation="direct")
    assert sol.method == "celm-direct" and len(sol.networks) == 1
    assert error(sol, exact2) < 1e-9


@pytest.mark.parametrize(
    "activation, scale, tol",
    [("sin", 5.0, 1e-11), ("trig", 5.0, 1e-11), ("fourier", 5.0, 1e-11),
     ("tanh", 2.0, 1e-5), ("gauss", 2.0, 1e-5)],
)
def test_celm_activations(activation, scale, tol, key):
    problem = pds.Biharmonic.manufactured(geo.Disk((0, 0), 1), exact2)
    sol = pds.celm.solve(problem, key=key, activation=activation, scale=scale)
    assert error(sol, exact2) < tol


@pytest.mark.parametrize("solver, finish", [("qr", "svd"), ("qr", "pivoted"), ("gelsd", "svd"),
                                            ("gelsy", "svd"), ("sketch", "pivoted")])
def test_celm_solvers_agree(solver, finish, key):
    problem = pds.Biharmonic.manufactured(geo.Disk((0, 0), 1), exact2, bc="clamped")
    sol = pds.celm.solve(problem, key=key, solver=solver, finish=finish, hidden=200,
                         n_interior=600, n_boundary=200)
    assert error(sol, exact2) < 1e-9


def test_celm_normal_init_and_row_scalings(key):
    problem = pds.Biharmonic.manufactured(geo.Disk((0, 0), 1), exact2)
    for kwargs in ({"init": "normal", "scale": 3.0}, {"row_scaling": "l2"},
                   {"row_scaling": "none"}):
        assert error(pds.celm.solve(problem, key=key, **kwargs), exact2) < 1e-9, kwargs


def test_celm_converges_in_width(key):
    problem = pds.Biharmonic.manufactured(geo.Disk((0, 0), 1), exact2)
    widths = np.array([40, 80, 120, 160])
    errs = [error(pds.celm.solve(problem, key=key, hidden=int(m), n_interior=3 * int(m),
                                 n_boundary=int(m)), exact2) for m in widths]
    # spectral convergence, one decade per ~16 features: measured -0.067, -0.059, -0.063
    # decades per feature for keys 0, 1, 2
    assert_exponential_rate(widths, errs, expected=-0.063, tolerance=0.015)


def test_solution_derivatives_and_auxiliary(key):
    problem = pds.Biharmonic.manufactured(geo.Disk((0, 0), 1), exact2)
    sol = pds.celm.solve(problem, key=key)
    x = problem.domain.sample_interior(500, key=jax.random.PRNGKey(5))
    lap = -2 * PI**2 * jax.vmap(exact2)(x)
    grad = jax.vmap(jax.grad(exact2))(x)
    assert float(pds.metrics.relative_l2(sol.laplacian(x), lap)) < 1e-9
    assert float(pds.metrics.relative_l2(sol.auxiliary(x), lap)) < 1e-9
    assert float(pds.metrics.relative_l2(sol.gradient(x), grad)) < 1e-10
    assert sol.gradient(x).shape == (500, 2) and sol(x[0]).shape == (1,)


def test_save_load_roundtrip(key, tmp_path):
    problem = pds.Biharmonic.manufactured(geo.Disk((0, 0), 1), exact2, bc="clamped")
    sol = pds.celm.solve(problem, key=key, hidden=100, activation="fourier")
    path = sol.save(tmp_path / "sol.npz")
    back = pds.celm.ELMSolution.load(path, problem=problem)
    x = np.random.default_rng(0).uniform(-0.5, 0.5, (30, 2))
    np.testing.assert_array_equal(back(x), sol(x))
    np.testing.assert_array_equal(back.auxiliary(x), sol.auxiliary(x))
    assert back.info["rank"] == sol.info["rank"] and back.method == "celm"
    assert back.problem is problem


def test_celm_info(key):
    problem = pds.Biharmonic.manufactured(geo.Disk((0, 0), 1), exact2, bc="clamped")
    info = pds.celm.solve(problem, key=key, hidden=100).info
    assert set(info["residuals"]) == {"interior: Δv = f", "interior: Δu - v = 0",
                                      "boundary: u = g", "boundary: ∂u/∂n = dudn"}
    assert info["unknowns"] == 200 and info["rows"] == 2 * (info["n_interior"] +
                                                          info["n_boundary"])
    assert info["condition"] >= 1 and 0 < info["rank"] <= 200
    assert all(r["rms"] < 1e-3 for r in info["residuals"].values())


def test_explicit_points_and_blocks(key):
    problem = pds.Biharmonic.manufactured(geo.Rectangle((-1, -1), (1, 1)), exact2)
    interior = problem.domain.sample_interior(900, key=key, method="grid")
    boundary = problem.domain.sample_boundary(400, key=key)
    small = pds.celm.solve(problem, key=key, hidden=200, interior_points=interior,
                           boundary_points=boundary, block_rows=256)
    whole = pds.celm.solve(problem, key=key, hidden=200, interior_points=interior,
                           boundary_points=boundary)
    assert small.info["n_interior"] == 900
    assert error(small, exact2) < 1e-9
    np.testing.assert_allclose(small(interior[:20]), whole(interior[:20]), atol=1e-8)


def test_underdetermined_warns(key):
    problem = pds.Biharmonic.manufactured(geo.Disk((0, 0), 1), exact2)
    with pytest.warns(UserWarning, match="underdetermined"):
        pds.celm.solve(problem, key=key, hidden=200, n_interior=50, n_boundary=20)


@pytest.mark.parametrize(
    "kwargs, exc, match",
    [
        ({"hidden": 0}, ValueError, "hidden"),
        ({"hidden": 2.5}, TypeError, "hidden"),
        ({"scale": -1.0}, ValueError, "scale"),
        ({"activation": "relu"}, ValueError, "activation"),
        ({"n_interior": 0}, ValueError, "n_interior"),
        ({"solver": "lu"}, ValueError, "solver"),
        ({"sketch_factor": 0.5}, ValueError, "sketch_factor"),
        ({"sketch_factor": float("nan")}, ValueError, "sketch_factor"),
        ({"formulation": "split"}, ValueError, "formulation"),
        ({"sampling": "magic"}, ValueError, "sampling"),
    ],
)
def test_bad_settings(kwargs, exc, match, key):
    problem = pds.Biharmonic.manufactured(geo.Disk((0, 0), 1), exact2)
    with pytest.raises(exc, match=match):
        pds.celm.solve(problem, key=key, **kwargs)


def test_bad_problem_and_data(key):
    with pytest.raises(TypeError, match="Biharmonic"):
        pds.celm.solve(pds.Poisson.manufactured(geo.Disk((0, 0), 1), exact2), key=key)
    problem = pds.Biharmonic(geo.Disk((0, 0), 1), lambda x: 1.0 / x[0], lambda x: 0.0,
                             h=lambda x: 0.0)
    with pytest.raises(ValueError, match=r"f gave non-finite values at 1 of"):
        pds.celm.solve(problem, key=key, interior_points=np.array([[0.0, 0.1], [0.2, 0.1]]),
                       hidden=10)


def test_float32_mode_is_refused(key):
    problem = pds.Biharmonic.manufactured(geo.Disk((0, 0), 1), exact2)
    jax.config.update("jax_enable_x64", False)
    try:
        with pytest.raises(RuntimeError, match="jax_enable_x64"):
            pds.celm.solve(problem, key=key)
        with pytest.raises(RuntimeError, match="jax_enable_x64"):
            pds.pielm.solve(pds.Poisson.manufactured(geo.Disk((0, 0), 1), exact2), key=key)
    finally:
        jax.config.update("jax_enable_x64", True)


def test_no_warnings_on_default_solve(key):
    problem = pds.Biharmonic.manufactured(geo.Disk((0, 0), 1), exact2)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        pds.celm.solve(problem, key=key, hidden=100)


@pytest.mark.parametrize("bc", ["navier", "clamped"])
def test_celm_3d(bc, key):
    ex = lambda x: jnp.exp(x[0] / 2) * jnp.sin(x[1]) * jnp.cos(x[2])
    problem = pds.Biharmonic.manufactured(geo.Box((0, 0, 0), (1, 1, 1)), ex, bc=bc)
    # few features for a smooth solution: a small scale (s = 4, the 3D default for M = 1200,
    # gives 4.5e-4 here; s = 1 gives 6e-9)
    sol = pds.celm.solve(problem, key=key, hidden=250, n_interior=600, n_boundary=400,
                         scale=1.0)
    assert error(sol, ex) < 1e-7


def test_sketch_solver_is_reproducible_and_compresses(key):
    # 4000 interior points on 2 × 200 unknowns: the sketch keeps 2 rows per column per support
    # (full rank here, so the sketched solve is 2-3x less accurate than "qr": 7.5e-12 vs 2.4e-12)
    problem = pds.Biharmonic.manufactured(geo.Disk((0, 0), 1), exact2)
    kwargs = {"solver": "sketch", "hidden": 200, "n_interior": 4000, "n_boundary": 1000}
    first = pds.celm.solve(problem, key=key, **kwargs)
    again = pds.celm.solve(problem, key=key, **kwargs)
    np.testing.assert_array_equal(first.coefficients[0], again.coefficients[0])
    assert first.info["rows"] == 10000
    assert first.info["sketched_rows"] < 0.25 * first.info["rows"]
    assert error(first, exact2) < 1e-10
