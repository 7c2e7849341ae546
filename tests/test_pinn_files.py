"""PINN solutions saved and loaded: safe archive, identical predictions, clear errors."""

import jax
import numpy as np
import pytest
from test_pinn import SMALL, exact_1d, problem_1d

import pdesolve as pds
from pdesolve import geometry as geo
from pdesolve import io


@pytest.fixture(scope="module")
def trained():
    return pds.sfhcpinn.solve(problem_1d(), key=jax.random.PRNGKey(0), steps=50, **SMALL)


@pytest.mark.parametrize("variant", ["sfhcpinn", "pinn"])
def test_round_trip_predicts_identically(tmp_path, variant, trained):
    problem = problem_1d()
    sol = trained if variant == "sfhcpinn" else pds.pinn.solve(
        problem, key=jax.random.PRNGKey(1), steps=20, variant="pinn", widths=(8, 8),
        **{k: v for k, v in SMALL.items() if k not in ("widths", "scales")})
    path = io.save_solution(tmp_path / "pinn", sol)
    assert path.name == "pinn.npz"
    back = io.load_solution(path, problem=sol.problem)
    assert isinstance(back, pds.pinn.PINNSolution)
    x = np.linspace(0, 1, 33)[:, None]
    t = np.linspace(0, 1, 33)
    np.testing.assert_array_equal(np.asarray(back(x, t)), np.asarray(sol(x, t)))
    assert back.info["relative_l2"] == sol.info["relative_l2"]
    assert back.info["loss"] == sol.info["loss"]


def test_loading_needs_a_fitting_problem_and_user_constraints(tmp_path, trained):
    path = trained.save(tmp_path / "pinn.npz")
    square = pds.AdvectionDiffusion.manufactured(
        geo.Rectangle((0, 0), (1, 1)), (0, 1), 0.1, (1.0, 0.0),
        lambda x, t: exact_1d(x, t) * x[1], bc="dirichlet")
    with pytest.raises(ValueError, match="network with 2 inputs, but problem has 3"):
        pds.pinn.PINNSolution.load(path, square)
    g, d = pds.pinn.hard_constraint(trained.problem)
    custom = pds.sfhcpinn.solve(trained.problem, key=jax.random.PRNGKey(0), steps=10,
                                extension=lambda x, t: g(x, t), distance=d, **SMALL)
    custom_path = custom.save(tmp_path / "custom.npz")
    with pytest.raises(ValueError, match="user extension G and distance D; pass them"):
        pds.pinn.PINNSolution.load(custom_path, trained.problem)
    back = pds.pinn.PINNSolution.load(custom_path, trained.problem,
                                      extension=custom.model.extension, distance=d)
    x, t = np.array([[0.3]]), np.array([0.5])
    np.testing.assert_array_equal(np.asarray(back(x, t)), np.asarray(custom(x, t)))


def test_a_damaged_file_is_a_clear_error(tmp_path, trained):
    path = trained.save(tmp_path / "pinn.npz")
    path.write_bytes(path.read_bytes()[:-40])
    with pytest.raises(io.FileFormatError, match="pinn.npz: the file is truncated"):
        io.load_solution(path, problem=trained.problem)
