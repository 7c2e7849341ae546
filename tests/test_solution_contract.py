"""The one Solution contract (call, problem, info, errors, save/load, result) kept by every
method, and the settings objects (frozen, checked when built, equal to the keywords)."""

import dataclasses

import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest
from test_pinn import SMALL, problem_1d

import pdesolve as pds
from pdesolve import geometry as geo
from pdesolve.elm import Collocation, ELMSolution, LeastSquares, RandomFeatures
from pdesolve.pinn import Architecture, Batches, PINNSolution
from pdesolve.solutions import SHARED_INFO
from pdesolve.training import Training

SQUARE = geo.Rectangle((0, 0), (1, 1))
TINY_ELM = {"hidden": 20, "n_interior": 100, "n_boundary": 40}
PINN_SIZES = {k: v for k, v in SMALL.items() if k not in ("widths", "scales")}


def exact2(x):
    return jnp.sin(np.pi * x[0]) * jnp.sin(np.pi * x[1])


def biharmonic():
    return pds.Biharmonic.manufactured(SQUARE, exact2)


def poisson():
    return pds.Poisson.manufactured(SQUARE, exact2)


@pytest.fixture(scope="module")
def solutions():
    """One tiny solution of every method: CELM, PIELM, SFHCPINN and the "pinn" baseline."""
    key = jax.random.PRNGKey(0)
    return {
        "celm": pds.celm.solve(biharmonic(), key=key, **TINY_ELM),
        "pielm": pds.pielm.solve(poisson(), key=key, **TINY_ELM),
        "sfhcpinn": pds.sfhcpinn.solve(problem_1d(), key=key, steps=300, **SMALL),
        "pinn": pds.pinn.solve(problem_1d(), key=key, steps=5, variant="pinn",
                               widths=(8, 8), **PINN_SIZES),
    }


METHODS = ["celm", "pielm", "sfhcpinn", "pinn"]


def call(sol, x, t):
    return sol(x) if t is None else sol(x, t)


@pytest.mark.parametrize("method", METHODS)
def test_every_solution_keeps_the_contract(solutions, method):
    sol = solutions[method]
    assert isinstance(sol, pds.Solution)
    x, t = sol.error_points(key=jax.random.PRNGKey(5), n=64)
    assert x.shape == (64, sol.problem.dim) and (t is None) == (method in ("celm", "pielm"))
    assert call(sol, x, t).shape == (64,)
    for name, kind in SHARED_INFO.items():
        assert isinstance(sol.info[name], kind), (name, sol.info[name])
    assert sol.info["method"] == method
    assert sol.info["devices"] >= 1 and sol.info["time_total_s"] > 0
    assert sol.info["backend"] in ("host", "device")
    assert isinstance(sol.result, pds.Status) and sol.result.message


@pytest.mark.parametrize("method", METHODS)
def test_errors_are_the_metrics_on_the_error_points(solutions, method):
    sol, key = solutions[method], jax.random.PRNGKey(7)
    errors = sol.errors(key=key, n=500)
    x, t = sol.error_points(key=key, n=500)
    pred = np.asarray(call(sol, x, t), dtype=np.float64)
    ref = sol.exact_values(x, t)
    assert errors == {"relative_l2": float(pds.metrics.relative_l2(pred, ref)),
                      "max_error": float(pds.metrics.max_error(pred, ref)),
                      "rms": float(pds.metrics.rms_error(pred, ref))}
    assert errors["rms"] <= errors["max_error"]


def test_errors_need_an_exact_solution(solutions, tmp_path):
    problem = pds.Biharmonic(SQUARE, lambda x: 4 * np.pi**4 * exact2(x), lambda x: 0.0,
                             h=lambda x: 0.0)
    sol = pds.celm.solve(problem, key=jax.random.PRNGKey(0), **TINY_ELM)
    with pytest.raises(ValueError, match="exact=None"):
        sol.errors(key=jax.random.PRNGKey(0))
    loaded = ELMSolution.load(solutions["celm"].save(tmp_path / "celm.npz"))
    with pytest.raises(ValueError, match="no problem attached"):
        loaded.errors(key=jax.random.PRNGKey(0))
    with pytest.raises(TypeError, match="key"):
        solutions["celm"].errors(key=0)


@pytest.mark.parametrize("method", METHODS)
def test_save_and_load_predict_identically(solutions, method, tmp_path):
    sol = solutions[method]
    path = sol.save(tmp_path / method)
    x, t = sol.error_points(key=jax.random.PRNGKey(3), n=200)
    for loaded in (type(sol).load(path, sol.problem),
                   pds.io.load_solution(path, problem=sol.problem)):
        assert type(loaded) is type(sol)
        np.testing.assert_array_equal(np.asarray(call(loaded, x, t)),
                                      np.asarray(call(sol, x, t)))
        assert loaded.result is sol.result
        assert {k: loaded.info[k] for k in SHARED_INFO} == {k: sol.info[k] for k in SHARED_INFO}


