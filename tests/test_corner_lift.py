"""CELM's corner lift: closed-form r² log r terms at incompatible Navier corners."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import pdesolve as pds
from pdesolve import geometry as geo
from pdesolve import plates
from pdesolve.elm import CornerLift

UNIT_D = plates.KirchhoffPlate(young=12 * (1 - 0.3**2), poisson=0.3, thickness=1.0)
SQUARE = geo.Rectangle((0, 0), (1, 1))
GRID = np.stack(np.meshgrid(*[np.linspace(0, 1, 41)] * 2), -1).reshape(-1, 2)


def _single(angle, delta_v, delta_u):
    return CornerLift(np.zeros((1, 2)), np.array([[1.0, 0.0]]), np.array([[0.0, 1.0]]),
                      np.array([angle]), np.array([delta_v]), np.array([delta_u]))


@pytest.mark.parametrize("angle", [0.5 * np.pi, 1.5 * np.pi])
def test_lift_functions_solve_the_wedge_problems(angle):
    """ψ (δ_v = 1): Δ²L = 1, L = ΔL = 0 on both edges; φ (δ_u = 1): ΔL = 1, L = 0 there."""
    rng = np.random.default_rng(0)
    r, theta = rng.uniform(0.05, 1.0, 32), rng.uniform(0.01, angle - 0.01, 32)
    inside = jnp.asarray(np.stack([r * np.cos(theta), r * np.sin(theta)], 1))
    edges = jnp.asarray(np.concatenate([np.stack([r, 0 * r], 1),
                                        np.stack([r * np.cos(angle), r * np.sin(angle)], 1)]))
    lap = lambda fn: (lambda x: jnp.trace(jax.hessian(fn)(x)))  # noqa: E731
    for delta_v, delta_u in ((1.0, 0.0), (0.0, 1.0)):
        lift = _single(angle, delta_v, delta_u)
        value, laplacian = lift.pointwise, lift.laplacian_pointwise
        np.testing.assert_allclose(jax.vmap(lap(value))(inside), jax.vmap(laplacian)(inside),
                                   atol=1e-11)
        np.testing.assert_allclose(jax.vmap(lap(laplacian))(inside), delta_v, atol=1e-9)
        assert lift.bilaplacian == delta_v
        assert np.max(np.abs(jax.vmap(value)(edges))) < 1e-15
        np.testing.assert_allclose(jax.vmap(laplacian)(edges), delta_u, atol=1e-14)


def test_corners_of_shapes():
    assert [round(c.angle / np.pi, 12) for c in SQUARE.corners()] == [0.5] * 4
    ell = geo.Polygon([(0, 0), (1, 0), (1, 0.5), (0.5, 0.5), (0.5, 1), (0, 1)])
    angles = sorted(round(c.angle / np.pi, 12) for c in ell.corners())
    assert angles == [0.5] * 5 + [1.5]
    assert geo.Disk((0, 0), 1).corners() == ()
    assert geo.Interval(0, 1).corners() == ()
    corner = SQUARE.corners()[0]  # (1, 0): first edge up, inward normal −x
    np.testing.assert_allclose(corner.vertex, [1, 0])
    np.testing.assert_allclose(corner.first, [0, 1])
    np.testing.assert_allclose(corner.normal, [-1, 0])


def test_simply_supported_square_under_uniform_load_to_round_off():
    problem = UNIT_D.problem(SQUARE, plates.uniform(1.0))
    reference = jax.vmap(plates.simply_supported_uniform())(GRID)
    sol = pds.celm.solve(problem, key=jax.random.PRNGKey(0))
    assert [c["lift"] for c in sol.info["corners"]] == ["lifted"] * 4
    assert sol.info["corners"][0]["delta_v"] == pytest.approx(1.0, rel=1e-12)
    assert pds.metrics.relative_l2(sol(GRID), reference) < 1e-10  # seen 1.2e-12
    centre = float(sol(np.array([[0.5, 0.5]]))[0])
    assert centre == pytest.approx(0.00406235, abs=5e-9)
    # the same solve without the lift stalls (seen 3.7e-5)
    plain = pds.celm.solve(problem, key=jax.random.PRNGKey(0), corners="none")
    assert plain.info["corners"] == [] and plain.lift is None
    assert pds.metrics.relative_l2(plain(GRID), reference) > 1e-6
    # v ≈ Δw on the lifted solution includes ΔL: zero on the simply supported edges
    edge = np.array([[0.0, 0.3], [0.6, 1.0]])
    assert np.max(np.abs(sol.auxiliary(edge))) < 1e-9


def test_lift_answer_does_not_depend_on_blas_threads(monkeypatch):
    problem = UNIT_D.problem(SQUARE, plates.uniform(1.0))
    values = []
    for threads in ("1", "2"):
        monkeypatch.setenv("PDESOLVE_BLAS_THREADS", threads)
        values.append(np.asarray(pds.celm.solve(problem, key=jax.random.PRNGKey(0))(GRID)))
    assert pds.metrics.relative_l2(values[0], values[1]) < 1e-10  # seen 1e-12


def test_compatible_smooth_data_are_left_alone():
    exact = lambda x: jnp.sin(np.pi * x[0]) * jnp.sin(np.pi * x[1]) + x[0] * x[1]  # noqa: E731
    problem = pds.Biharmonic.manufactured(SQUARE, exact, bc="navier")
    sol = pds.celm.solve(problem, key=jax.random.PRNGKey(0))
    assert sol.lift is None
    assert {c["lift"] for c in sol.info["corners"]} == {"none: compatible data"}
    clamped = pds.Biharmonic.manufactured(SQUARE, exact, bc="clamped")
    assert pds.celm.solve(clamped, key=jax.random.PRNGKey(0), hidden=100).info["corners"] == []


def test_save_and_load_keep_the_lift(tmp_path):
    problem = UNIT_D.problem(SQUARE, plates.uniform(1.0))
    sol = pds.celm.solve(problem, key=jax.random.PRNGKey(0), hidden=150)
    back = pds.elm.ELMSolution.load(sol.save(tmp_path / "plate.npz"))
    assert back.lift is not None and len(back.lift) == 4
    np.testing.assert_array_equal(np.asarray(back(GRID)), np.asarray(sol(GRID)))
    np.testing.assert_array_equal(np.asarray(back.laplacian(GRID)),
                                  np.asarray(sol.laplacian(GRID)))


def test_bad_corners_value():
    problem = UNIT_D.problem(SQUARE, plates.uniform(1.0))
    with pytest.raises(ValueError, match="corners"):
        pds.celm.solve(problem, key=jax.random.PRNGKey(0), corners="lift")
