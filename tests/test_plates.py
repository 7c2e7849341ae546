"""Kirchhoff plates: stiffness, loads, series references, moments, and CELM on a plate."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import pdesolve as pds
from pdesolve import geometry as geo
from pdesolve import plates

UNIT_D = plates.KirchhoffPlate(young=12 * (1 - 0.3**2), poisson=0.3, thickness=1.0)


def test_stiffness_is_e_h3_over_12_one_minus_nu2():
    plate = plates.KirchhoffPlate(young=210e9, poisson=0.3, thickness=0.01)
    assert plate.stiffness == pytest.approx(210e9 * 1e-6 / (12 * 0.91), rel=1e-14)
    assert UNIT_D.stiffness == pytest.approx(1.0, rel=1e-14)


@pytest.mark.parametrize("kwargs, word", [
    ({"young": -1.0}, "young"), ({"thickness": 0.0}, "thickness"),
    ({"poisson": 0.5}, "poisson"), ({"young": float("nan")}, "young")])
def test_bad_material_is_a_clear_error(kwargs, word):
    with pytest.raises(ValueError, match=word):
        plates.KirchhoffPlate(**kwargs)


def test_bad_problem_arguments():
    square = geo.Rectangle((0, 0), (1, 1))
    with pytest.raises(ValueError, match="support"):
        UNIT_D.problem(square, plates.uniform(1.0), support="pinned")
    with pytest.raises(ValueError, match="2D"):
        UNIT_D.problem(geo.Interval(0, 1), plates.uniform(1.0))
    with pytest.raises(TypeError, match="uniform"):
        UNIT_D.problem(square, 1.0)
    with pytest.raises(ValueError, match="lo < hi"):
        plates.rectangle_patch(1.0, (0.5, 0.5), (0.4, 0.6))
    with pytest.raises(ValueError, match="width"):
        plates.concentrated(1.0, (0.5, 0.5), 0.0)
    with pytest.raises(ValueError, match="patch"):
        plates.simply_supported_patch(lo=(0.5, 0.5), hi=(1.5, 0.6))


def test_levy_and_navier_series_agree_and_give_timoshenko_centre_values():
    w_levy = jax.vmap(plates.simply_supported_uniform())
    w_navier = jax.vmap(plates.simply_supported_patch(lo=(0, 0), hi=(1, 1)))
    x = np.random.default_rng(0).uniform(0, 1, (64, 2))
    np.testing.assert_allclose(w_levy(x), w_navier(x), rtol=0, atol=1e-14)  # 2.5e-12 of max w
    centre = np.array([[0.5, 0.5]])
    assert float(w_levy(centre)[0]) == pytest.approx(0.00406235, abs=5e-9)  # Timoshenko
    moments = plates.bending_moments(plates.simply_supported_uniform(), centre, UNIT_D)
    assert moments["M_x"][0] == pytest.approx(0.0479, abs=5e-5)  # Timoshenko: 0.0479 q a²
    assert moments["M_y"][0] == pytest.approx(moments["M_x"][0], rel=1e-12)
    assert abs(moments["M_xy"][0]) < 1e-14
    # edges: w = 0 and (Navier) Δw = 0
    edge = np.array([[0.0, 0.3], [0.7, 1.0], [1.0, 0.5]])
    assert np.max(np.abs(w_levy(edge))) < 1e-16  # round-off of sin(mπ) and the sum
    lap = jax.vmap(lambda p: jnp.trace(jax.hessian(plates.simply_supported_uniform())(p)))
    assert np.max(np.abs(lap(edge))) < 1e-12


def test_series_solves_the_plate_equation():
    w = plates.simply_supported_patch(lo=(0.2, 0.3), hi=(0.6, 0.7), q=2.0, terms=401)
    x = np.array([[0.4, 0.5], [0.8, 0.2]])  # inside / outside the patch
    bilaplacian = jax.vmap(lambda p: jnp.trace(jax.hessian(
        lambda z: jnp.trace(jax.hessian(w)(z)))(p)))(x)
    np.testing.assert_allclose(bilaplacian, [2.0, 0.0], atol=2e-2)  # series partial sums


def test_loads():
    x = jnp.array([0.5, 0.5])
    assert float(plates.uniform(3.0)(x)) == 3.0
    patch = plates.rectangle_patch(2.0, (0.4, 0.4), (0.6, 0.6))
    assert float(patch(x)) == 2.0 and float(patch(jnp.array([0.7, 0.5]))) == 0.0
    disk = plates.disk_patch(1.5, (0.5, 0.5), 0.1)
    assert float(disk(x)) == 1.5 and float(disk(jnp.array([0.5, 0.65]))) == 0.0
    force = plates.concentrated(5.0, (0.5, 0.5), 0.02)
    grid = np.stack(np.meshgrid(*[np.linspace(0, 1, 401)] * 2), -1).reshape(-1, 2)
    total = float(jnp.sum(jax.vmap(force)(grid))) * (1 / 400) ** 2
    assert total == pytest.approx(5.0, rel=1e-6)


def test_celm_on_simply_supported_square_against_series():
    """Today's accuracy at the defaults (corner singularity of v = Δw limits it, issue 17)."""
    problem = UNIT_D.problem(geo.Rectangle((0, 0), (1, 1)), plates.uniform(1.0))
    assert problem.bc == "navier"
    sol = pds.celm.solve(problem, key=jax.random.PRNGKey(0))
    g = np.stack(np.meshgrid(*[np.linspace(0.01, 0.99, 41)] * 2), -1).reshape(-1, 2)
    reference = jax.vmap(plates.simply_supported_uniform())(g)
    assert pds.metrics.relative_l2(sol(g), reference) < 1e-4  # seen 3.7e-5