def test_least_squares_statuses_follow_rank_and_condition():
    key, problem = jax.random.PRNGKey(0), biharmonic()
    solve = lambda scale, n_interior=100, n_boundary=40: pds.celm.solve(
        problem, key=key, hidden=40, n_interior=n_interior, n_boundary=n_boundary, scale=scale)
    full = solve(2.0)  # rank 80 of 80, condition ~1e5
    assert full.info["rank"] == full.info["unknowns"] and full.result is pds.Status.successful
    weak = solve(0.1)  # full rank, condition ~7e13
    assert weak.info["rank"] == weak.info["unknowns"] and weak.info["condition"] > 1e12
    assert weak.result is pds.Status.ill_conditioned
    # features nearly linear: rank 71 of 80, handled by the rank-revealing finish
    dependent = solve(0.05)
    assert dependent.info["rank"] < dependent.info["unknowns"] <= dependent.info["rows"]
    assert dependent.result is pds.Status.successful
    with pytest.warns(UserWarning, match="underdetermined"):
        few = solve(2.0, n_interior=20, n_boundary=10)  # 60 rows for 80 unknowns
    assert few.info["rows"] < few.info["unknowns"] and few.result is pds.Status.rank_deficient
    assert "n_interior" in few.result.message and "minimum-norm" in few.result.message


def test_training_statuses_follow_the_loss_history(solutions):
    trained, short = solutions["sfhcpinn"], solutions["pinn"]
    losses = np.asarray(trained.info["loss"])
    assert losses[-30:].mean() * 10 <= losses[0]
    assert trained.result is pds.Status.successful
    assert short.result is pds.Status.not_converged  # 5 steps: the loss has not fallen 10x
    still_falling = PINNSolution(trained.model, trained.params, {
        **trained.info, "loss": list(np.geomspace(1.0, 1e-6, 100))})
    assert still_falling.result is pds.Status.not_converged  # fell 4x over the last tenth
    flat = PINNSolution(trained.model, trained.params, {
        **trained.info, "loss": list(np.linspace(1.0, 1e-3, 50)) + [1e-3] * 50})
    assert flat.result is pds.Status.successful
    broken = jax.tree_util.tree_map(lambda p: p * jnp.nan, trained.params)
    assert PINNSolution(trained.model, broken, trained.info).result is pds.Status.diverged
    assert "learning rate" in pds.Status.diverged.message


# -- settings objects ---------------------------------------------------------------------------
def test_celm_keywords_equal_the_settings_objects():
    key, problem = jax.random.PRNGKey(1), biharmonic()
    x = SQUARE.sample_interior(50, key=jax.random.PRNGKey(2))
    by_keywords = pds.celm.solve(problem, key=key, hidden=30, scale=3.0, n_interior=120,
                                 n_boundary=40, solver="sketch", sketch_factor=3.0,
                                 finish="svd")
    by_objects = pds.celm.solve(
        problem, key=key, features=RandomFeatures(hidden=30, scale=3.0),
        least_squares=LeastSquares(solver="sketch", sketch_factor=3.0, finish="svd"),
        collocation=Collocation(n_interior=120, n_boundary=40))
    mixed = pds.celm.solve(problem, key=key, features=RandomFeatures(hidden=30, scale=3.0),
                           n_interior=120, n_boundary=40, solver="sketch", sketch_factor=3.0,
                           finish="svd", hidden=30)  # a keyword agreeing with its object
    for sol in (by_objects, mixed):
        np.testing.assert_array_equal(np.asarray(sol(x)), np.asarray(by_keywords(x)))


def test_pielm_keywords_equal_the_settings_objects():
    key, problem = jax.random.PRNGKey(1), poisson()
    x = SQUARE.sample_interior(50, key=jax.random.PRNGKey(2))
    a = pds.pielm.solve(problem, key=key, hidden=25, n_interior=90, n_boundary=30,
                        activation="tanh", row_scaling="l2")
    b = pds.pielm.solve(problem, key=key, features=RandomFeatures(hidden=25, activation="tanh"),
                        least_squares=LeastSquares(row_scaling="l2"),
                        collocation=Collocation(n_interior=90, n_boundary=30))
    np.testing.assert_array_equal(np.asarray(a(x)), np.asarray(b(x)))


def test_pinn_keywords_equal_the_settings_objects(solutions):
    key, problem = jax.random.PRNGKey(0), solutions["sfhcpinn"].problem  # compiled already
    sizes = {k: SMALL[k] for k in ("n_interior", "n_boundary", "n_initial")}
    a = pds.sfhcpinn.solve(problem, key=key, steps=100, **SMALL)
    b = pds.sfhcpinn.solve(problem, key=key, batches=Batches(**sizes),
                           training=Training(steps=100, chunk=50, eval_every=100,
                                             progress=False),
                           architecture=Architecture(widths=(8, 16, 8), scales=(1, 2, 4, 8)))
    x, t = a.error_points(key=jax.random.PRNGKey(4), n=100)
    np.testing.assert_array_equal(np.asarray(a(x, t)), np.asarray(b(x, t)))
    assert a.info["loss"] == b.info["loss"]


def test_a_keyword_conflicting_with_its_object_is_refused():
    problem, key = biharmonic(), jax.random.PRNGKey(0)
    with pytest.raises(ValueError, match=r"solver='sketch'.*LeastSquares.*one place"):
        pds.celm.solve(problem, key=key, least_squares=LeastSquares(), solver="sketch")
    with pytest.raises(ValueError, match="n_interior"):
        pds.pielm.solve(poisson(), key=key, collocation=Collocation(n_interior=50),
                        n_interior=60)
    with pytest.raises(ValueError, match="steps"):
        pds.sfhcpinn.solve(problem_1d(), key=key, training=Training(steps=10), steps=20)
    with pytest.raises(TypeError, match="least_squares must be a LeastSquares"):
        pds.celm.solve(problem, key=key, least_squares={"solver": "qr"})
    with pytest.raises(TypeError, match="did you mean 'hidden'"):
        pds.celm.solve(problem, key=key, hiden=30)
    with pytest.raises(TypeError, match="did you mean 'n_interior'"):
        pds.pinn.solve(problem_1d(), key=key, n_interiors=30)


@pytest.mark.parametrize("settings", [RandomFeatures(), LeastSquares(), Collocation(),
                                      Batches(), Training(), Architecture()],
                         ids=lambda s: type(s).__name__)
def test_settings_are_frozen(settings):
    name = dataclasses.fields(settings)[0].name
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(settings, name, getattr(settings, name))


@pytest.mark.parametrize("build, error, words", [
    (lambda: RandomFeatures(hidden=0), ValueError, ["hidden", "0", "width M"]),
    (lambda: RandomFeatures(hidden=2.5), TypeError, ["hidden", "2.5"]),
    (lambda: RandomFeatures(activation="relu"), ValueError, ["activation", "relu"]),
    (lambda: RandomFeatures(scale=-1.0), ValueError, ["scale", "-1.0", "U[-scale, scale]"]),
    (lambda: LeastSquares(rcond=2.0), ValueError, ["rcond", "2.0", "1e-14"]),
    (lambda: LeastSquares(block_rows=0), ValueError, ["block_rows", "0"]),
    (lambda: LeastSquares(sketch_factor=0.5), ValueError, ["sketch_factor", "0.5", ">= 1"]),
    (lambda: LeastSquares(backend="device", solver="sketch"), ValueError, ["solver='qr'"]),
    (lambda: Collocation(n_boundary=-3), ValueError, ["n_boundary", "-3"]),
    (lambda: Collocation(sampling="Halton"), ValueError, ["sampling", "Halton"]),
    (lambda: Batches(n_initial=0), ValueError, ["n_initial", "0"]),
    (lambda: Batches(sampling="halton"), ValueError, ["sampling", "halton", "on-device"]),
    (lambda: Training(steps=0), ValueError, ["steps", "0"]),
    (lambda: Training(steps=2**31), ValueError, ["steps", "at most"]),
    (lambda: Training(optimizer=optax.adam), TypeError, ["optimizer", "optax.adam(1e-3)"]),
    (lambda: Training(keep_checkpoints=0), ValueError, ["keep_checkpoints", "0"]),
    (lambda: Training(checkpoint=5), TypeError, ["checkpoint", "5"]),
    (lambda: Training(lbfgs_steps=-1), ValueError, ["lbfgs_steps", "-1"]),
    (lambda: Architecture(widths=(8, 0)), ValueError, ["widths", "0"]),
    (lambda: Architecture(activation="nope"), ValueError, ["activation", "nope"]),
])
def test_bad_settings_are_refused_when_built(build, error, words):
    with pytest.raises(error) as raised:
        build()
    for word in words:
        assert word in str(raised.value), (word, str(raised.value))
